import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goOrdered } from '../../runtime/machinery/json-value.ts';

test('goOrdered sorts every object the way Go writes a map, at every depth, and drops undefined members', () => {
  const v = { b: { z: 1, a: [{ d: 1, c: 2 }] }, a: undefined, c: 'x' };
  const out = goOrdered(v);
  assert.equal(JSON.stringify(out), '{"b":{"a":[{"c":2,"d":1}],"z":1},"c":"x"}');
  assert.equal(JSON.stringify(v), '{"b":{"z":1,"a":[{"d":1,"c":2}]},"c":"x"}', 'the input is left as it was');
});

test('goOrdered returns what is already in order as it is, and shares ordered parts with its answer', () => {
  const ordered = { a: { b: [1, { c: 1, d: 2 }] }, e: null };
  assert.equal(goOrdered(ordered), ordered);
  const partly = { a: ordered.a, metadata: { uid: 'u', name: 'n' } };
  const out = goOrdered(partly);
  assert.notEqual(out, partly);
  assert.equal(out.a, ordered.a, 'an ordered member is shared, not copied');
  assert.deepEqual(Object.keys(out.metadata), ['name', 'uid']);
});
