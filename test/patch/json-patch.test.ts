/**
 * The JSON patch engine against the cases of the library kube-apiserver uses (evanphx/json-patch v4, ported as data
 * by scripts/port-jsonpatch-fixtures.ts): the same patches apply, fail, and test the same way.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { applyJsonPatch, JsonPatchError } from '../../runtime/machinery/jsonpatch.ts';
import { mergePatch } from '../../runtime/machinery/mergepatch.ts';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/json-patch-cases.json', import.meta.url), 'utf8')) as {
  cases: { doc: string; patch: string; result: string }[];
  mutations: { doc: string; patch: string }[];
  bad: { doc: string; patch: string }[];
  tests: { doc: string; patch: string; passes: boolean }[];
};

// The library's own tests run with a 100-byte copy limit.
const apply = (doc: string, patch: string) => applyJsonPatch(JSON.parse(doc), JSON.parse(patch), 100);

describe('JSON patch: upstream library cases', () => {
  fixtures.cases.forEach((c, n) => {
    it(`applies case ${n}: ${c.patch.replace(/\s+/g, ' ').slice(0, 90)}`, () => {
      assert.deepEqual(apply(c.doc, c.patch), JSON.parse(c.result));
    });
  });
  fixtures.mutations.forEach((c, n) => {
    it(`changes the document, case ${n}`, () => {
      assert.notDeepEqual(apply(c.doc, c.patch), JSON.parse(c.doc));
    });
  });
  fixtures.bad.forEach((c, n) => {
    it(`refuses case ${n}: ${c.patch.replace(/\s+/g, ' ').slice(0, 90)}`, () => {
      assert.throws(() => apply(c.doc, c.patch), JsonPatchError);
    });
  });
  fixtures.tests.forEach((c, n) => {
    it(`test operation case ${n} ${c.passes ? 'passes' : 'fails'}`, () => {
      if (c.passes) apply(c.doc, c.patch);
      else assert.throws(() => apply(c.doc, c.patch), JsonPatchError);
    });
  });
});

describe('merge patch', () => {
  it('merges objects, deletes with null, replaces everything else, and drops nulls inside values that replace non-objects', () => {
    const doc = { a: { b: 1, c: 2 }, l: [1, 2], s: 'x' };
    assert.deepEqual(mergePatch(structuredClone(doc), { a: { b: null, d: { e: null, f: 1 } }, l: [{ x: null }], s: { t: null, u: 1 }, n: { m: null } }), {
      a: { c: 2, d: { f: 1 } },
      l: [{}],
      s: { u: 1 },
      n: {},
    });
  });
});
