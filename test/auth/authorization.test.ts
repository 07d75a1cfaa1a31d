/**
 * authorization.k8s.io reviews and kubectl auth can-i (protobuf SelfSubjectAccessReview, --list, --as), the Node
 * authorizer, and the --authorization-mode flags, through the real server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { testUser } from '../support/users.ts';
import { parseOptions } from '../../runtime/server/options.ts';

const rbac = '/apis/rbac.authorization.k8s.io/v1';
const authz = '/apis/authorization.k8s.io/v1';

async function admin(server: TestServer, method: string, path: string, body?: unknown) {
  const res = await server.request(method, path, body);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

describe('authorization reviews and kubectl auth can-i', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    await admin(server, 'POST', '/api/v1/namespaces', { metadata: { name: 'dev' } });
    await admin(server, 'POST', `${rbac}/namespaces/dev/roles`, {
      metadata: { name: 'pods' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }, { apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'], verbs: ['update'] }],
    });
    await admin(server, 'POST', `${rbac}/namespaces/dev/rolebindings`, {
      metadata: { name: 'ivy-pods' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ivy' }],
    });
  });
  after(async () => server?.stop());

  test('SubjectAccessReview answers for any user, with RBAC\'s reason', async () => {
    const ask = (user: string, verb: string, namespace = 'dev') =>
      admin(server, 'POST', `${authz}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, resourceAttributes: { namespace, verb, resource: 'pods' } } });
    await eventually(async () => (await ask('ivy', 'list')).status.allowed === true, 'ivy may list pods');
    const yes = await ask('ivy', 'list');
    assert.deepEqual(yes.status, { allowed: true, reason: 'RBAC: allowed by RoleBinding "ivy-pods/dev" of Role "pods" to User "ivy"' });
    assert.deepEqual((await ask('ivy', 'delete')).status, { allowed: false });
    assert.deepEqual((await ask('ivy', 'list', 'default')).status, { allowed: false });
    const masters = await admin(server, 'POST', `${authz}/subjectaccessreviews`, { spec: { user: 'x', groups: ['system:masters'], nonResourceAttributes: { path: '/anything', verb: 'get' } } });
    assert.equal(masters.status.allowed, true);
    const bad = await server.request('POST', `${authz}/subjectaccessreviews`, { spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /at least one of user or group must be specified/);
    const both = await server.request('POST', `${authz}/subjectaccessreviews`, { spec: { user: 'a', resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/x', verb: 'get' } } });
    assert.equal(both.status, 422);
    assert.equal(both.json.message, '.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes');
  });

  test('LocalSubjectAccessReview is bound to its namespace', async () => {
    const ok = await admin(server, 'POST', `${authz}/namespaces/dev/localsubjectaccessreviews`, { spec: { user: 'ivy', resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
    assert.equal(ok.status.allowed, true);
    const wrong = await server.request('POST', `${authz}/namespaces/dev/localsubjectaccessreviews`, { spec: { user: 'ivy', resourceAttributes: { namespace: 'other', verb: 'get', resource: 'pods' } } });
    assert.equal(wrong.status, 422);
    assert.match(wrong.json.message, /spec.resourceAttributes.namespace: Invalid value: "other": must match metadata.namespace/);
  });

  test('a user without SubjectAccessReview rights may still ask about itself', async () => {
    const ivy = testUser(server, 'ivy');
    const sar = await ivy.request('POST', `${authz}/subjectaccessreviews`, { spec: { user: 'ivy', resourceAttributes: { verb: 'get', resource: 'pods' } } });
    assert.equal(sar.status, 403);
    const self = await ivy.request('POST', `${authz}/selfsubjectaccessreviews`, { spec: { resourceAttributes: { namespace: 'dev', verb: 'get', resource: 'pods' } } });
    assert.equal(self.status, 201, self.text);
    assert.equal(self.json.status.allowed, true);
    const rules = await ivy.request('POST', `${authz}/selfsubjectrulesreviews`, { spec: { namespace: 'dev' } });
    assert.equal(rules.status, 201, rules.text);
    assert.ok(rules.json.status.resourceRules.some((r: { resources: string[]; verbs: string[] }) => r.resources.includes('pods') && r.verbs.includes('list')));
    assert.ok(rules.json.status.nonResourceRules.some((r: { nonResourceURLs: string[] }) => r.nonResourceURLs.includes('/version')));
    assert.equal(rules.json.status.incomplete, false);
  });

  test('kubectl auth can-i, --list and --as', async () => {
    const ivy = testUser(server, 'ivy');
    const asIvy = kubectlRunner(ivy.kubeconfig);
    const asAdmin = kubectlRunner(server.kubeconfig);
    const yes = await asIvy.run(['auth', 'can-i', 'list', 'pods', '-n', 'dev']);
    assert.equal(yes.stdout.trim(), 'yes', yes.stderr);
    const no = await asIvy.run(['auth', 'can-i', 'delete', 'pods', '-n', 'dev']);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    assert.equal((await asIvy.run(['auth', 'can-i', 'update', 'configmaps/app', '-n', 'dev'])).stdout.trim(), 'yes');
    assert.equal((await asIvy.run(['auth', 'can-i', 'update', 'configmaps/other', '-n', 'dev'])).stdout.trim(), 'no');
    assert.equal((await asIvy.run(['auth', 'can-i', 'get', '/version'])).stdout.trim(), 'yes');
    assert.equal((await asAdmin.run(['auth', 'can-i', '*', '*'])).stdout.trim(), 'yes');
    const as = await asAdmin.run(['auth', 'can-i', 'list', 'pods', '-n', 'dev', '--as', 'ivy']);
    assert.equal(as.stdout.trim(), 'yes', as.stderr);
    assert.equal((await asAdmin.run(['auth', 'can-i', 'list', 'secrets', '-n', 'dev', '--as', 'ivy'])).stdout.trim(), 'no');
    const list = await asIvy.run(['auth', 'can-i', '--list', '-n', 'dev']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
    assert.match(list.stdout, /^configmaps\s+\[\]\s+\[app\]\s+\[update\]$/m);
    assert.match(list.stdout, /selfsubjectaccessreviews.authorization.k8s.io/);
    const listAs = await asAdmin.run(['auth', 'can-i', '--list', '-n', 'dev', '--as', 'ivy']);
    assert.match(listAs.stdout, /^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
  });

  test('the Node authorizer: a kubelet reads what its pods use, and its own lease and node', async () => {
    await admin(server, 'POST', '/api/v1/namespaces/dev/secrets', { metadata: { name: 'used' }, data: {} });
    await admin(server, 'POST', '/api/v1/namespaces/dev/secrets', { metadata: { name: 'unused' }, data: {} });
    await admin(server, 'POST', '/api/v1/namespaces/dev/configmaps', { metadata: { name: 'env' }, data: {} });
    await admin(server, 'POST', '/api/v1/namespaces/dev/pods', {
      metadata: { name: 'web' },
      spec: {
        nodeName: 'n1',
        containers: [{ name: 'c', image: 'nginx', envFrom: [{ configMapRef: { name: 'env' } }] }],
        volumes: [{ name: 's', secret: { secretName: 'used' } }],
      },
    });
    const n1 = testUser(server, 'system:node:n1', ['system:nodes']);
    const n2 = testUser(server, 'system:node:n2', ['system:nodes']);
    await eventually(async () => (await n1.request('GET', '/api/v1/namespaces/dev/secrets/used')).status === 200, 'n1 reads its pod\'s secret');
    assert.equal((await n1.request('GET', '/api/v1/namespaces/dev/configmaps/env')).status, 200);
    const unused = await n1.request('GET', '/api/v1/namespaces/dev/secrets/unused');
    assert.equal(unused.status, 403);
    assert.equal(unused.json.message, 'secrets "unused" is forbidden: User "system:node:n1" cannot get resource "secrets" in API group "" in the namespace "dev": no relationship found between node \'n1\' and this object');
    assert.equal((await n2.request('GET', '/api/v1/namespaces/dev/secrets/used')).status, 403, 'another node');
    assert.equal((await n1.request('GET', '/api/v1/namespaces/dev/secrets')).status, 403, 'no list');
    assert.equal((await n1.request('GET', '/api/v1/namespaces/dev/pods')).status, 403, 'pods only by spec.nodeName (test/auth/node-authorizer.test.ts)');
    await admin(server, 'POST', '/api/v1/nodes', { metadata: { name: 'n2' } });
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n1' } };
    assert.equal((await n1.request('POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease)).status, 201);
    assert.equal((await n1.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1')).status, 200);
    const other = await n1.request('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2');
    assert.equal(other.status, 403);
    assert.match(other.json.message, /: can only access node lease with the same name as the requesting node$/);
    assert.equal((await n1.request('POST', '/apis/coordination.k8s.io/v1/namespaces/dev/leases', { ...lease, metadata: { name: 'x', namespace: 'dev' } })).status, 403);
    assert.equal((await n1.request('POST', '/api/v1/nodes', { metadata: { name: 'n1' } })).status, 201);
    assert.equal((await n1.request('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' })).status, 200);
    assert.equal((await n1.request('PATCH', '/api/v1/nodes/n2', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' })).status, 403);
    // A plain user in no group is not a node.
    const impostor = testUser(server, 'system:node:n1');
    assert.equal((await impostor.request('GET', '/api/v1/namespaces/dev/secrets/used')).status, 403);
  });
});

describe('--authorization-mode', () => {
  test('flags are validated together, as upstream', () => {
    assert.deepEqual(parseOptions([]).authorization.modes, ['Node', 'RBAC']);
    assert.throws(() => parseOptions(['--authorization-mode', 'RBAC,Bogus']), /authorization-mode "Bogus" is not a valid mode/);
    assert.throws(() => parseOptions(['--authorization-mode', 'RBAC,RBAC']), /"RBAC" is specified more than once/);
    assert.throws(() => parseOptions(['--authorization-mode', 'Webhook']), /authorization config file not passed/);
    assert.throws(() => parseOptions(['--authorization-webhook-config-file', '/x']), /without mode Webhook/);
    const o = parseOptions(['--authorization-mode', 'Webhook,RBAC', '--authorization-webhook-config-file', '/x', '--authorization-webhook-cache-authorized-ttl', '1m']);
    assert.equal(o.authorization.webhookCacheAuthorizedTTLSeconds, 60);
    assert.equal(o.authorization.webhookCacheUnauthorizedTTLSeconds, 30);
    assert.ok(parseOptions([]).controllers.includes('clusterrole-aggregation-controller'));
    assert.ok(!parseOptions(['--controllers', '*,-clusterrole-aggregation']).controllers.includes('clusterrole-aggregation-controller'));
  });

  test('AlwaysDeny refuses everyone but system:masters, with its reason', async (t) => {
    const server = await startServer({ args: ['--authorization-mode', 'AlwaysDeny'], t });
    const bob = testUser(server, 'bob');
    const res = await bob.request('GET', '/api/v1/namespaces');
    assert.equal(res.status, 403);
    assert.equal(res.json.message, 'namespaces is forbidden: User "bob" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.');
    assert.equal((await server.request('GET', '/api/v1/namespaces')).status, 200, 'system:masters');
  });
});
