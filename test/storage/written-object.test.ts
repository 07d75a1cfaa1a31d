/**
 * A written object reaches its writer and the watch cache without its bytes being decoded back (the codec makes it
 * from the object it encoded, see StorageCodec.decodeStored): what they get is still what decoding the stored
 * bytes gives, members JSON leaves out and all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { ObjectStore, type StoredObject } from '../../runtime/storage/store.ts';
import { Cacher } from '../../runtime/storage/cacher/cacher.ts';
import { jsonCopy } from '../../runtime/machinery/json-value.ts';
import { jsonCodec, type StorageCodec } from '../../runtime/storage/codec.ts';
import { widgetProtobufCodec } from './protobuf-codec.ts';
import { tempDbPath } from '../support/sqlite.ts';

/** An object whose JSON text says less than the object: undefined members, -0, non-finite numbers, holes. */
function awkward(name: string): StoredObject {
  return {
    apiVersion: 'v1',
    metadata: { name, namespace: 'ns', resourceVersion: '7', selfLink: '/x', generateName: undefined, labels: { a: 'b' } },
    kind: 'Widget',
    spec: { zero: -0, inf: Infinity, nan: NaN, list: [1, undefined, () => 1, { x: undefined, y: null }], f: () => 1, __proto__x: 1 },
  };
}

const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

test('jsonCopy is JSON.parse(JSON.stringify(v)) for plain values, and gives up on anything else', () => {
  const v = awkward('w');
  const proto = JSON.parse('{"__proto__": {"a": 1}, "b": [1, 2]}') as object;
  for (const x of [v, proto, [undefined, 1], { a: { b: [{}] } }]) {
    assert.deepEqual(jsonCopy(x), roundTrip(x));
    assert.equal(JSON.stringify(jsonCopy(x)), JSON.stringify(x));
    assert.ok(Object.is((jsonCopy({ z: -0 }) as { z: number }).z, 0));
  }
  assert.equal(jsonCopy({ when: new Date(0) }), undefined);
  assert.equal(jsonCopy({ n: 1n }), undefined);
  assert.equal(jsonCopy({ t: { toJSON: () => 'x' } }), undefined);
});

