/**
 * One behaviour suite for every KV backend (runtime/storage/kv.ts). Backends must be indistinguishable to the
 * layer above, so the same assertions run against a real SQLite file and a real etcd process.
 *
 * All cases share one store (opening etcd is slow) and stay independent by writing under their own key prefix.
 * Cases that change global state (TTL expiry, compaction) run last. The suite assumes it is the only writer, so
 * revisions move exactly by one per successful write.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CompactedError,
  defaultMaxRequestBytes,
  FutureRevisionError,
  RequestTooLargeError,
  type KV,
  type KVWatch,
  type KVWatchEvent,
  type TxnResult,
} from '../../runtime/storage/kv.ts';

export interface OpenedKV {
  kv: KV;
  cleanup(): Promise<void>;
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

function ok(r: TxnResult): Extract<TxnResult, { succeeded: true }> {
  assert.equal(r.succeeded, true, `expected the write to succeed: ${JSON.stringify(r)}`);
  return r as Extract<TxnResult, { succeeded: true }>;
}

/** Collects a watch's events (checking the one-call-per-revision rule) and errors. */
class Recorder {
  events: KVWatchEvent[] = [];
  errors: Error[] = [];
  progress: number[] = [];
  watch: KVWatch;

  constructor(kv: KV, prefix: string, afterRevision: number) {
    this.watch = kv.watch(prefix, afterRevision, {
      onEvents: (evs) => {
        assert.ok(evs.length > 0, 'onEvents called with no events');
        this.events.push(...evs);
      },
      onProgress: (rev) => this.progress.push(rev),
      onError: (err) => this.errors.push(err),
    });
  }

  revs(): number[] {
    return this.events.map((e) => e.kv.modRevision);
  }

  cancel(): void {
    this.watch.cancel();
  }
}

