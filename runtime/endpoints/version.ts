/** What /version reports: a Kubernetes minor version so clients see no version skew, and our own build. */
export const kubernetesVersion = { major: '1', minor: '32', patch: '0' };

/** The release named in OpenAPI documents (`info.version`), as kube-apiserver names its own. */
export const kubernetesRelease = `v${kubernetesVersion.major}.${kubernetesVersion.minor}.${kubernetesVersion.patch}`;

export const versionInfo = {
  major: kubernetesVersion.major,
  minor: kubernetesVersion.minor,
  gitVersion: `${kubernetesRelease}+kube-ts`,
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};
