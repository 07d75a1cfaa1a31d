/**
 * SqliteKV in shared mode (`--workers`): several instances, in one process or several, on one SQLite file. What
 * each must see is what replicas on one etcd see: one revision sequence, no lost update, every event in order on
 * every watcher, and compaction by one known to all.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { CompactedError, type KV, type KVWatchEvent } from '../../runtime/storage/kv.ts';
import { CompactionRound } from '../../runtime/storage/compactor.ts';
import { tempDbPath, type TempDb } from '../support/sqlite.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Two shared instances on a fresh file; `tailIntervalMs` large to show what holds without the poll. */
async function pair(opts: { tailIntervalMs?: number } = {}): Promise<{ a: SqliteKV; b: SqliteKV; tmp: TempDb; close(): Promise<void> }> {
  const tmp = await tempDbPath();
  const a = await SqliteKV.open(tmp.path, { shared: true, ...opts });
  const b = await SqliteKV.open(tmp.path, { shared: true, ...opts });
  return {
    a,
    b,
    tmp,
    close: async () => {
      await a.close();
      await b.close();
      await tmp.cleanup();
    },
  };
}

function record(kv: KV, prefix: string, after: number) {
  const events: KVWatchEvent[] = [];
  const errors: Error[] = [];
  const watch = kv.watch(prefix, after, { onEvents: (evs) => events.push(...evs), onError: (e) => errors.push(e) });
  return { events, errors, watch, revs: () => events.map((e) => e.kv.modRevision) };
}

/** Adds one to the counter at `key` with compare-and-swap, retrying on conflict; returns the attempts it took. */
async function increment(kv: KV, key: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const cur = await kv.get(key);
    const next = enc(String(Number(dec(cur.kv!.value)) + 1));
    const res = await kv.update(key, next, cur.kv!.modRevision);
    if (res.succeeded) return attempt;
  }
}

