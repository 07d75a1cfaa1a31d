/**
 * The generated typed client against the real server: a Clientset built from the server's admin kubeconfig
 * drives ConfigMaps (namespaced) and Namespaces (cluster-scoped) through every verb, watches writes as they
 * happen, and sees the server's failures as APIErrors carrying its Status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Clientset } from '../../generated/client.ts';
import type { ConfigMap, ConfigMapList, Namespace } from '../../generated/core/v1/types.ts';
import { APIError, isNotFound } from '../../runtime/client/errors.ts';
import type { ResourceClient } from '../../runtime/client/resource.ts';
import type { Watch, WatchEvent } from '../../runtime/client/watch.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** Compile-time only (never called): the server's types flow through the client, and misuse does not compile. */
export async function typesFlow(client: Clientset): Promise<void> {
  const cm: ConfigMap = await client.coreV1().configMaps('default').get('x');
  const list: ConfigMapList = await client.coreV1().configMaps('default').list();
  const items: ConfigMap[] = list.items;
  const ns: Namespace = await client.coreV1().namespaces().get('x');
  const phase: string | undefined = ns.status?.phase;
  const rc: ResourceClient<ConfigMap, ConfigMapList> = client.coreV1().configMaps('');
  // @ts-expect-error ConfigMap has no spec
  void cm.spec;
  // @ts-expect-error data holds strings
  await client.coreV1().configMaps('default').create({ metadata: { name: 'x' }, data: { a: 1 } });
  // @ts-expect-error namespaces are cluster-scoped: no namespace argument
  client.coreV1().namespaces('default');
  // @ts-expect-error configMaps are namespaced: a namespace is required
  client.coreV1().configMaps();
  for await (const ev of await rc.watch()) {
    const e: WatchEvent<ConfigMap> = ev;
    if (e.type !== 'ERROR') void e.object.data;
  }
  void [items, phase];
}

/** Expects `p` to reject with an APIError of this code and reason; returns it for further checks. */
async function rejectsWith(p: Promise<unknown>, code: number, reason: string): Promise<APIError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof APIError, `expected an APIError, got ${e}`);
    assert.equal(e.code, code, e.message);
    assert.equal(e.reason, reason, e.message);
    assert.equal(e.status.kind, 'Status');
    assert.equal(e.status.status, 'Failure');
    assert.ok(e.message.length > 0);
    return e;
  }
  assert.fail(`expected a ${code} ${reason}, but the request succeeded`);
}

/** Takes events until `count` have been seen (or fails after `timeoutMs`). */
async function take<T>(watch: Watch<T>, count: number, timeoutMs = 10_000): Promise<WatchEvent<T>[]> {
  const events: WatchEvent<T>[] = [];
  const timer = setTimeout(() => watch.close(), timeoutMs);
  try {
    for await (const ev of watch) {
      events.push(ev);
      if (events.length === count) break;
    }
  } finally {
    clearTimeout(timer);
  }
  assert.equal(events.length, count, `saw ${events.length} of ${count} events: ${JSON.stringify(events.map((e) => e.type))}`);
  return events;
}

