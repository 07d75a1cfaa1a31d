/**
 * Background cascading deletion by the built-in garbage collector: dependents of a deleted owner are deleted once
 * every owner they name is gone; owners still present keep them (and references to gone owners are dropped);
 * references to owners that never existed, or exist with another uid, or live in another namespace, are dangling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { chain, create, createConfigMap, eventually, namespace, ownerRef, paths, settle, status, waitGone } from './helpers.ts';

describe('garbage collector: background deletion', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ns = 'gc-background';
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
    await namespace(server, ns);
  });
  after(async () => server?.stop());

  it('kubectl delete --cascade=background of a Deployment collects its ReplicaSet, then the ReplicaSet\'s Pod', async () => {
    const { rs, pod } = await chain(server, ns, 'web');
    const out = await kubectl.run(['delete', 'deployment', 'web', '-n', ns, '--cascade=background']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'deployment.apps "web" deleted\n');
    await waitGone(server, paths.replicaSet(ns, rs.metadata.name));
    await waitGone(server, paths.pod(ns, pod.metadata.name));
  });

  it('kubectl delete (background is the default) of a ConfigMap owner collects its dependents, and not unrelated objects', async () => {
    const owner = await createConfigMap(server, ns, 'owner');
    await createConfigMap(server, ns, 'dep-1', [ownerRef(owner)]);
    await createConfigMap(server, ns, 'dep-2', [ownerRef(owner, { controller: true })]);
    await createConfigMap(server, ns, 'bystander');
    const out = await kubectl.run(['delete', 'configmap', 'owner', '-n', ns]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'configmap "owner" deleted\n');
    await waitGone(server, paths.configMap(ns, 'dep-1'));
    await waitGone(server, paths.configMap(ns, 'dep-2'));
    assert.equal(await status(server, paths.configMap(ns, 'bystander')), 200);
  });

  it('a dependent with two owners loses the reference to the deleted one and stays, then goes with the second', async () => {
    const a = await createConfigMap(server, ns, 'owner-a');
    const b = await createConfigMap(server, ns, 'owner-b');
    await createConfigMap(server, ns, 'shared', [ownerRef(a), ownerRef(b)]);
    assert.equal((await kubectl.run(['delete', 'configmap', 'owner-a', '-n', ns])).code, 0);
    const refs = await eventually('the reference to owner-a to be removed', async () => {
      const cm = (await server.request('GET', paths.configMap(ns, 'shared'))).json;
      return cm.metadata.ownerReferences?.length === 1 ? cm.metadata.ownerReferences : undefined;
    });
    assert.deepEqual(refs, [ownerRef(b)]);
    await settle(1000);
    assert.equal(await status(server, paths.configMap(ns, 'shared')), 200);
    assert.equal((await kubectl.run(['delete', 'configmap', 'owner-b', '-n', ns])).code, 0);
    await waitGone(server, paths.configMap(ns, 'shared'));
  });

  it('collects a dependent whose owner never existed, or exists under the same name with another uid', async () => {
    await createConfigMap(server, ns, 'orphan-of-nothing', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'never-there', uid: '0b5a6a5c-0000-4000-8000-000000000001' }]);
    const real = await createConfigMap(server, ns, 'same-name');
    await createConfigMap(server, ns, 'wrong-uid', [{ ...ownerRef(real), uid: '0b5a6a5c-0000-4000-8000-000000000002' }]);
    await waitGone(server, paths.configMap(ns, 'orphan-of-nothing'));
    await waitGone(server, paths.configMap(ns, 'wrong-uid'));
    assert.equal(await status(server, paths.configMap(ns, 'same-name')), 200);
  });

  it('of two dependents naming the same owner uid, the one with the wrong kind is collected and the right one stays', async () => {
    const owner = await createConfigMap(server, ns, 'real-owner');
    await createConfigMap(server, ns, 'wrong-kind', [{ ...ownerRef(owner), kind: 'Secret' }]);
    await createConfigMap(server, ns, 'right-kind', [ownerRef(owner)]);
    await waitGone(server, paths.configMap(ns, 'wrong-kind'));
    await settle(1000);
    assert.equal(await status(server, paths.configMap(ns, 'right-kind')), 200);
    assert.equal(await status(server, paths.configMap(ns, 'real-owner')), 200);
  });

  it('a cluster-scoped owner (ClusterRole) owns namespaced dependents', async () => {
    const role = await create(server, '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-owner-role' }, rules: [] });
    await createConfigMap(server, ns, 'owned-by-cluster-role', [ownerRef(role)]);
    await settle(1000);
    assert.equal(await status(server, paths.configMap(ns, 'owned-by-cluster-role')), 200);
    assert.equal((await kubectl.run(['delete', 'clusterrole', 'gc-owner-role'])).code, 0);
    await waitGone(server, paths.configMap(ns, 'owned-by-cluster-role'));
  });

  it('an owner reference to an object in another namespace is dangling, and a warning event says so', async () => {
    await namespace(server, 'gc-elsewhere');
    const owner = await createConfigMap(server, 'gc-elsewhere', 'far-owner');
    const dep = await createConfigMap(server, ns, 'cross-namespace', [ownerRef(owner)]);
    await waitGone(server, paths.configMap(ns, 'cross-namespace'));
    assert.equal(await status(server, paths.configMap('gc-elsewhere', 'far-owner')), 200);
    const event = await eventually('an OwnerRefInvalidNamespace event', async () => {
      const list = (await server.request('GET', `/api/v1/namespaces/${ns}/events`)).json;
      return list.items.find((e: any) => e.reason === 'OwnerRefInvalidNamespace' && e.involvedObject.uid === dep.metadata.uid); // eslint-disable-line @typescript-eslint/no-explicit-any
    });
    assert.equal(event.type, 'Warning');
    assert.equal(event.source.component, 'garbage-collector-controller');
    assert.equal(event.message, `ownerRef [v1/ConfigMap, namespace: ${ns}, name: far-owner, uid: ${owner.metadata.uid}] does not exist in namespace "${ns}"`);
  });

  it('a cluster-scoped dependent naming a namespaced owner kind is left alone', async () => {
    const owner = await createConfigMap(server, ns, 'namespaced-owner');
    await create(server, '/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-invalid-dependent', ownerReferences: [ownerRef(owner)] }, rules: [] });
    assert.equal((await kubectl.run(['delete', 'configmap', 'namespaced-owner', '-n', ns])).code, 0);
    await settle();
    assert.equal(await status(server, '/apis/rbac.authorization.k8s.io/v1/clusterroles/gc-invalid-dependent'), 200);
  });

  it('a dependent whose owner is of a kind nothing serves is left alone', async () => {
    await createConfigMap(server, ns, 'unknown-kind-owner', [{ apiVersion: 'nothing.example.com/v1', kind: 'Nope', name: 'n', uid: '0b5a6a5c-0000-4000-8000-000000000003' }]);
    await settle();
    assert.equal(await status(server, paths.configMap(ns, 'unknown-kind-owner')), 200);
  });

  it('/metrics shows the collector\'s queues and resource sync errors, with upstream\'s names', async () => {
    const text = (await server.request('GET', '/metrics')).text;
    const adds = /^workqueue_adds_total\{name="garbage_collector_attempt_to_delete"\} (\d+)$/m.exec(text);
    assert.ok(adds && Number(adds[1]) > 0, 'attempt-to-delete adds are counted');
    assert.match(text, /^workqueue_depth\{name="garbage_collector_attempt_to_delete"\} \d+$/m);
    assert.match(text, /^garbagecollector_controller_resources_sync_error_total 0$/m);
  });
});
