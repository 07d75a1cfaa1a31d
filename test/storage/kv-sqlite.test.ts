/** The KV conformance suite against a real SQLite file, plus SQLite-only durability and query-plan checks. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { CompactedError } from '../../runtime/storage/kv.ts';
import { tempDbPath } from '../support/sqlite.ts';
import { runKVConformance } from './kv.conformance.ts';
import { withOverrides } from './kv-wrap.ts';

runKVConformance('sqlite', async () => {
  const tmp = await tempDbPath();
  const kv = await SqliteKV.open(tmp.path);
  return {
    kv,
    cleanup: async () => {
      await kv.close();
      await tmp.cleanup();
    },
  };
});

// Shared mode (--workers) with two instances on one file: every write goes through one, every read and watch
// through the other, so each case checks that the reader follows the writer's history.
runKVConformance('sqlite shared: writes through one instance, reads and watches through another', async () => {
  const tmp = await tempDbPath();
  const writer = await SqliteKV.open(tmp.path, { shared: true });
  const reader = await SqliteKV.open(tmp.path, { shared: true });
  const kv = withOverrides(reader, {
    create: writer.create.bind(writer),
    update: writer.update.bind(writer),
    delete: writer.delete.bind(writer),
    compact: writer.compact.bind(writer),
  });
  return {
    kv,
    cleanup: async () => {
      await writer.close();
      await reader.close();
      await tmp.cleanup();
    },
  };
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('SqliteKV specifics', () => {
  it('data, revision counter and compacted revision survive close and reopen', async () => {
    const tmp = await tempDbPath();
    try {
      let kv = await SqliteKV.open(tmp.path);
      const a = await kv.create('/registry/a', enc('1'));
      const b = await kv.create('/registry/b', enc('2'));
      assert.ok(a.succeeded && b.succeeded);
      const d = await kv.delete('/registry/b');
      assert.ok(d.succeeded);
      await kv.compact(b.revision);
      await kv.close();

      kv = await SqliteKV.open(tmp.path);
      assert.equal(await kv.currentRevision(), d.revision);
      assert.equal(await kv.compactedRevision(), b.revision);
      assert.equal(dec((await kv.get('/registry/a')).kv!.value), '1');
      assert.equal((await kv.get('/registry/b')).kv, undefined);
      await assert.rejects(kv.get('/registry/a', { revision: a.revision }), CompactedError);
      const c = await kv.create('/registry/c', enc('3'));
      assert.ok(c.succeeded);
      assert.equal(c.revision, d.revision + 1, 'the revision counter continues');
      await kv.close();

      // Compacting at the very latest revision (a tombstone) must not move the counter backwards.
      kv = await SqliteKV.open(tmp.path);
      const del = await kv.delete('/registry/c');
      assert.ok(del.succeeded);
      await kv.compact(del.revision);
      await kv.close();
      kv = await SqliteKV.open(tmp.path);
      assert.equal(await kv.currentRevision(), del.revision);
      await kv.close();
    } finally {
      await tmp.cleanup();
    }
  });

  it('prefix ranges and range-at-revision use indexes, not full scans', async () => {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path);
    try {
      const plans = kv.explainPlans();
      for (const [name, plan] of Object.entries(plans)) {
        assert.match(plan, /USING (COVERING )?(INDEX|PRIMARY KEY)|SEARCH/, `${name}: ${plan}`);
        assert.doesNotMatch(plan, /SCAN (latest|history)\b(?! USING)/, `${name} scans a table: ${plan}`);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `${name} sorts instead of walking an index: ${plan}`);
      }
    } finally {
      await kv.close();
      await tmp.cleanup();
    }
  });

  it('a long replay is read in chunks and hands over to live events without gaps', async () => {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path, { replayChunk: 7 });
    try {
      const start = await kv.currentRevision();
      const revs: number[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await kv.create(`/p/${i}`, enc(String(i)));
        assert.ok(r.succeeded);
        revs.push(r.revision);
        await kv.create(`/other/${i}`, enc('x'));
      }
      const seen: number[] = [];
      const progress: number[] = [];
      const w = kv.watch('/p/', start, {
        onEvents: (evs) => seen.push(...evs.map((e) => e.kv.modRevision)),
        onProgress: (rev) => progress.push(rev),
        onError: (err) => assert.fail(err),
      });
      // Writes interleaved with the chunked catch-up.
      for (let i = 40; i < 60; i++) {
        const r = await kv.create(`/p/${i}`, enc(String(i)));
        assert.ok(r.succeeded);
        revs.push(r.revision);
        await new Promise((res) => setImmediate(res));
      }
      const deadline = Date.now() + 5000;
      while (seen.length < revs.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      w.cancel();
      assert.deepEqual(seen, revs);
      assert.ok(progress.length > 0, 'a progress notification after catching up');
    } finally {
      await kv.close();
      await tmp.cleanup();
    }
  });

  it('every acknowledged write survives SIGKILL of the writing process', async () => {
    const tmp = await tempDbPath();
    try {
      const kvModule = fileURLToPath(new URL('../../runtime/storage/sqlite/kv.ts', import.meta.url));
      const script = `
        import { SqliteKV } from ${JSON.stringify(kvModule)};
        const kv = await SqliteKV.open(${JSON.stringify(tmp.path)});
        for (let i = 0; ; i++) {
          const r = await kv.create('/crash/' + String(i).padStart(6, '0'), new TextEncoder().encode(String(i)));
          process.stdout.write(r.revision + '\\n');
        }`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let acked = 0;
      let buf = '';
      await new Promise<void>((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', () => resolve());
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          const lines = buf.split('\n');
          buf = lines.pop()!;
          for (const l of lines) acked = Math.max(acked, Number(l));
          if (acked >= 200 && child.exitCode === null) child.kill('SIGKILL');
        });
      });
      assert.ok(acked >= 200, `child acknowledged ${acked}`);
      const kv = await SqliteKV.open(tmp.path);
      const rev = await kv.currentRevision();
      assert.ok(rev >= acked, `revision ${rev} < last acknowledged ${acked}`);
      const all = await kv.range('/crash/');
      assert.equal(all.count, rev - 1, 'one key per revision, none lost');
      await kv.close();
    } finally {
      await tmp.cleanup();
    }
  });

  it('operations after close fail with StorageUnavailableError', async () => {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path);
    await kv.close();
    await assert.rejects(kv.get('/x'), { name: 'StorageUnavailableError' });
    await tmp.cleanup();
  });
});