test('the writer and the watch cache get what decoding the written bytes gives', async () => {
  const tmp = await tempDbPath();
  const kv = await SqliteKV.open(tmp.path);
  const store = new ObjectStore(kv);
  const cacher = new Cacher(store, '/registry/widgets/');
  try {
    assert.ok(await cacher.whenReady(10_000));
    const key = '/registry/widgets/ns/w';
    const created = await cacher.create(key, awkward('w'));
    const stored = await store.get(key);
    assert.equal(JSON.stringify(created), JSON.stringify(stored));
    assert.deepEqual(created, stored);
    assert.equal(JSON.stringify(await cacher.get(key, { resourceVersion: created.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' })), JSON.stringify(stored));

    const updated = await cacher.guaranteedUpdate(key, async (cur) => ({ ...cur, spec: { ...cur.spec, more: [undefined] } }));
    const storedAfter = await store.get(key);
    assert.deepEqual(updated, storedAfter);
    assert.deepEqual(updated.spec.more, [null]);
    assert.equal(JSON.stringify(await cacher.get(key, { resourceVersion: updated.metadata.resourceVersion, resourceVersionMatch: 'NotOlderThan' })), JSON.stringify(storedAfter));

    // An object JSON cannot say simply (a Date) is decoded from its bytes as before.
    const dated = await cacher.create('/registry/widgets/ns/d', { ...awkward('d'), spec: { when: new Date(0) } });
    assert.deepEqual(dated.spec, { when: '1970-01-01T00:00:00.000Z' });
  } finally {
    cacher.stop();
    await kv.close();
    await tmp.cleanup();
  }
});

test('a write is not decoded back: neither its writer nor the watch cache reads the bytes, JSON or protobuf', async () => {
  for (const base of [jsonCodec, widgetProtobufCodec()]) {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path);
    let decoded = 0;
    const codec = { ...base, decode: (value: Uint8Array) => (decoded++, base.decode(value)) };
    const store = new ObjectStore(kv, { codec });
    const cacher = new Cacher(store, '/registry/widgets/');
    try {
      assert.ok(await cacher.whenReady(10_000));
      const events: StoredObject[] = [];
      const watch = cacher.watch('/registry/widgets/', { resourceVersion: (await cacher.currentRevision()).toString() }, { onEvent: (e) => events.push(e.object), onError: () => undefined });
      // What the bytes change: a time's fraction, a zero int64, empty lists and maps, members the message has not.
      const metadata = { name: 'w', namespace: 'ns', creationTimestamp: '2024-05-06T07:08:09.5Z', generation: -0, finalizers: [], labels: {}, annotations: { b: '', a: '1' } };
      const created = await cacher.create('/registry/widgets/ns/w', { apiVersion: 'example.com/v1', kind: 'Widget', metadata, spec: { n: 1, x: 'y' } });
      const updated = await cacher.guaranteedUpdate('/registry/widgets/ns/w', async (cur) => ({ ...cur, spec: { n: 2, i: -0 } }), { suggestion: created });
      while (events.length < 2) await new Promise((r) => setTimeout(r, 10));
      watch.stop();
      assert.equal(decoded, 0, base.mediaType);
      const storedAfter = await store.get('/registry/widgets/ns/w');
      assert.equal(JSON.stringify(updated), JSON.stringify(storedAfter), base.mediaType);
      assert.equal(JSON.stringify(events[1]), JSON.stringify(storedAfter), base.mediaType);
      if (base !== jsonCodec) assert.deepEqual(created.metadata, { name: 'w', namespace: 'ns', annotations: { a: '1', b: '' }, creationTimestamp: '2024-05-06T07:08:09Z', resourceVersion: created.metadata.resourceVersion });
    } finally {
      cacher.stop();
      await kv.close();
      await tmp.cleanup();
    }
  }
});

test('an update from the cached object encodes only its new value, and still tells a no-op from a change', async () => {
  for (const base of [jsonCodec, widgetProtobufCodec()]) {
    const tmp = await tempDbPath();
    const kv = await SqliteKV.open(tmp.path);
    let encoded = 0;
    const codec: StorageCodec = { ...base, encode: (obj) => (encoded++, base.encode(obj)), encodeWrite: (obj) => (encoded++, base.encodeWrite!(obj)) };
    const cacher = new Cacher(new ObjectStore(kv, { codec }), '/registry/widgets/');
    try {
      assert.ok(await cacher.whenReady(10_000));
      const key = '/registry/widgets/ns/w';
      const created = await cacher.create(key, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns' }, spec: { n: 1 } });
      const rv = created.metadata.resourceVersion;
      await waitForCache(cacher, key, rv);
      encoded = 0;
      const updated = await cacher.guaranteedUpdate(key, async (cur) => ({ ...cur, spec: { n: 2 } }));
      assert.equal(encoded, 1, `${base.mediaType}: one encoding, of the new value`);
      assert.ok(Number(updated.metadata.resourceVersion) > Number(rv));
      await waitForCache(cacher, key, updated.metadata.resourceVersion);
      // A no-op: spotted from the cached digest, confirmed against the store's bytes, nothing written.
      encoded = 0;
      const same = await cacher.guaranteedUpdate(key, async (cur) => ({ ...cur, spec: { n: 2 } }));
      assert.equal(same.metadata.resourceVersion, updated.metadata.resourceVersion, `${base.mediaType}: a no-op keeps the resourceVersion`);
      assert.equal(encoded, 2, `${base.mediaType}: the attempt from the cache, and the one from the store's state`);
    } finally {
      cacher.stop();
      await kv.close();
      await tmp.cleanup();
    }
  }
});

async function waitForCache(cacher: Cacher, key: string, rv: string): Promise<void> {
  await cacher.get(key, { resourceVersion: rv, resourceVersionMatch: 'NotOlderThan' });
}