export function runKVConformance(name: string, open: () => Promise<OpenedKV>): void {
  describe(`KV conformance: ${name}`, () => {
    let kv: KV;
    let cleanup: () => Promise<void>;
    let n = 0;
    /** A fresh key prefix per case, ending in '/' like the callers' prefixes. */
    const px = () => `/conformance/${process.pid}/${Date.now()}-${n++}/`;

    before(async () => {
      ({ kv, cleanup } = await open());
    });
    after(async () => {
      await cleanup?.();
    });

    it('ping and currentRevision', async () => {
      await kv.ping();
      const rev = await kv.currentRevision();
      assert.ok(Number.isInteger(rev) && rev >= 1, `revision ${rev}`);
    });

    it('one global revision increases across keys', async () => {
      const p = px();
      const a = ok(await kv.create(`${p}a`, enc('1')));
      const b = ok(await kv.create(`${p}other/b`, enc('2')));
      const c = ok(await kv.update(`${p}a`, enc('3'), a.kv.modRevision));
      assert.equal(b.revision, a.revision + 1);
      assert.equal(c.revision, b.revision + 1);
      assert.equal(a.kv.createRevision, a.revision);
      assert.equal(a.kv.modRevision, a.revision);
      assert.equal(c.kv.createRevision, a.revision, 'update keeps createRevision');
      assert.equal(c.kv.modRevision, c.revision);
      assert.equal(await kv.currentRevision(), c.revision);
    });

    it('create fails on an existing key and returns the current value', async () => {
      const p = px();
      const first = ok(await kv.create(`${p}k`, enc('v1')));
      const before = await kv.currentRevision();
      const second = await kv.create(`${p}k`, enc('v2'));
      assert.equal(second.succeeded, false);
      assert.ok(!second.succeeded && second.current);
      assert.equal(dec(second.current.value), 'v1');
      assert.equal(second.current.modRevision, first.revision);
      assert.equal(await kv.currentRevision(), before, 'a failed txn does not bump the revision');
      const got = await kv.get(`${p}k`);
      assert.equal(dec(got.kv!.value), 'v1');
    });

    it('update is a compare-and-swap on modRevision', async () => {
      const p = px();
      const c = ok(await kv.create(`${p}k`, enc('v1')));
      const u = ok(await kv.update(`${p}k`, enc('v2'), c.kv.modRevision));
      assert.equal(dec(u.kv.value), 'v2');
      const stale = await kv.update(`${p}k`, enc('v3'), c.kv.modRevision);
      assert.equal(stale.succeeded, false);
      assert.ok(!stale.succeeded && stale.current);
      assert.equal(dec(stale.current.value), 'v2');
      assert.equal(stale.current.modRevision, u.revision);
      const missing = await kv.update(`${p}missing`, enc('x'), 5);
      assert.equal(missing.succeeded, false);
      assert.equal(missing.succeeded === false && missing.current, undefined);
      assert.equal((await kv.get(`${p}missing`)).kv, undefined, 'update never creates');
    });

    it('delete: conditional, unconditional, and on a missing key', async () => {
      const p = px();
      const c = ok(await kv.create(`${p}k`, enc('v1')));
      const stale = await kv.delete(`${p}k`, c.kv.modRevision - 1);
      assert.equal(stale.succeeded, false);
      assert.ok(!stale.succeeded && stale.current);
      assert.equal(stale.current.modRevision, c.revision);

      const d = ok(await kv.delete(`${p}k`, c.kv.modRevision));
      assert.equal(d.revision, c.revision + 1);
      assert.equal(dec(d.kv.value), 'v1', 'delete returns the deleted value');
      assert.equal((await kv.get(`${p}k`)).kv, undefined);

      ok(await kv.create(`${p}k2`, enc('x')));
      const u = ok(await kv.delete(`${p}k2`));
      assert.equal(u.revision, await kv.currentRevision());
      assert.equal((await kv.get(`${p}k2`)).kv, undefined);

      const before = await kv.currentRevision();
      const m1 = await kv.delete(`${p}missing`);
      assert.equal(m1.succeeded, false);
      assert.equal(m1.succeeded === false && m1.current, undefined);
      const m2 = await kv.delete(`${p}missing`, 3);
      assert.equal(m2.succeeded, false);
      assert.equal(await kv.currentRevision(), before);

      // Re-creating after delete starts a new generation.
      const again = ok(await kv.create(`${p}k`, enc('v2')));
      assert.equal(again.kv.createRevision, again.revision);
    });

    it('get and range at the latest and at older revisions', async () => {
      const p = px();
      const r1 = ok(await kv.create(`${p}k1`, enc('v1'))).revision;
      const r2 = ok(await kv.update(`${p}k1`, enc('v2'), r1)).revision;
      const r3 = ok(await kv.create(`${p}k2`, enc('w1'))).revision;
      const r4 = ok(await kv.delete(`${p}k1`)).revision;

      const g1 = await kv.get(`${p}k1`, { revision: r1 });
      assert.equal(dec(g1.kv!.value), 'v1');
      assert.equal(g1.kv!.modRevision, r1);
      assert.equal(g1.revision, r1);
      const g2 = await kv.get(`${p}k1`, { revision: r3 });
      assert.equal(dec(g2.kv!.value), 'v2');
      assert.equal(g2.kv!.createRevision, r1);
      assert.equal(g2.kv!.modRevision, r2);
      assert.equal((await kv.get(`${p}k1`, { revision: r4 })).kv, undefined);
      assert.equal((await kv.get(`${p}k1`)).kv, undefined);
      assert.equal((await kv.get(`${p}k2`, { revision: r2 })).kv, undefined);

      const latest = await kv.range(p);
      assert.deepEqual(latest.kvs.map((x) => x.key), [`${p}k2`]);
      assert.equal(latest.revision, await kv.currentRevision());
      const at2 = await kv.range(p, { revision: r2 });
      assert.deepEqual(at2.kvs.map((x) => [x.key, dec(x.value), x.modRevision]), [[`${p}k1`, 'v2', r2]]);
      assert.equal(at2.count, 1);
      assert.equal(at2.revision, r2);
      const at3 = await kv.range(p, { revision: r3 });
      assert.deepEqual(at3.kvs.map((x) => x.key), [`${p}k1`, `${p}k2`]);
      assert.equal(at3.count, 2);
      const before = await kv.range(p, { revision: r1 - 1 });
      assert.equal(before.kvs.length, 0);
      assert.equal(before.count, 0);
    });

    it('a future revision is rejected with FutureRevisionError', async () => {
      const cur = await kv.currentRevision();
      await assert.rejects(kv.get('/conformance/x', { revision: cur + 1000 }), FutureRevisionError);
      await assert.rejects(kv.range('/conformance/', { revision: cur + 1000 }), FutureRevisionError);
    });

    it("a write over etcd's request limit (1.5 MiB) is refused with etcd's error and stores nothing", async () => {
      const p = px();
      const fits = ok(await kv.create(`${p}fits`, new Uint8Array(defaultMaxRequestBytes - 4096)));
      assert.equal((await kv.get(`${p}fits`)).kv?.value.byteLength, defaultMaxRequestBytes - 4096);
      const before = await kv.currentRevision();
      const tooLarge = { name: 'RequestTooLargeError', message: 'etcdserver: request is too large' };
      await assert.rejects(kv.create(`${p}big`, new Uint8Array(defaultMaxRequestBytes + 1)), tooLarge);
      await assert.rejects(kv.update(`${p}fits`, new Uint8Array(defaultMaxRequestBytes + 1), fits.revision), tooLarge);
      // Far beyond the limit (etcd's gRPC limit too): still refused as too large, not as a lost backend.
      await assert.rejects(kv.create(`${p}huge`, new Uint8Array(3 * 1024 * 1024)), RequestTooLargeError);
      assert.equal(await kv.currentRevision(), before);
      assert.equal((await kv.get(`${p}big`)).kv, undefined);
      assert.equal((await kv.get(`${p}fits`)).kv?.modRevision, fits.revision);
      await kv.ping();
    });

    it('range with limit reports the count of the whole range; fromKey starts the page', async () => {
      const p = px();
      for (const k of ['e', 'a', 'c', 'b', 'd']) ok(await kv.create(`${p}${k}`, enc(k)));
      const mid = await kv.currentRevision();
      ok(await kv.create(`${p}f`, enc('f')));

      const page = await kv.range(p, { limit: 2 });
      assert.deepEqual(page.kvs.map((x) => dec(x.value)), ['a', 'b']);
      assert.equal(page.count, 6);

      const rest = await kv.range(p, { fromKey: `${p}c`, limit: 2 });
      assert.deepEqual(rest.kvs.map((x) => dec(x.value)), ['c', 'd']);
      assert.equal(rest.count, 4, 'count covers [fromKey, end of prefix)');

      const tail = await kv.range(p, { fromKey: `${p}e` });
      assert.deepEqual(tail.kvs.map((x) => dec(x.value)), ['e', 'f']);

      const old = await kv.range(p, { revision: mid, limit: 3 });
      assert.deepEqual(old.kvs.map((x) => dec(x.value)), ['a', 'b', 'c']);
      assert.equal(old.count, 5);
      assert.equal(old.revision, mid);
      const oldFrom = await kv.range(p, { revision: mid, fromKey: `${p}d`, limit: 1 });
      assert.deepEqual(oldFrom.kvs.map((x) => dec(x.value)), ['d']);
      assert.equal(oldFrom.count, 2);

      const all = await kv.range(p, { limit: 0 });
      assert.equal(all.kvs.length, 6);
      assert.equal(all.count, 6);
    });

    it('a prefix does not match sibling keys that merely share its characters', async () => {
      const p = px();
      ok(await kv.create(`${p}configmaps/ns/a`, enc('in')));
      ok(await kv.create(`${p}configmaps2/ns/b`, enc('out')));
      ok(await kv.create(`${p}configmaps0`, enc('out')));
      ok(await kv.create(`${p}configmaps`, enc('out')));
      ok(await kv.create(`${p}configmaps.x/c`, enc('out')));
      const r = await kv.range(`${p}configmaps/`);
      assert.deepEqual(r.kvs.map((x) => x.key), [`${p}configmaps/ns/a`]);
      assert.equal(r.count, 1);

      const from = (await kv.currentRevision()) - 5;
      const w = new Recorder(kv, `${p}configmaps/`, from);
      ok(await kv.create(`${p}configmaps2/ns/z`, enc('out')));
      ok(await kv.create(`${p}configmaps/ns/z`, enc('in')));
      await waitFor(() => w.events.length >= 2, 5000, 'prefix watch events');
      await sleep(100);
      w.cancel();
      assert.deepEqual(w.events.map((e) => e.kv.key), [`${p}configmaps/ns/a`, `${p}configmaps/ns/z`]);
      assert.deepEqual(w.errors, []);
    });

    it('watch from a past revision replays history, then live events, without gaps or duplicates', async () => {
      const p = px();
      const start = await kv.currentRevision();
      const written: number[] = [];
      const firstHalf = await Promise.all(
        Array.from({ length: 25 }, (_, i) => kv.create(`${p}k${String(i).padStart(2, '0')}`, enc(`v${i}`))),
      );
      for (const r of firstHalf) written.push(ok(r).revision);
      const w = new Recorder(kv, p, start);
      const secondHalf = Promise.all(
        Array.from({ length: 25 }, (_, i) => kv.create(`${p}k${25 + i}`, enc(`v${25 + i}`))),
      );
      // A second watcher starting from the middle of the history, while writes are in flight.
      const midRev = [...written].sort((a, b) => a - b)[12];
      const w2 = new Recorder(kv, p, midRev);
      for (const r of await secondHalf) written.push(ok(r).revision);
      // Updates and deletes are part of the stream too.
      const upd = ok(await kv.update(`${p}k00`, enc('changed'), firstHalf[0].succeeded ? firstHalf[0].kv.modRevision : 0));
      written.push(upd.revision);
      const del = ok(await kv.delete(`${p}k01`));
      written.push(del.revision);
      written.sort((a, b) => a - b);

      await waitFor(() => w.events.length >= written.length, 10_000, 'all events on watcher 1');
      const tail = written.filter((r) => r > midRev);
      await waitFor(() => w2.events.length >= tail.length, 10_000, 'all events on watcher 2');
      await sleep(200);
      w.cancel();
      w2.cancel();

      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.revs(), written, 'watcher 1 saw exactly the written revisions, in order');
      assert.deepEqual(w2.revs(), tail, 'watcher 2 saw exactly the revisions after its start');
      const byRev = new Map(w.events.map((e) => [e.kv.modRevision, e]));
      assert.equal(byRev.get(upd.revision)!.type, 'put');
      assert.equal(dec(byRev.get(upd.revision)!.kv.value), 'changed');
      assert.equal(byRev.get(del.revision)!.type, 'delete');
      assert.equal(byRev.get(del.revision)!.kv.key, `${p}k01`);
      assert.equal(dec(byRev.get(del.revision)!.prevKv!.value), 'v1');
    });

    it('watch from the current revision sees only new events, and delete events carry prevKv', async () => {
      const p = px();
      const c = ok(await kv.create(`${p}k`, enc('v1')));
      const w = new Recorder(kv, p, c.revision);
      const d = ok(await kv.delete(`${p}k`));
      await waitFor(() => w.events.length >= 1, 5000, 'delete event');
      await sleep(100);
      w.cancel();
      assert.equal(w.events.length, 1);
      const [ev] = w.events;
      assert.equal(ev.type, 'delete');
      assert.equal(ev.kv.key, `${p}k`);
      assert.equal(ev.kv.modRevision, d.revision);
      assert.equal(ev.kv.value.length, 0);
      assert.ok(ev.prevKv, 'delete event has prevKv');
      assert.equal(dec(ev.prevKv.value), 'v1');
      assert.equal(ev.prevKv.modRevision, c.revision);
      assert.equal(ev.prevKv.createRevision, c.revision);
    });

    it('a watch from a future revision waits for it and skips earlier writes', async () => {
      const p = px();
      const cur = await kv.currentRevision();
      const w = new Recorder(kv, p, cur + 2);
      ok(await kv.create(`${p}a`, enc('1'))); // cur + 1: skipped
      ok(await kv.create(`${p}b`, enc('2'))); // cur + 2: skipped (not after afterRevision)
      const c = ok(await kv.create(`${p}c`, enc('3')));
      await waitFor(() => w.events.length >= 1, 5000, 'the first event after the future revision');
      await sleep(100);
      w.cancel();
      assert.deepEqual(w.revs(), [c.revision]);
      assert.deepEqual(w.errors, []);
    });

    it('a cancelled watch receives nothing more', async () => {
      const p = px();
      const w = new Recorder(kv, p, await kv.currentRevision());
      w.cancel();
      ok(await kv.create(`${p}k`, enc('v')));
      await sleep(200);
      assert.equal(w.events.length, 0);
      assert.deepEqual(w.errors, []);
    });

    it('a key created with a TTL expires, and watchers see the delete', async () => {
      const p = px();
      const c = ok(await kv.create(`${p}ttl`, enc('short'), { ttlSeconds: 1 }));
      ok(await kv.create(`${p}keep`, enc('long'), { ttlSeconds: 600 }));
      const w = new Recorder(kv, p, c.revision);
      await waitFor(() => w.events.some((e) => e.type === 'delete'), 8000, 'TTL delete event');
      w.cancel();
      const ev = w.events.find((e) => e.type === 'delete')!;
      assert.equal(ev.kv.key, `${p}ttl`);
      assert.equal(dec(ev.prevKv!.value), 'short');
      assert.equal((await kv.get(`${p}ttl`)).kv, undefined);
      assert.equal(dec((await kv.get(`${p}keep`)).kv!.value), 'long');
      assert.deepEqual(w.errors, []);
    });

    it('compaction: old revisions become unreadable, later ones still work', async () => {
      const p = px();
      const r1 = ok(await kv.create(`${p}a`, enc('1'))).revision;
      const r2 = ok(await kv.update(`${p}a`, enc('2'), r1)).revision;
      const r3 = ok(await kv.create(`${p}b`, enc('3'))).revision;
      const r4 = ok(await kv.delete(`${p}b`)).revision;
      const r5 = ok(await kv.create(`${p}c`, enc('5'))).revision;
      assert.ok((await kv.compactedRevision()) < r3);

      await kv.compact(r3);
      assert.equal(await kv.compactedRevision(), r3);
      await kv.compact(r2); // compacting an older revision again is harmless
      assert.equal(await kv.compactedRevision(), r3);

      await assert.rejects(kv.range(p, { revision: r1 }), CompactedError);
      await assert.rejects(kv.get(`${p}a`, { revision: r2 }), CompactedError);
      const at3 = await kv.range(p, { revision: r3 });
      assert.deepEqual(at3.kvs.map((x) => [x.key, dec(x.value)]), [[`${p}a`, '2'], [`${p}b`, '3']]);
      const at4 = await kv.range(p, { revision: r4 });
      assert.deepEqual(at4.kvs.map((x) => x.key), [`${p}a`]);
      assert.equal((await kv.range(p)).count, 2);

      const bad = new Recorder(kv, p, r1);
      await waitFor(() => bad.errors.length > 0, 5000, 'CompactedError on watch');
      bad.cancel();
      assert.ok(bad.errors[0] instanceof CompactedError, `got ${bad.errors[0]}`);
      assert.equal(bad.events.length, 0);

      const good = new Recorder(kv, p, r3);
      const r6 = ok(await kv.update(`${p}a`, enc('6'), r2)).revision;
      await waitFor(() => good.events.length >= 3, 5000, 'events after the compacted revision');
      await sleep(100);
      good.cancel();
      assert.deepEqual(good.revs(), [r4, r5, r6]);
      assert.equal(good.events[0].type, 'delete');
      assert.equal(dec(good.events[0].prevKv!.value), '3', 'prevKv survives compaction');
      assert.equal(dec(good.events[2].prevKv!.value), '2');
      assert.deepEqual(good.errors, []);
    });
  });
}
