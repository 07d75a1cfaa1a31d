/**
 * RBAC subjects on the wire as upstream serves them: a ServiceAccount subject has no `apiGroup` (Go's omitempty
 * hides the core group's empty name), Users and Groups get rbac.authorization.k8s.io; a ServiceAccount bound that
 * way is still authorized.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('RBAC subjects on the wire', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  test('ServiceAccount subjects are served without apiGroup, whether sent empty or not at all', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    assert.equal((await kubectl.run(['create', 'serviceaccount', 'robot'])).code, 0);
    const made = await kubectl.run(['create', 'rolebinding', 'rb', '--clusterrole=view', '--serviceaccount=default:robot', '--user=alice', '--group=devs']);
    assert.equal(made.code, 0, made.stderr);
    const rb = (await server.request('GET', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/rb')).json;
    assert.deepEqual(rb.subjects, [
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'default' },
    ]);
    const explicit = await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'crb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', apiGroup: '', name: 'robot', namespace: 'default' }],
    });
    assert.equal(explicit.status, 201, explicit.text);
    assert.deepEqual(explicit.json.subjects, [{ kind: 'ServiceAccount', name: 'robot', namespace: 'default' }]);
    const yaml = await kubectl.run(['get', 'clusterrolebinding', 'crb', '-o', 'yaml']);
    assert.doesNotMatch(yaml.stdout, /apiGroup: ""/);
    // The binding still grants: the account can list pods cluster-wide through `view`.
    await eventually(async () => (await kubectl.run(['auth', 'can-i', 'list', 'pods', '-A', '--as', 'system:serviceaccount:default:robot'])).stdout.trim() === 'yes', 'robot may list pods');
  });
});
