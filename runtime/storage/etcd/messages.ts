/**
 * The etcd v3 messages of the KV calls on every request's path (Range, Txn) and of the Watch stream, encoded and
 * decoded by hand, with protobufjs' reader and our FlatWriter (field numbers from etcd's rpc.proto and mvccpb/kv.proto).
 * The `etcd3` client's own codec turns every message into a plain object first (each int64 as decimal text, every
 * absent field filled in) and back: for a small object that cost more CPU than the object's own encoding. Here a
 * response is read straight into what the backend uses: keys as text, values as bytes, revisions as numbers.
 */
import protobuf from 'protobufjs/minimal.js';
import { FlatWriter } from '../../machinery/flat-writer.ts';
import { int64 } from '../../machinery/protobuf.ts';

const { Reader } = protobuf;
type ProtoReader = protobuf.Reader;

const VARINT = 0;
const BYTES = 2;
const tag = (n: number, wire: number) => (n << 3) | wire;

export interface RangeRequest {
  key: Uint8Array;
  rangeEnd?: Uint8Array;
  limit?: number;
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
}

export interface PutRequest {
  key: Uint8Array;
  value: Uint8Array;
  lease?: string;
  prevKv?: boolean;
}

export interface DeleteRangeRequest {
  key: Uint8Array;
  prevKv?: boolean;
}

/** etcd's Compare, for the targets this backend compares: a key's create or mod revision. */
export interface Compare {
  key: Uint8Array;
  result: 'Equal' | 'Greater';
  target: 'Create' | 'Mod';
  /** The revision compared with (create_revision or mod_revision, by target). */
  revision: number;
}

export type RequestOp = { range: RangeRequest } | { put: PutRequest } | { deleteRange: DeleteRangeRequest };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface WatchCreateRequest {
  key: Uint8Array;
  rangeEnd: Uint8Array;
  startRevision: number;
  progressNotify: boolean;
  prevKv: boolean;
}

/** A stored key as etcd returns it (the fields this backend reads). */
export interface EtcdKeyValue {
  key: Buffer;
  value: Buffer;
  createRevision: number;
  modRevision: number;
}

export interface RangeResponse {
  revision: number;
  kvs: EtcdKeyValue[];
  count: number;
}

