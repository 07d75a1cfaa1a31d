/**
 * `kubectl delete --cascade=foreground|orphan|background` end to end: the registry sets the finalizers the policy
 * asks for, and the collector carries them out; kubectl waits for the owner to go and prints upstream's text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { chain, createConfigMap, eventually, namespace, ownerRef, paths, settle, status, waitGone } from './helpers.ts';

describe('garbage collector: kubectl delete --cascade', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ns = 'gc-cascade';
  const get = async (path: string) => (await server.request('GET', path)).json;
  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
    await namespace(server, ns);
  });
  after(async () => server?.stop());

  it('--cascade=foreground: kubectl returns once the Deployment is gone, and by then its ReplicaSet and Pod are gone too', async () => {
    const { rs, pod } = await chain(server, ns, 'fg');
    const out = await kubectl.run(['delete', 'deployment', 'fg', '-n', ns, '--cascade=foreground']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'deployment.apps "fg" deleted\n');
    assert.equal(await status(server, paths.deployment(ns, 'fg')), 404);
    assert.equal(await status(server, paths.replicaSet(ns, rs.metadata.name)), 404);
    assert.equal(await status(server, paths.pod(ns, pod.metadata.name)), 404);
  });

  it('--cascade=foreground shows the owner and the middle of the chain terminating while the last dependent holds on', async () => {
    const { rs, pod } = await chain(server, ns, 'held');
    const patched = await server.request('PATCH', paths.pod(ns, pod.metadata.name), { metadata: { finalizers: ['example.com/hold'] } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    const out = await kubectl.run(['delete', 'deployment', 'held', '-n', ns, '--cascade=foreground', '--wait=false']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'deployment.apps "held" deleted\n');
    await eventually('the pod to terminate', async () => ((await get(paths.pod(ns, pod.metadata.name))).metadata.deletionTimestamp ? true : undefined));
    await settle(1000);
    const finalizers = await kubectl.run(['get', 'deployment/held', 'replicaset/held-rs', '-n', ns, '-o', 'jsonpath={range .items[*]}{.kind} {.metadata.finalizers}{"\\n"}{end}']);
    assert.equal(finalizers.stdout, 'Deployment ["foregroundDeletion"]\nReplicaSet ["foregroundDeletion"]\n');
    const released = await server.request('PATCH', paths.pod(ns, pod.metadata.name), { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(released.status, 200, released.text);
    await waitGone(server, paths.pod(ns, pod.metadata.name));
    await waitGone(server, paths.replicaSet(ns, rs.metadata.name));
    await waitGone(server, paths.deployment(ns, 'held'));
  });

  it('--cascade=orphan: the Deployment goes, its ReplicaSet stays without the reference, the Pod keeps its owner', async () => {
    const { rs, pod } = await chain(server, ns, 'orph');
    const out = await kubectl.run(['delete', 'deployment', 'orph', '-n', ns, '--cascade=orphan']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'deployment.apps "orph" deleted\n');
    assert.equal(await status(server, paths.deployment(ns, 'orph')), 404);
    const left = await get(paths.replicaSet(ns, rs.metadata.name));
    assert.equal(left.metadata.ownerReferences, undefined);
    assert.equal(left.metadata.deletionTimestamp, undefined);
    await settle(1500);
    const p = await get(paths.pod(ns, pod.metadata.name));
    assert.deepEqual(p.metadata.ownerReferences, [ownerRef(rs, { controller: true, blockOwnerDeletion: true })]);
  });

  it('ConfigMap owners: --cascade=orphan keeps the dependents, --cascade=foreground and background take them', async () => {
    for (const policy of ['orphan', 'foreground', 'background']) {
      const owner = await createConfigMap(server, ns, `owner-${policy}`);
      await createConfigMap(server, ns, `dep-${policy}`, [ownerRef(owner, { blockOwnerDeletion: true })]);
      const out = await kubectl.run(['delete', 'configmap', `owner-${policy}`, '-n', ns, `--cascade=${policy}`]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, `configmap "owner-${policy}" deleted\n`);
      assert.equal(await status(server, paths.configMap(ns, `owner-${policy}`)), 404);
    }
    // Foreground: gone before the owner was; background: collected after.
    assert.equal(await status(server, paths.configMap(ns, 'dep-foreground')), 404);
    await waitGone(server, paths.configMap(ns, 'dep-background'));
    const orphan = await get(paths.configMap(ns, 'dep-orphan'));
    assert.equal(orphan.metadata.ownerReferences, undefined);
  });

  it('--cascade=orphan with kubectl delete of several owners at once', async () => {
    const a = await createConfigMap(server, ns, 'multi-a');
    const b = await createConfigMap(server, ns, 'multi-b');
    await createConfigMap(server, ns, 'multi-dep', [ownerRef(a), ownerRef(b)]);
    const out = await kubectl.run(['delete', 'configmap', 'multi-a', 'multi-b', '-n', ns, '--cascade=orphan']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'configmap "multi-a" deleted\nconfigmap "multi-b" deleted\n');
    const dep = await get(paths.configMap(ns, 'multi-dep'));
    assert.equal(dep.metadata.ownerReferences, undefined);
  });

  it('--cascade=foreground through a cycle of blocking references finishes (the dependent\'s references are made non-blocking)', async () => {
    const a = await createConfigMap(server, ns, 'cycle-a');
    const b = await createConfigMap(server, ns, 'cycle-b', [ownerRef(a, { blockOwnerDeletion: true })]);
    const patched = await server.request('PATCH', paths.configMap(ns, 'cycle-a'), { metadata: { ownerReferences: [ownerRef(b, { blockOwnerDeletion: true })] } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    const out = await kubectl.run(['delete', 'configmap', 'cycle-a', '-n', ns, '--cascade=foreground', '--timeout=30s']);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.stdout, 'configmap "cycle-a" deleted\n');
    await waitGone(server, paths.configMap(ns, 'cycle-b'));
  });
});
