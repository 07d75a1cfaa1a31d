/**
 * The collector keeps nothing that matters only in memory: after a restart on the same data dir its graph is
 * rebuilt from the stores, so dependents of an owner deleted while it was not running are collected, and owners
 * left terminating with `foregroundDeletion` or `orphan` are finished. Servers are stopped with SIGTERM mid-way.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { createConfigMap, eventually, namespace, ownerRef, paths, status, waitGone } from './helpers.ts';

const hold = 'example.com/hold';

describe('garbage collector: restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-gc-restart-'));
  let server: TestServer | undefined;
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const ns = 'gc-restart';
  const get = async (path: string) => (await server!.request('GET', path)).json;

  it('work left while the collector was off is done after a restart with it on', async () => {
    // First run without the collector: owners are deleted (or left terminating) and nothing follows.
    server = await startServer({ dataDir, args: ['--controllers=*,-garbage-collector-controller'] });
    const port = server.port;
    await namespace(server, ns);
    const gone = await createConfigMap(server, ns, 'gone-owner');
    for (const n of ['a', 'b', 'c']) await createConfigMap(server, ns, `gone-dep-${n}`, [ownerRef(gone)]);
    const fg = await createConfigMap(server, ns, 'fg-owner');
    await createConfigMap(server, ns, 'fg-dep', [ownerRef(fg, { blockOwnerDeletion: true })]);
    const orphaner = await createConfigMap(server, ns, 'orphan-owner');
    await createConfigMap(server, ns, 'orphan-dep', [ownerRef(orphaner)]);
    // DELETE with a propagation policy puts its finalizer on the owner, which then waits for the collector.
    for (const [name, propagationPolicy] of [['gone-owner', 'Background'], ['fg-owner', 'Foreground'], ['orphan-owner', 'Orphan']]) {
      const res = await server.request('DELETE', paths.configMap(ns, name), { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy });
      assert.equal(res.status, 200, res.text);
    }
    assert.equal(await status(server, paths.configMap(ns, 'gone-dep-a')), 200);
    assert.deepEqual((await get(paths.configMap(ns, 'fg-owner'))).metadata.finalizers, ['foregroundDeletion']);
    assert.deepEqual((await get(paths.configMap(ns, 'orphan-owner'))).metadata.finalizers, ['orphan']);
    await server.stop();

    server = await startServer({ dataDir, port });
    for (const n of ['a', 'b', 'c']) await waitGone(server, paths.configMap(ns, `gone-dep-${n}`));
    await waitGone(server, paths.configMap(ns, 'fg-dep'));
    await waitGone(server, paths.configMap(ns, 'fg-owner'));
    await waitGone(server, paths.configMap(ns, 'orphan-owner'));
    const orphan = await get(paths.configMap(ns, 'orphan-dep'));
    assert.equal(orphan.metadata.ownerReferences, undefined);
    assert.equal(orphan.metadata.deletionTimestamp, undefined);
  });

  it('a foreground deletion under way when the server stops finishes after the restart', async () => {
    const port = server!.port;
    const owner = await createConfigMap(server!, ns, 'waiting-owner');
    await createConfigMap(server!, ns, 'held-dep', [ownerRef(owner, { blockOwnerDeletion: true })], { finalizers: [hold] });
    // Many dependents, so the collector is mid-way through them when SIGTERM arrives.
    const bulk = await createConfigMap(server!, ns, 'bulk-owner');
    for (let i = 0; i < 40; i++) await createConfigMap(server!, ns, `bulk-${i}`, [ownerRef(bulk)]);
    assert.equal((await server!.request('DELETE', `${paths.configMap(ns, 'waiting-owner')}?propagationPolicy=Foreground`)).status, 200);
    await eventually('the held dependent to terminate', async () => ((await get(paths.configMap(ns, 'held-dep'))).metadata.deletionTimestamp ? true : undefined));
    assert.equal((await server!.request('DELETE', paths.configMap(ns, 'bulk-owner'))).status, 200);
    await server!.stop();

    server = await startServer({ dataDir, port });
    for (let i = 0; i < 40; i++) await waitGone(server, paths.configMap(ns, `bulk-${i}`));
    const owner2 = await get(paths.configMap(ns, 'waiting-owner'));
    assert.deepEqual(owner2.metadata.finalizers, ['foregroundDeletion']);
    const res = await server.request('PATCH', paths.configMap(ns, 'held-dep'), { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
    await waitGone(server, paths.configMap(ns, 'held-dep'));
    await waitGone(server, paths.configMap(ns, 'waiting-owner'));
  });
});
