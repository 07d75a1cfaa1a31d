/**
 * One behaviour suite for the object store (runtime/storage/store.ts) and the watch cache in front of it
 * (runtime/storage/cacher/), run against real SQLite files and a real etcd. Whatever the registry can observe
 * through ObjectStorage must be the same for every variant.
 *
 * All cases share one store and stay independent by using their own namespace under one resource prefix
 * (`/registry/widgets`, the prefix a Cacher would serve). Cases that change global state (TTL, compaction) run
 * last. Waiting is by polling with generous deadlines, never by fixed sleeps.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KV } from '../../runtime/storage/kv.ts';
import { rawForm } from '../../runtime/machinery/raw-json.ts';
import {
  StorageError,
  everything,
  initialEventsEndAnnotation,
  type ObjectStorage,
  type Predicate,
  type StoredObject,
  type Watch,
  type WatchEvent,
} from '../../runtime/storage/store.ts';

export const RESOURCE_PREFIX = '/registry/widgets';

export interface OpenedStore {
  store: ObjectStorage;
  /** The KV under the store: for writing undecodable values and compacting. */
  kv: KV;
  cleanup(): Promise<void>;
}

export interface ConformanceOptions {
  /** Events a watch from the past can rely on (the cache capacity); the compaction case writes more than this. */
  history?: number;
  /** The media type the store writes Widgets in (its codec's); default JSON. */
  mediaType?: 'json' | 'protobuf';
  /** JSON: whether the codec compacts a raw field's text (kube-apiserver's bytes, on etcd); default true. */
  compactRawJson?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function widget(ns: string, name: string, labels: Record<string, string> = {}, n = 0): StoredObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, labels }, spec: { n } };
}

export const keyOf = (ns: string, name: string) => `${RESOURCE_PREFIX}/${ns}/${name}`;
export const nsPrefix = (ns: string) => `${RESOURCE_PREFIX}/${ns}/`;

export function labelPredicate(k: string, v: string): Predicate {
  return { everything: false, matches: (o) => o.metadata?.labels?.[k] === v };
}

/** Records a watch's events and its error. */
export class Recorder {
  events: WatchEvent[] = [];
  errors: Error[] = [];
  watch: Watch;

  constructor(store: ObjectStorage, prefix: string, opts: Parameters<ObjectStorage['watch']>[1]) {
    this.watch = store.watch(prefix, opts, {
      onEvent: (ev) => this.events.push(ev),
      onError: (err) => this.errors.push(err),
    });
  }

