// Impersonation authorized by RBAC through the real server: a user may impersonate exactly what a ClusterRole
// grants with verb `impersonate`; everything else is 403 with upstream's wording (kubectl --as, raw headers).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { call, kubeconfigCA, whoami, writeKubeconfig } from './support.ts';

let server: TestServer;
let dir: string;
let ca: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-ts-impersonation-'));
  writeFileSync(join(dir, 'tokens.csv'), 'alice-token,alice,alice-uid,dev\n');
  server = await startServer({ args: ['--token-auth-file', join(dir, 'tokens.csv'), '--authorization-mode', 'RBAC'] });
  ca = kubeconfigCA(server.kubeconfig);
  const role = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'impersonate-bob' },
    rules: [
      { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['bob'] },
      { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['qa'] },
    ],
  };
  const binding = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'alice-impersonates-bob' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonate-bob' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }],
  };
  assert.equal((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', role)).status, 201);
  assert.equal((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding)).status, 201);
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('kubectl --as: allowed where a ClusterRole grants impersonate, 403 with upstream wording elsewhere', async () => {
  const k = kubectlRunner(writeKubeconfig(join(dir, 'alice.kubeconfig'), server.url, ca, { token: 'alice-token' }));
  // RBAC follows its watch: wait for the binding to take effect.
  await eventually(async () => (await k.run(['auth', 'whoami', '--as', 'bob', '-o', 'jsonpath={.status.userInfo.username}'])).stdout === 'bob', 'alice to impersonate bob');
  const asQa = await k.run(['auth', 'whoami', '--as', 'bob', '--as-group', 'qa', '-o', 'json']);
  assert.deepEqual(JSON.parse(asQa.stdout).status.userInfo, { username: 'bob', groups: ['qa', 'system:authenticated'] });

  // kubectl's discovery reads a refusal as "Forbidden: unknown" (it does not decode the Status): the wording is
  // checked on the raw responses below.
  for (const args of [['--as', 'carol'], ['--as', 'bob', '--as-group', 'system:masters'], ['--as', 'system:serviceaccount:kube-system:default']]) {
    const out = await k.run(['get', 'namespaces', ...args]);
    assert.notEqual(out.code, 0);
    assert.match(out.stderr, /Forbidden/);
  }
  const alice = { Authorization: 'Bearer alice-token' };
  const refused = async (headers: Record<string, string | string[]>) => {
    const res = await call(server.url, { path: '/api/v1/namespaces', ca, headers: { ...alice, ...headers } });
    assert.equal(res.status, 403);
    return res.json.message as string;
  };
  assert.equal(await refused({ 'Impersonate-User': 'carol' }), 'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
  assert.equal(await refused({ 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' }), 'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope');
  assert.equal(
    await refused({ 'Impersonate-User': 'system:serviceaccount:kube-system:default' }),
    'serviceaccounts "default" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"',
  );
});

test('raw impersonation headers from a user without the grant never get through', async () => {
  const alice = { Authorization: 'Bearer alice-token' };
  const extra = await call(server.url, { path: '/api/v1/namespaces', ca, headers: { ...alice, 'Impersonate-User': 'bob', 'Impersonate-Extra-Scopes': 'everything' } });
  assert.equal(extra.status, 403);
  assert.equal(extra.json.message, 'userextras.authentication.k8s.io "everything" is forbidden: User "alice" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope');
  const uid = await call(server.url, { path: '/api/v1/namespaces', ca, headers: { ...alice, 'Impersonate-User': 'bob', 'Impersonate-Uid': 'admin-uid' } });
  assert.equal(uid.status, 403);
  assert.match(uid.json.message, /^uids.authentication.k8s.io "admin-uid" is forbidden/);
  // Anonymous may impersonate nobody.
  const anon = await call(server.url, { path: '/api/v1/namespaces', ca, headers: { 'Impersonate-User': 'admin', 'Impersonate-Group': 'system:masters' } });
  assert.equal(anon.status, 403);
  assert.match(anon.json.message, /User "system:anonymous" cannot impersonate resource "users"/);
  // Without impersonation alice is herself.
  assert.equal((await whoami(server.url, { ca, headers: alice })).name, 'alice');
});
