/**
 * Where a range allocator keeps its state: one RangeAllocation object (`range`, `data`) under one key, as
 * upstream keeps `<prefix>/ranges/serviceips` and `<prefix>/ranges/servicenodeports`. Writes are compare-and-swap on
 * the key's revision, so API servers sharing a store never hand out the same value. The interface is small so the
 * key or the encoding can change without touching the allocators.
 */
import type { KeyValue, KV } from '../../../storage/kv.ts';
import protobuf from 'protobufjs/minimal.js';
import { decodeObject, encodeObject, type StoredObject } from '../../../storage/store.ts';
import { decodeEnvelope, encodeEnvelope, protobufMagic, type ProtobufCodec } from '../../../machinery/protobuf.ts';

const { Reader, Writer } = protobuf;

export interface RangeSnapshot {
  /** The range the bitmap covers (`10.0.0.0/24`, `30000-32767`). */
  range: string;
  /** The bitmap: big-endian, bit i set when offset i is taken. */
  data: Uint8Array;
}

export interface StoredRangeSnapshot extends RangeSnapshot {
  /** The revision to compare against when writing. */
  revision: number;
}

export interface RangeAllocationStore {
  /** The stored state, or undefined before the first repair pass wrote it. */
  get(): Promise<StoredRangeSnapshot | undefined>;
  /** Writes when the stored revision is still `revision` (0: only when absent); undefined when someone wrote first. */
  write(snapshot: RangeSnapshot, revision: number): Promise<number | undefined>;
}

/** How the RangeAllocation object is written (the store's media type); JSON when not given. */
export interface RangeAllocationCodec {
  encode(obj: StoredObject): Uint8Array;
  decode(kv: KeyValue): StoredObject;
}

const jsonObjects: RangeAllocationCodec = { encode: (obj) => encodeObject(obj), decode: (kv) => decodeObject(kv) };

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * RangeAllocation in protobuf, as kube-apiserver stores it with its default media type: core/v1's message
 * {metadata = 1, range = 2, data = 3} in the `k8s\0` envelope. RangeAllocation is no served kind (it has no schema
 * or REST of its own here), so its three fields are written directly. Reads take JSON too: a value an earlier
 * server wrote stays readable, and the next write turns it into protobuf.
 */
export function protobufRangeAllocations(codec: ProtobufCodec): RangeAllocationCodec {
  return {
    encode(obj) {
      const w = Writer.create();
      w.uint32((1 << 3) | 2).bytes(codec.encode(objectMeta, obj.metadata ?? {}));
      w.uint32((2 << 3) | 2).string(String(obj.range ?? ''));
      w.uint32((3 << 3) | 2).bytes(Buffer.from(String(obj.data ?? ''), 'base64'));
      return encodeEnvelope('v1', 'RangeAllocation', w.finish());
    },
    decode(kv) {
      if (!protobufMagic.every((b, i) => kv.value[i] === b)) return decodeObject(kv);
      const { raw } = decodeEnvelope(kv.value);
      const r = Reader.create(raw);
      const obj: StoredObject = { apiVersion: 'v1', kind: 'RangeAllocation', metadata: {} };
      while (r.pos < r.len) {
        const tag = r.uint32();
        if (tag >>> 3 === 2) obj.range = r.string();
        else if (tag >>> 3 === 3) obj.data = Buffer.from(r.bytes()).toString('base64');
        else r.skipType(tag & 7);
      }
      return obj;
    },
  };
}

/** A RangeAllocation object of core/v1 under `key` of the store, encoded as every other object. */
export function kvRangeAllocationStore(kv: KV, key: string, codec: RangeAllocationCodec = jsonObjects): RangeAllocationStore {
  return {
    async get() {
      const { kv: found } = await kv.get(key);
      if (!found) return undefined;
      const obj = codec.decode(found);
      return { range: String(obj.range ?? ''), data: new Uint8Array(Buffer.from(String(obj.data ?? ''), 'base64')), revision: found.modRevision };
    },
    async write(snapshot, revision) {
      // Go writes an empty ObjectMeta as {"creationTimestamp":null}; data is []byte, base64 in JSON and omitted when empty.
      const obj = { kind: 'RangeAllocation', apiVersion: 'v1', metadata: { creationTimestamp: null }, range: snapshot.range, ...(snapshot.data.length ? { data: Buffer.from(snapshot.data).toString('base64') } : {}) };
      const value = codec.encode(obj);
      const res = revision === 0 ? await kv.create(key, value) : await kv.update(key, value, revision);
      return res.succeeded ? res.revision : undefined;
    },
  };
}
