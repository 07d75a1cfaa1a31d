/**
 * The run-time side of cel-go's two-variable comprehensions (ext.TwoVarComprehensions, Kubernetes 1.32): the
 * macros themselves are expanded by ../comprehensions.ts. `cel.@mapInsert` is cel-go's own function the
 * transformMap/transformMapEntry expansions build their result with; the entries function is ours: @bufbuild/cel's
 * planner folds over one variable, so a two-variable fold runs over (key, value) pairs.
 */
import { celList, celMap, isCelList, isCelMap, isCelUint, type CelValue } from '@bufbuild/cel';
import { global } from './func.ts';

export const comprehensionFunctions = {
  mapInsert: 'cel.@mapInsert',
  entries: '@kube_entries',
  mapAccumulator: '@kube_mapAccumulator',
} as const;

type MapKey = bigint | string | boolean;

/** How Go's %v prints a map key in cel-go's messages. */
function keyText(k: unknown): string {
  if (isCelUint(k)) return String((k as { value: bigint }).value);
  return String(k);
}

/**
 * The maps transformMap/transformMapEntry build, while they build them (cel-go's mutable accumulator): the entries
 * behind each and its keys as CEL compares them (an int and a uint of one value are one key), so an insert adds in
 * place and finds a duplicate at once. A fold's accumulator is made fresh for each run of it and never seen by the
 * user before the fold ends, so changing it in place is safe.
 */
const accumulators = new WeakMap<object, { entries: Map<MapKey, CelValue>; keys: Set<unknown> }>();

function mapAccumulator(): CelValue {
  const entries = new Map<MapKey, CelValue>();
  const map = celMap(entries);
  accumulators.set(map as object, { entries, keys: new Set() });
  return map;
}

/** A map key as CEL equality sees it. */
const keyIdentity = (k: unknown): unknown => (isCelUint(k) ? (k as { value: bigint }).value : k);

/**
 * cel-go's InsertMapKeyValue: the map with the entries added; a key already present (CEL equality) is an error. An
 * accumulator gets them in place (each insert costs one entry, not a copy of the map); another map is copied.
 */
function insert(m: unknown, entries: Iterable<[unknown, unknown]>): CelValue {
  const acc = accumulators.get(m as object);
  if (acc) {
    for (const [k, v] of entries) {
      const id = keyIdentity(k);
      if (acc.keys.has(id)) throw new Error(`insert failed: key ${keyText(k)} already exists`);
      acc.keys.add(id);
      acc.entries.set(k as MapKey, v as CelValue);
    }
    return m as CelValue;
  }
  const map = m as ReadonlyMap<MapKey, CelValue> & { has(k: unknown): boolean };
  const out = new Map<MapKey, CelValue>(map as Iterable<[MapKey, CelValue]>);
  for (const [k, v] of entries) {
    if (map.has(k) || out.has(k as MapKey)) throw new Error(`insert failed: key ${keyText(k)} already exists`);
    out.set(k as MapKey, v as CelValue);
  }
  return celMap(out);
}

/** (index, element) or (key, value) pairs of a list or map, in iteration order. */
function entries(range: unknown): CelValue {
  if (isCelList(range)) return celList(Array.from(range as Iterable<CelValue>, (v, i) => celList([BigInt(i), v])));
  if (isCelMap(range)) return celList(Array.from(range as Iterable<[CelValue, CelValue]>, ([k, v]) => celList([k, v])));
  throw new Error(`expression of type '${typeof range}' cannot be range of a comprehension (must be list, map, or dynamic)`);
}

export const comprehensionsV2 = [
  global(comprehensionFunctions.mapInsert, ['map', 'dyn', 'dyn'], 'map', (m: unknown, k: unknown, v: unknown) => insert(m, [[k, v]])),
  global(comprehensionFunctions.mapInsert, ['map', 'map'], 'map', (m: unknown, u: unknown) => insert(m, u as Iterable<[unknown, unknown]>)),
  global(comprehensionFunctions.entries, ['dyn'], 'list', entries),
  global(comprehensionFunctions.mapAccumulator, [], 'map', mapAccumulator),
];