describe('SqliteKV shared mode', () => {
  it("a write through one instance is read through the other at once, at the writer's revision", async () => {
    const { a, b, close } = await pair({ tailIntervalMs: 60_000 });
    try {
      const w = await a.create('/s/k', enc('v1'));
      assert.ok(w.succeeded);
      const got = await b.get('/s/k');
      assert.equal(dec(got.kv!.value), 'v1');
      assert.equal(got.revision, w.revision);
      assert.equal(await b.currentRevision(), w.revision);
      const u = await b.update('/s/k', enc('v2'), w.kv.modRevision);
      assert.ok(u.succeeded, 'the other instance updates what the first wrote');
      assert.equal(u.revision, w.revision + 1, 'one revision sequence');
      const list = await a.range('/s/');
      assert.equal(list.revision, u.revision);
      assert.equal(dec(list.kvs[0].value), 'v2');
    } finally {
      await close();
    }
  });

  it('watchers on both instances see the writes of both in revision order, without gaps or duplicates', async () => {
    const { a, b, close } = await pair();
    try {
      const start = await a.currentRevision();
      const onA = record(a, '/w/', start);
      const onB = record(b, '/w/', start);
      const revs: number[] = [];
      // Writes through both at once: each instance commits its own batches, interleaved with the other's.
      await Promise.all(
        [a, b].map(async (kv, i) => {
          for (let n = 0; n < 100; n++) {
            const r = await kv.create(`/w/${i}-${n}`, enc(String(n)));
            assert.ok(r.succeeded);
            revs.push(r.revision);
            if (n % 10 === 0) await sleep(1);
          }
        }),
      );
      revs.sort((x, y) => x - y);
      assert.equal(new Set(revs).size, 200, 'no revision handed out twice');
      assert.deepEqual(revs, Array.from({ length: 200 }, (_, i) => start + 1 + i), 'no gap in the revisions');
      await until(() => onA.events.length >= 200 && onB.events.length >= 200, 'every event on both watchers');
      await sleep(50);
      assert.deepEqual(onA.revs(), revs);
      assert.deepEqual(onB.revs(), revs);
      assert.deepEqual([...onA.errors, ...onB.errors], []);
      onA.watch.cancel();
      onB.watch.cancel();
    } finally {
      await close();
    }
  });

  it('compare-and-swap updates through both instances never lose an update', async () => {
    const { a, b, close } = await pair();
    try {
      const created = await a.create('/c/counter', enc('0'));
      assert.ok(created.succeeded);
      const watch = record(b, '/c/', created.revision);
      const attempts = await Promise.all(
        [a, b].map(async (kv) => {
          let total = 0;
          for (let n = 0; n < 200; n++) total += await increment(kv, '/c/counter');
          return total;
        }),
      );
      assert.equal(dec((await a.get('/c/counter')).kv!.value), '400');
      assert.equal(dec((await b.get('/c/counter')).kv!.value), '400');
      // Every value 1..400 was written exactly once, in order.
      await until(() => watch.events.length >= 400, 'every update on the watch');
      assert.deepEqual(watch.events.map((e) => Number(dec(e.kv.value))), Array.from({ length: 400 }, (_, i) => i + 1));
      assert.ok(attempts[0] + attempts[1] >= 400);
      watch.watch.cancel();
    } finally {
      await close();
    }
  });

  it('a compaction by one instance holds on the other: old revisions are gone, watchers behind it relist', async () => {
    const { a, b, close } = await pair({ tailIntervalMs: 60_000 });
    try {
      const first = await a.create('/x/k', enc('1'));
      assert.ok(first.succeeded);
      const stale = record(b, '/x/', await b.currentRevision());
      const second = await a.update('/x/k', enc('2'), first.kv.modRevision);
      assert.ok(second.succeeded);
      await b.currentRevision(); // b publishes the update to its watcher
      await until(() => stale.events.length === 1, 'the update on b');
      const third = await a.update('/x/k', enc('3'), second.kv.modRevision);
      const fourth = third.succeeded && (await a.update('/x/k', enc('4'), third.kv.modRevision));
      assert.ok(fourth && fourth.succeeded);
      // Compacted by a before b looked: b's watcher has not seen revision `third`, which is gone now.
      await a.compact(fourth.revision);
      assert.equal(await b.compactedRevision(), fourth.revision);
      await assert.rejects(b.get('/x/k', { revision: first.revision }), CompactedError);
      await assert.rejects(b.range('/x/', { revision: second.revision }), CompactedError);
      assert.equal(dec((await b.get('/x/k')).kv!.value), '4');
      await until(() => stale.errors.length === 1, 'the watcher ended');
      assert.ok(stale.errors[0] instanceof CompactedError);
      assert.deepEqual(stale.revs(), [second.revision], 'nothing after the gap was delivered');
      // A watch from before the compaction fails; one from it works and sees later writes.
      const old = record(b, '/x/', second.revision);
      await until(() => old.errors.length === 1, 'the old watch refused');
      assert.ok(old.errors[0] instanceof CompactedError);
      const fresh = record(b, '/x/', fourth.revision);
      const fifth = await a.update('/x/k', enc('5'), fourth.revision);
      assert.ok(fifth.succeeded);
      b.refresh();
      await until(() => fresh.events.length === 1, 'the write after the compaction');
      assert.equal(fresh.events[0].kv.modRevision, fifth.revision);
      assert.deepEqual(fresh.errors, []);
      fresh.watch.cancel();
    } finally {
      await close();
    }
  });

  it('a compaction the other instance had already followed ends none of its watchers', async () => {
    const { a, b, close } = await pair({ tailIntervalMs: 60_000 });
    try {
      const start = await b.currentRevision();
      const w = record(b, '/y/', start);
      const c = await a.create('/y/k', enc('1'));
      assert.ok(c.succeeded);
      b.refresh();
      await a.compact(c.revision);
      const d = await a.update('/y/k', enc('2'), c.revision);
      assert.ok(d.succeeded);
      b.refresh();
      await until(() => w.events.length === 2, 'both writes');
      assert.deepEqual(w.errors, []);
      assert.deepEqual(w.revs(), [c.revision, d.revision]);
      w.watch.cancel();
    } finally {
      await close();
    }
  });

  it('the compactor on both instances: one compacts per interval, and both know it', async () => {
    const { a, b, close } = await pair({ tailIntervalMs: 60_000 });
    try {
      const onA = new CompactionRound(a);
      const onB = new CompactionRound(b);
      assert.equal(await onA.tick(), 0); // creates the key: no compaction on bootstrap
      const aSaw = await a.currentRevision();
      assert.equal(await onB.tick(), 0); // loses the compare-and-swap and learns
      assert.ok((await b.create('/z/1', enc('x'))).succeeded);
      assert.equal(await onA.tick(), aSaw);
      assert.equal(await onB.tick(), 0, 'b does not compact in the same interval');
      assert.equal(await b.compactedRevision(), aSaw);
      const bSaw = await b.currentRevision();
      assert.ok((await a.create('/z/2', enc('x'))).succeeded);
      assert.equal(await onB.tick(), bSaw, 'b wins the next interval');
      assert.equal(await onA.tick(), 0);
      assert.equal(await a.compactedRevision(), bSaw);
      await assert.rejects(a.get('/z/1', { revision: aSaw }), CompactedError);
    } finally {
      await close();
    }
  });

  it('a write waiting for the lock another process holds does not stop this one from serving', async () => {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path, { shared: true });
    try {
      assert.ok((await kv.create('/l/before', enc('1'))).succeeded);
      // The other process takes the write lock for 600 ms, as a long transaction would.
      const script = `
        const Database = require('better-sqlite3');
        const db = new Database(${JSON.stringify(tmp.path)});
        db.exec('BEGIN IMMEDIATE');
        process.stdout.write('locked\\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
        db.exec('COMMIT');
        db.close();`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve()));
      const started = Date.now();
      let writeDone = 0;
      const write = kv.create('/l/during', enc('2')).then((r) => ((writeDone = Date.now()), r));
      // Meanwhile reads are answered and timers fire: the event loop is not asleep in SQLite's busy wait.
      const read = await kv.get('/l/before');
      assert.equal(dec(read.kv!.value), '1');
      await sleep(50);
      assert.ok(Date.now() - started < 400, 'a 50 ms timer fired while the lock was held');
      assert.equal(writeDone, 0, 'the write waits for the lock');
      const res = await write;
      assert.ok(res.succeeded, 'and then succeeds');
      assert.ok(writeDone - started >= 300, `written after the lock was released (${writeDone - started} ms)`);
      assert.equal(await exited, 0);
    } finally {
      await kv.close();
      await tmp.cleanup();
    }
  });

  it('with a second process on the file: no lost update, and a watcher here sees every write in order', async () => {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path, { shared: true });
    try {
      const created = await kv.create('/p/counter', enc('0'));
      assert.ok(created.succeeded);
      const watch = record(kv, '/p/', created.revision);
      const kvModule = fileURLToPath(new URL('../../runtime/storage/sqlite/kv.ts', import.meta.url));
      // The other process increments the same counter and writes keys of its own.
      const script = `
        import { SqliteKV } from ${JSON.stringify(kvModule)};
        const kv = await SqliteKV.open(${JSON.stringify(tmp.path)}, { shared: true });
        const enc = (s) => new TextEncoder().encode(s);
        for (let n = 0; n < 200; n++) {
          for (;;) {
            const cur = await kv.get('/p/counter');
            const res = await kv.update('/p/counter', enc(String(Number(new TextDecoder().decode(cur.kv.value)) + 1)), cur.kv.modRevision);
            if (res.succeeded) break;
          }
          await kv.create('/p/child-' + n, enc('x'));
        }
        await kv.close();`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'inherit', 'inherit'] });
      const exited = new Promise<number | null>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code) => resolve(code));
      });
      for (let n = 0; n < 200; n++) {
        await increment(kv, '/p/counter');
        const r = await kv.create(`/p/parent-${n}`, enc('x'));
        assert.ok(r.succeeded);
      }
      assert.equal(await exited, 0, 'the other process finished');
      assert.equal(dec((await kv.get('/p/counter')).kv!.value), '400');
      assert.equal((await kv.range('/p/')).count, 401);
      const end = await kv.currentRevision();
      assert.equal(end, created.revision + 800, 'one revision per write, from both processes');
      await until(() => watch.events.length >= 800, 'every event from both processes');
      assert.deepEqual(watch.revs(), Array.from({ length: 800 }, (_, i) => created.revision + 1 + i));
      const counterValues = watch.events.filter((e) => e.kv.key === '/p/counter').map((e) => Number(dec(e.kv.value)));
      assert.deepEqual(counterValues, Array.from({ length: 400 }, (_, i) => i + 1));
      // prevKv comes from the history: each counter event's previous value is one less.
      for (const e of watch.events.filter((x) => x.kv.key === '/p/counter')) {
        assert.equal(Number(dec(e.prevKv!.value)), Number(dec(e.kv.value)) - 1);
      }
      assert.deepEqual(watch.errors, []);
      watch.watch.cancel();
    } finally {
      await kv.close();
      await tmp.cleanup();
    }
  });
});
