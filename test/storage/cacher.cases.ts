/** Watch-cache specific behaviour (the shared suite in store.conformance.ts covers what it has in common with ObjectStore). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KV } from '../../runtime/storage/kv.ts';
import { ObjectStore, StorageError, type Predicate, type StoredObject } from '../../runtime/storage/store.ts';
import { Cacher } from '../../runtime/storage/cacher/cacher.ts';
import { withOverrides } from './kv-wrap.ts';
import { RESOURCE_PREFIX, Recorder, keyOf, labelPredicate, nsPrefix, waitFor, widget } from './store.conformance.ts';

/** The real KV, counting the store watches opened on it. */
function counting(kv: KV): { kv: KV; watches: () => number } {
  let n = 0;
  const wrapped = withOverrides<KV>(kv, {
    watch: (prefix, after, h) => {
      n++;
      return kv.watch(prefix, after, h);
    },
  });
  return { kv: wrapped, watches: () => n };
}

/** The real KV, with everything its watches deliver held back for `ms`, in order (a slow watch stream). */
function slowFeed(kv: KV, ms: number): KV {
  const later = (f: () => void) => void setTimeout(f, ms);
  return withOverrides<KV>(kv, {
    watch: (prefix, after, h) =>
      kv.watch(prefix, after, {
        ...h,
        onEvents: (events) => later(() => h.onEvents(events)),
        ...(h.onProgress && { onProgress: (rev: number) => later(() => h.onProgress!(rev)) }),
      }),
  });
}

/** The real KV, with the results of creates and updates held back for `ms` (their events come first). */
function slowWrites(kv: KV, ms: number): KV {
  const later = <T>(p: Promise<T>) => p.then((r) => new Promise<T>((resolve) => setTimeout(() => resolve(r), ms)));
  return withOverrides<KV>(kv, {
    create: (key, value, opts) => later(kv.create(key, value, opts)),
    update: (key, value, rev, opts) => later(kv.update(key, value, rev, opts)),
  });
}

/**
 * Runs `body` with a ready watch cache on the KV `open` gives, its revision queries counted from then on, and a
 * store writing to the same KV past the cache. `roundTrip`: the cache sees the KV as one whose revision is a round
 * trip (etcd's, with no KV.revisionNow), on either store.
 */
