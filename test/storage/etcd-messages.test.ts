/**
 * The etcd requests (Range, Txn, Watch) are written by FlatWriter with the bytes protobufjs' Writer wrote for them
 * before: the reference encoders below are those, field for field (etcd's rpc.proto numbers).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { encodeRangeRequest, encodeTxnRequest, encodeWatchRequest, type RangeRequest, type RequestOp, type TxnRequest } from '../../runtime/storage/etcd/messages.ts';

type W = protobuf.Writer;
const tag = (n: number, wire: number) => (n << 3) | wire;

function refRange(w: W, r: RangeRequest): void {
  w.uint32(tag(1, 2)).bytes(r.key);
  if (r.rangeEnd?.length) w.uint32(tag(2, 2)).bytes(r.rangeEnd);
  if (r.limit) w.uint32(tag(3, 0)).int64(r.limit);
  if (r.revision) w.uint32(tag(4, 0)).int64(r.revision);
  if (r.keysOnly) w.uint32(tag(8, 0)).bool(true);
  if (r.countOnly) w.uint32(tag(9, 0)).bool(true);
  if (r.minModRevision) w.uint32(tag(10, 0)).int64(r.minModRevision);
}

function refOp(w: W, op: RequestOp): void {
  if ('range' in op) {
    w.uint32(tag(1, 2)).fork();
    refRange(w, op.range);
  } else if ('put' in op) {
    const p = op.put;
    w.uint32(tag(2, 2)).fork();
    w.uint32(tag(1, 2)).bytes(p.key);
    if (p.value.length) w.uint32(tag(2, 2)).bytes(p.value);
    if (p.lease && p.lease !== '0') w.uint32(tag(3, 0)).int64(p.lease);
    if (p.prevKv) w.uint32(tag(4, 0)).bool(true);
  } else {
    w.uint32(tag(3, 2)).fork();
    w.uint32(tag(1, 2)).bytes(op.deleteRange.key);
    if (op.deleteRange.prevKv) w.uint32(tag(3, 0)).bool(true);
  }
  w.ldelim();
}

function refTxn(t: TxnRequest): Uint8Array {
  const w = protobuf.Writer.create();
  for (const c of t.compare) {
    w.uint32(tag(1, 2)).fork();
    if (c.result !== 'Equal') w.uint32(tag(1, 0)).int32(1);
    w.uint32(tag(2, 0)).int32(c.target === 'Create' ? 1 : 2);
    w.uint32(tag(3, 2)).bytes(c.key);
    w.uint32(tag(c.target === 'Create' ? 5 : 6, 0)).int64(c.revision);
    w.ldelim();
  }
  for (const [n, ops] of [[2, t.success], [3, t.failure]] as const) {
    for (const op of ops) {
      w.uint32(tag(n, 2)).fork();
      refOp(w, op);
      w.ldelim();
    }
  }
  return w.finish();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const revision = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 }), fc.maxSafeNat());
/** Lease IDs as etcd hands them out: decimal text of any int64, most past 2^53. */
const lease = fc.oneof(fc.constant('0'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));
const range = fc.record({ key: bytes, rangeEnd: fc.option(bytes, { nil: undefined }), limit: fc.option(revision, { nil: undefined }), revision: fc.option(revision, { nil: undefined }), keysOnly: fc.option(fc.boolean(), { nil: undefined }), countOnly: fc.option(fc.boolean(), { nil: undefined }), minModRevision: fc.option(revision, { nil: undefined }) });
const op: fc.Arbitrary<RequestOp> = fc.oneof(
  range.map((r) => ({ range: r })),
  fc.record({ key: bytes, value: bytes, lease: fc.option(lease, { nil: undefined }), prevKv: fc.option(fc.boolean(), { nil: undefined }) }).map((p) => ({ put: p })),
  fc.record({ key: bytes, prevKv: fc.option(fc.boolean(), { nil: undefined }) }).map((d) => ({ deleteRange: d })),
);
const txn: fc.Arbitrary<TxnRequest> = fc.record({
  compare: fc.array(fc.record({ key: bytes, result: fc.constantFrom('Equal' as const, 'Greater' as const), target: fc.constantFrom('Create' as const, 'Mod' as const), revision }), { maxLength: 2 }),
  success: fc.array(op, { maxLength: 2 }),
  failure: fc.array(op, { maxLength: 2 }),
});

test('Txn and Range requests are the bytes protobufjs wrote, leases past 2^53 and values past 127 bytes included', () => {
  fc.assert(fc.property(txn, (t) => assert.equal(hex(encodeTxnRequest(t)), hex(refTxn(t)))), { numRuns: 1000 });
  fc.assert(
    fc.property(range, (r) => {
      const w = protobuf.Writer.create();
      refRange(w, r);
      assert.equal(hex(encodeRangeRequest(r)), hex(w.finish()));
    }),
    { numRuns: 500 },
  );
});

test('Watch requests (create and progress) are the bytes protobufjs wrote', () => {
  const progress = protobuf.Writer.create().uint32(tag(3, 2)).fork().ldelim().finish();
  assert.equal(hex(encodeWatchRequest()), hex(progress));
  const create = { key: Buffer.from('/registry/configmaps/'), rangeEnd: Buffer.from('/registry/configmaps0'), startRevision: 12345678901, progressNotify: true, prevKv: true };
  const w = protobuf.Writer.create().uint32(tag(1, 2)).fork();
  w.uint32(tag(1, 2)).bytes(create.key).uint32(tag(2, 2)).bytes(create.rangeEnd).uint32(tag(3, 0)).int64(create.startRevision).uint32(tag(4, 0)).bool(true).uint32(tag(6, 0)).bool(true);
  assert.equal(hex(encodeWatchRequest(create)), hex(w.ldelim().finish()));
});
