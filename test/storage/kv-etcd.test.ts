/** The KV conformance suite against a real etcd process, plus etcd-only fault and lease checks. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EtcdKV } from '../../runtime/storage/etcd/kv.ts';
import { StorageUnavailableError } from '../../runtime/storage/kv.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { runKVConformance } from './kv.conformance.ts';

// A client that fails to open, or to close, still stops the etcd.
runKVConformance('etcd', async () => {
  const etcd = await startEtcd();
  const kv = await EtcdKV.open({ endpoints: etcd.endpoint }).catch(async (err) => {
    await etcd.stop();
    throw err;
  });
  return {
    kv,
    cleanup: async () => {
      try {
        await kv.close();
      } finally {
        await etcd.stop();
      }
    },
  };
});

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('EtcdKV specifics', () => {
  let etcd: EtcdServer;
  let kv: EtcdKV;

  before(async () => {
    etcd = await startEtcd();
    kv = await EtcdKV.open({ endpoints: etcd.endpoint, callTimeoutMs: 2000 });
  });
  after(async () => {
    try {
      await kv?.close();
    } finally {
      await etcd?.stop();
    }
  });

  it('objects with the same TTL share one lease', async () => {
    const a = await kv.create('/lease/a', enc('a'), { ttlSeconds: 300 });
    const b = await kv.create('/lease/b', enc('b'), { ttlSeconds: 300 });
    const c = await kv.create('/lease/c', enc('c'));
    assert.ok(a.succeeded && b.succeeded && c.succeeded);
    const res = await kv.client.kv.range({ key: Buffer.from('/lease/'), range_end: Buffer.from('/lease0') });
    const leases = res.kvs.map((x) => x.lease);
    assert.notEqual(leases[0], '0');
    assert.equal(leases[0], leases[1]);
    assert.equal(leases[2], '0');
  });

  it('a watch replays a history of large values that etcd sends as one response of over 4 MiB', async () => {
    // etcd sends a watcher catching up the events of up to 1000 revisions in one WatchResponse, each with its
    // prevKv: 10 updates of 500 KB make one message of ~10 MB (grpc-js refused messages above 4 MiB).
    const big = (i: number) => enc(String(i).padEnd(500 * 1024, 'x'));
    const first = await kv.create('/big/k', big(0));
    let rev = first.revision;
    for (let i = 1; i <= 10; i++) rev = (await kv.update('/big/k', big(i), rev)).revision;
    const seen: string[] = [];
    const errors: Error[] = [];
    const w = kv.watch('/big/', first.revision, {
      onEvents: (evs) => seen.push(...evs.map((e) => `${dec(e.kv.value).slice(0, 2)}<-${dec(e.prevKv!.value).slice(0, 2)}`)),
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 200 && seen.length < 10 && errors.length === 0; i++) await sleep(50);
    w.cancel();
    assert.deepEqual(errors, []);
    assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => `${String(i + 1).padEnd(2, 'x')}<-${String(i).padEnd(2, 'x')}`));
  });

  it('fails fast with StorageUnavailableError while etcd is down, and recovers after restart', async () => {
    const c = await kv.create('/fault/k', enc('v1'));
    assert.ok(c.succeeded);
    const errors: Error[] = [];
    kv.watch('/fault/', c.revision, { onEvents: () => {}, onError: (e) => errors.push(e) });

    await etcd.kill();
    const t0 = Date.now();
    await assert.rejects(kv.get('/fault/k'), StorageUnavailableError);
    await assert.rejects(kv.update('/fault/k', enc('v2'), c.revision), StorageUnavailableError);
    await assert.rejects(kv.ping(), StorageUnavailableError);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(50);
    assert.equal(errors.length, 1, 'the watch reports the lost backend');
    assert.ok(errors[0] instanceof StorageUnavailableError, `got ${errors[0]}`);

    // A watch started while etcd is down fails too, instead of hanging.
    const lateErrors: Error[] = [];
    kv.watch('/fault/', c.revision, { onEvents: () => {}, onError: (e) => lateErrors.push(e) });
    for (let i = 0; i < 100 && lateErrors.length === 0; i++) await sleep(50);
    assert.ok(lateErrors[0] instanceof StorageUnavailableError, `got ${lateErrors[0]}`);

    await etcd.restart();
    let got: Awaited<ReturnType<EtcdKV['get']>> | undefined;
    for (let i = 0; i < 50 && !got; i++) {
      got = await kv.get('/fault/k').catch(() => undefined);
      if (!got) await sleep(100);
    }
    assert.ok(got, 'reads work again after restart');
    assert.equal(dec(got.kv!.value), 'v1', 'data survives a SIGKILL');
    await kv.ping();

    const events: string[] = [];
    const w = kv.watch('/fault/', got.revision, {
      onEvents: (evs) => events.push(...evs.map((e) => dec(e.kv.value))),
      onError: (e) => assert.fail(e),
    });
    const u = await kv.update('/fault/k', enc('v3'), c.revision);
    assert.ok(u.succeeded);
    for (let i = 0; i < 100 && events.length === 0; i++) await sleep(20);
    w.cancel();
    assert.deepEqual(events, ['v3']);
  });
});
