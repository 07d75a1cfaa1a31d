/**
 * Applies a strategic merge patch to an object, as kube-apiserver does for
 * `application/strategic-merge-patch+json`: a JSON merge patch in which lists whose field says
 * `patchStrategy: merge` are merged item by item (by their merge key, or as sets of scalars), and directives
 * steer the merge:
 *
 * - `$patch: replace` (map: take the patch map as is; list item: the list becomes the patch's items),
 *   `$patch: delete` (map: empty it; list item: remove the items with that merge key);
 * - `$retainKeys: [...]` drops the map's other keys;
 * - `$deleteFromPrimitiveList/<field>: [...]` removes values from a merging list of scalars;
 * - `$setElementOrder/<field>: [...]` gives the order of the merged list.
 *
 * Element order follows upstream exactly: the patch's items in the patch's (or `$setElementOrder`'s) order,
 * interleaved with the server's other items so that each group keeps its own relative order, server items first
 * where both are known to the server. Only server-side semantics exist here (null deletes, unmatched nulls are
 * dropped, parallel lists are applied): the client-side diffing half of upstream's package is kubectl's job.
 *
 * Both arguments are modified; pass copies.
 */
import * as errors from './errors.ts';
import { goValue } from '../gofmt.ts';
import type { PatchSchema } from './schema.ts';
import { isJsonObject, setMember } from '../json-value.ts';

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

export function strategicMergePatch(original: JsonMap, patch: JsonMap, schema: PatchSchema): JsonMap {
  return mergeMap(original, patch, schema);
}

const isMap = (v: unknown): v is JsonMap => isJsonObject(v);
const has = (m: JsonMap, key: string): boolean => Object.hasOwn(m, key);
/** Sets a field named by the patch; `__proto__` becomes a plain (unknown) field rather than a prototype. */
const set = (m: JsonMap, key: string, v: Json): void => setMember(m, key, v);

/** The Go type a decoded value has: values of different types never merge, the patch's wins. */
type ValueType = 'map' | 'list' | 'string' | 'int' | 'float' | 'bool' | 'nil';
function typeOf(v: Json | undefined): ValueType {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'list';
  switch (typeof v) {
    case 'object':
      return 'map';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return Number.isInteger(v) ? 'int' : 'float';
  }
}

function mergeMap(original: JsonMap | null, patch: JsonMap, schema: PatchSchema): JsonMap {
  if (has(patch, directiveMarker)) return mapDirective(patch[directiveMarker], patch);
  original ??= {};
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let key = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = extractKey(rawKey, deleteFromPrimitiveListPrefix);
      isDeleteList = true;
    }
    // null deletes; a null for a field the object does not have is dropped.
    if (patchV === null) {
      delete original[key];
      continue;
    }
    if (!has(original, key) || typeOf(original[key]) !== typeOf(patchV)) {
      if (!isDeleteList) setFromPatch(original, key, patchV);
      continue;
    }
    const current = original[key];
    if (isMap(current)) {
      const { meta, schema: sub } = schema.field(key, false);
      const strategy = otherStrategy(meta.strategies);
      set(original, key, strategy === 'replace' ? patchV : mergeMap(current, patchV as JsonMap, sub));
    } else if (Array.isArray(current)) {
      const { meta, schema: sub } = schema.field(key, true);
      const strategy = otherStrategy(meta.strategies);
      set(original, key, strategy === 'merge' || isDeleteList ? mergeList(current, patchV as Json[], sub, meta.mergeKey, isDeleteList).merged : patchV);
    } else {
      set(original, key, patchV);
    }
  }
  return original;
}

/** A patch value for a field the object lacks (or holds with another type): nulls and `$patch` maps go. */
function setFromPatch(original: JsonMap, key: string, patchV: Json): void {
  discardNulls(patchV);
  const [v, keep] = removeDirectives(patchV);
  if (keep) set(original, key, v);
  else delete original[key];
}

function mapDirective(directive: Json, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw errors.badPatchType(directive, patch);
}

