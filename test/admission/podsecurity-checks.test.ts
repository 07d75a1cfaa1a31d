/**
 * Every Pod Security Standards check through the API (dry-run creates, so nothing is stored): the reason and
 * detail upstream gives for each, the order they are listed in, and the policy versions that change them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

type Json = Record<string, unknown>;

const okContainer = (name: string, extra: Json = {}) => ({
  name,
  image: 'nginx',
  ...extra,
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...((extra.securityContext as Json) ?? {}) },
});
/** A pod that meets restricted; `patch` changes its spec. */
const restrictedPod = (patch: Json = {}) => ({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [okContainer('c')], ...patch });
const plainPod = (patch: Json = {}) => ({ containers: [{ name: 'c', image: 'nginx' }], ...patch });

interface Case {
  name: string;
  namespace: string;
  spec: Json;
  annotations?: Record<string, string>;
  /** The text after `violates PodSecurity "<policy>": `, or undefined when the pod is admitted. */
  want?: string;
}

const cases: Case[] = [
  { name: 'baseline admits a plain pod', namespace: 'b-latest', spec: plainPod() },
  {
    name: 'hostProcess',
    namespace: 'b-latest',
    // A hostProcess pod must use the host's network to be valid at all (validation runs before PodSecurity).
    spec: plainPod({ hostNetwork: true, containers: [{ name: 'c', image: 'nginx', securityContext: { windowsOptions: { hostProcess: true } } }] }),
    want: 'host namespaces (hostNetwork=true), hostProcess (container "c" must not set securityContext.windowsOptions.hostProcess=true)',
  },
  {
    name: 'AppArmor annotation and field',
    namespace: 'b-latest',
    annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' },
    spec: plainPod({ containers: [{ name: 'c', image: 'nginx', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] }),
    want: 'forbidden AppArmor profiles (container "c" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/c="unconfined"")',
  },
  {
    name: 'SELinux type and user',
    namespace: 'b-latest',
    spec: plainPod({ containers: [{ name: 'c', image: 'nginx', securityContext: { seLinuxOptions: { type: 'spc_t', user: 'root' } } }] }),
    want: 'seLinuxOptions (container "c" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)',
  },
  { name: 'SELinux container_engine_t is allowed from v1.31', namespace: 'b-latest', spec: plainPod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }) },
  {
    name: 'SELinux container_engine_t before v1.31',
    namespace: 'b-v130',
    spec: plainPod({ securityContext: { seLinuxOptions: { type: 'container_engine_t' } } }),
    want: 'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "container_engine_t")',
  },
  {
    name: 'privileged init and app containers, in visiting order',
    namespace: 'b-latest',
    spec: plainPod({
      initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: true } }],
      containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }],
    }),
    want: 'privileged (containers "init", "app" must not set securityContext.privileged=true)',
  },
  {
    name: 'host ports of two containers',
    namespace: 'b-latest',
    spec: plainPod({
      containers: [
        { name: 'a', image: 'nginx', ports: [{ containerPort: 80, hostPort: 9090 }] },
        { name: 'b', image: 'nginx', ports: [{ containerPort: 81, hostPort: 10080 }] },
      ],
    }),
    want: 'hostPort (containers "a", "b" use hostPorts 10080, 9090)',
  },
  { name: 'sysctl added in v1.32 at latest', namespace: 'b-latest', spec: plainPod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }] } }) },
  {
    name: 'sysctl added in v1.32 at v1.30',
    namespace: 'b-v130',
    spec: plainPod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'kernel.shm_rmid_forced', value: '1' }] } }),
    want: 'forbidden sysctls (net.ipv4.tcp_rmem)',
  },
  {
    name: 'seccomp Unconfined on the pod',
    namespace: 'b-latest',
    spec: plainPod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }),
    want: 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
  },
  {
    name: 'seccomp annotations before v1.19',
    namespace: 'b-v118',
    annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' },
    spec: plainPod({ securityContext: { seccompProfile: { type: 'Unconfined' } } }),
    want: 'seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")',
  },
  { name: 'restricted admits a pod that meets it', namespace: 'r-latest', spec: restrictedPod() },
  { name: 'restricted admits adding NET_BIND_SERVICE', namespace: 'r-latest', spec: restrictedPod({ containers: [okContainer('c', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })] }) },
  {
    name: 'runAsNonRoot=false on the pod',
    namespace: 'r-latest',
    spec: restrictedPod({ securityContext: { runAsNonRoot: false, seccompProfile: { type: 'RuntimeDefault' } } }),
    want: 'runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)',
  },
  {
    name: 'runAsUser=0 on a container',
    namespace: 'r-latest',
    spec: restrictedPod({ containers: [okContainer('c', { securityContext: { runAsUser: 0 } })] }),
    want: 'runAsUser=0 (container "c" must not set runAsUser=0)',
  },
  { name: 'runAsUser=0 is not checked before v1.23', namespace: 'r-v122', spec: restrictedPod({ containers: [okContainer('c', { securityContext: { runAsUser: 0 } })] }) },
  {
    name: 'restricted volume types',
    namespace: 'r-latest',
    spec: restrictedPod({ volumes: [{ name: 'n', nfs: { server: 'x', path: '/' } }, { name: 'h', hostPath: { path: '/var' } }, { name: 'ok', configMap: { name: 'c' } }] }),
    want: 'restricted volume types (volumes "n", "h" use restricted volume types "hostPath", "nfs")',
  },
  {
    name: 'a Windows pod skips the Linux-only restricted checks',
    namespace: 'r-latest',
    spec: { os: { name: 'windows' }, containers: [{ name: 'c', image: 'nginx' }] },
    want: 'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true)',
  },
  {
    name: 'capabilities before v1.22 are checked at baseline only',
    namespace: 'r-v121',
    spec: restrictedPod({ containers: [{ name: 'c', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['SYS_TIME'] } } }] }),
    want: 'non-default capabilities (container "c" must not include "SYS_TIME" in securityContext.capabilities.add)',
  },
];

const namespaces: Record<string, Record<string, string>> = {
  'b-latest': { 'pod-security.kubernetes.io/enforce': 'baseline' },
  'b-v130': { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.30' },
  'b-v118': { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.18' },
  'r-latest': { 'pod-security.kubernetes.io/enforce': 'restricted' },
  'r-v122': { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.22' },
  'r-v121': { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.21' },
};

const policyOf = (ns: string) => {
  const labels = namespaces[ns];
  return `${labels['pod-security.kubernetes.io/enforce']}:${labels['pod-security.kubernetes.io/enforce-version'] ?? 'latest'}`;
};

describe('PodSecurity checks', () => {
  let server: TestServer;
  before(async () => {
    // Validation runs before PodSecurity: let it accept privileged pods so that PodSecurity's answer is the one seen.
    server = await startServer({ args: ['--allow-privileged=true'] });
    for (const [name, labels] of Object.entries(namespaces)) {
      const r = await server.request('POST', '/api/v1/namespaces', { metadata: { name, labels } });
      assert.equal(r.status, 201, r.text);
    }
  });
  after(async () => {
    await server.stop();
  });

  for (const c of cases) {
    it(c.name, async () => {
      const r = await server.request('POST', `/api/v1/namespaces/${c.namespace}/pods?dryRun=All`, { metadata: { name: 'p', annotations: c.annotations }, spec: c.spec });
      if (c.want === undefined) {
        assert.equal(r.status, 201, r.text);
        return;
      }
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json.message, `pods "p" is forbidden: violates PodSecurity "${policyOf(c.namespace)}": ${c.want}`);
    });
  }
});
