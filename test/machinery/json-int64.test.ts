/**
 * JSON with exact int64s (machinery/json-int64.ts): given a custom resource's JSON text, want the values upstream's
 * unstructured decoder holds (int64 when whole and within range, float64 otherwise) and the text its encoder writes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayHoldInt64, parseJsonInt64, toInt64Form } from '../../runtime/machinery/json-int64.ts';
import { jsonText, jsonTextOfObject } from '../../runtime/machinery/json-text.ts';

describe('JSON with exact int64s', () => {
  it('integers past 2^53 within int64 are BigInts; safe integers, fractions and exponent forms stay numbers', () => {
    const v = parseJsonInt64('{"a":9007199254740993,"b":[1,-9223372036854775808,9223372036854775807,1.5,1e17],"c":"12345678901234567"}');
    assert.deepEqual(v, { a: 9007199254740993n, b: [1, -9223372036854775808n, 9223372036854775807n, 1.5, 1e17], c: '12345678901234567' });
  });

  it('an integer beyond int64 is the float64 upstream makes of it', () => {
    assert.deepEqual(parseJsonInt64('{"a":9223372036854775808,"b":-9223372036854775809}'), { a: 2 ** 63, b: -(2 ** 63) });
  });

  it('a text without a 16-digit run is JSON.parse\'s (a 15-digit integer is safe)', () => {
    assert.equal(mayHoldInt64('{"a":999999999999999,"b":"x"}'), false);
    assert.equal(mayHoldInt64('{"a":9007199254740993}'), true);
    assert.deepEqual(parseJsonInt64('{"a":999999999999999}'), { a: 999999999999999 });
  });

  it('keys and string values keep their escapes and order', () => {
    const text = '{"z\\u0000":"1234567890123456\\"","__proto__":{"n":12345678901234567},"a":[]}';
    const v = parseJsonInt64(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['z\u0000', '__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal(jsonText(v), JSON.stringify(JSON.parse(text)).replace('12345678901234568', '12345678901234567'));
  });

  it('encodes BigInts as their digits, everything else as JSON.stringify does', () => {
    const v = { a: 9007199254740993n, b: [undefined, -9223372036854775808n], c: undefined, d: { e: 1.5, f: 'x' }, t: new Date(0) };
    assert.equal(jsonText(v), '{"a":9007199254740993,"b":[null,-9223372036854775808],"d":{"e":1.5,"f":"x"},"t":"1970-01-01T00:00:00.000Z"}');
    assert.equal(jsonText({ a: 1 }), '{"a":1}');
  });

  it('round-trips what it decodes', () => {
    const text = '{"kind":"Counter","spec":{"size":9007199254740993,"list":[9223372036854775807,-9223372036854775808,0,-1.25]}}';
    assert.equal(jsonText(parseJsonInt64(text)), text);
  });

  it('toInt64Form keeps BigInts only where upstream has an int64 JSON.parse cannot hold', () => {
    assert.deepEqual(toInt64Form({ a: 5n, b: [9007199254740993n, 2n ** 64n], c: 'x' }), { a: 5, b: [9007199254740993n, 2 ** 64], c: 'x' });
  });
});

describe('mayHoldInt64', () => {
  it('finds a run of 16 digits wherever it starts, and no shorter one', () => {
    for (let pad = 0; pad < 40; pad++) {
      assert.equal(mayHoldInt64(`${'x'.repeat(pad)}1234567890123456`), true, `16 digits after ${pad}`);
      assert.equal(mayHoldInt64(`${'x'.repeat(pad)}123456789012345x${'y'.repeat(20)}`), false, `15 digits after ${pad}`);
      assert.equal(mayHoldInt64(`${'1'.repeat(pad % 16)}x${'2'.repeat(15)}`), false, `runs of ${pad % 16} and 15`);
    }
  });
});

describe('jsonText with a replacer', () => {
  it('leaves out what the replacer drops, at any depth, with BigInts beside', () => {
    const drop = (key: string, v: unknown) => (key === 'managedFields' && Array.isArray(v) ? undefined : v);
    const v = { metadata: { name: 'a', managedFields: [{ m: 1 }] }, spec: { size: 9007199254740993n, list: [1n, 2] } };
    assert.equal(jsonText(v, drop), '{"metadata":{"name":"a"},"spec":{"size":9007199254740993,"list":[1,2]}}');
    assert.equal(jsonText({ metadata: { managedFields: [] }, a: 1 }, drop), '{"metadata":{},"a":1}');
  });

  it('jsonTextOfObject writes what jsonText writes and says whether the text holds a BigInt (the cacher parses it back by that)', () => {
    const v = { metadata: { name: 'a<b', labels: { '10': 'x', '9': 'y' } }, spec: { size: 9007199254740993n, list: [1n, 2], at: new Date(0) } };
    assert.deepEqual(jsonTextOfObject(v), { text: jsonText(v), int64: true });
    const plain = { metadata: { name: 'a<b', labels: { '10': 'x', '9': 'y' } }, spec: { size: 9007199254740991, at: new Date(0) } };
    assert.deepEqual(jsonTextOfObject(plain), { text: jsonText(plain), int64: false });
  });
});