/** A field's strategies without `retainKeys` (which only matters when computing patches). */
function otherStrategy(strategies: readonly string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : strategies[0];
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1];
    if (strategies[1] === 'retainKeys') return strategies[0];
  }
  throw errors.internal(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    throw errors.badRequest(prefix === deleteFromPrimitiveListPrefix ? errors.badPatchFormatForPrimitiveList : errors.badPatchFormatForSetElementOrderList);
  }
  return s.slice(slash + 1);
}

/** `$retainKeys`: every field the patch sets must be listed; the object keeps only listed fields. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!has(patch, retainKeysDirective)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) throw errors.badRequest(errors.badPatchFormatForRetainKeys);
  const retained = new Set<Json>(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!retained.has(k)) throw errors.badRequest(errors.badPatchFormatForRetainKeys);
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

/**
 * `$setElementOrder/<field>`: merges the field's list (when the patch has one) and orders the result by the
 * directive; both the directive and the list leave the patch.
 */
function mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: PatchSchema): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw errors.badArgType('list', order);
    const field = extractKey(key, setElementOrderPrefix);
    const foundOriginal = has(original, field);
    const foundPatch = has(patch, field);
    let originalList: Json[] = [];
    let patchList: Json[] = [];
    if (foundOriginal) {
      const v = original[field];
      if (!Array.isArray(v)) throw errors.badArgType('list', v);
      originalList = v;
    }
    if (foundPatch) {
      const v = patch[field];
      if (!Array.isArray(v)) throw errors.badArgType('list', v);
      patchList = v;
    }
    const { meta, schema: sub } = schema.field(field, true);
    const strategy = otherStrategy(meta.strategies);
    const mergeKey = meta.mergeKey;
    validateOrder(patchList, order, mergeKey);

    let merged: Json[];
    // The server's list as upstream sees it after merging (see mergeList): it orders the server-only items.
    let serverOrder = originalList;
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchList)[0] as Json[];
    else if (foundOriginal && foundPatch && strategy === 'merge') ({ merged, view: serverOrder } = mergeList(originalList, patchList, sub, mergeKey, false));
    else if (foundOriginal && foundPatch) merged = patchList;
    else continue;

    const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionScalars(merged, order);
    const kind = elementType([serverOrder, patchList]);
    set(original, field, normalizeOrder(patchItems, serverOnly, order, serverOrder, mergeKey, kind));
    delete patch[field];
  }
}