async function withCountedRevisionQueries(
  open: () => Promise<{ kv: KV; cleanup(): Promise<void> }>,
  roundTrip: boolean,
  body: (cacher: Cacher, direct: ObjectStore, queries: () => number, kv: KV) => Promise<void>,
): Promise<void> {
  const { kv, cleanup } = await open();
  let queries = 0;
  const wrapped = withOverrides<KV>(kv, { currentRevision: () => (queries++, kv.currentRevision()), ...(roundTrip && { revisionNow: undefined }) });
  const cacher = new Cacher(new ObjectStore(wrapped), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
  try {
    assert.ok(await cacher.whenReady(20_000));
    queries = 0;
    await body(cacher, new ObjectStore(kv), () => queries, kv);
  } finally {
    cacher.stop();
    await cleanup();
  }
}

export function runCacherCases(name: string, open: () => Promise<{ kv: KV; cleanup(): Promise<void> }>): void {
  describe(`Cacher: ${name}`, () => {
    it("watchers of one change share the cache's object through peek(); object is each watcher's own copy", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX);
      try {
        assert.ok(await cacher.whenReady(20_000));
        const start = String(await cacher.currentRevision());
        const [a, b] = [0, 1].map(() => new Recorder(cacher, nsPrefix('peek'), { resourceVersion: start }));
        await cacher.create(keyOf('peek', 'w'), widget('peek', 'w', { k: 'v' }));
        await a.waitChanges(1);
        await b.waitChanges(1);
        const [ea, eb] = [a.changes()[0], b.changes()[0]];
        const shared = ea.peek?.();
        assert.ok(shared, 'an event of the cache can be peeked at');
        assert.equal(eb.peek?.(), shared, 'both watchers see the one object the cache holds');
        assert.equal(shared.metadata.labels.k, 'v');
        const own = ea.object;
        assert.notEqual(own, shared);
        assert.deepEqual(own, shared);
        own.metadata.labels.k = 'changed';
        assert.equal(eb.peek?.()?.metadata.labels.k, 'v', "a watcher's copy is its own");
        assert.equal(eb.object.metadata.labels.k, 'v');
        assert.equal(ea.peek?.(), own, 'once made, the copy is what peek gives');
        a.stop();
        b.stop();
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it("a change's new state comes with the cache's text of it (encoded()), until the watcher reads its own copy", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX);
      try {
        assert.ok(await cacher.whenReady(20_000));
        const start = String(await cacher.currentRevision());
        const [a, b] = [0, 1].map(() => new Recorder(cacher, nsPrefix('text'), { resourceVersion: start }));
        const key = keyOf('text', 'w');
        await cacher.create(key, widget('text', 'w', { k: 'v' }));
        await cacher.guaranteedUpdate(key, async (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { k: 'w' } } }));
        await cacher.delete(key);
        await a.waitChanges(3);
        await b.waitChanges(3);
        const [added, modified, deleted] = a.changes();
        for (const ev of [added, modified]) {
          const item = ev.encoded?.();
          assert.ok(item, `${ev.type}: the cache's text is at hand`);
          assert.deepEqual(JSON.parse(item.json), ev.peek!(), `${ev.type}: the text is the event's object`);
        }
        assert.equal(JSON.parse(added.encoded!()!.json).metadata.labels.k, 'v');
        assert.equal(JSON.parse(modified.encoded!()!.json).metadata.labels.k, 'w');
        assert.equal(deleted.encoded?.(), undefined, "a delete's object (the last state at the deleting revision) has no text of its own");
        // A watcher that took its own copy may change it: its event then has no text to give.
        added.object.metadata.labels.k = 'changed';
        assert.equal(added.encoded?.(), undefined);
        assert.ok(b.changes()[0].encoded?.(), "another watcher's event still has it");
        a.stop();
        b.stop();
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('hundreds of watchers cost one store watch, and each gets its events', async () => {
      const { kv, cleanup } = await open();
      const c = counting(kv);
      const cacher = new Cacher(new ObjectStore(c.kv), RESOURCE_PREFIX);
      try {
        assert.ok(await cacher.whenReady(20_000));
        // Every watcher starts from the same revision, so none can miss a write however late it registers.
        const start = String(await cacher.currentRevision());
        const recs = Array.from({ length: 300 }, (_, i) =>
          new Recorder(cacher, i % 3 === 2 ? nsPrefix('other') : nsPrefix('fan'), { resourceVersion: start, predicate: i % 3 === 1 ? labelPredicate('pick', 'yes') : undefined, allowWatchBookmarks: i % 2 === 0 }),
        );
        for (let i = 0; i < 5; i++) await cacher.create(keyOf('fan', `o${i}`), widget('fan', `o${i}`, { pick: i < 2 ? 'yes' : 'no' }));
        await cacher.create(keyOf('other', 'x'), widget('other', 'x'));
        await waitFor(() => recs.every((r, i) => r.changes().length >= (i % 3 === 2 ? 1 : i % 3 === 1 ? 2 : 5)), 'every watcher got its events');
        await new Promise((r) => setTimeout(r, 100));
        recs.forEach((r, i) => {
          assert.deepEqual(r.errors, []);
          assert.equal(r.changes().length, i % 3 === 2 ? 1 : i % 3 === 1 ? 2 : 5, `watcher ${i}`);
        });
        assert.equal(c.watches(), 1, 'one store watch for all of them');
        recs.forEach((r) => r.stop());
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it("watchers with field selectors read a change's selectable fields once between them, and each gets its events", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX);
      try {
        assert.ok(await cacher.whenReady(20_000));
        // As kubelets watch pods: each watcher selects the objects of its node by a field.
        let reads = 0;
        const fieldsOf = (o: StoredObject): Record<string, string> => {
          reads++;
          return { 'spec.node': String(o.spec?.node ?? '') };
        };
        const onNode = (node: string): Predicate => ({
          everything: false,
          matches: (o) => fieldsOf(o)['spec.node'] === node,
          selection: { labels: () => true, fields: { of: fieldsOf, matches: (f) => f['spec.node'] === node } },
        });
        const start = String(await cacher.currentRevision());
        const recs = Array.from({ length: 100 }, (_, i) => new Recorder(cacher, nsPrefix('nodes'), { resourceVersion: start, predicate: onNode(`n${i % 2}`) }));
        const k = keyOf('nodes', 'p');
        const placed = (node: string) => ({ ...widget('nodes', 'p'), spec: { node } });
        const created = await cacher.create(k, placed('n0'));
        const moved = await cacher.guaranteedUpdate(k, async (c) => ({ ...c, spec: { node: 'n1' } }));
        const gone = await cacher.delete(k);
        await waitFor(() => recs.every((r) => r.changes().length >= 2), 'every watcher got its events');
        await new Promise((r) => setTimeout(r, 100));
        const rv = (o: StoredObject) => o.metadata.resourceVersion;
        recs.forEach((r, i) => assert.deepEqual(r.summary(), i % 2 === 0 ? [`ADDED p ${rv(created)}`, `DELETED p ${rv(moved)}`] : [`ADDED p ${rv(moved)}`, `DELETED p ${rv(gone)}`], `watcher ${i}`));
        // Once for the created object and once for the moved one (the delete's previous state is the moved one).
        assert.equal(reads, 2, 'selectable fields read per change, not per watcher');
        recs.forEach((r) => r.stop());
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it("watchers that pin a field are asked only about changes whose object or old object holds their value", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX);
      try {
        assert.ok(await cacher.whenReady(20_000));
        // As kubelets watch pods, each the pods of its own node: a change of a pod on node n7 is none of the others'
        // business, so their predicates are never asked (upstream's cacher finds them by a trigger index).
        const asked = new Map<string, number>();
        const fieldsOf = (o: StoredObject): Record<string, string> => ({ 'spec.node': String(o.spec?.node ?? '') });
        const onNode = (node: string): Predicate => ({
          everything: false,
          matches: (o) => fieldsOf(o)['spec.node'] === node,
          selection: {
            labels: () => true,
            fields: {
              of: fieldsOf,
              matches: (f) => {
                asked.set(node, (asked.get(node) ?? 0) + 1);
                return f['spec.node'] === node;
              },
              exact: { 'spec.node': node },
            },
          },
        });
        const nodes = Array.from({ length: 50 }, (_, i) => `n${i}`);
        // Registered before the writes (each has its initial-events bookmark), so the changes reach them live.
        const recs = [...nodes, ...nodes].map((node) => new Recorder(cacher, nsPrefix('kubelets'), { predicate: onNode(node), sendInitialEvents: true, allowWatchBookmarks: true }));
        await waitFor(() => recs.every((r) => r.events.some((e) => e.type === 'BOOKMARK')), 'every watcher registered');
        asked.clear(); // the initial lists' questions
        const k = keyOf('kubelets', 'p');
        const placed = (node: string) => ({ ...widget('kubelets', 'p'), spec: { node } });
        const created = await cacher.create(k, placed('n7'));
        const moved = await cacher.guaranteedUpdate(k, async (c) => ({ ...c, spec: { node: 'n8' } }));
        const gone = await cacher.delete(k);
        await waitFor(() => recs.every((r, i) => r.changes().length >= (i % 50 === 7 || i % 50 === 8 ? 2 : 0)), 'the watchers of n7 and n8 got their events');
        const rv = (o: StoredObject) => o.metadata.resourceVersion;
        recs.forEach((r, i) =>
          assert.deepEqual(r.summary(), i % 50 === 7 ? [`ADDED p ${rv(created)}`, `DELETED p ${rv(moved)}`] : i % 50 === 8 ? [`ADDED p ${rv(moved)}`, `DELETED p ${rv(gone)}`] : [], `watcher ${i}`),
        );
        // n7's two watchers: the create, and the move (old and new object); n8's: the move and the delete (old only).
        assert.deepEqual(Object.fromEntries(asked), { n7: 2 * 3, n8: 2 * 3 }, 'only the watchers of the nodes involved are asked');
        recs.forEach((r) => r.stop());
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it("a tick's bookmarks carry one memo for their bytes, shared by every watcher that gets one", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX, { bookmarkIntervalMs: 50 });
      try {
        assert.ok(await cacher.whenReady(20_000));
        const start = String(await cacher.currentRevision());
        const [a, b] = [0, 1].map(() => new Recorder(cacher, nsPrefix('marks'), { resourceVersion: start, allowWatchBookmarks: true }));
        await cacher.create(keyOf('marks', 'm'), widget('marks', 'm'));
        // Once both are registered (each has the create), the next tick's bookmarks are the next of each.
        await a.waitChanges(1);
        await b.waitChanges(1);
        const marks = (r: Recorder) => r.events.filter((e) => e.type === 'BOOKMARK');
        const [na, nb] = [marks(a).length, marks(b).length];
        await waitFor(() => marks(a).length > na && marks(b).length > nb, 'the next bookmark of each watcher');
        const [ma, mb] = [marks(a)[na]!, marks(b)[nb]!];
        assert.equal(ma.object.metadata.resourceVersion, mb.object.metadata.resourceVersion);
        assert.ok(ma.shared, 'a bookmark of the cache has a memo for its bytes');
        assert.equal(ma.shared, mb.shared, "one memo for the tick's bookmarks");
        assert.notEqual(ma.object, mb.object, 'each watcher has its own bookmark object');
        a.stop();
        b.stop();
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it("a write's result is the writer's own, whether it comes before or after the write's event", async () => {
      const { kv, cleanup } = await open();
      try {
        for (const [ns, order, store] of [['own1', 'event first', slowWrites(kv, 100)], ['own2', 'result first', slowFeed(kv, 100)]] as const) {
          const cacher = new Cacher(new ObjectStore(store), RESOURCE_PREFIX);
          try {
            assert.ok(await cacher.whenReady(20_000));
            const rec = new Recorder(cacher, nsPrefix(ns), { resourceVersion: String(await cacher.currentRevision()) });
            const made = await cacher.create(keyOf(ns, 'a'), widget(ns, 'a', { pick: 'yes' }));
            made.spec.n = 7;
            made.metadata.labels.pick = 'no';
            const updated = await cacher.guaranteedUpdate(keyOf(ns, 'a'), async (o) => ({ ...o, spec: { n: 1 } }));
            updated.spec.n = 8;
            updated.metadata.labels.pick = 'no';
            await rec.waitChanges(2);
            assert.deepEqual(rec.changes().map((e) => e.object.spec.n), [0, 1], order);
            assert.deepEqual(rec.changes().map((e) => e.object.metadata.labels), [{ pick: 'yes' }, { pick: 'yes' }], order);
            const got = await cacher.get(keyOf(ns, 'a'));
            assert.deepEqual([got.spec.n, got.metadata.labels], [1, { pick: 'yes' }], order);
            // A selector reads the labels the cache keeps beside the object's text: still the written ones.
            const picked = { everything: false, matches: labelPredicate('pick', 'yes').matches, selection: { labels: (l: Readonly<Record<string, string>>) => l.pick === 'yes' } };
            assert.deepEqual((await cacher.list(nsPrefix(ns), { predicate: picked })).items.map((o) => o.metadata.name), ['a'], order);
            rec.stop();
          } finally {
            cacher.stop();
          }
        }
      } finally {
        await cleanup();
      }
    });

    it("a page of one namespace from memory counts only that namespace's objects as remaining, not its neighbours'", async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
      try {
        assert.ok(await cacher.whenReady(20_000));
        // Namespaces sorting right before and after `pg/` (`pg-a/`, `pg0/`), and one whose name extends it (`pga/`).
        for (const ns of ['pg-a', 'pg', 'pg0', 'pga', 'zzz-pg-last']) for (let i = 0; i < 4; i++) await cacher.create(keyOf(ns, `o${i}`), widget(ns, `o${i}`));
        // An rv=0 read answers from whatever the cache holds, and on etcd the writes' events may still be on their
        // way when the creates return: wait until the last write is in memory (events arrive in order).
        await waitFor(async () => (await cacher.list(nsPrefix('zzz-pg-last'), { resourceVersion: '0' })).items.length === 4, 'the cache to hold every write');
        for (const rv of ['0', undefined]) {
          const page = await cacher.list(nsPrefix('pg'), { limit: 3, resourceVersion: rv });
          assert.deepEqual(page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['pg/o0', 'pg/o1', 'pg/o2']);
          assert.equal(page.remainingItemCount, 1, `rv=${rv}`);
          assert.ok(page.continue);
          const all = await cacher.list(nsPrefix('pg'), { resourceVersion: rv });
          assert.deepEqual(all.items.map((o) => o.metadata.name), ['o0', 'o1', 'o2', 'o3']);
          assert.equal(all.remainingItemCount, undefined);
        }
        // The last namespace in the cache (no key sorts after its prefix): its page ends at the end of the keys.
        const last = await cacher.list(nsPrefix('zzz-pg-last'), { limit: 1, resourceVersion: '0' });
        assert.equal(last.remainingItemCount, 3);
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('identical lists share one page until the next event; its resourceVersion and continue move with the revision', async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
      const direct = new ObjectStore(kv); // another writer
      try {
        assert.ok(await cacher.whenReady(20_000));
        for (let i = 0; i < 5; i++) await cacher.create(keyOf('sp', `o${i}`), widget('sp', `o${i}`));
        await waitFor(async () => (await cacher.list(nsPrefix('sp'), { resourceVersion: '0' })).items.length === 5, 'the cache to hold every write');
        const names = (l: { items: StoredObject[] }) => l.items.map((o) => `${o.metadata.name}:${o.spec.n}`);
        const first = await cacher.list(nsPrefix('sp'), { limit: 3, resourceVersion: '0' });
        const again = await cacher.list(nsPrefix('sp'), { limit: 3 });
        assert.ok(first.encoded && first.encoded === again.encoded, 'rv=0 and consistent lists of the same page share it');
        assert.deepEqual(names(again), ['o0:0', 'o1:0', 'o2:0']);
        assert.equal(again.remainingItemCount, 2);
        // Another resource's write moves the store's revision, not the page: a consistent list still shares the page,
        // under the new revision, with a continue token from it.
        await direct.create('/registry/gadgets/sp/g', widget('sp', 'g'));
        const moved = await cacher.list(nsPrefix('sp'), { limit: 3 });
        assert.equal(moved.resourceVersion, String(await kv.currentRevision()));
        assert.ok(Number(moved.resourceVersion) > Number(again.resourceVersion));
        assert.notEqual(moved.continue, again.continue);
        assert.equal(moved.encoded, first.encoded);
        const rest = await cacher.list(nsPrefix('sp'), { limit: 3, continue: moved.continue });
        assert.deepEqual(names(rest), ['o3:0', 'o4:0']);
        // A change under the prefix by another writer: the next consistent list is walked again and holds it.
        await direct.guaranteedUpdate(keyOf('sp', 'o1'), async (o) => ({ ...o, spec: { n: 7 } }));
        const changed = await cacher.list(nsPrefix('sp'), { limit: 3 });
        assert.notEqual(changed.encoded, first.encoded);
        assert.deepEqual(names(changed), ['o0:0', 'o1:7', 'o2:0']);
        await direct.delete(keyOf('sp', 'o0'));
        const shorter = await cacher.list(nsPrefix('sp'), { limit: 3 });
        assert.deepEqual(names(shorter), ['o1:7', 'o2:0', 'o3:0']);
        assert.equal(shorter.remainingItemCount, 1);
        // The page handed out cannot be changed by one reader for the others.
        assert.ok(Object.isFrozen(shorter.encoded));
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('consistent reads right after a write always see it; rv=0 is answered from memory', async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
      const direct = new ObjectStore(kv); // a second writer (another API server's view)
      try {
        assert.ok(await cacher.whenReady(20_000));
        let written = 0;
        for (let i = 0; i < 30; i++) {
          const o = await direct.create(keyOf('rw', `o${i}`), widget('rw', `o${i}`));
          written = Number(o.metadata.resourceVersion);
          const got = await cacher.get(keyOf('rw', `o${i}`));
          assert.equal(got.metadata.resourceVersion, o.metadata.resourceVersion);
          const list = await cacher.list(nsPrefix('rw'));
          assert.equal(list.items.length, i + 1);
          assert.ok(Number(list.resourceVersion) >= written);
        }
        // Under load the feed may still lag behind these writes (the reads above then went to the store, as they
        // should); what follows is about a cache that holds them, so let the feed bring them in first.
        await waitFor(() => cacher.resourceVersion >= written, 'the feed to bring in the creates');
        // A write to another resource moves the store revision; a consistent read still returns promptly
        // (the cache proves freshness with a progress notification instead of waiting for a write).
        await direct.create('/registry/gadgets/rw/g', widget('rw', 'g'));
        const t0 = Date.now();
        const list = await cacher.list(nsPrefix('rw'));
        assert.equal(list.resourceVersion, String(await kv.currentRevision()));
        assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
        // Served by the cache: with ordered progress notifications, or else by asking the store whether anything
        // under the prefix changed (etcd before 3.4.31).
        assert.equal(cacher.resourceVersion, Number(list.resourceVersion), 'served by the cache');
        // Deletes by another writer, each followed by a foreign write that moves the revision: never missed.
        for (let i = 0; i < 10; i++) {
          await direct.delete(keyOf('rw', `o${i}`));
          await direct.guaranteedUpdate('/registry/gadgets/rw/g', async (g) => ({ ...g, spec: { n: i } }));
          const left = await cacher.list(nsPrefix('rw'));
          assert.equal(left.items.length, 29 - i, `after deleting o${i}`);
          assert.ok(!left.items.some((o) => o.metadata.name === `o${i}`));
          await assert.rejects(cacher.get(keyOf('rw', `o${i}`)), (e: StorageError) => e.code === 'NotFound');
        }
        // Objects handed out are copies: mutating one does not change the cache.
        const mine = await cacher.get(keyOf('rw', 'o29'), { resourceVersion: '0' });
        mine.spec.n = 99;
        assert.equal((await cacher.get(keyOf('rw', 'o29'), { resourceVersion: '0' })).spec.n, 0);
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('consistent reads on a store that keeps its own revision (SQLite) send it no revision query, and see every write acknowledged before them', () =>
      withCountedRevisionQueries(open, false, async (cacher, direct, queries, kv) => {
        if (!kv.revisionNow) return; // etcd: a round trip, batched (the next cases)
        for (let i = 0; i < 10; i++) {
          const o = await direct.create(keyOf('own', `o${i}`), widget('own', `o${i}`));
          const got = await cacher.get(keyOf('own', `o${i}`));
          assert.equal(got.metadata.resourceVersion, o.metadata.resourceVersion);
          const encoded = await cacher.getEncoded(keyOf('own', `o${i}`));
          assert.equal(JSON.parse(encoded!.json).metadata.resourceVersion, o.metadata.resourceVersion);
        }
        assert.equal(queries(), 0, `${queries()} revision queries for 20 consistent reads`);
      }));

    it('concurrent consistent readers share revision queries, and each sees every write acknowledged before it asked', () =>
      withCountedRevisionQueries(open, true, async (cacher, direct, queries) => {
        // Readers of one event-loop turn share one query, sent at the end of the turn.
        await Promise.all(Array.from({ length: 40 }, () => cacher.currentRevision()));
        assert.equal(queries(), 1, `${queries()} queries for 40 readers of one turn`);
        // Writes interleaved with reads: a read that starts after a write is acknowledged returns it.
        await Promise.all(
          Array.from({ length: 20 }, async (_, i) => {
            const o = await direct.create(keyOf('batch', `o${i}`), widget('batch', `o${i}`));
            const got = await cacher.get(keyOf('batch', `o${i}`));
            assert.equal(got.metadata.resourceVersion, o.metadata.resourceVersion);
          }),
        );
      }));

    it('readers arriving while a revision query is in flight share the next one, which sees the writes acknowledged before they came', async () => {
      const { kv, cleanup } = await open();
      let queries = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      // The real query, its answer held until the gate opens (a slow round trip).
      const held = withOverrides<KV>(kv, { currentRevision: () => (queries++, kv.currentRevision().then((rev) => gate.then(() => rev))), revisionNow: undefined });
      const store = new ObjectStore(held);
      const direct = new ObjectStore(kv);
      try {
        const first = Array.from({ length: 10 }, () => store.currentRevision());
        await new Promise((r) => setImmediate(r));
        assert.equal(queries, 1, 'the first turn sent its query');
        const written = Number((await direct.create(keyOf('held', 'a'), widget('held', 'a'))).metadata.resourceVersion);
        const later = Array.from({ length: 10 }, () => store.currentRevision());
        await new Promise((r) => setImmediate(r));
        assert.equal(queries, 1, 'nothing sent while the first query is in flight');
        release();
        await Promise.all(first);
        for (const rev of await Promise.all(later)) assert.ok(rev >= written, `revision ${rev} is before the write ${written} acknowledged earlier`);
        assert.equal(queries, 2);
      } finally {
        await cleanup();
      }
    });

    it('with its feed lagging, a consistent read never misses a create, update or delete by another writer', async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(slowFeed(kv, 300)), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
      const direct = new ObjectStore(kv);
      try {
        assert.ok(await cacher.whenReady(20_000));
        const a = await direct.create(keyOf('lag', 'a'), widget('lag', 'a'));
        await direct.create(keyOf('lag', 'b'), widget('lag', 'b'));
        await waitFor(async () => (await cacher.list(nsPrefix('lag'), { resourceVersion: '0' })).items.length === 2, 'the cache saw both');
        // Each change is followed by a write elsewhere, and read before the feed delivers it.
        const changes: [string, () => Promise<unknown>, (names: string[], n: number[]) => void][] = [
          ['delete', () => direct.delete(keyOf('lag', 'b')), (names) => assert.deepEqual(names, ['a'])],
          ['update', () => direct.guaranteedUpdate(keyOf('lag', 'a'), async (o) => ({ ...o, spec: { n: 7 } })), (_, n) => assert.deepEqual(n, [7])],
          ['create', () => direct.create(keyOf('lag', 'c'), widget('lag', 'c')), (names) => assert.deepEqual(names, ['a', 'c'])],
        ];
        for (const [what, change, check] of changes) {
          await change();
          await direct.create(`/registry/gadgets/lag/${what}`, widget('lag', what));
          const list = await cacher.list(nsPrefix('lag'));
          check(list.items.map((o) => o.metadata.name), list.items.map((o) => o.spec.n));
        }
        assert.notEqual((await cacher.get(keyOf('lag', 'a'))).metadata.resourceVersion, a.metadata.resourceVersion);
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('updates start from the cached object, and a stale one never loses or hides a write by another writer', async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(slowFeed(kv, 300)), RESOURCE_PREFIX, { freshnessTimeoutMs: 10_000 });
      const direct = new ObjectStore(kv);
      try {
        assert.ok(await cacher.whenReady(20_000));
        const key = keyOf('sugg', 'a');
        await direct.create(key, { ...widget('sugg', 'a'), spec: { n: 1, m: 0 } });
        await waitFor(async () => (await cacher.list(nsPrefix('sugg'), { resourceVersion: '0' })).items.length === 1, 'the cache saw it');
        // Another writer changes n; the cache still holds n=1 when our update (of m) starts.
        const other = await direct.guaranteedUpdate(key, async (o) => ({ ...o, spec: { ...o.spec, n: 2 } }));
        const seen: number[] = [];
        const mine = await cacher.guaranteedUpdate(key, async (o) => {
          seen.push(o.spec.n);
          return { ...o, spec: { ...o.spec, m: 5 } };
        });
        assert.deepEqual(mine.spec, { n: 2, m: 5 }, 'the other writer\'s change is kept');
        assert.ok(Number(mine.metadata.resourceVersion) > Number(other.metadata.resourceVersion));
        // A resourceVersion precondition written against the store's state holds though the cache is behind.
        const third = await direct.guaranteedUpdate(key, async (o) => ({ ...o, spec: { ...o.spec, n: 3 } }));
        const checked = await cacher.guaranteedUpdate(key, async (o) => ({ ...o, spec: { ...o.spec, m: 6 } }), { preconditions: { resourceVersion: third.metadata.resourceVersion } });
        assert.deepEqual(checked.spec, { n: 3, m: 6 });
        // A no-op against a stale copy is not answered from it: the caller gets what the store holds.
        const fourth = await direct.guaranteedUpdate(key, async (o) => ({ ...o, spec: { ...o.spec, n: 4 } }));
        const same = await cacher.guaranteedUpdate(key, async (o) => o);
        assert.equal(same.metadata.resourceVersion, fourth.metadata.resourceVersion);
        assert.deepEqual(same.spec, { n: 4, m: 6 });
        assert.ok(seen[0] === 1 || seen[0] === 2, `the first attempt may start from the cached copy (n=${seen[0]})`);
      } finally {
        cacher.stop();
        await cleanup();
      }
    });

    it('a watch from a revision still in the buffer is replayed from it; older is Expired', async () => {
      const { kv, cleanup } = await open();
      const cacher = new Cacher(new ObjectStore(kv), RESOURCE_PREFIX, { capacity: 10 });
      try {
        assert.ok(await cacher.whenReady(20_000));
        const revs: number[] = [];
        for (let i = 0; i < 15; i++) revs.push(Number((await cacher.create(keyOf('buf', `o${i}`), widget('buf', `o${i}`))).metadata.resourceVersion));
        await waitFor(() => cacher.resourceVersion >= revs[14], 'the cache catches up');
        const inside = new Recorder(cacher, nsPrefix('buf'), { resourceVersion: String(revs[5]) });
        await inside.waitChanges(9);
        assert.deepEqual(inside.changes().map((e) => Number(e.object.metadata.resourceVersion)), revs.slice(6));
        const old = new Recorder(cacher, nsPrefix('buf'), { resourceVersion: String(revs[1]) });
        await waitFor(() => old.errors.length > 0, 'Expired');
        const err = old.errors[0];
        assert.ok(err instanceof StorageError && err.code === 'Expired', `${err}`);
        assert.match(err.message, /^too old resource version: \d+ \(\d+\)$/);
        inside.stop();
      } finally {
        cacher.stop();
        await cleanup();
      }
    });
  });
}
