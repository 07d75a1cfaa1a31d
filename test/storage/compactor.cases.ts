/** Periodic compaction and the storage health check, through the KV contract (the same for both backends). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KV } from '../../runtime/storage/kv.ts';
import { CompactionRound, startCompactor } from '../../runtime/storage/compactor.ts';
import { storageHealthCheck } from '../../runtime/storage/health.ts';
import { waitFor } from './store.conformance.ts';

const enc = (s: string) => new TextEncoder().encode(s);

export function runCompactorCases(name: string, open: () => Promise<{ kv: KV; cleanup(): Promise<void> }>): void {
  describe(`compactor: ${name}`, () => {
    it('several API servers on one store: one compacts per interval, to the revision of its previous tick', async () => {
      const { kv, cleanup } = await open();
      try {
        const a = new CompactionRound(kv);
        const b = new CompactionRound(kv);
        const write = async (i: number) => assert.ok((await kv.create(`/registry/things/t${i}`, enc('x'))).succeeded);
        // Interval 1: a creates the key (bootstrap, no compaction); b loses and learns.
        assert.equal(await a.tick(), 0);
        const aSaw = await kv.currentRevision();
        assert.equal(await b.tick(), 0);
        await write(1);
        // Interval 2: a wins and compacts to what it saw at its previous tick; b loses.
        assert.equal(await a.tick(), aSaw);
        const aSaw2 = await kv.currentRevision();
        assert.equal(await b.tick(), 0);
        const bSaw = await kv.currentRevision();
        assert.equal(await kv.compactedRevision(), aSaw);
        await write(2);
        // Interval 3: b goes first this time and wins; a loses.
        assert.equal(await b.tick(), bSaw);
        assert.equal(await a.tick(), 0);
        assert.equal(await kv.compactedRevision(), bSaw);
        assert.ok(bSaw >= aSaw2);
        // History since the previous tick is kept.
        await kv.get('/registry/things/t2', { revision: bSaw });
      } finally {
        await cleanup();
      }
    });

    it('the periodic compactor compacts on its own and keeps recent history', async () => {
      const { kv, cleanup } = await open();
      const c = startCompactor(kv, { intervalMs: 200, log: { warn: () => {}, error: () => {} } });
      try {
        const first = await kv.create('/registry/things/p', enc('1'));
        assert.ok(first.succeeded);
        await waitFor(async () => (await kv.compactedRevision()) >= first.revision, 'compaction');
        const recent = await kv.currentRevision();
        // Right after a tick, the revision seen then is still readable until the next one.
        assert.ok((await kv.compactedRevision()) <= recent);
      } finally {
        c.stop();
        await cleanup();
      }
    });

    it('interval 0 turns periodic compaction off', async () => {
      const { kv, cleanup } = await open();
      const c = startCompactor(kv, { intervalMs: 0 });
      try {
        await kv.create('/registry/things/z', enc('1'));
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(await kv.compactedRevision(), 0);
      } finally {
        c.stop();
        await cleanup();
      }
    });

    it('the etcd health check passes while the store is up', async () => {
      const { kv, cleanup } = await open();
      try {
        const h = storageHealthCheck(kv);
        assert.equal(h.name, 'etcd');
        await h.check();
      } finally {
        await cleanup();
      }
    });
  });
}
