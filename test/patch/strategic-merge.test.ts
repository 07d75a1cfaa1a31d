/**
 * The strategic merge patch engine against upstream's own cases (ported as data by
 * scripts/port-strategicpatch-fixtures.ts): applying each case's patch to its object must give upstream's result,
 * list order included, or an error containing upstream's text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { strategicMergePatch, type Json, type JsonMap } from '../../runtime/machinery/strategicpatch/merge.ts';
import type { PatchSchema } from '../../runtime/machinery/strategicpatch/schema.ts';
import { goValue } from '../../runtime/machinery/gofmt.ts';
import { mergeItemSchema } from './merge-item-schema.ts';

interface Case {
  description: string;
  original?: JsonMap;
  twoWay?: JsonMap;
  modified?: JsonMap;
  twoWayResult?: JsonMap;
  current?: JsonMap;
  threeWay?: JsonMap;
  result?: JsonMap;
  expectedError?: string;
}

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/strategic-merge-cases.json', import.meta.url), 'utf8')) as {
  sorted: Case[];
  exact: Case[];
  unknownFields: Case[];
};

const clone = <T>(v: T): T => structuredClone(v);

function apply(original: JsonMap | undefined, patch: JsonMap): JsonMap {
  return strategicMergePatch(clone(original ?? {}), clone(patch), mergeItemSchema);
}

/**
 * Upstream compares these cases after sorting every merging list by its merge key (scalars by their printed form),
 * so that list order does not matter; the same sort, applied to inputs and expectations alike.
 */
function sortMergeLists(m: JsonMap, schema: PatchSchema): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === '$retainKeys' || k.startsWith('$deleteFromPrimitiveList')) out[k] = sortScalars(v as Json[]);
    else if (k.startsWith('$setElementOrder') || k === '$patch') out[k] = v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = sortMergeLists(v, schema.field(k, false).schema);
    else if (Array.isArray(v)) {
      const { meta, schema: sub } = schema.field(k, true);
      const strategy = meta.strategies.filter((s) => s !== 'retainKeys')[0] ?? '';
      out[k] = strategy === 'merge' ? sortList(v, sub, meta.mergeKey) : v;
    } else out[k] = v;
  }
  return out;
}

function sortScalars(list: Json[]): Json[] {
  return [...list].sort((a, b) => (goValue(a) < goValue(b) ? -1 : goValue(a) > goValue(b) ? 1 : 0));
}

function sortList(list: Json[], schema: PatchSchema, mergeKey: string): Json[] {
  if (list.length === 0) return list;
  if (list[0] === null || typeof list[0] !== 'object') return sortScalars([...new Set(list)]);
  const items = list.map((v) => sortMergeLists(v as JsonMap, schema));
  const key = (v: Json) => goValue((v as JsonMap)[mergeKey] ?? null);
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const sorted = (m: JsonMap | undefined) => (m ? sortMergeLists(m, mergeItemSchema) : m);

describe('strategic merge patch: upstream cases compared with merging lists sorted', () => {
  for (const c of fixtures.sorted) {
    if (c.twoWay) {
      it(`${c.description} (two-way)`, () => {
        assert.deepEqual(apply(sorted(c.original), sorted(c.twoWay)!), sorted(c.twoWayResult ?? c.modified ?? {}));
      });
    }
    if (c.threeWay && c.result) {
      it(`${c.description} (three-way)`, () => {
        assert.deepEqual(apply(sorted(c.current), sorted(c.threeWay)!), sorted(c.result));
      });
    }
  }
});

describe('strategic merge patch: upstream cases compared exactly, list order included', () => {
  for (const c of fixtures.exact) {
    if (c.twoWay) {
      it(`${c.description} (two-way)`, () => {
        if (c.expectedError) {
          assert.throws(() => apply(c.original, c.twoWay!), (e: Error) => e.message.includes(c.expectedError!));
          return;
        }
        assert.deepEqual(apply(c.original, c.twoWay!), c.twoWayResult ?? c.modified ?? {});
      });
    }
    if (c.threeWay && c.result) {
      it(`${c.description} (three-way)`, () => {
        assert.deepEqual(apply(c.current, c.threeWay!), c.result);
      });
    }
  }
});

describe('strategic merge patch: fields the schema does not declare', () => {
  for (const c of fixtures.unknownFields) {
    it(`${c.description} (two-way)`, () => assert.deepEqual(apply(c.original, c.twoWay!), c.twoWayResult));
    it(`${c.description} (three-way)`, () => assert.deepEqual(apply(c.current, c.threeWay!), c.result));
  }
});

describe('strategic merge patch: errors', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return [(e as { code?: number }).code, (e as Error).message];
    }
    return undefined;
  };
  it('lists of lists are 422 with the generic message', () => {
    assert.deepEqual(code(() => apply({ mergingIntList: [] as Json[] } as JsonMap, { mergingIntList: [[1]] } as JsonMap)), [422, 'the server rejected our request due to an error in our request']);
  });
  it('a merging list of maps without a merge key is 500', () => {
    assert.deepEqual(code(() => apply({ mergingList: [{ name: 'a' }] }, { mergingList: [{ value: 'b' }] })), [500, 'map: map[value:b] does not contain declared merge key: name']);
  });
  it('directives in the wrong shape are 400', () => {
    assert.deepEqual(code(() => apply({}, { $retainKeys: 'name' } as JsonMap)), [400, 'invalid patch format of retainKeys']);
    assert.deepEqual(code(() => apply({ retainKeysMap: { name: 'a' } }, { retainKeysMap: { $retainKeys: ['name'], value: 'b' } })), [400, 'invalid patch format of retainKeys']);
    assert.deepEqual(code(() => apply({}, { $setElementOrder: [] })), [400, 'invalid patch format of setElementOrder list']);
    assert.deepEqual(code(() => apply({ mergingIntList: [1] }, { $deleteFromPrimitiveList: [1] })), [400, 'invalid patch format of primitive list']);
  });
  it('an unknown $patch value is 500 naming the map', () => {
    assert.deepEqual(code(() => apply({ simpleMap: { a: 'b' } }, { simpleMap: { $patch: 'frob', c: 1 } } as JsonMap)), [500, 'unknown patch type: frob in map: map[$patch:frob c:1]']);
  });
  it('a $setElementOrder that contradicts the patch list is 500', () => {
    const err = code(() => apply({ mergingList: [{ name: 1 }, { name: 2 }] }, { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }], mergingList: [{ name: 2 }, { name: 1 }] }));
    assert.equal(err?.[0], 500);
    assert.match(String(err?.[1]), /^The order in patch list:\nmap\[name:2\] map\[name:1\]|^The order in patch list:\n\[map\[name:2\] map\[name:1\]\]\n doesn't match \$setElementOrder list:/);
  });
});