describe('typed client (generated Clientset) against the server', () => {
  let server: TestServer;
  let client: Clientset;
  before(async () => {
    server = await startServer();
    client = Clientset.fromKubeconfig(server.kubeconfig);
  });
  after(async () => {
    client?.close();
    await server?.stop();
  });

  it('ConfigMaps: create, get, list by label, update, merge patch, delete', async () => {
    const cms = client.coreV1().configMaps('default');
    const created = await cms.create({ metadata: { name: 'crud', labels: { app: 'typed' } }, data: { a: '1' } });
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(created.apiVersion, 'v1');
    assert.equal(created.metadata?.namespace, 'default');
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    await cms.create({ metadata: { name: 'other', labels: { app: 'unrelated' } } });

    const got = await cms.get('crud');
    assert.deepEqual(got.data, { a: '1' });
    assert.equal(got.metadata?.uid, created.metadata?.uid);

    const list = await cms.list({ labelSelector: 'app=typed' });
    assert.equal(list.kind, 'ConfigMapList');
    assert.ok(list.metadata?.resourceVersion);
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['crud']);
    const byField = await cms.list({ fieldSelector: 'metadata.name=other' });
    assert.deepEqual(byField.items.map((i) => i.metadata?.name), ['other']);

    const updated = await cms.update({ ...got, data: { a: '2', b: '3' } });
    assert.deepEqual(updated.data, { a: '2', b: '3' });
    assert.notEqual(updated.metadata?.resourceVersion, got.metadata?.resourceVersion);

    const patched = await cms.patch('crud', { data: { b: null, c: '4' } }, 'merge');
    assert.deepEqual(patched.data, { a: '2', c: '4' });
    const jsonPatched = await cms.patch('crud', [{ op: 'replace', path: '/data/a', value: '5' }], 'json');
    assert.deepEqual(jsonPatched.data, { a: '5', c: '4' });
    const strategic = await cms.patch('crud', { metadata: { labels: { tier: 'x' } } }, 'strategic');
    assert.deepEqual(strategic.metadata?.labels, { app: 'typed', tier: 'x' });

    const deleted = await cms.delete('crud');
    assert.equal(deleted.kind, 'Status');
    await rejectsWith(cms.get('crud'), 404, 'NotFound');
    await cms.delete('other');
  });

  it('ConfigMaps: pages with limit/continue and lists across all namespaces', async () => {
    const cms = client.coreV1().configMaps('default');
    for (const n of ['page-a', 'page-b', 'page-c']) await cms.create({ metadata: { name: n, labels: { paged: 'yes' } } });
    const first = await cms.list({ labelSelector: 'paged=yes', limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata?.continue);
    const second = await cms.list({ labelSelector: 'paged=yes', limit: 2, continue: first.metadata.continue });
    assert.deepEqual([...first.items, ...second.items].map((i) => i.metadata?.name), ['page-a', 'page-b', 'page-c']);
    assert.ok(!second.metadata?.continue);

    const everywhere = await client.coreV1().configMaps('').list({ labelSelector: 'paged=yes' });
    assert.equal(everywhere.items.length, 3);
    assert.throws(() => client.coreV1().configMaps('').get('page-a'), /namespaced: give a namespace/);
    for (const n of ['page-a', 'page-b', 'page-c']) await cms.delete(n);
  });

  it('Namespaces (cluster-scoped): create, get, list by label, update, merge patch, delete', async () => {
    const namespaces = client.coreV1().namespaces();
    const created = await namespaces.create({ metadata: { name: 'typed-ns', labels: { suite: 'typed' } } });
    assert.equal(created.kind, 'Namespace');
    assert.equal(created.metadata?.namespace, undefined);
    assert.equal((await namespaces.get('typed-ns')).metadata?.uid, created.metadata?.uid);

    const list = await namespaces.list({ labelSelector: 'suite=typed' });
    assert.equal(list.kind, 'NamespaceList');
    assert.deepEqual(list.items.map((i) => i.metadata?.name), ['typed-ns']);

    const current = await namespaces.get('typed-ns');
    const updated = await namespaces.update({ ...current, metadata: { ...current.metadata, annotations: { note: 'updated' } } });
    assert.equal(updated.metadata?.annotations?.note, 'updated');
    const patched = await namespaces.patch('typed-ns', { metadata: { labels: { extra: 'yes' } } }, 'merge');
    assert.deepEqual(patched.metadata?.labels, { suite: 'typed', 'kubernetes.io/metadata.name': 'typed-ns', extra: 'yes' });

    // A namespace with finalizers answers with itself (Terminating) until the namespace controller is done.
    const deleted = await namespaces.delete('typed-ns');
    assert.ok(deleted.kind === 'Status' || deleted.kind === 'Namespace', JSON.stringify(deleted));
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        const ns = await namespaces.get('typed-ns');
        assert.equal(ns.status?.phase, 'Terminating');
      } catch (e) {
        if (isNotFound(e)) break;
        throw e;
      }
      assert.ok(Date.now() < deadline, 'namespace typed-ns was not removed within 20 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('watch sees ADDED, MODIFIED and DELETED for writes made meanwhile; leaving the loop closes it', async () => {
    const cms = client.coreV1().configMaps('default');
    const start = await cms.list();
    const watch = await cms.watch({ resourceVersion: start.metadata?.resourceVersion, labelSelector: 'watched=yes' });
    await cms.create({ metadata: { name: 'ignored' } });
    await cms.create({ metadata: { name: 'watched', labels: { watched: 'yes' } }, data: { v: '1' } });
    await cms.patch('watched', { data: { v: '2' } });
    await cms.delete('watched');
    const events = await take(watch, 3);
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    const [added, modified] = events;
    assert.ok(added.type !== 'ERROR' && modified.type !== 'ERROR');
    assert.equal(added.object.metadata?.name, 'watched');
    assert.deepEqual(modified.object.data, { v: '2' });
    // take() left the loop with break, which called return(): the request is closed and the iterator is done.
    assert.deepEqual(await watch.next(), { value: undefined, done: true });
    await cms.delete('ignored');
  });

  it('watch of a cluster-scoped resource, closed with return() while no event is pending', async () => {
    const namespaces = client.coreV1().namespaces();
    const watch = await namespaces.watch({ labelSelector: 'watch-suite=typed' });
    await namespaces.create({ metadata: { name: 'watched-ns', labels: { 'watch-suite': 'typed' } } });
    const [added] = await take(watch, 1);
    assert.equal(added.type, 'ADDED');
    const pending = watch.next();
    await watch.return();
    assert.deepEqual(await pending, { value: undefined, done: true });
    await namespaces.delete('watched-ns');
  });

  it('failures surface as APIError with the server Status: NotFound, AlreadyExists, Conflict, Invalid', async () => {
    const cms = client.coreV1().configMaps('default');
    const missing = await rejectsWith(cms.get('does-not-exist'), 404, 'NotFound');
    assert.equal(missing.details?.name, 'does-not-exist');
    await rejectsWith(client.coreV1().namespaces().get('does-not-exist'), 404, 'NotFound');
    await rejectsWith(cms.delete('does-not-exist'), 404, 'NotFound');
    await rejectsWith(cms.patch('does-not-exist', { data: {} }), 404, 'NotFound');

    const original = await cms.create({ metadata: { name: 'conflicted' }, data: { v: '1' } });
    await rejectsWith(cms.create({ metadata: { name: 'conflicted' } }), 409, 'AlreadyExists');
    await cms.update({ ...original, data: { v: '2' } });
    // `original` still carries the old resourceVersion: the server refuses to overwrite the newer object.
    await rejectsWith(cms.update({ ...original, data: { v: 'stale' } }), 409, 'Conflict');
    assert.deepEqual((await cms.get('conflicted')).data, { v: '2' });
    await rejectsWith(cms.create({ metadata: { name: 'Not_A_Valid_Name' } }), 422, 'Invalid');
    await rejectsWith(cms.watch({ labelSelector: '!!!' }), 400, 'BadRequest');
    await cms.delete('conflicted');
  });

  it('dryRun creates nothing', async () => {
    const cms = client.coreV1().configMaps('default');
    const dry = await cms.create({ metadata: { name: 'dry' } }, { dryRun: true });
    assert.equal(dry.metadata?.name, 'dry');
    await rejectsWith(cms.get('dry'), 404, 'NotFound');
  });
});
