/**
 * The built-in garbage collector can be switched off for a real kube-controller-manager: with
 * `--controllers=*,-garbage-collector-controller` (or its old name `garbagecollector`) or
 * `--enable-garbage-collector=false`, dependents of a deleted owner stay.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer } from '../support/server.ts';
import type { Teardown } from '../support/teardown.ts';
import { createConfigMap, namespace, ownerRef, paths, settle, status, waitGone } from './helpers.ts';

async function dependentOutlivesOwner(t: Teardown, args: string[], check?: (server: Awaited<ReturnType<typeof startServer>>) => Promise<void>): Promise<number> {
  const server = await startServer({ args, t });
  const kubectl = kubectlRunner(server.kubeconfig);
  await namespace(server, 'gc-off');
  const owner = await createConfigMap(server, 'gc-off', 'owner');
  await createConfigMap(server, 'gc-off', 'dependent', [ownerRef(owner)]);
  const out = await kubectl.run(['delete', 'configmap', 'owner', '-n', 'gc-off', '--cascade=background']);
  assert.equal(out.code, 0, out.stderr);
  await settle(3000);
  await check?.(server);
  return await status(server, paths.configMap('gc-off', 'dependent'));
}

describe('garbage collector: switched off', () => {
  it('--controllers=*,-garbage-collector-controller leaves dependents alone, and serves no debug graph', async (t) => {
    const noGraph = async (server: Awaited<ReturnType<typeof startServer>>) => {
      const res = await server.request('GET', '/debug/controllers/garbagecollector/graph');
      assert.equal(res.status, 404);
      assert.equal(res.text, 'the garbage collector is not running on this server\n');
    };
    assert.equal(await dependentOutlivesOwner(t, ['--controllers=*,-garbage-collector-controller'], noGraph), 200);
  });

  it('--controllers=*,-garbagecollector (the old name) leaves dependents alone', async (t) => {
    assert.equal(await dependentOutlivesOwner(t, ['--controllers=*,-garbagecollector']), 200);
  });

  it('--enable-garbage-collector=false leaves dependents alone, and deletes add no orphan/foregroundDeletion finalizers', async (t) => {
    const finalizersAdded = async (server: Awaited<ReturnType<typeof startServer>>) => {
      for (const policy of ['Orphan', 'Foreground']) {
        await createConfigMap(server, 'gc-off', `by-${policy.toLowerCase()}`);
        const res = await server.request('DELETE', `${paths.configMap('gc-off', `by-${policy.toLowerCase()}`)}?propagationPolicy=${policy}`);
        assert.equal(res.status, 200, res.text);
        assert.equal(await status(server, paths.configMap('gc-off', `by-${policy.toLowerCase()}`)), 404, `${policy}: deleted at once, as kube-apiserver without garbage collection`);
      }
    };
    assert.equal(await dependentOutlivesOwner(t, ['--enable-garbage-collector=false'], finalizersAdded), 200);
  });

  it('with only the controller off (a kube-controller-manager collects), deletes still add the finalizers', async (t) => {
    const finalizerKept = async (server: Awaited<ReturnType<typeof startServer>>) => {
      await createConfigMap(server, 'gc-off', 'by-orphan');
      const res = await server.request('DELETE', `${paths.configMap('gc-off', 'by-orphan')}?propagationPolicy=Orphan`);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
      assert.ok(res.json.metadata.deletionTimestamp);
    };
    assert.equal(await dependentOutlivesOwner(t, ['--controllers=*,-garbage-collector-controller'], finalizerKept), 200);
  });

  it('--enable-garbage-collector (true) with --concurrent-gc-syncs=1 collects', async (t) => {
    const server = await startServer({ args: ['--enable-garbage-collector', '--concurrent-gc-syncs=1'], t });
    await namespace(server, 'gc-on');
    const owner = await createConfigMap(server, 'gc-on', 'owner');
    await createConfigMap(server, 'gc-on', 'dependent', [ownerRef(owner)]);
    assert.equal((await server.request('DELETE', paths.configMap('gc-on', 'owner'))).status, 200);
    await waitGone(server, paths.configMap('gc-on', 'dependent'));
  });
});
