/**
 * PodSecurity through the real server and kubectl: namespace labels choose the level per mode; enforce refuses
 * with upstream's message, warn gives kubectl `Warning:` lines, workload templates only warn, bad labels are
 * refused, raising a namespace's enforce level warns about the Pods already there, and an AdmissionConfiguration
 * file sets the defaults and exemptions; the audit event carries the enforced policy and audit violations.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';

type Kubectl = ReturnType<typeof kubectlRunner>;

const restrictedOk = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};

function podYaml(name: string, namespace: string, spec: object): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec });
}

describe('PodSecurity admission', () => {
  let server: TestServer;
  let kubectl: Kubectl;

  async function namespace(name: string, labels: Record<string, string>): Promise<void> {
    const r = await server.request('POST', '/api/v1/namespaces', { metadata: { name, labels } });
    assert.equal(r.status, 201, r.text);
  }

  before(async () => {
    // PodSecurity is what is tested: let validation accept privileged pods, as kind and kubeadm clusters do.
    server = await startServer({ args: ['--allow-privileged=true'] });
    kubectl = kubectlRunner(server.kubeconfig);
    await namespace('restricted', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    await namespace('baseline', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.32' });
    await namespace('warned', { 'pod-security.kubernetes.io/warn': 'restricted' });
  });
  after(async () => {
    await server.stop();
  });

  it('refuses a privileged pod in a restricted namespace with upstream message', async () => {
    const spec = { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] };
    const res = await kubectl.run(['create', '-f', '-'], podYaml('priv', 'restricted', spec));
    assert.notEqual(res.code, 0);
    const message =
      'pods "priv" is forbidden: violates PodSecurity "restricted:latest": privileged (container "c" must not set securityContext.privileged=true), ' +
      'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';
    assert.equal(res.stderr.trim(), `Error from server (Forbidden): error when creating "STDIN": ${message}`);

    const http = await server.request('POST', '/api/v1/namespaces/restricted/pods', { metadata: { name: 'priv' }, spec });
    assert.equal(http.status, 403);
    assert.equal(http.json.reason, 'Forbidden');
    assert.equal(http.json.message, message);
    assert.deepEqual(http.json.details, { name: 'priv', kind: 'pods' });
    assert.equal((await server.request('GET', '/api/v1/namespaces/restricted/pods/priv')).status, 404);
  });

  it('admits a pod that meets the restricted level', async () => {
    const res = await kubectl.run(['create', '-f', '-'], podYaml('good', 'restricted', restrictedOk));
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stderr, '');
  });

  it('lists every violated check with details: volumes, runAsUser, host namespaces, ports, sysctls', async () => {
    const spec = {
      hostNetwork: true,
      securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'kernel.msgmax', value: '1' }] },
      volumes: [{ name: 'host', hostPath: { path: '/etc' } }, { name: 'tmp', emptyDir: {} }],
      containers: [
        { name: 'a', image: 'x', ports: [{ containerPort: 8080, hostPort: 8080 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN', 'NET_BIND_SERVICE'] } } },
      ],
    };
    const r = await server.request('POST', '/api/v1/namespaces/restricted/pods', { metadata: { name: 'many' }, spec });
    assert.equal(r.status, 403);
    assert.equal(
      r.json.message,
      'pods "many" is forbidden: violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), hostPort (container "a" uses hostPort 8080), ' +
        'forbidden sysctls (kernel.msgmax), unrestricted capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add), ' +
        'restricted volume types (volume "host" uses restricted volume type "hostPath"), runAsUser=0 (pod must not set runAsUser=0)',
    );
  });

  it('baseline allows what restricted would not, and refuses privileged settings', async () => {
    const plain = await server.request('POST', '/api/v1/namespaces/baseline/pods', { metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { runAsUser: 0, capabilities: { add: ['CHOWN'] } } }] } });
    assert.equal(plain.status, 201, plain.text);
    const bad = await server.request('POST', '/api/v1/namespaces/baseline/pods', {
      metadata: { name: 'bad' },
      spec: { hostPID: true, volumes: [{ name: 'h', hostPath: { path: '/' } }], containers: [{ name: 'c', image: 'nginx', securityContext: { capabilities: { add: ['SYS_ADMIN'] }, seccompProfile: { type: 'Unconfined' } } }] },
    });
    assert.equal(bad.status, 403);
    assert.equal(
      bad.json.message,
      'pods "bad" is forbidden: violates PodSecurity "baseline:v1.32": non-default capabilities (container "c" must not include "SYS_ADMIN" in securityContext.capabilities.add), ' +
        'host namespaces (hostPID=true), hostPath volumes (volume "h"), seccompProfile (container "c" must not set securityContext.seccompProfile.type to "Unconfined")',
    );
  });

  it('warn mode admits and prints kubectl Warning lines', async () => {
    const res = await kubectl.run(['apply', '-f', '-'], podYaml('loose', 'warned', { containers: [{ name: 'c', image: 'nginx' }] }));
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /pod\/loose created/);
    assert.equal(
      res.stderr.trim(),
      'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('checks the pod template of workloads for warnings only', async () => {
    const deployment = (ns: string) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true } }] } } },
      });
    const warned = await kubectl.run(['create', '-f', '-'], deployment('warned'));
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /^Warning: would violate PodSecurity "restricted:latest": privileged \(container "web" must not set securityContext\.privileged=true\), allowPrivilegeEscalation != false/);
    // Enforce applies to Pods only: the Deployment itself is admitted.
    const enforced = await kubectl.run(['create', '-f', '-'], deployment('restricted'));
    assert.equal(enforced.code, 0, enforced.stderr);
    const cronjob = await server.request('POST', '/apis/batch/v1/namespaces/warned/cronjobs', {
      metadata: { name: 'cj' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', hostIPC: true, containers: [{ name: 'j', image: 'busybox' }] } } } } },
    });
    assert.equal(cronjob.status, 201, cronjob.text);
    assert.match(String(cronjob.headers.warning), /^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostIPC=true\)/);
  });

  it('refuses invalid labels on namespaces', async () => {
    const r = await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'typo', labels: { 'pod-security.kubernetes.io/enforce': 'strict' } } });
    assert.equal(r.status, 422);
    assert.equal(r.json.message, 'Namespace "typo" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted');
    const v = await kubectl.run(['label', 'ns', 'warned', 'pod-security.kubernetes.io/warn-version=1.30']);
    assert.notEqual(v.code, 0);
    assert.match(v.stderr, /metadata\.labels\[pod-security\.kubernetes\.io\/warn-version\]: Invalid value: "1\.30": must be "latest" or "v1\.x"/);
  });

  it('warns about existing pods when the enforce level is raised', async () => {
    await namespace('existing', {});
    for (const [name, spec] of [
      ['p1', { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] }],
      ['p2', { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] }],
      ['p3', { hostNetwork: true, containers: [{ name: 'c', image: 'nginx' }] }],
      ['ok', { containers: [{ name: 'c', image: 'nginx' }] }],
    ] as const) {
      const r = await server.request('POST', '/api/v1/namespaces/existing/pods', { metadata: { name }, spec });
      assert.equal(r.status, 201, r.text);
    }
    const res = await kubectl.run(['label', 'ns', 'existing', 'pod-security.kubernetes.io/enforce=baseline']);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /namespace\/existing labeled/);
    assert.deepEqual(res.stderr.trim().split('\n'), [
      'Warning: existing pods in namespace "existing" violate the new PodSecurity enforce level "baseline:latest"',
      'Warning: p1 (and 1 other pod): privileged',
      'Warning: p3: host namespaces',
    ]);
    // Now enforced: a new privileged pod is refused.
    const refused = await server.request('POST', '/api/v1/namespaces/existing/pods', { metadata: { name: 'p4' }, spec: { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] } });
    assert.equal(refused.status, 403);
  });
});

describe('PodSecurity configured by --admission-control-config-file', () => {
  let server: TestServer;
  let dir: string;
  const privileged = { containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-ts-psa-'));
    writeFileSync(
      join(dir, 'admission.yaml'),
      [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '- name: PodSecurity',
        '  path: podsecurity.yaml',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'podsecurity.yaml'),
      [
        'apiVersion: pod-security.admission.config.k8s.io/v1',
        'kind: PodSecurityConfiguration',
        'defaults:',
        '  enforce: baseline',
        '  enforce-version: v1.30',
        '  warn: restricted',
        'exemptions:',
        '  namespaces: [exempt]',
      ].join('\n'),
    );
    server = await startServer({ args: ['--allow-privileged=true', '--admission-control-config-file', join(dir, 'admission.yaml')] });
    for (const [name, labels] of [['plain', {}], ['exempt', { 'pod-security.kubernetes.io/enforce': 'restricted' }]] as const) {
      assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name, labels } })).status, 201);
    }
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies the configured defaults to unlabelled namespaces', async () => {
    const refused = await server.request('POST', '/api/v1/namespaces/plain/pods', { metadata: { name: 'priv' }, spec: privileged });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'pods "priv" is forbidden: violates PodSecurity "baseline:v1.30": privileged (container "c" must not set securityContext.privileged=true)');
    const warned = await server.request('POST', '/api/v1/namespaces/plain/pods', { metadata: { name: 'loose' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(warned.status, 201, warned.text);
    assert.match(String(warned.headers.warning), /^299 - "would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false/);
  });

  it('exempts the configured namespaces', async () => {
    const r = await server.request('POST', '/api/v1/namespaces/exempt/pods', { metadata: { name: 'priv' }, spec: privileged });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.warning, undefined);
  });

  it('refuses to start with a bad configuration', async (t) => {
    writeFileSync(join(dir, 'podsecurity.yaml'), 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: strict\n');
    await assert.rejects(startServer({ args: ['--admission-control-config-file', join(dir, 'admission.yaml')], t }), /defaults\.enforce: Invalid value: "strict": must be one of privileged, baseline, restricted/);
  });
});

describe('PodSecurity audit annotations', () => {
  let server: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kube-ts-psa-audit-'));
    writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["pods"]\n');
    server = await startServer({ args: ['--audit-policy-file', join(dir, 'policy.yaml'), '--audit-log-path', join(dir, 'audit.log')] });
    const ns = await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'audited', labels: { 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.31' } } });
    assert.equal(ns.status, 201, ns.text);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the enforced policy and the audit violations in the audit event', async () => {
    const created = await server.request('POST', '/api/v1/namespaces/audited/pods', { metadata: { name: 'ok' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }, { 'Audit-ID': 'psa-ok' });
    assert.equal(created.status, 201, created.text);
    const refused = await server.request('POST', '/api/v1/namespaces/audited/pods', { metadata: { name: 'bad' }, spec: { hostIPC: true, containers: [{ name: 'c', image: 'nginx' }] } }, { 'Audit-ID': 'psa-bad' });
    assert.equal(refused.status, 403);
    const events = () =>
      readFileSync(join(dir, 'audit.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
        .filter((e) => e.stage === 'ResponseComplete');
    await eventually(() => events().some((e) => e.auditID === 'psa-bad'), 'the audit event of the refused pod');
    const ok = events().find((e) => e.auditID === 'psa-ok');
    assert.equal(ok.annotations['pod-security.kubernetes.io/enforce-policy'], 'baseline:v1.31');
    assert.equal(ok.annotations['pod-security.kubernetes.io/audit-violations'], undefined);
    const bad = events().find((e) => e.auditID === 'psa-bad');
    assert.equal(bad.annotations['pod-security.kubernetes.io/enforce-policy'], 'baseline:v1.31');
    assert.equal(bad.annotations['pod-security.kubernetes.io/audit-violations'], 'would violate PodSecurity "baseline:latest": host namespaces (hostIPC=true)');
  });
});