  /** Events other than bookmarks, as "TYPE name rv". */
  summary(): string[] {
    return this.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`);
  }

  changes(): WatchEvent[] {
    return this.events.filter((e) => e.type !== 'BOOKMARK');
  }

  async waitChanges(n: number, what = `${n} events`): Promise<void> {
    await waitFor(() => this.changes().length >= n || this.errors.length > 0, what);
    assert.deepEqual(this.errors, [], 'no watch error');
  }

  stop(): void {
    this.watch.stop();
  }
}

export async function rejectsWith(p: Promise<unknown>, code: StorageError['code'], message?: RegExp): Promise<StorageError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof StorageError, `expected a StorageError ${code}, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected a StorageError ${code}`);
}

const rvOf = (o: StoredObject) => Number(o.metadata.resourceVersion);

export function runStoreConformance(name: string, open: () => Promise<OpenedStore>, opts: ConformanceOptions = {}): void {
  const history = opts.history ?? 100;
  describe(`ObjectStore conformance: ${name}`, () => {
    let store: ObjectStorage;
    let kv: KV;
    let cleanup: () => Promise<void>;
    let n = 0;
    const ns = () => `ns-${process.pid}-${Date.now() % 100000}-${n++}`;

    before(async () => {
      ({ store, kv, cleanup } = await open());
    });
    after(async () => {
      await cleanup?.();
    });

    it('create stamps the revision as resourceVersion; a second create is AlreadyExists; get and NotFound', async () => {
      const s = ns();
      const created = await store.create(keyOf(s, 'a'), widget(s, 'a'));
      assert.equal(created.metadata.name, 'a');
      assert.equal(rvOf(created), await store.currentRevision());
      await rejectsWith(store.create(keyOf(s, 'a'), widget(s, 'a')), 'Exists');
      const got = await store.get(keyOf(s, 'a'));
      assert.deepEqual(got, created);
      await rejectsWith(store.get(keyOf(s, 'missing')), 'NotFound');
      // A resourceVersion in the created object is never stored.
      const b = await store.create(keyOf(s, 'b'), { ...widget(s, 'b'), metadata: { ...widget(s, 'b').metadata, resourceVersion: '12345' } });
      assert.equal(b.metadata.resourceVersion, String(await store.currentRevision()));
    });

    it('a raw JSON field keeps its text as written through create, get, list, watch and update', async () => {
      // What a RawExtension holds (machinery/raw-json.ts): member order, `1.0` and integers past 2^53; and its
      // spacing, but where JSON storage holds the text compacted as Go's encoder writes it (upstream reads back what
      // it stored, so the created object already has the compacted text).
      const s = ns();
      const text = '{"b": 1, "1": [2.50], "n": 12345678901234567890, "f": 1.0}';
      const compact = '{"b":1,"1":[2.50],"n":12345678901234567890,"f":1.0}';
      const json = (opts.mediaType ?? 'json') === 'json';
      const compacted = json && (opts.compactRawJson ?? true);
      const kept = compacted ? compact : text;
      const k = keyOf(s, 'raw');
      const w = new Recorder(store, nsPrefix(s), { resourceVersion: String(await store.currentRevision()) });
      const created = await store.create(k, { ...widget(s, 'raw'), data: rawForm(text) });
      assert.deepEqual(created.data, rawForm(kept));
      assert.deepEqual((await store.get(k)).data, rawForm(kept));
      assert.deepEqual((await store.list(nsPrefix(s))).items.map((o) => o.data), [rawForm(kept)]);
      if (json) {
        // The text in place (compacted: the bytes kube-apiserver would have written), no marker of ours.
        const stored = new TextDecoder().decode((await kv.get(k)).kv!.value);
        assert.ok(stored.includes(`"data":${kept}}`), stored);
        assert.ok(!stored.includes('\\u0000raw'), stored);
      }
      const same = await store.guaranteedUpdate(k, async (cur) => ({ ...cur, data: rawForm(text) }));
      assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion, 'the same text is no change');
      const respaced = await store.guaranteedUpdate(k, async (cur) => ({ ...cur, data: rawForm(compact) }));
      if (compacted) assert.equal(respaced.metadata.resourceVersion, created.metadata.resourceVersion, 'compacted JSON storage holds no spacing to change');
      else assert.ok(rvOf(respaced) > rvOf(created), 'other spacing is a change');
      const changed = await store.guaranteedUpdate(k, async (cur) => ({ ...cur, data: rawForm('{"f": 1.00}') }));
      assert.ok(rvOf(changed) > rvOf(respaced), 'another number form is a change');
      assert.deepEqual(changed.data, rawForm(compacted ? '{"f":1.00}' : '{"f": 1.00}'));
      const texts = compacted ? [compact, '{"f":1.00}'] : [text, compact, '{"f": 1.00}'];
      await w.waitChanges(texts.length, "the raw field's events");
      assert.deepEqual(w.changes().map((e) => e.object.data), texts.map(rawForm));
      w.stop();
    });

    it('a raw JSON field written by kube-apiserver in JSON is read with its text kept', async () => {
      const s = ns();
      const k = keyOf(s, 'upstream');
      const metadata = { name: 'upstream', namespace: s, uid: `uid-${s}-upstream`, creationTimestamp: '2024-01-01T00:00:00Z' };
      const data = '{"z":1,"a":[1.50,1e3],"n":12345678901234567890,"h":"\\u003c"}';
      const bytes = `{"kind":"Widget","apiVersion":"example.com/v1","metadata":${JSON.stringify(metadata)},"spec":{"n":0},"data":${data}}\n`;
      assert.ok((await kv.create(k, new TextEncoder().encode(bytes))).succeeded);
      assert.deepEqual((await store.get(k)).data, rawForm(data));
      assert.deepEqual((await store.list(nsPrefix(s))).items.map((o) => o.data), [rawForm(data)]);
      // An update that leaves the field alone keeps its text.
      const updated = await store.guaranteedUpdate(k, async (cur) => ({ ...cur, spec: { n: 1 } }));
      assert.deepEqual(updated.data, rawForm(data));
      assert.deepEqual((await store.get(k)).data, rawForm(data));
    });

    it('guaranteedUpdate: compare-and-swap with retries, no-op keeps the resourceVersion, preconditions, NotFound', async () => {
      const s = ns();
      const k = keyOf(s, 'u');
      const created = await store.create(k, widget(s, 'u'));
      const updated = await store.guaranteedUpdate(k, async (cur) => ({ ...cur, spec: { n: cur.spec.n + 1 } }));
      assert.equal(updated.spec.n, 1);
      assert.ok(rvOf(updated) > rvOf(created));
      const same = await store.guaranteedUpdate(k, async (cur) => cur);
      assert.equal(same.metadata.resourceVersion, updated.metadata.resourceVersion, 'a no-op update does not write');

      // A write between read and swap: the loop retries with the new state.
      let attempts = 0;
      const merged = await store.guaranteedUpdate(k, async (cur) => {
        if (attempts++ === 0) await store.guaranteedUpdate(k, async (c) => ({ ...c, metadata: { ...c.metadata, labels: { x: 'y' } } }));
        return { ...cur, spec: { n: cur.spec.n + 10 } };
      });
      assert.equal(attempts, 2);
      assert.equal(merged.spec.n, 11);
      assert.deepEqual(merged.metadata.labels, { x: 'y' });

      await rejectsWith(
        store.guaranteedUpdate(k, async (c) => c, { preconditions: { resourceVersion: created.metadata.resourceVersion } }),
        'Conflict',
        /^Precondition failed: ResourceVersion in precondition: \d+, ResourceVersion in object meta: \d+$/,
      );
      await rejectsWith(store.guaranteedUpdate(k, async (c) => c, { preconditions: { uid: 'other' } }), 'Conflict', /UID in precondition: other/);
      const ok = await store.guaranteedUpdate(k, async (c) => ({ ...c, spec: { n: 0 } }), { preconditions: { uid: created.metadata.uid, resourceVersion: merged.metadata.resourceVersion } });
      assert.equal(ok.spec.n, 0);
      // tryUpdate throwing aborts without a write.
      const before = await store.currentRevision();
      await assert.rejects(store.guaranteedUpdate(k, async () => { throw new Error('nope'); }), /nope/);
      assert.equal(await store.currentRevision(), before);
      await rejectsWith(store.guaranteedUpdate(keyOf(s, 'missing'), async (c) => c), 'NotFound');
    });

    it("an object whose encoding is over etcd's request limit is refused as RequestTooLarge, on create and update", async () => {
      const s = ns();
      const k = keyOf(s, 'big');
      // In an annotation, so every codec of the suite stores it.
      const sized = (name: string, bytes: number, obj = widget(s, name)) => ({ ...obj, metadata: { ...obj.metadata, annotations: { bulk: 'x'.repeat(bytes) } } });
      const small = await store.create(k, sized('big', 1024 * 1024));
      const before = await store.currentRevision();
      await rejectsWith(store.create(keyOf(s, 'bigger'), sized('bigger', 1572864)), 'RequestTooLarge', /^etcdserver: request is too large$/);
      await rejectsWith(store.guaranteedUpdate(k, async (cur) => sized('big', 1572864, cur)), 'RequestTooLarge', /^etcdserver: request is too large$/);
      assert.equal(await store.currentRevision(), before, 'nothing written');
      assert.equal((await store.get(k)).metadata.resourceVersion, small.metadata.resourceVersion);
    });

    it('delete: preconditions on uid and resourceVersion, returns the last state at the deleting revision', async () => {
      const s = ns();
      const k = keyOf(s, 'd');
      const created = await store.create(k, widget(s, 'd'));
      await rejectsWith(store.delete(k, { preconditions: { uid: 'wrong' } }), 'Conflict', /UID in precondition: wrong/);
      await rejectsWith(store.delete(k, { preconditions: { resourceVersion: '1' } }), 'Conflict', /ResourceVersion in precondition: 1/);
      const deleted = await store.delete(k, { preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } });
      assert.equal(deleted.metadata.name, 'd');
      assert.equal(rvOf(deleted), await store.currentRevision());
      await rejectsWith(store.get(k), 'NotFound');
      await rejectsWith(store.delete(k), 'NotFound');
    });

    it('get and list at the latest, at "0", at an exact revision, and NotOlderThan', async () => {
      const s = ns();
      const k = keyOf(s, 'r');
      const v1 = await store.create(k, widget(s, 'r', {}, 1));
      const v2 = await store.guaranteedUpdate(k, async (c) => ({ ...c, spec: { n: 2 } }));
      await store.create(keyOf(s, 'r2'), widget(s, 'r2'));
      const latest = await store.currentRevision();

      assert.equal((await store.get(k)).spec.n, 2);
      assert.equal((await store.get(k, { resourceVersion: v1.metadata.resourceVersion, resourceVersionMatch: 'Exact' })).spec.n, 1);
      assert.equal((await store.get(k, { resourceVersion: v1.metadata.resourceVersion })).spec.n, 2, 'NotOlderThan reads the latest');
      // "0" may be served from a cache: eventually the latest.
      await waitFor(async () => (await store.get(k, { resourceVersion: '0' })).spec.n === 2, 'rv=0 get catches up');
      await rejectsWith(store.get(k, { resourceVersion: String(latest + 1000) }), 'TooLargeResourceVersion', /^Too large resource version: \d+, current: \d+$/);

      const all = await store.list(nsPrefix(s));
      assert.deepEqual(all.items.map((o) => o.metadata.name), ['r', 'r2']);
      assert.equal(all.resourceVersion, String(latest));
      const old = await store.list(nsPrefix(s), { resourceVersion: v1.metadata.resourceVersion, resourceVersionMatch: 'Exact' });
      assert.deepEqual(old.items.map((o) => [o.metadata.name, o.spec.n]), [['r', 1]]);
      assert.equal(old.resourceVersion, v1.metadata.resourceVersion);
      // Legacy: a resourceVersion with a limit and no match is an exact read.
      const legacy = await store.list(nsPrefix(s), { resourceVersion: v2.metadata.resourceVersion, limit: 10 });
      assert.deepEqual(legacy.items.map((o) => o.metadata.name), ['r']);
      const notOlder = await store.list(nsPrefix(s), { resourceVersion: v1.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' });
      assert.equal(notOlder.items.length, 2);
      assert.ok(Number(notOlder.resourceVersion) >= latest);
      await waitFor(async () => (await store.list(nsPrefix(s), { resourceVersion: '0' })).items.length === 2, 'rv=0 list catches up');
      await rejectsWith(store.list(nsPrefix(s), { resourceVersion: String(latest + 1000), resourceVersionMatch: 'NotOlderThan' }), 'TooLargeResourceVersion');
      await rejectsWith(store.list(nsPrefix(s), { resourceVersion: String(latest + 1000), resourceVersionMatch: 'Exact' }), 'TooLargeResourceVersion');
      await rejectsWith(store.list(nsPrefix(s), { resourceVersion: 'abc' }), 'InvalidObject', /not a valid resource version/);
    });

    it('paged lists: limit, continue at the first page revision, remainingItemCount, selectors', async () => {
      const s = ns();
      for (let i = 0; i < 7; i++) await store.create(keyOf(s, `p${i}`), widget(s, `p${i}`, { odd: String(i % 2) }));
      const p1 = await store.list(nsPrefix(s), { limit: 3 });
      assert.deepEqual(p1.items.map((o) => o.metadata.name), ['p0', 'p1', 'p2']);
      assert.equal(p1.remainingItemCount, 4);
      assert.ok(p1.continue);
      // Changes after the first page are not seen by the later pages.
      await store.create(keyOf(s, 'p3a'), widget(s, 'p3a'));
      await store.delete(keyOf(s, 'p5'));
      const p2 = await store.list(nsPrefix(s), { limit: 3, continue: p1.continue });
      assert.deepEqual(p2.items.map((o) => o.metadata.name), ['p3', 'p4', 'p5']);
      assert.equal(p2.resourceVersion, p1.resourceVersion);
      assert.equal(p2.remainingItemCount, 1);
      const p3 = await store.list(nsPrefix(s), { limit: 3, continue: p2.continue });
      assert.deepEqual(p3.items.map((o) => o.metadata.name), ['p6']);
      assert.equal(p3.continue, undefined);
      assert.equal(p3.remainingItemCount, undefined);
      // Exactly `limit` items left: no continue.
      const exact = await store.list(nsPrefix(s), { limit: 7 });
      assert.equal(exact.items.length, 7);
      assert.equal(exact.continue, undefined);

      // A selector: limit counts matching objects; no remainingItemCount (it would be wrong).
      const odd = labelPredicate('odd', '1');
      const o1 = await store.list(nsPrefix(s), { limit: 2, predicate: odd });
      assert.deepEqual(o1.items.map((o) => o.metadata.name), ['p1', 'p3']);
      assert.equal(o1.remainingItemCount, undefined);
      const names: string[] = o1.items.map((o) => o.metadata.name);
      let token = o1.continue;
      while (token) {
        const page = await store.list(nsPrefix(s), { limit: 2, predicate: odd, continue: token });
        names.push(...page.items.map((o) => o.metadata.name));
        token = page.continue;
      }
      assert.deepEqual(names, ['p1', 'p3']); // p5 was deleted, p3a has no label

      await rejectsWith(store.list(nsPrefix(s), { continue: 'not-a-token' }), 'InvalidObject', /continue/);
      const traversal = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 5, start: '../other/x' })).toString('base64url');
      await rejectsWith(store.list(nsPrefix(s), { continue: traversal }), 'InvalidObject', /continue key is not valid/);
      const zeroRv = Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: 0, start: 'x' })).toString('base64url');
      await rejectsWith(store.list(nsPrefix(s), { continue: zeroRv }), 'InvalidObject', /continue key is not valid/);
    });

    it('lists across namespaces and keeps siblings out of a namespace prefix', async () => {
      const a = ns();
      const b = `${a}x`; // shares a's characters
      await store.create(keyOf(a, 'one'), widget(a, 'one'));
      await store.create(keyOf(b, 'two'), widget(b, 'two'));
      assert.deepEqual((await store.list(nsPrefix(a))).items.map((o) => o.metadata.name), ['one']);
      const all = (await store.list(`${RESOURCE_PREFIX}/`)).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      assert.ok(all.includes(`${a}/one`) && all.includes(`${b}/two`));
    });

    it('watch from a revision: every later event in order, exactly once', async () => {
      const s = ns();
      const start = await store.currentRevision();
      const a = await store.create(keyOf(s, 'a'), widget(s, 'a'));
      const a2 = await store.guaranteedUpdate(keyOf(s, 'a'), async (c) => ({ ...c, spec: { n: 1 } }));
      await store.create(keyOf(ns(), 'elsewhere'), widget('x', 'elsewhere'));
      const ad = await store.delete(keyOf(s, 'a'));
      const b = await store.create(keyOf(s, 'b'), widget(s, 'b'));
      const rec = new Recorder(store, nsPrefix(s), { resourceVersion: String(start) });
      await rec.waitChanges(4);
      assert.deepEqual(rec.summary(), [`ADDED a ${rvOf(a)}`, `MODIFIED a ${rvOf(a2)}`, `DELETED a ${rvOf(ad)}`, `ADDED b ${rvOf(b)}`]);
      assert.equal(rec.events.find((e) => e.type === 'DELETED')!.object.spec.n, 1, 'DELETED carries the last state');

      // Live events from concurrent writers: all of them, in revision order, no duplicates.
      const writes = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(keyOf(s, `c${i}`), widget(s, `c${i}`))));
      await rec.waitChanges(24);
      await sleep(100);
      const revs = rec.changes().map((e) => rvOf(e.object));
      assert.equal(revs.length, 24);
      assert.deepEqual(revs.slice(4), writes.map(rvOf).sort((x, y) => x - y));
      for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], 'strictly increasing');
      rec.stop();
      await store.create(keyOf(s, 'after-stop'), widget(s, 'after-stop'));
      await sleep(100);
      assert.equal(rec.changes().length, 24, 'a stopped watch gets nothing more');
    });

    it('watch at "0" or unset starts with the current state; sendInitialEvents ends it with a bookmark', async () => {
      const s = ns();
      await store.create(keyOf(s, 'x'), widget(s, 'x'));
      await store.create(keyOf(s, 'y'), widget(s, 'y'));
      const latest = await store.currentRevision();

      const unset = new Recorder(store, nsPrefix(s), {});
      await unset.waitChanges(2);
      assert.deepEqual(unset.summary().map((x) => x.split(' ').slice(0, 2).join(' ')), ['ADDED x', 'ADDED y']);

      const wl = new Recorder(store, nsPrefix(s), { sendInitialEvents: true, allowWatchBookmarks: true, resourceVersion: '' });
      await waitFor(() => wl.events.some((e) => e.type === 'BOOKMARK' && e.object.metadata.annotations?.[initialEventsEndAnnotation] === 'true'), 'initial-events-end bookmark');
      const endIdx = wl.events.findIndex((e) => e.object.metadata.annotations?.[initialEventsEndAnnotation] === 'true');
      assert.deepEqual(wl.events.slice(0, endIdx).map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED x', 'ADDED y']);
      assert.ok(Number(wl.events[endIdx].object.metadata.resourceVersion) >= latest);

      const zero = new Recorder(store, nsPrefix(s), { resourceVersion: '0' });
      await zero.waitChanges(2);

      const z = await store.create(keyOf(s, 'z'), widget(s, 'z'));
      for (const r of [unset, wl, zero]) await r.waitChanges(3);
      assert.equal(wl.summary().at(-1), `ADDED z ${rvOf(z)}`);

      // sendInitialEvents=false without a resourceVersion: only changes after the watch started (whenever that
      // is: keep writing until it sees one), never the existing objects.
      const noInitial = new Recorder(store, nsPrefix(s), { sendInitialEvents: false });
      for (let i = 0; noInitial.changes().length === 0 && noInitial.errors.length === 0; i++) {
        assert.ok(i < 200, 'the watch sees a write within 40 s');
        await store.create(keyOf(s, `late${i}`), widget(s, `late${i}`));
        await sleep(200);
      }
      assert.deepEqual(noInitial.errors, []);
      for (const e of noInitial.changes()) assert.match(`${e.type} ${e.object.metadata.name}`, /^ADDED late\d+$/);
      for (const r of [unset, wl, zero, noInitial]) r.stop();
    });

    it('watch with a selector: entering, changing within and leaving the selection', async () => {
      const s = ns();
      const k = keyOf(s, 'w');
      const start = await store.currentRevision();
      const rec = new Recorder(store, nsPrefix(s), { resourceVersion: String(start), predicate: labelPredicate('app', 'a') });
      await store.create(k, widget(s, 'w', { app: 'b' }));
      const in1 = await store.guaranteedUpdate(k, async (c) => ({ ...c, metadata: { ...c.metadata, labels: { app: 'a' } } }));
      const mod = await store.guaranteedUpdate(k, async (c) => ({ ...c, spec: { n: 5 } }));
      const out = await store.guaranteedUpdate(k, async (c) => ({ ...c, metadata: { ...c.metadata, labels: { app: 'c' } }, spec: { n: 6 } }));
      await store.delete(k);
      const other = await store.create(keyOf(s, 'v'), widget(s, 'v', { app: 'a' }));
      await rec.waitChanges(4);
      await sleep(100);
      assert.deepEqual(rec.summary(), [`ADDED w ${rvOf(in1)}`, `MODIFIED w ${rvOf(mod)}`, `DELETED w ${rvOf(out)}`, `ADDED v ${rvOf(other)}`]);
      const left = rec.changes()[2].object;
      assert.equal(left.metadata.labels.app, 'a', 'leaving the selection sends the last selected state');
      assert.equal(left.spec.n, 5);
      const listed = await store.list(nsPrefix(s), { predicate: labelPredicate('app', 'a') });
      assert.deepEqual(listed.items.map((o) => o.metadata.name), ['v']);
      rec.stop();
    });

    it('allowWatchBookmarks: periodic BOOKMARK events with the reached revision', async () => {
      const s = ns();
      const start = await store.currentRevision();
      const rec = new Recorder(store, nsPrefix(s), { resourceVersion: String(start), allowWatchBookmarks: true });
      const quiet = new Recorder(store, nsPrefix(s), { resourceVersion: String(start) });
      await store.create(keyOf(ns(), 'other'), widget('x', 'other')); // moves the revision outside the watched prefix
      const moved = await store.currentRevision();
      // With reliable progress notifications the bookmark reaches the store revision; otherwise the last one seen.
      const expected = (await kv.progressRequestsSupported()) ? moved : start;
      await waitFor(() => rec.events.some((e) => e.type === 'BOOKMARK' && Number(e.object.metadata.resourceVersion) >= expected), 'a bookmark at the reached revision');
      for (const e of rec.events) assert.equal(e.type, 'BOOKMARK');
      assert.deepEqual(quiet.events, [], 'no bookmarks without allowWatchBookmarks');
      rec.stop();
      quiet.stop();
    });

    it('an undecodable stored value fails the reads that touch it, naming the key, and nothing else', async () => {
      const s = ns();
      const good = await store.create(keyOf(s, 'good'), widget(s, 'good'));
      const rec = new Recorder(store, nsPrefix(s), { resourceVersion: good.metadata.resourceVersion });
      const bad = keyOf(s, 'bad');
      const res = await kv.create(bad, new TextEncoder().encode('{not json'));
      assert.ok(res.succeeded);
      const err = await rejectsWith(store.get(bad), 'InvalidObject');
      assert.equal(err.key, bad);
      assert.match(err.message, new RegExp(bad));
      const listErr = await rejectsWith(store.list(nsPrefix(s)), 'InvalidObject');
      assert.equal(listErr.key, bad);
      assert.equal((await store.get(keyOf(s, 'good'))).metadata.name, 'good');
      await waitFor(() => rec.errors.length > 0, 'the watch ends with the error');
      assert.ok(rec.errors[0] instanceof StorageError && rec.errors[0].code === 'InvalidObject' && rec.errors[0].key === bad, `${rec.errors[0]}`);
      // It can be deleted, after which everything reads again.
      await kv.delete(bad);
      await waitFor(async () => (await store.list(nsPrefix(s)).then((l) => l.items.length, () => -1)) === 1, 'list works again');
    });

    it('20 writers x 50 increments through guaranteedUpdate end at exactly 1000', async () => {
      const s = ns();
      const k = keyOf(s, 'counter');
      await store.create(k, widget(s, 'counter'));
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          for (let i = 0; i < 50; i++) await store.guaranteedUpdate(k, async (c) => ({ ...c, spec: { n: c.spec.n + 1 } }));
        }),
      );
      assert.equal((await store.get(k)).spec.n, 1000);
    });

    it('objects created or updated with a TTL expire, and watchers see them deleted', async () => {
      const s = ns();
      const start = await store.currentRevision();
      const rec = new Recorder(store, nsPrefix(s), { resourceVersion: String(start) });
      await store.create(keyOf(s, 'ev1'), widget(s, 'ev1'), { ttlSeconds: 2 });
      await store.create(keyOf(s, 'ev2'), widget(s, 'ev2'));
      await store.guaranteedUpdate(keyOf(s, 'ev2'), async (c) => ({ ...c, spec: { n: 1 } }), { ttlSeconds: 2 });
      await store.create(keyOf(s, 'keep'), widget(s, 'keep'));
      await waitFor(async () => (await store.list(nsPrefix(s))).items.length === 1, 'TTL objects expire', 30_000);
      await rejectsWith(store.get(keyOf(s, 'ev1')), 'NotFound');
      await waitFor(() => rec.changes().filter((e) => e.type === 'DELETED').length === 2, 'watch sees both deletes', 30_000);
      assert.deepEqual(rec.changes().filter((e) => e.type === 'DELETED').map((e) => e.object.metadata.name).sort(), ['ev1', 'ev2']);
      rec.stop();
    });

    it('compaction: old revisions and old continue tokens are Expired (with a token for the rest); newer ones work', async () => {
      const s = ns();
      for (let i = 0; i < 4; i++) await store.create(keyOf(s, `k${i}`), widget(s, `k${i}`));
      const page = await store.list(nsPrefix(s), { limit: 2 });
      const before = await store.currentRevision();
      const running = new Recorder(store, nsPrefix(s), { resourceVersion: String(before) });
      // More changes than the watch history keeps.
      const k = keyOf(s, 'churn');
      await store.create(k, widget(s, 'churn'));
      // Seen by the running watch before the churn: a watch the store has not yet brought up to date when the
      // compaction comes is expired (etcd cancels a watcher still catching up past a compacted revision).
      await running.waitChanges(1, 'the running watch sees the first change');
      for (let i = 0; i < history + 5; i++) await store.guaranteedUpdate(k, async (c) => ({ ...c, spec: { n: i + 1 } }));
      const compactAt = await kv.currentRevision();
      await kv.compact(compactAt);
      const late = await store.create(keyOf(s, 'late'), widget(s, 'late'));

      const expired = new Recorder(store, nsPrefix(s), { resourceVersion: String(before) });
      await waitFor(() => expired.errors.length > 0, 'the watch from a compacted revision fails');
      const werr = expired.errors[0];
      assert.ok(werr instanceof StorageError && werr.code === 'Expired', `${werr}`);
      assert.match(werr.message, /too old resource version/);
      assert.deepEqual(expired.events, []);

      await rejectsWith(store.get(k, { resourceVersion: String(before), resourceVersionMatch: 'Exact' }), 'Expired', /too old/);
      await rejectsWith(store.list(nsPrefix(s), { resourceVersion: String(before), resourceVersionMatch: 'Exact' }), 'Expired', /^The resourceVersion for the provided list is too old\.$/);
      const cerr = await rejectsWith(store.list(nsPrefix(s), { limit: 2, continue: page.continue }), 'Expired', /^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter, or use the continue token in this response/);
      assert.ok(cerr.continueToken, 'an inconsistent continue token');
      const rest = await store.list(nsPrefix(s), { limit: 10, continue: cerr.continueToken });
      assert.deepEqual(rest.items.map((o) => o.metadata.name), ['k2', 'k3', 'late']);
      assert.ok(Number(rest.resourceVersion) >= rvOf(late));

      // A watch that was running keeps going; a watch from after the compaction works.
      await running.waitChanges(history + 7, 'the running watch sees everything');
      const fresh = new Recorder(store, nsPrefix(s), { resourceVersion: String(compactAt) });
      await fresh.waitChanges(1);
      assert.deepEqual(fresh.summary(), [`ADDED late ${rvOf(late)}`]);
      running.stop();
      fresh.stop();
    });
  });
}
