/**
 * Kubernetes' version order for any version string, as upstream's CompareKubeAwareVersionStrings: names shaped
 * like `v1`, `v2beta1`, `v1alpha3` come first, GA before beta before alpha, higher numbers first; every other name
 * follows, in alphabetical order.
 */
const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function parse(v: string): [number, number, number] | undefined {
  const m = kubeVersion.exec(v);
  if (!m) return undefined;
  return [m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[1]), Number(m[3] ?? 0)];
}

/** Negative when `a` comes first (is preferred), as a sort comparator. */
export function compareKubeAwareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
