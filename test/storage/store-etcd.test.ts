/** The ObjectStore conformance suite on a real etcd, directly and through the watch cache; etcd faults. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EtcdKV, progressRequestsOrdered } from '../../runtime/storage/etcd/kv.ts';
import { StorageUnavailableError } from '../../runtime/storage/kv.ts';
import { ObjectStore } from '../../runtime/storage/store.ts';
import { Cacher } from '../../runtime/storage/cacher/cacher.ts';
import { storageHealthCheck } from '../../runtime/storage/health.ts';
import { startEtcd } from '../support/etcd.ts';
import { RESOURCE_PREFIX, Recorder, keyOf, nsPrefix, runStoreConformance, waitFor, widget } from './store.conformance.ts';
import { runCacherCases } from './cacher.cases.ts';
import { widgetJsonCodec, widgetProtobufCodec } from './protobuf-codec.ts';
import { runCompactorCases } from './compactor.cases.ts';

const HISTORY = 30;
const quiet = { warn: () => {}, error: () => {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An etcd and a client of it; a client that fails to open, or to close, still stops the etcd. */
async function openEtcd() {
  const etcd = await startEtcd();
  const kv = await EtcdKV.open({ endpoints: etcd.endpoint }).catch(async (err) => {
    await etcd.stop();
    throw err;
  });
  const cleanup = async () => {
    try {
      await kv.close();
    } finally {
      await etcd.stop();
    }
  };
  return { kv, etcd, cleanup };
}

runStoreConformance('etcd', async () => {
  const { kv, cleanup } = await openEtcd();
  return { store: new ObjectStore(kv, { bookmarkIntervalMs: 300, codec: widgetJsonCodec() }), kv, cleanup };
}, { history: HISTORY });

runStoreConformance('etcd + watch cache', async () => {
  const { kv, cleanup } = await openEtcd();
  const cacher = new Cacher(new ObjectStore(kv, { codec: widgetJsonCodec() }), RESOURCE_PREFIX, { capacity: HISTORY, bookmarkIntervalMs: 300, freshnessTimeoutMs: 2000 });
  return { store: cacher, kv, cleanup: async () => { cacher.stop(); await cleanup(); } };
}, { history: HISTORY });

// The same suite with values in protobuf, kube-apiserver's default storage media type.
runStoreConformance('etcd, protobuf', async () => {
  const { kv, cleanup } = await openEtcd();
  return { store: new ObjectStore(kv, { bookmarkIntervalMs: 300, codec: widgetProtobufCodec() }), kv, cleanup };
}, { history: HISTORY, mediaType: 'protobuf' });

runStoreConformance('etcd + watch cache, protobuf', async () => {
  const { kv, cleanup } = await openEtcd();
  const cacher = new Cacher(new ObjectStore(kv, { codec: widgetProtobufCodec() }), RESOURCE_PREFIX, { capacity: HISTORY, bookmarkIntervalMs: 300, freshnessTimeoutMs: 2000 });
  return { store: cacher, kv, cleanup: async () => { cacher.stop(); await cleanup(); } };
}, { history: HISTORY, mediaType: 'protobuf' });

runCacherCases('etcd', openEtcd);

runCompactorCases('etcd', openEtcd);

describe('etcd versions', () => {
  it('progress requests are trusted only from etcd 3.4.31 / 3.5.13 on', () => {
    for (const v of ['3.4.23', '3.4.30', '3.5.0', '3.5.12', '2.3.8', 'garbage']) assert.equal(progressRequestsOrdered(v), false, v);
    for (const v of ['3.4.31', '3.5.13', '3.5.21', '3.6.0', '4.0.0']) assert.equal(progressRequestsOrdered(v), true, v);
  });
});

describe('ObjectStore and Cacher on etcd: faults', () => {
  it('the etcd health check fails fast when etcd hangs, and passes again after', async () => {
    const { kv, etcd, cleanup } = await openEtcd();
    try {
      const h = storageHealthCheck(kv, 1000);
      await h.check();
      etcd.pause();
      const t0 = Date.now();
      await assert.rejects(h.check(), StorageUnavailableError);
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
      etcd.resume();
      await waitFor(() => h.check().then(() => true, () => false), 'healthy again');
    } finally {
      etcd.resume();
      await cleanup();
    }
  });

  it('etcd killed and restarted mid-load: requests fail fast, every acknowledged write survives, the cache recovers', async () => {
    const { etcd, cleanup } = await openEtcd();
    const kv = await EtcdKV.open({ endpoints: etcd.endpoint, callTimeoutMs: 2000 });
    const store = new ObjectStore(kv, { log: quiet });
    const cacher = new Cacher(store, RESOURCE_PREFIX, { log: quiet });
    let stop = false;
    try {
      assert.ok(await cacher.whenReady(20_000));
      const rec = new Recorder(cacher, nsPrefix('load'), { resourceVersion: String(await store.currentRevision()) });
      const acked: string[] = [];
      const failures: { ms: number; err: unknown }[] = [];
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          const name = `w${w}-${i}`;
          const t0 = Date.now();
          try {
            await store.create(keyOf('load', name), widget('load', name));
            acked.push(name);
          } catch (err) {
            failures.push({ ms: Date.now() - t0, err });
            await sleep(50);
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await waitFor(() => acked.length >= 100, '100 writes before the kill', 60_000);
      await etcd.kill();
      const ackedAtKill = acked.length;
      await waitFor(() => failures.length >= 8, 'writes fail while etcd is down', 60_000);

      let t0 = Date.now();
      await assert.rejects(store.get(keyOf('load', acked[0])), StorageUnavailableError);
      assert.ok(Date.now() - t0 < 5000, `a get took ${Date.now() - t0} ms`);
      t0 = Date.now();
      await assert.rejects(cacher.list(nsPrefix('load')), StorageUnavailableError, 'a consistent read cannot be served while the store is down');
      assert.ok(Date.now() - t0 < 5000, `a consistent list took ${Date.now() - t0} ms`);
      const stale = await cacher.list(nsPrefix('load'), { resourceVersion: '0' });
      assert.ok(stale.items.length > 0, 'resourceVersion=0 is still answered from memory');
      await assert.rejects(storageHealthCheck(kv).check(), StorageUnavailableError);

      await etcd.restart();
      await waitFor(() => acked.length >= ackedAtKill + 100, '100 more writes after the restart', 60_000);
      stop = true;
      await Promise.all(writers);

      for (const f of failures) {
        assert.ok(f.err instanceof StorageUnavailableError, `failure is StorageUnavailableError: ${f.err}`);
        assert.ok(f.ms < 5000, `a failed write took ${f.ms} ms`);
      }
      const stored = (await store.list(nsPrefix('load'))).items.map((o) => o.metadata.name as string);
      const set = new Set(stored);
      assert.deepEqual(acked.filter((n) => !set.has(n)), [], 'every acknowledged write is stored');

      // The cache resumed its store watch by itself: consistent reads and the old watcher see everything.
      await waitFor(async () => (await cacher.list(nsPrefix('load')).then((l) => l.items.length, () => -1)) === stored.length, 'the cache serves the full state');
      await waitFor(() => rec.changes().length >= stored.length || rec.errors.length > 0, 'the watcher sees every write');
      assert.deepEqual(rec.errors, [], 'the watch survived the outage');
      assert.deepEqual(rec.changes().map((e) => e.object.metadata.name).sort(), [...stored].sort());
      rec.stop();
    } finally {
      stop = true; // a failed assertion must not leave the writers retrying forever
      cacher.stop();
      await kv.close();
      await cleanup();
    }
  });
});