/** The patch list's items (deletions aside) must appear in the `$setElementOrder` list, in the same order. */
function validateOrder(patchList: Json[], order: Json[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? splitDeletions(patchList)[0] : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isMap(items[p]) && has(items[p] as JsonMap, directiveMarker)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length) {
    throw errors.internal(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`);
  }
}

function mergeKeyValueEqual(left: Json, right: Json, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw errors.badArgType('map', left);
  if (!isMap(right)) throw errors.badArgType('map', right);
  if (!has(left, mergeKey)) throw errors.noMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errors.noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** Items to keep and items marked `$patch: delete`; every item must be a map. */
function splitDeletions(list: Json[]): [Json[], Json[]] {
  const keep: Json[] = [];
  const deletions: Json[] = [];
  for (const v of list) {
    if (!isMap(v)) throw errors.badArgType('map', v);
    (v[directiveMarker] === 'delete' ? deletions : keep).push(v);
  }
  return [keep, deletions];
}

/**
 * Merges a list whose field has the merge strategy (or applies a `$deleteFromPrimitiveList` list). `view` is the
 * server's list as upstream's caller sees it afterwards: Go deletes list items by shifting the array in place and
 * appends new items into the slots that frees, and `$setElementOrder` then orders by that array, so the order of
 * a list that both loses and gains items depends on it.
 */
function mergeList(original: Json[], patch: Json[], schema: PatchSchema, mergeKey: string, isDeleteList: boolean): { merged: Json[]; view: Json[] } {
  if (original.length === 0 && patch.length === 0) return { merged: original, view: original };
  const kind = elementType([original, patch]);
  let merged: Json[];
  let serverOrder = original;
  let view = original;
  if (kind !== 'map') {
    if (isDeleteList) return { merged: deleteFromList(original, patch), view };
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw errors.internal(`cannot merge lists without merge key for ${schema.name}`);
    const backing = [...original];
    const special = applySpecialItems(backing, patch, mergeKey);
    view = backing;
    serverOrder = special.list;
    patch = special.patch;
    merged = mergeItems(special.list, patch, mergeKey, schema, special.replace ? undefined : backing);
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, patch, mergeKey) : partitionScalars(merged, patch);
  return { merged: normalizeOrder(patchItems, serverOnly, patch, serverOrder, mergeKey, kind), view };
}

/**
 * Items with `$patch`: `delete` removes every item with that key (shifting `backing` in place, as Go does),
 * `replace` makes the list the patch's plain items. Returns the list to merge into and the plain patch items.
 */
function applySpecialItems(backing: Json[], patch: Json[], mergeKey: string): { list: Json[]; patch: Json[]; replace: boolean } {
  const plain: Json[] = [];
  let replace = false;
  let length = backing.length;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!has(item, directiveMarker)) {
      plain.push(v);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === 'delete') {
      if (!has(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
      for (let i = findByKey(backing.slice(0, length), mergeKey, item[mergeKey]); i >= 0; i = findByKey(backing.slice(0, length), mergeKey, item[mergeKey])) {
        backing.copyWithin(i, i + 1, length);
        length--;
      }
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw errors.internal('merging lists cannot yet be specified in the patch');
    } else {
      throw errors.badPatchType(directive, item);
    }
  }
  return replace ? { list: plain, patch: [], replace } : { list: backing.slice(0, length), patch: plain, replace };
}

/**
 * Patch items merge into the first server item with the same key, or are appended; appended items also land in
 * `backing`'s freed slots (Go's append into spare capacity).
 */
function mergeItems(original: Json[], patch: Json[], mergeKey: string, schema: PatchSchema, backing?: Json[]): Json[] {
  const out = [...original];
  for (const v of patch) {
    const item = v as JsonMap;
    if (!has(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
    const i = findByKey(out, mergeKey, item[mergeKey]);
    if (i >= 0) {
      out[i] = mergeMap(out[i] as JsonMap, item, schema);
    } else {
      if (backing && out.length < backing.length) backing[out.length] = v;
      out.push(v);
    }
  }
  return out;
}

function findByKey(list: Json[], mergeKey: string, value: Json): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isMap(v)) throw errors.internal(`value for key ${i} is not a map`);
    if (has(v, mergeKey) && v[mergeKey] === value) return i;
  }
  return -1;
}

function deleteFromList(current: Json[], toDelete: Json[]): Json[] {
  const gone = new Set(toDelete);
  return current.filter((v) => !gone.has(v));
}

function dedupeScalars(list: Json[]): Json[] {
  return [...new Set(list)];
}

/** The one type all items of the lists share; lists of lists and mixed lists are refused. */
function elementType(lists: Json[][]): ValueType {
  let t: ValueType | undefined;
  for (const list of lists) {
    for (const v of list) {
      const vt = typeOf(v);
      if (t === undefined) {
        if (vt === 'list') throw errors.unprocessable();
        t = vt;
      } else if (vt !== t) {
        throw errors.internal(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (t === undefined) throw errors.internal('no elements in any of the given slices');
  return t;
}

function keyOf(item: Json, mergeKey: string, kind: ValueType): Json {
  if (kind !== 'map') return item;
  return isMap(item) ? (item[mergeKey] ?? null) : null;
}

/** Positions of the first item with each key: upstream's linear index lookup, precomputed. */
function positions(list: Json[], mergeKey: string, kind: ValueType): Map<Json, number> {
  const m = new Map<Json, number>();
  list.forEach((v, i) => {
    const k = keyOf(v, mergeKey, kind);
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

function partitionScalars(merged: Json[], by: Json[]): [Json[], Json[]] {
  const inPatch = new Set(by);
  const patch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of merged) (inPatch.has(v) ? patch : serverOnly).push(v);
  return [patch, serverOnly];
}

function partitionMaps(merged: Json[], by: Json[], mergeKey: string): [Json[], Json[]] {
  const patch: Json[] = [];
  const serverOnly: Json[] = [];
  let keys: Set<Json> | undefined;
  for (const v of merged) {
    if (!isMap(v)) throw errors.badArgType('map', v);
    if (!has(v, mergeKey)) throw errors.noMergeKey(v, mergeKey);
    // Every item of `by` must be a map (upstream's lookup fails on the first that is not, unless a match
    // comes first); with that settled, a set of its keys answers the lookups.
    if (!keys) {
      if (!by.every(isMap)) {
        (findByKey(by, mergeKey, v[mergeKey]) >= 0 ? patch : serverOnly).push(v);
        continue;
      }
      keys = new Set(by.filter((b) => has(b as JsonMap, mergeKey)).map((b) => (b as JsonMap)[mergeKey]));
    }
    (keys.has(v[mergeKey]) ? patch : serverOnly).push(v);
  }
  return [patch, serverOnly];
}

/**
 * Sorts the patch's items by `patchOrder` and the server-only items by `serverOrder`, then interleaves them:
 * a server item goes first only when both it and the next patch item are in `serverOrder` and it comes earlier.
 */
function normalizeOrder(patch: Json[], serverOnly: Json[], patchOrder: Json[], serverOrder: Json[], mergeKey: string, kind: ValueType): Json[] {
  const right = sortByOrder(patch, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const at = positions(serverOrder, mergeKey, kind);
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = at.get(keyOf(left[i], mergeKey, kind));
      const ri = at.get(keyOf(right[j], mergeKey, kind));
      if (li !== undefined && ri !== undefined && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Stable sort by position in `order`; `$patch: delete` items go last. */
function sortByOrder(toSort: Json[], order: Json[], mergeKey: string, kind: ValueType): Json[] {
  let deletions: Json[] = [];
  if (kind === 'map') {
    for (const list of [toSort, order]) {
      for (const item of list) {
        if (!isMap(item)) throw errors.badArgType('map', item);
        if (!has(item, mergeKey)) throw errors.noMergeKey(item, mergeKey);
      }
    }
    [toSort, deletions] = splitDeletions(toSort);
  }
  const at = positions(order, mergeKey, kind);
  const idx = toSort.map((v) => at.get(keyOf(v, mergeKey, kind)));
  const sorted = idx.every((i) => i !== undefined) ? stableByIndex(toSort, idx as number[]) : goStableSort(toSort, idx);
  return deletions.length ? [...sorted, ...deletions] : sorted;
}

function stableByIndex(items: Json[], idx: number[]): Json[] {
  return items
    .map((v, n) => ({ v, i: idx[n], n }))
    .sort((a, b) => a.i - b.i || a.n - b.n)
    .map((e) => e.v);
}

/**
 * Upstream sorts with a "less" that answers true whenever either item is missing from the order list, which is
 * not an ordering; the result then depends on Go's stable sort algorithm (insertion sort over blocks of 20, then
 * symmetric merges), reproduced here for those rare lists.
 */
function goStableSort(items: Json[], idx: (number | undefined)[]): Json[] {
  const data = items.map((v, n) => ({ v, i: idx[n] }));
  const less = (a: number, b: number) => {
    const ia = data[a].i;
    const ib = data[b].i;
    return ia !== undefined && ib !== undefined ? ia < ib : true;
  };
  const swap = (a: number, b: number) => {
    [data[a], data[b]] = [data[b], data[a]];
  };
  const insertion = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && less(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (less(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!less(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!less(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };
  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertion(a, b);
    a = b;
    b += blockSize;
  }
  insertion(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
  return data.map((e) => e.v);
}

/** Drops maps carrying `$patch` (and list items that are such maps); `keep` false when `obj` itself is one. */
function removeDirectives(obj: Json): [Json, boolean] {
  if (obj === null) return [obj, true];
  if (Array.isArray(obj)) {
    const out: Json[] = [];
    for (const v of obj) {
      const [nv, keep] = removeDirectives(v);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  if (typeof obj === 'object') {
    if (has(obj, directiveMarker)) return [null, false];
    for (const k of Object.keys(obj)) {
      const [nv, keep] = removeDirectives(obj[k]);
      if (keep) set(obj, k, nv);
      else delete obj[k];
    }
  }
  return [obj, true];
}

/** Removes null-valued keys from maps at any depth (null list items stay). */
function discardNulls(v: Json): void {
  if (Array.isArray(v)) {
    for (const item of v) discardNulls(item);
  } else if (isMap(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNulls(v[k]);
    }
  }
}
