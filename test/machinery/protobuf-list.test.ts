/**
 * A protobuf list written around its items' own bytes (ProtobufCodec.encodeList, as gets and lists of cached objects
 * do) is byte for byte the list encodeObject writes, whatever the sizes of its items and of their length prefixes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addToScheme } from '../../generated/index.ts';
import { decodeEnvelope, encodeEnvelope } from '../../runtime/machinery/protobuf.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';

const scheme = new Scheme();
addToScheme(scheme);
const codec = scheme.protobuf;

/** ConfigMaps whose messages are 1-, 2- and 3-byte varints long. */
const items = [0, 10, 200, 20_000].map((size, i) => ({
  metadata: { name: `cm${i}`, namespace: 'ns', resourceVersion: String(10 + i), creationTimestamp: '2024-01-02T03:04:05Z', labels: { i: String(i) } },
  data: size ? { v: 'x'.repeat(size) } : undefined,
}));

describe('protobuf lists from item bytes', () => {
  for (const [name, metadata] of [
    ['a consistent list', { resourceVersion: '42' }],
    ['a page', { resourceVersion: '42', continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ', remainingItemCount: 3 }],
  ] as const) {
    for (const count of [0, 1, items.length]) {
      it(`${name} of ${count} items`, () => {
        const list = { apiVersion: 'v1', kind: 'ConfigMapList', metadata };
        const some = items.slice(0, count);
        const raws = some.map((item) => codec.encodeRaw('v1', 'ConfigMap', item));
        assert.deepEqual(Buffer.from(codec.encodeList(list, raws)), Buffer.from(codec.encodeObject({ ...list, items: some })));
      });
    }
  }

  it('an envelope around a message, for any length of apiVersion, kind and message', () => {
    for (const [apiVersion, kind] of [['v1', 'ConfigMap'], [`${'g'.repeat(130)}.example.com/v1`, 'K'.repeat(200)]]) {
      for (const size of [0, 100, 20_000]) {
        const raw = new Uint8Array(size).map((_, i) => i % 251);
        const enveloped = encodeEnvelope(apiVersion, kind, raw);
        const decoded = decodeEnvelope(enveloped);
        assert.deepEqual([decoded.apiVersion, decoded.kind, Buffer.from(decoded.raw)], [apiVersion, kind, Buffer.from(raw)]);
        // contentEncoding and contentType: written empty, as Go does.
        assert.deepEqual([...enveloped.subarray(-4)], [0x1a, 0, 0x22, 0]);
      }
    }
  });
});
