/**
 * Foreground and orphan deletion as the collector carries them out, driven by the `foregroundDeletion` and `orphan`
 * finalizers on a terminating owner (what DELETE with propagationPolicy Foreground / Orphan puts there): a
 * foreground owner stays until no dependent with blockOwnerDeletion is left; an orphaning owner goes after its
 * dependents' references to it are removed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { create, createConfigMap, deployment, eventually, namespace, ownerRef, paths, settle, status, waitGone } from './helpers.ts';

const hold = 'example.com/hold';

describe('garbage collector: foreground and orphan finalizers', () => {
  let server: TestServer;
  const ns = 'gc-finalizers';
  before(async () => {
    server = await startServer();
    await namespace(server, ns);
  });
  after(async () => server?.stop());

  const get = async (path: string) => (await server.request('GET', path)).json;
  const releaseHold = async (path: string) => {
    const res = await server.request('PATCH', path, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
  };

  it('a foreground owner waits for its blocking dependent, which is deleted first, then goes', async () => {
    const owner = await create(server, `/apis/apps/v1/namespaces/${ns}/deployments`, { ...deployment('fg'), metadata: { name: 'fg', finalizers: ['foregroundDeletion'] } });
    await createConfigMap(server, ns, 'fg-blocking', [ownerRef(owner, { blockOwnerDeletion: true })], { finalizers: [hold] });
    await createConfigMap(server, ns, 'fg-plain', [ownerRef(owner)]);
    assert.equal((await server.request('DELETE', paths.deployment(ns, 'fg'))).status, 200);
    // The blocking dependent is deleted (it only terminates: it has a finalizer of its own) and the owner waits.
    await eventually('the blocking dependent to terminate', async () => ((await get(paths.configMap(ns, 'fg-blocking'))).metadata.deletionTimestamp ? true : undefined));
    await waitGone(server, paths.configMap(ns, 'fg-plain'));
    await settle(1500);
    const waiting = await get(paths.deployment(ns, 'fg'));
    assert.ok(waiting.metadata.deletionTimestamp);
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    await releaseHold(paths.configMap(ns, 'fg-blocking'));
    await waitGone(server, paths.configMap(ns, 'fg-blocking'));
    await waitGone(server, paths.deployment(ns, 'fg'));
  });

  it('a dependent without blockOwnerDeletion is deleted but does not hold the foreground owner', async () => {
    const owner = await createConfigMap(server, ns, 'fg-owner-2', [], { finalizers: ['foregroundDeletion'] });
    await createConfigMap(server, ns, 'fg-nonblocking', [ownerRef(owner, { blockOwnerDeletion: false })], { finalizers: [hold] });
    assert.equal((await server.request('DELETE', paths.configMap(ns, 'fg-owner-2'))).status, 200);
    await waitGone(server, paths.configMap(ns, 'fg-owner-2'));
    const dep = await eventually('the non-blocking dependent to terminate', async () => {
      const d = await get(paths.configMap(ns, 'fg-nonblocking'));
      return d.metadata.deletionTimestamp ? d : undefined;
    });
    assert.deepEqual(dep.metadata.finalizers, [hold]);
    await releaseHold(paths.configMap(ns, 'fg-nonblocking'));
    await waitGone(server, paths.configMap(ns, 'fg-nonblocking'));
  });

  it('a dependent of a foreground owner that has another, solid owner loses the reference and stays', async () => {
    const going = await createConfigMap(server, ns, 'fg-going', [], { finalizers: ['foregroundDeletion'] });
    const staying = await createConfigMap(server, ns, 'fg-staying');
    await createConfigMap(server, ns, 'fg-shared', [ownerRef(going, { blockOwnerDeletion: true }), ownerRef(staying)]);
    assert.equal((await server.request('DELETE', paths.configMap(ns, 'fg-going'))).status, 200);
    await waitGone(server, paths.configMap(ns, 'fg-going'));
    const shared = await get(paths.configMap(ns, 'fg-shared'));
    assert.deepEqual(shared.metadata.ownerReferences, [ownerRef(staying)]);
    assert.equal(shared.metadata.deletionTimestamp, undefined);
  });

  it('an orphaning owner has its references removed from every dependent, then goes; the dependents stay', async () => {
    const owner = await createConfigMap(server, ns, 'orphaner', [], { finalizers: ['orphan'] });
    const other = await createConfigMap(server, ns, 'other-owner');
    await createConfigMap(server, ns, 'orphan-1', [ownerRef(owner, { controller: true, blockOwnerDeletion: true })]);
    await createConfigMap(server, ns, 'orphan-2', [ownerRef(owner), ownerRef(other)]);
    assert.equal((await server.request('DELETE', paths.configMap(ns, 'orphaner'))).status, 200);
    await waitGone(server, paths.configMap(ns, 'orphaner'));
    assert.equal((await get(paths.configMap(ns, 'orphan-1'))).metadata.ownerReferences, undefined);
    assert.deepEqual((await get(paths.configMap(ns, 'orphan-2'))).metadata.ownerReferences, [ownerRef(other)]);
    await settle(1500);
    assert.equal(await status(server, paths.configMap(ns, 'orphan-1')), 200);
    assert.equal(await status(server, paths.configMap(ns, 'orphan-2')), 200);
  });

  it('an owner holding other finalizers too keeps them: only foregroundDeletion is removed', async () => {
    const owner = await createConfigMap(server, ns, 'fg-more', [], { finalizers: ['foregroundDeletion', hold] });
    await createConfigMap(server, ns, 'fg-more-dep', [ownerRef(owner, { blockOwnerDeletion: true })]);
    assert.equal((await server.request('DELETE', paths.configMap(ns, 'fg-more'))).status, 200);
    await waitGone(server, paths.configMap(ns, 'fg-more-dep'));
    const left = await eventually('foregroundDeletion to be removed', async () => {
      const o = await get(paths.configMap(ns, 'fg-more'));
      return o.metadata.finalizers?.length === 1 ? o : undefined;
    });
    assert.deepEqual(left.metadata.finalizers, [hold]);
    await releaseHold(paths.configMap(ns, 'fg-more'));
    await waitGone(server, paths.configMap(ns, 'fg-more'));
  });
});
