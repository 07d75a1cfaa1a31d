/**
 * FlatWriter writes what protobufjs' Writer writes, byte for byte: objects are stored in protobuf, so a different
 * byte would change what etcd holds (and make every no-op update of an existing object a write).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { FlatWriter } from '../../runtime/machinery/flat-writer.ts';
import { addToScheme, groupVersions } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { arbitraryObject } from '../support/arbitrary.ts';

type Writes = <W extends protobuf.Writer | FlatWriter>(w: W) => void;

const strings = ['', 'a', 'é', 'ünïcödé', '日本語', '😀x', '\ud800', 'x\udc00y', 'a'.repeat(39), 'b'.repeat(40), 'é'.repeat(39), `${'é'.repeat(45)}\ud800`, 'z'.repeat(127), 'z'.repeat(128), 'y'.repeat(300), '日'.repeat(30000)];
const numbers = [0, 1, -1, 127, 128, 16383, 16384, -2147483648, 2147483647, 2147483648, 4294967295, 4294967296, 2 ** 53 - 1, -(2 ** 40), 1.5, -1.5, NaN, Infinity, 1e300];

function same(what: string, writes: Writes): void {
  const theirs = protobuf.Writer.create();
  writes(theirs);
  const ours = new FlatWriter();
  try {
    writes(ours);
    assert.deepEqual(ours.finish(), theirs.finish(), what);
  } finally {
    ours.release();
  }
}

test('values, one by one and nested, as protobufjs writes them', () => {
  for (const s of strings) same(`string ${JSON.stringify(s.slice(0, 20))}`, (w) => void w.uint32(10).string(s));
  for (const n of numbers) {
    same(`uint32 ${n}`, (w) => void w.uint32(n));
    same(`int32 ${n}`, (w) => void w.int32(n));
    same(`int64 ${n}`, (w) => void w.int64(n));
    same(`double ${n}`, (w) => void w.double(n));
  }
  same('bool', (w) => void w.bool(true).bool(false));
  same('bytes', (w) => void w.bytes(new Uint8Array(0)).bytes(new Uint8Array([1, 2, 3])).bytes(Buffer.alloc(200, 7)));
  // Nested messages whose lengths take one, two and three bytes, inside each other.
  for (const inner of [1, 126, 127, 128, 16383, 16384, 70000]) {
    same(`nested ${inner}`, (w) => void w.uint32(18).fork().uint32(10).fork().bytes(Buffer.alloc(inner, 1)).ldelim().string('after').ldelim().uint32(8).int32(-5));
  }
});

test('every kind, random objects with awkward strings and numbers, as protobufjs writes them', () => {
  const scheme = new Scheme();
  addToScheme(scheme);
  const codec = scheme.protobuf as unknown as { writeMessage(w: unknown, message: string, obj: unknown): void; encode(message: string, obj: unknown): Uint8Array; kinds: Map<string, string> };
  let seed = 1;
  const pick = <T>(xs: T[]): T | undefined => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 3 === 0 ? xs[seed % xs.length] : undefined);
  const awkward = (v: unknown): unknown => {
    if (typeof v === 'string') return pick(strings) ?? v;
    if (typeof v === 'number') return pick(numbers) ?? v;
    if (Array.isArray(v)) return v.map(awkward);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, awkward(x)]));
    return v;
  };
  for (const kind of groupVersions.flatMap((gv) => gv.kinds)) {
    const message = codec.kinds.get(`${kind.group ? `${kind.group}/${kind.version}` : kind.version}/${kind.kind}`);
    if (!message) continue;
    for (const generated of fc.sample(arbitraryObject(kind), 5)) {
      for (const obj of [generated, awkward(generated)]) {
        const theirs = protobuf.Writer.create();
        let expected: Uint8Array | string;
        try {
          codec.writeMessage(theirs, message, obj);
          expected = theirs.finish();
        } catch (e) {
          expected = String(e);
        }
        let got: Uint8Array | string;
        try {
          got = codec.encode(message, obj);
        } catch (e) {
          got = String(e);
        }
        assert.deepEqual(got, expected, `${kind.group}/${kind.version} ${kind.kind}`);
      }
    }
  }
});
