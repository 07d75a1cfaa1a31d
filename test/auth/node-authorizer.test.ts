/**
 * The Node authorizer's rules beyond secrets and leases (authorization.test.ts): service-account tokens only for
 * the accounts of the node's pods, pods listed and watched only with `spec.nodeName=<node>`, and nodes read only
 * by themselves, each refusal in upstream's words.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { testUser, type TestUser } from '../support/users.ts';

describe('Node authorizer: tokens, pods, nodes', () => {
  let server: TestServer;
  let n1: TestUser;
  let n2: TestUser;
  before(async () => {
    server = await startServer();
    const ok = async (method: string, path: string, body: unknown) => assert.ok((await server.request(method, path, body)).status < 300, path);
    await ok('POST', '/api/v1/namespaces', { metadata: { name: 'apps' } });
    await ok('POST', '/api/v1/namespaces/apps/serviceaccounts', { metadata: { name: 'robot' } });
    await ok('POST', '/api/v1/namespaces/apps/serviceaccounts', { metadata: { name: 'other' } });
    await ok('POST', '/api/v1/namespaces/apps/pods', { metadata: { name: 'p1' }, spec: { nodeName: 'n1', serviceAccountName: 'robot', containers: [{ name: 'c', image: 'nginx' }] } });
    await ok('POST', '/api/v1/namespaces/apps/pods', { metadata: { name: 'p2' }, spec: { nodeName: 'n2', serviceAccountName: 'other', containers: [{ name: 'c', image: 'nginx' }] } });
    await ok('POST', '/api/v1/nodes', { metadata: { name: 'n1' } });
    await ok('POST', '/api/v1/nodes', { metadata: { name: 'n2' } });
    n1 = testUser(server, 'system:node:n1', ['system:nodes']);
    n2 = testUser(server, 'system:node:n2', ['system:nodes']);
  });
  after(async () => server?.stop());

  test('a token only for the service account of a pod on the node', async () => {
    const req = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['https://kubernetes.default.svc.cluster.local'] } };
    let res = await n1.request('POST', '/api/v1/namespaces/apps/serviceaccounts/robot/token', req);
    await eventually(async () => (res = await n1.request('POST', '/api/v1/namespaces/apps/serviceaccounts/robot/token', req)).status === 201, 'n1 gets robot\'s token');
    assert.ok(res.json.status.token);
    const other = await n1.request('POST', '/api/v1/namespaces/apps/serviceaccounts/other/token', req);
    assert.equal(other.status, 403);
    assert.equal(other.json.message, 'serviceaccounts "other" is forbidden: User "system:node:n1" cannot create resource "serviceaccounts/token" in API group "" in the namespace "apps": no relationship found between node \'n1\' and this object');
    assert.equal((await n2.request('POST', '/api/v1/namespaces/apps/serviceaccounts/other/token', req)).status, 201);
    // Reading the account itself is not part of it.
    const get = await n1.request('GET', '/api/v1/namespaces/apps/serviceaccounts/robot');
    assert.equal(get.status, 403);
    assert.match(get.json.message, /: can only create tokens for individual service accounts$/);
  });

  test('pods: list and watch with spec.nodeName=<node>, get only its own', async () => {
    const sel = (node: string) => `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
    let list = await n1.request('GET', `/api/v1/pods?${sel('n1')}`);
    await eventually(async () => (list = await n1.request('GET', `/api/v1/pods?${sel('n1')}`)).status === 200, 'n1 lists its pods');
    assert.deepEqual(list.json.items.map((p: { metadata: { name: string } }) => p.metadata.name), ['p1']);
    const all = await n1.request('GET', '/api/v1/pods');
    assert.equal(all.status, 403);
    assert.equal(all.json.message, 'pods is forbidden: User "system:node:n1" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector');
    assert.equal((await n1.request('GET', `/api/v1/pods?${sel('n2')}`)).status, 403, 'another node\'s pods');
    assert.equal((await n1.request('GET', `/api/v1/pods?watch=true&timeoutSeconds=1&${sel('n1')}`)).status, 200);
    assert.equal((await n1.request('GET', '/api/v1/namespaces/apps/pods/p1')).status, 200);
    const p2 = await n1.request('GET', '/api/v1/namespaces/apps/pods/p2');
    assert.equal(p2.status, 403);
    assert.match(p2.json.message, /: no relationship found between node 'n1' and this object$/);
    // kubectl as the node: the same field selector.
    const kubectl = kubectlRunner(n1.kubeconfig);
    const got = await kubectl.run(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=n1', '-o', 'name']);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout.trim(), 'pod/p1');
    const denied = await kubectl.run(['get', 'pods', '-A']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /can only list\/watch pods with spec\.nodeName field selector/);
  });

  test('nodes: a kubelet reads only its own Node', async () => {
    await eventually(async () => (await n1.request('GET', '/api/v1/nodes/n1')).status === 200, 'n1 reads itself');
    const other = await n1.request('GET', '/api/v1/nodes/n2');
    assert.equal(other.status, 403);
    assert.match(other.json.message, /: node 'n1' cannot read 'n2', only its own Node object$/);
    const all = await n1.request('GET', '/api/v1/nodes');
    assert.equal(all.status, 403);
    assert.match(all.json.message, /: node 'n1' cannot read all nodes, only its own Node object$/);
    // A list or watch pinned by metadata.name is authorized for that name (how kubelets watch their Node).
    const own = await n1.request('GET', `/api/v1/nodes?fieldSelector=${encodeURIComponent('metadata.name=n1')}`);
    assert.equal(own.status, 200);
    assert.deepEqual(own.json.items.map((n: { metadata: { name: string } }) => n.metadata.name), ['n1']);
    assert.equal((await n1.request('GET', `/api/v1/nodes?watch=1&timeoutSeconds=1&fieldSelector=${encodeURIComponent('metadata.name=n1')}`)).status, 200);
    assert.equal((await n1.request('GET', `/api/v1/nodes?fieldSelector=${encodeURIComponent('metadata.name=n2')}`)).status, 403);
  });
});