export interface ResponseOp {
  range?: RangeResponse;
  /** A put's previous value (asked for with prevKv). */
  putPrevKv?: EtcdKeyValue;
  /** A delete's previous values (asked for with prevKv). */
  deletePrevKvs?: EtcdKeyValue[];
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface WatchEvent {
  type: 'Put' | 'Delete';
  kv: EtcdKeyValue;
  prevKv?: EtcdKeyValue;
}

export interface WatchResponse {
  revision: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  events: WatchEvent[];
}

// ---- requests ----

function writeRange(w: FlatWriter, r: RangeRequest): void {
  w.uint32(tag(1, BYTES)).bytes(r.key);
  if (r.rangeEnd?.length) w.uint32(tag(2, BYTES)).bytes(r.rangeEnd);
  if (r.limit) w.uint32(tag(3, VARINT)).int64(r.limit);
  if (r.revision) w.uint32(tag(4, VARINT)).int64(r.revision);
  if (r.keysOnly) w.uint32(tag(8, VARINT)).bool(true);
  if (r.countOnly) w.uint32(tag(9, VARINT)).bool(true);
  if (r.minModRevision) w.uint32(tag(10, VARINT)).int64(r.minModRevision);
}

function writeOp(w: FlatWriter, op: RequestOp): void {
  if ('range' in op) {
    w.uint32(tag(1, BYTES)).fork();
    writeRange(w, op.range);
  } else if ('put' in op) {
    const p = op.put;
    w.uint32(tag(2, BYTES)).fork();
    w.uint32(tag(1, BYTES)).bytes(p.key);
    if (p.value.length) w.uint32(tag(2, BYTES)).bytes(p.value);
    if (p.lease && p.lease !== '0') w.uint32(tag(3, VARINT)).int64Text(p.lease);
    if (p.prevKv) w.uint32(tag(4, VARINT)).bool(true);
  } else {
    w.uint32(tag(3, BYTES)).fork();
    w.uint32(tag(1, BYTES)).bytes(op.deleteRange.key);
    if (op.deleteRange.prevKv) w.uint32(tag(3, VARINT)).bool(true);
  }
  w.ldelim();
}

const compareResults = { Equal: 0, Greater: 1 } as const;
const compareTargets = { Create: 1, Mod: 2 } as const;

export function encodeRangeRequest(r: RangeRequest): Uint8Array {
  return FlatWriter.encode((w) => writeRange(w, r));
}

export function encodeTxnRequest(t: TxnRequest): Uint8Array {
  return FlatWriter.encode((w) => writeTxn(w, t));
}

function writeTxn(w: FlatWriter, t: TxnRequest): void {
  for (const c of t.compare) {
    w.uint32(tag(1, BYTES)).fork();
    if (c.result !== 'Equal') w.uint32(tag(1, VARINT)).int32(compareResults[c.result]);
    w.uint32(tag(2, VARINT)).int32(compareTargets[c.target]);
    w.uint32(tag(3, BYTES)).bytes(c.key);
    // A member of the target_union oneof: written even when zero, so etcd sees which one is set.
    w.uint32(tag(c.target === 'Create' ? 5 : 6, VARINT)).int64(c.revision);
    w.ldelim();
  }
  for (const [n, ops] of [[2, t.success], [3, t.failure]] as const) {
    for (const op of ops) {
      w.uint32(tag(n, BYTES)).fork();
      writeOp(w, op);
      w.ldelim();
    }
  }
}

/** A WatchRequest with a create_request, or (no argument) a progress_request. */
export function encodeWatchRequest(create?: WatchCreateRequest): Uint8Array {
  return FlatWriter.encode((w) => {
    if (!create) {
      w.uint32(tag(3, BYTES)).fork().ldelim();
      return;
    }
    w.uint32(tag(1, BYTES)).fork();
    w.uint32(tag(1, BYTES)).bytes(create.key);
    w.uint32(tag(2, BYTES)).bytes(create.rangeEnd);
    if (create.startRevision) w.uint32(tag(3, VARINT)).int64(create.startRevision);
    if (create.progressNotify) w.uint32(tag(4, VARINT)).bool(true);
    if (create.prevKv) w.uint32(tag(6, VARINT)).bool(true);
    w.ldelim();
  });
}

// ---- responses ----

/** Reads the fields of a message ending at `end`, handing each (number, wire type) to `field`, which reads or declines it. */
function readFields(r: ProtoReader, end: number, field: (n: number) => boolean): void {
  while (r.pos < end) {
    const t = r.uint32();
    if (!field(t >>> 3)) r.skipType(t & 7);
  }
}

const endOf = (r: ProtoReader) => r.uint32() + r.pos;

function readHeaderRevision(r: ProtoReader): number {
  let revision = 0;
  readFields(r, endOf(r), (n) => n === 3 && ((revision = int64(r)), true));
  return revision;
}

const EMPTY = Buffer.alloc(0);

function readKeyValue(r: ProtoReader): EtcdKeyValue {
  const kv: EtcdKeyValue = { key: EMPTY, value: EMPTY, createRevision: 0, modRevision: 0 };
  readFields(r, endOf(r), (n) => {
    if (n === 1) kv.key = r.bytes() as Buffer;
    else if (n === 2) kv.createRevision = int64(r);
    else if (n === 3) kv.modRevision = int64(r);
    else if (n === 5) kv.value = r.bytes() as Buffer;
    else return false;
    return true;
  });
  return kv;
}

function readRange(r: ProtoReader, end: number): RangeResponse {
  const res: RangeResponse = { revision: 0, kvs: [], count: 0 };
  readFields(r, end, (n) => {
    if (n === 1) res.revision = readHeaderRevision(r);
    else if (n === 2) res.kvs.push(readKeyValue(r));
    else if (n === 4) res.count = int64(r);
    else return false;
    return true;
  });
  return res;
}

function readResponseOp(r: ProtoReader): ResponseOp {
  const op: ResponseOp = {};
  readFields(r, endOf(r), (n) => {
    if (n === 1) op.range = readRange(r, endOf(r));
    else if (n === 2) readFields(r, endOf(r), (m) => m === 2 && ((op.putPrevKv = readKeyValue(r)), true));
    else if (n === 3) {
      const prev: EtcdKeyValue[] = (op.deletePrevKvs = []);
      readFields(r, endOf(r), (m) => m === 3 && (prev.push(readKeyValue(r)), true));
    } else return false;
    return true;
  });
  return op;
}

/** Buffers read as Buffers (protobufjs' BufferReader), so keys and values are slices, not copies. */
const reader = (bytes: Uint8Array) => Reader.create(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

export function decodeRangeResponse(bytes: Uint8Array): RangeResponse {
  const r = reader(bytes);
  return readRange(r, r.len);
}

export function decodeTxnResponse(bytes: Uint8Array): TxnResponse {
  const r = reader(bytes);
  const res: TxnResponse = { revision: 0, succeeded: false, responses: [] };
  readFields(r, r.len, (n) => {
    if (n === 1) res.revision = readHeaderRevision(r);
    else if (n === 2) res.succeeded = r.bool();
    else if (n === 3) res.responses.push(readResponseOp(r));
    else return false;
    return true;
  });
  return res;
}

export function decodeWatchResponse(bytes: Uint8Array): WatchResponse {
  const r = reader(bytes);
  const res: WatchResponse = { revision: 0, created: false, canceled: false, compactRevision: 0, cancelReason: '', events: [] };
  readFields(r, r.len, (n) => {
    if (n === 1) res.revision = readHeaderRevision(r);
    else if (n === 3) res.created = r.bool();
    else if (n === 4) res.canceled = r.bool();
    else if (n === 5) res.compactRevision = int64(r);
    else if (n === 6) res.cancelReason = r.string();
    else if (n === 11) {
      const ev: WatchEvent = { type: 'Put', kv: { key: EMPTY, value: EMPTY, createRevision: 0, modRevision: 0 } };
      readFields(r, endOf(r), (m) => {
        if (m === 1) ev.type = r.int32() === 1 ? 'Delete' : 'Put';
        else if (m === 2) ev.kv = readKeyValue(r);
        else if (m === 3) ev.prevKv = readKeyValue(r);
        else return false;
        return true;
      });
      res.events.push(ev);
    } else return false;
    return true;
  });
  return res;
}
