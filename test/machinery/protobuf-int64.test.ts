/**
 * int64 reads in place the varints of up to seven bytes (revisions, counts, timestamps) and leaves longer ones to
 * protobufjs: either way the number, and where the reader stops, are protobufjs' own.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { int64 } from '../../runtime/machinery/protobuf.ts';

/** What protobufjs reads for the int64 at the start of `bytes`, and where it stops. */
function theirs(bytes: Buffer): { value: number; pos: number } {
  const r = protobuf.Reader.create(bytes);
  const v = r.int64() as unknown as number | { toNumber(): number };
  return { value: typeof v === 'number' ? v : v.toNumber(), pos: r.pos };
}

function ours(bytes: Buffer): { value: number; pos: number } {
  const r = protobuf.Reader.create(bytes);
  return { value: int64(r), pos: r.pos };
}

const encoded = (v: number) => Buffer.from(protobuf.Writer.create().int64(v).uint32(5).finish());

test('int64 reads what protobufjs reads, short and long varints, negative ones (Go\'s zero time) included', () => {
  const edges = [0, 1, 127, 128, 16383, 16384, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 42 - 1, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, -1, -(2 ** 40), -62135596800, 1765051200];
  for (const v of edges) assert.deepEqual(ours(encoded(v)), theirs(encoded(v)), String(v));
  fc.assert(
    fc.property(fc.maxSafeInteger(), (v) => {
      assert.deepEqual(ours(encoded(v)), theirs(encoded(v)));
    }),
    { numRuns: 2000 },
  );
});

test('int64 of a varint cut short fails as protobufjs fails', () => {
  const cut = Buffer.from([0xff, 0xff]);
  assert.throws(() => ours(cut), /index out of range/);
});
