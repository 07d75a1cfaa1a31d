/**
 * Values with their type (upstream's typed.TypedValue): validation, the field set a value owns, comparison, the
 * apply merge, and removal or extraction of a set of fields. Values are plain JSON; nothing here mutates its input,
 * and results share unchanged parts with the inputs (clone before mutating a result in place).
 */
import { FieldSet, elementToString, fieldElement, keyElement, pathToString, valueElement, type PathElement } from './fieldpath.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import type { Atom, ListType, MapType, TypeRef } from './schema.ts';
import { equalValues, isMap, type JSONValue } from './value.ts';
import { setMember } from '../../machinery/json-value.ts';

/** One problem with a value, at a path printed as upstream does (`.spec.containers[name="a"]`). */
export interface ValidationError {
  path: string;
  message: string;
}

/** Thrown by operations on a value that does not fit its schema; `message` is upstream's text. */
export class ValidationErrors extends Error {
  override name = 'ValidationErrors';
  constructor(readonly errors: ValidationError[]) {
    super(errors.length === 1 ? formatError(errors[0]) : ['errors:', ...errors.map((e) => '  ' + formatError(e))].join('\n'));
  }
}

const formatError = (e: ValidationError) => (e.path ? `${e.path}: ${e.message}` : e.message);

/** What changed from one value to another, as field sets. */
export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export interface ValidateOptions {
  /** Accept duplicate items in map and set lists (live objects written before validation existed). */
  allowDuplicates?: boolean;
}

export interface TypedValue {
  readonly value: unknown;
  readonly type: TypeRef;
  /** Every way the value does not fit its type; [] when it fits. */
  validate(options?: ValidateOptions): ValidationError[];
  /** The set of fields the value sets (leaves, list items, empty maps), as upstream records ownership. */
  toFieldSet(): FieldSet;
  /** What `other` adds, changes and removes relative to this value. */
  compare(other: TypedValue): Comparison;
  /** This value with `other` applied over it (atomic parts replaced, granular ones merged). */
  merge(other: TypedValue): TypedValue;
  /** This value without the given fields (list items by key, map entries, ...). */
  removeItems(set: FieldSet): TypedValue;
  /** Only the given fields of this value. */
  extractItems(set: FieldSet): TypedValue;
}

/**
 * Removal as upstream does it, leaving null where a map entry lost everything beneath it. The updater needs those
 * nulls in its intermediate steps: a null field is still a field, so pruning knows its parent was there.
 */
export function removeItemsKeepingEmptied(tv: TypedValue, set: FieldSet): TypedValue {
  const out = removeValue(tv.value, tv.type.atom, set, false, true);
  return typed(out === undefined ? null : out, tv.type);
}

/** Wraps a JSON value with its type. Does not validate: call `validate()` where input comes from users. */
export function typed(value: unknown, type: TypeRef): TypedValue {
  return new Typed(value, type);
}

class Typed implements TypedValue {
  constructor(
    readonly value: unknown,
    readonly type: TypeRef,
  ) {}

  validate(options: ValidateOptions = {}): ValidationError[] {
    const errors: ValidationError[] = [];
    validateValue(this.value, this.type.atom, '', errors, !!options.allowDuplicates);
    return errors;
  }

  toFieldSet(): FieldSet {
    const set = new FieldSet();
    fieldSetOf(this.value, this.type.atom, [], set);
    return set;
  }

  compare(other: TypedValue): Comparison {
    const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
    compareValue(this.value, other.value, this.type.atom, [], c);
    return c;
  }

  merge(other: TypedValue): TypedValue {
    const errors: ValidationError[] = [];
    const out = mergeValue(this.value, other.value, this.type.atom, [], errors);
    if (errors.length) throw new ValidationErrors(errors);
    return new Typed(out === undefined ? null : out, this.type);
  }

  removeItems(set: FieldSet): TypedValue {
    const out = removeValue(this.value, this.type.atom, set, false);
    return new Typed(out === undefined ? null : out, this.type);
  }

  extractItems(set: FieldSet): TypedValue {
    const out = removeValue(this.value, this.type.atom, set, true);
    return new Typed(out === undefined ? null : out, this.type);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Shared helpers: which part of an atom handles a value, and the path element of a list item.

type Part = 'map' | 'scalar' | 'list' | 'none';

/**
 * The part of the atom that handles `v` (upstream's deduceAtom then handleAtom): the one matching the value's JSON
 * type when the atom has it, else the first of map, scalar, list that the atom has.
 */
function partFor(atom: Atom, v: unknown): Part {
  if (v !== undefined && v !== null) {
    if (Array.isArray(v)) {
      if (atom.list) return 'list';
    } else if (typeof v === 'object') {
      if (atom.map) return 'map';
    } else if (atom.scalar) return 'scalar';
  }
  return atom.map ? 'map' : atom.scalar ? 'scalar' : atom.list ? 'list' : 'none';
}

/** An own property only: keys such as `constructor` or `__proto__` are data here, never inherited members. */
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined);

/** Sets a key as data (`__proto__` included) on an object this module built. */
const put = (o: Record<string, unknown>, k: string, v: unknown): void => setMember(o, k, v);

const fieldElements = new WeakMap<MapType, Map<string, PathElement>>();

/** The path element of a key: shared per schema field (a bounded set), fresh for free-form keys. */
function keyOf(map: MapType, key: string): PathElement {
  if (!map.fields.has(key)) return fieldElement(key);
  let cache = fieldElements.get(map);
  if (!cache) fieldElements.set(map, (cache = new Map()));
  let pe = cache.get(key);
  if (!pe) cache.set(key, (pe = fieldElement(key)));
  return pe;
}

function fieldType(map: MapType, key: string): Atom | undefined {
  const f = map.fields.get(key);
  return f ? f.type.atom : map.elementType?.atom;
}

/** The key of a list item: a key element for map lists, a value element for sets; a string says what is wrong. */
function itemElement(list: ListType, item: unknown): PathElement | string {
  if (list.keys.length > 0) {
    if (item === null) return 'associative list with keys may not have a null element';
    if (!isMap(item)) return 'associative list with keys may not have non-map elements';
    const fields: Array<[string, JSONValue]> = [];
    for (const k of list.keys) {
      const v = own(item, k);
      if (v !== undefined) fields.push([k, v as JSONValue]);
      else {
        const def = list.elementType.atom.map?.fields.get(k)?.default;
        if (def !== undefined && def !== null) fields.push([k, def as JSONValue]);
      }
    }
    if (fields.length === 0) {
      return `associative list with keys has an element that omits all key fields ${goQuoteList(list.keys)} (and doesn't have default values for any key fields)`;
    }
    return keyElement(fields);
  }
  if (isMap(item)) return "associative list without keys has an element that's a map type";
  if (Array.isArray(item)) return 'not supported: associative list with lists as elements';
  if (item === null) return "associative list without keys has an element that's an explicit null";
  return valueElement(item as JSONValue);
}

/** Go's `%q` of a []string: `["a" "b"]`. */
const goQuoteList = (keys: readonly string[]) => '[' + keys.map((k) => goQuote(k)).join(' ') + ']';

/** A value as Go's `%v` would print it in an error, near enough: JSON. */
const show = (v: unknown) => (v === undefined ? '<nil>' : JSON.stringify(v));

// ---------------------------------------------------------------------------------------------------------------
// validate

function validateScalar(scalar: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  switch (scalar) {
    case 'numeric':
      return typeof v === 'number' ? undefined : `expected numeric (int or float), got ${goTypeName(v)}`;
    case 'string':
      return typeof v === 'string' ? undefined : `expected string, got ${show(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected boolean, got ${show(v)}`;
    default:
      return typeof v === 'object' ? `expected any scalar, got ${show(v)}` : undefined;
  }
}

const goTypeName = (v: unknown) => (Array.isArray(v) ? '[]interface {}' : typeof v === 'object' ? 'map[string]interface {}' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : typeof v);

function validateValue(v: unknown, atom: Atom, path: string, errors: ValidationError[], allowDuplicates: boolean): void {
  switch (partFor(atom, v)) {
    case 'scalar': {
      const problem = validateScalar(atom.scalar!, v);
      if (problem) errors.push({ path, message: problem });
      return;
    }
    case 'list': {
      if (v === null || v === undefined) return;
      if (!Array.isArray(v)) {
        errors.push({ path, message: `expected list, got ${show(v)}` });
        return;
      }
      const list = atom.list!;
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        let itemPath: string;
        if (list.relationship !== 'associative') itemPath = `${path}[${i}]`;
        else {
          const pe = itemElement(list, v[i]);
          if (typeof pe === 'string') {
            errors.push({ path, message: `element ${i}: ${pe}` });
            return;
          }
          if (seen.has(pe.id) && !allowDuplicates) errors.push({ path, message: `duplicate entries for key ${elementToString(pe)}` });
          seen.add(pe.id);
          itemPath = path + elementToString(pe);
        }
        validateValue(v[i], list.elementType.atom, itemPath, errors, allowDuplicates);
      }
      return;
    }
    case 'map': {
      if (v === null || v === undefined) return;
      if (!isMap(v)) {
        errors.push({ path, message: `expected map, got ${show(v)}` });
        return;
      }
      const map = atom.map!;
      for (const key of Object.keys(v)) {
        const t = fieldType(map, key);
        if (!t) {
          errors.push({ path: `${path}.${key}`, message: 'field not declared in schema' });
          return;
        }
        validateValue(v[key], t, `${path}.${key}`, errors, allowDuplicates);
      }
      return;
    }
    default:
      errors.push({ path, message: `schema error: invalid atom: ${atom.name ? 'named type: ' + atom.name : 'inlined'}` });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// toFieldSet

function fieldSetOf(v: unknown, atom: Atom, path: PathElement[], set: FieldSet): void {
  switch (partFor(atom, v)) {
    case 'scalar':
      set.insert(path);
      return;
    case 'list': {
      const list = atom.list!;
      if (list.relationship === 'atomic') {
        set.insert(path);
        return;
      }
      if (!Array.isArray(v)) return;
      const elements: Array<PathElement | undefined> = new Array(v.length);
      const seen = new Set<string>();
      const duplicates = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const pe = itemElement(list, v[i]);
        if (typeof pe === 'string') continue;
        elements[i] = pe;
        if (seen.has(pe.id)) {
          // A duplicated item is owned as a whole: its contents cannot be told apart.
          if (!duplicates.has(pe.id)) set.insert([...path, pe]);
          duplicates.add(pe.id);
        } else seen.add(pe.id);
      }
      for (let i = 0; i < v.length; i++) {
        const pe = elements[i];
        if (!pe || duplicates.has(pe.id)) continue;
        path.push(pe);
        fieldSetOf(v[i], list.elementType.atom, path, set);
        set.insert(path);
        path.pop();
      }
      return;
    }
    case 'map': {
      const map = atom.map!;
      if (map.relationship === 'atomic') {
        set.insert(path);
        return;
      }
      if (!isMap(v)) return;
      for (const key of Object.keys(v)) {
        const val = v[key];
        const field = map.fields.get(key);
        const t = field ? field.type.atom : map.elementType?.atom;
        path.push(keyOf(map, key));
        if (t) fieldSetOf(val, t, path, set);
        // Entries of a map are owned themselves; fields of a struct only when null or empty.
        if (!field || val === null || (isMap(val) && isEmptyObject(val))) set.insert(path);
        path.pop();
      }
      return;
    }
  }
}

function isEmptyObject(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// compare

function compareValue(l: unknown, r: unknown, atom: Atom, path: PathElement[], c: Comparison): void {
  const pl = partFor(atom, l);
  const pr = partFor(atom, r);
  let leaf: boolean;
  if (r === undefined) leaf = compareByPart(pl, l, r, atom, path, c);
  else if (l === undefined || pl === pr) leaf = compareByPart(pr, l, r, atom, path, c);
  else {
    // The value changed shape: the old one's contents go, then the new one is compared as itself.
    compareByPart(pl, l, r, atom, path, c);
    leaf = compareByPart(pr, l, r, atom, path, c);
  }
  if (!leaf) {
    if (l === undefined) c.added.insert(path);
    else if (r === undefined) c.removed.insert(path);
  }
}

/** Returns true when the value was compared as a whole (a leaf). */
function compareLeaf(l: unknown, r: unknown, path: PathElement[], c: Comparison): true {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!equalValues(l, r)) c.modified.insert(path);
  return true;
}

function compareByPart(part: Part, l: unknown, r: unknown, atom: Atom, path: PathElement[], c: Comparison): boolean {
  switch (part) {
    case 'scalar':
      return compareLeaf(l, r, path, c);
    case 'list': {
      const list = atom.list!;
      const ll = Array.isArray(l) ? l : undefined;
      const rl = Array.isArray(r) ? r : undefined;
      if (list.relationship === 'atomic' || ((!ll || ll.length === 0) && (!rl || rl.length === 0))) return compareLeaf(l, r, path, c);
      compareListItems(list, ll ?? [], rl ?? [], path, c);
      return false;
    }
    case 'map': {
      const map = atom.map!;
      const lm = isMap(l) ? l : undefined;
      const rm = isMap(r) ? r : undefined;
      if (map.relationship === 'atomic' || ((!lm || isEmptyObject(lm)) && (!rm || isEmptyObject(rm)))) return compareLeaf(l, r, path, c);
      const left = lm ?? {};
      const right = rm ?? {};
      // for-in rather than Object.keys: no key list per object compared (JSON objects inherit no enumerable keys).
      for (const key in left) {
        const t = fieldType(map, key);
        if (!t) continue;
        path.push(keyOf(map, key));
        compareValue(left[key], own(right, key), t, path, c);
        path.pop();
      }
      for (const key in right) {
        if (Object.hasOwn(left, key)) continue;
        const t = fieldType(map, key);
        if (!t) continue;
        path.push(keyOf(map, key));
        compareValue(undefined, right[key], t, path, c);
        path.pop();
      }
      return false;
    }
    default:
      return false;
  }
}

/** Lists up to this many items in all are matched by scanning, not through maps of their items. */
const shortList = 16;

function compareListItems(list: ListType, l: unknown[], r: unknown[], path: PathElement[], c: Comparison): void {
  if (l.length + r.length <= shortList && compareShortListItems(list, l, r, path, c)) return;
  const order: PathElement[] = [];
  const lValues = new Map<string, unknown[]>();
  const rValues = new Map<string, unknown[]>();
  for (const item of l) {
    const pe = itemElement(list, item);
    if (typeof pe === 'string') continue;
    const seen = lValues.get(pe.id);
    if (seen) seen.push(item);
    else {
      lValues.set(pe.id, [item]);
      order.push(pe);
    }
  }
  for (const item of r) {
    const pe = itemElement(list, item);
    if (typeof pe === 'string') continue;
    const seen = rValues.get(pe.id);
    if (seen) seen.push(item);
    else {
      rValues.set(pe.id, [item]);
      if (!lValues.has(pe.id)) order.push(pe);
    }
  }
  const element = list.elementType.atom;
  for (const pe of order) {
    const ls = lValues.get(pe.id) ?? [];
    const rs = rValues.get(pe.id) ?? [];
    path.push(pe);
    if (ls.length <= 1 && rs.length <= 1) compareValue(ls[0], rs[0], element, path, c);
    else if (ls.length >= 2 && rs.length >= 2) {
      if (ls.length !== rs.length || ls.some((x, i) => !equalValues(x, rs[i]))) c.modified.insert(path);
    } else if (ls.length >= 2) {
      // Duplicates collapse into one item: the item is replaced as a whole.
      if (rs.length) compareValue(undefined, rs[0], element, path, c);
      c.removed.insert(path);
    } else {
      if (ls.length) compareValue(ls[0], undefined, element, path, c);
      c.added.insert(path);
    }
    path.pop();
  }
}

/** The index in `pes` of the element whose id is `id`, or -1. */
function indexOfId(pes: ReadonlyArray<PathElement | string>, id: string, end = pes.length): number {
  for (let i = 0; i < end; i++) {
    const pe = pes[i];
    if (typeof pe !== 'string' && pe.id === id) return i;
  }
  return -1;
}

/**
 * compareListItems for short lists without duplicate items (nearly every list of a write: containers, ports, env),
 * in the same order (left items, then those only on the right) but without the maps of items by key. Returns false,
 * having compared nothing, when a side repeats an item: the general path handles those.
 */
function compareShortListItems(list: ListType, l: unknown[], r: unknown[], path: PathElement[], c: Comparison): boolean {
  const lp = l.map((item) => itemElement(list, item));
  const rp = r.map((item) => itemElement(list, item));
  for (let i = 1; i < lp.length; i++) {
    const pe = lp[i];
    if (typeof pe !== 'string' && indexOfId(lp, pe.id, i) >= 0) return false;
  }
  for (let i = 1; i < rp.length; i++) {
    const pe = rp[i];
    if (typeof pe !== 'string' && indexOfId(rp, pe.id, i) >= 0) return false;
  }
  const element = list.elementType.atom;
  for (let i = 0; i < lp.length; i++) {
    const pe = lp[i];
    if (typeof pe === 'string') continue;
    const j = indexOfId(rp, pe.id);
    path.push(pe);
    compareValue(l[i], j >= 0 ? r[j] : undefined, element, path, c);
    path.pop();
  }
  for (let j = 0; j < rp.length; j++) {
    const pe = rp[j];
    if (typeof pe === 'string' || indexOfId(lp, pe.id) >= 0) continue;
    path.push(pe);
    compareValue(undefined, r[j], element, path, c);
    path.pop();
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// merge (apply semantics: the right-hand side wins at leaves)

/** Merges `r` over `l`; undefined means absent. `path` is where the value is, printed only for errors. */
function mergeValue(l: unknown, r: unknown, atom: Atom, path: PathElement[], errors: ValidationError[]): unknown {
  if (r === undefined) return l;
  if (l === undefined) {
    // Nothing to merge with, but the applied side must still be a valid list (no duplicate keys).
    checkListsOf(r, atom, path, errors);
    return r;
  }
  const part = partFor(atom, r);
  switch (part) {
    case 'list': {
      const list = atom.list!;
      const ll = Array.isArray(l) ? l : undefined;
      const rl = Array.isArray(r) ? r : undefined;
      if (list.relationship === 'atomic' || ((!ll || ll.length === 0) && (!rl || rl.length === 0))) return r;
      const out = mergeListItems(list, ll ?? [], rl ?? [], path, errors);
      return out.length ? out : undefined;
    }
    case 'map': {
      const map = atom.map!;
      const lm = isMap(l) ? l : undefined;
      const rm = isMap(r) ? r : undefined;
      if (map.relationship === 'atomic' || ((!lm || isEmptyObject(lm)) && (!rm || isEmptyObject(rm)))) return r;
      if (!rm) return lm;
      if (!lm) {
        checkListsOf(rm, atom, path, errors);
        return rm;
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(lm)) {
        const rv = own(rm, key);
        if (rv === undefined) put(out, key, lm[key]);
        else {
          const t = fieldType(map, key);
          let v: unknown = rv;
          if (t) {
            path.push(keyOf(map, key));
            v = mergeValue(lm[key], rv, t, path, errors);
            path.pop();
          }
          if (v !== undefined) put(out, key, v);
        }
      }
      for (const key of Object.keys(rm)) {
        if (Object.hasOwn(lm, key)) continue;
        const t = fieldType(map, key);
        if (t && typeof rm[key] === 'object' && rm[key] !== null) {
          path.push(keyOf(map, key));
          checkListsOf(rm[key], t, path, errors);
          path.pop();
        }
        put(out, key, rm[key]);
      }
      return isEmptyObject(out) ? undefined : out;
    }
    default:
      return r;
  }
}

/** Reports duplicate or keyless items in the map and set lists of a value taken whole from the applied side. */
function checkListsOf(v: unknown, atom: Atom, path: PathElement[], errors: ValidationError[]): void {
  if (v === null || typeof v !== 'object') return;
  switch (partFor(atom, v)) {
    case 'list': {
      const list = atom.list!;
      if (list.relationship === 'atomic' || !Array.isArray(v)) return;
      const seen = new Set<string>();
      for (let i = 0; i < v.length; i++) {
        const pe = itemElement(list, v[i]);
        if (typeof pe === 'string') {
          errors.push({ path: pathToString(path), message: `element ${i}: ${pe}` });
          return;
        }
        if (seen.has(pe.id)) errors.push({ path: pathToString(path), message: `duplicate entries for key ${elementToString(pe)}` });
        seen.add(pe.id);
        if (typeof v[i] === 'object' && v[i] !== null) {
          path.push(pe);
          checkListsOf(v[i], list.elementType.atom, path, errors);
          path.pop();
        }
      }
      return;
    }
    case 'map': {
      const map = atom.map!;
      if (map.relationship === 'atomic' || !isMap(v)) return;
      for (const key of Object.keys(v)) {
        const t = fieldType(map, key);
        if (t && typeof v[key] === 'object' && v[key] !== null) {
          path.push(keyOf(map, key));
          checkListsOf(v[key], t, path, errors);
          path.pop();
        }
      }
      return;
    }
  }
}

/**
 * Merges two map or set lists. The order is upstream's: items only the live side has stay where they are, items
 * of the applied side come in its order, and an item both sides have is placed where the applied side wants it
 * relative to the other shared items.
 */
function mergeListItems(list: ListType, l: unknown[], r: unknown[], path: PathElement[], errors: ValidationError[]): unknown[] {
  const rPEs: PathElement[] = [];
  const rByKey = new Map<string, unknown>();
  let failed = false;
  for (let i = 0; i < r.length; i++) {
    const pe = itemElement(list, r[i]);
    if (typeof pe === 'string') {
      errors.push({ path: pathToString(path), message: `element ${i}: ${pe}` });
      failed = true;
      continue;
    }
    if (rByKey.has(pe.id)) {
      errors.push({ path: pathToString(path), message: `duplicate entries for key ${elementToString(pe)}` });
      failed = true;
      continue;
    }
    rByKey.set(pe.id, r[i]);
    rPEs.push(pe);
  }
  const lPEs: PathElement[] = [];
  const lItems: unknown[] = [];
  // Live duplicates are tolerated; the applied item replaces them all.
  const lByKey = new Map<string, unknown>();
  for (let i = 0; i < l.length; i++) {
    const pe = itemElement(list, l[i]);
    if (typeof pe === 'string') {
      errors.push({ path: pathToString(path), message: `element ${i}: ${pe}` });
      failed = true;
      continue;
    }
    lByKey.set(pe.id, lByKey.has(pe.id) ? undefined : l[i]);
    lPEs.push(pe);
    lItems.push(l[i]);
  }
  if (failed) return [];

  const element = list.elementType.atom;
  const shared = rPEs.filter((pe) => lByKey.has(pe.id));
  let sharedAt = 0;
  let nextShared: PathElement | undefined = shared[sharedAt++];
  const mergedR = new Set<string>();
  const out: unknown[] = [];
  const mergeItem = (pe: PathElement) => {
    path.push(pe);
    const v = mergeValue(lByKey.get(pe.id), rByKey.get(pe.id), element, path, errors);
    path.pop();
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < lPEs.length || ri < rPEs.length) {
    if (li < lPEs.length && ri < rPEs.length) {
      const pe = lPEs[li];
      if (pe.id === rPEs[ri].id) {
        mergedR.add(pe.id);
        mergeItem(pe);
        li++;
        ri++;
        nextShared = shared[sharedAt++];
        continue;
      }
      // A shared item the applied side wants later: skip it here, it is emitted in the applied order.
      if (rByKey.has(pe.id) && nextShared && nextShared.id !== pe.id) {
        li++;
        continue;
      }
    }
    if (li < lPEs.length) {
      const pe = lPEs[li];
      if (!rByKey.has(pe.id)) {
        out.push(lItems[li]);
        li++;
        continue;
      } else if (mergedR.has(pe.id)) li++;
    }
    if (ri < rPEs.length) {
      const pe = rPEs[ri];
      mergedR.add(pe.id);
      mergeItem(pe);
      ri++;
      if (nextShared && nextShared.id === pe.id) nextShared = shared[sharedAt++];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// removeItems / extractItems

/**
 * Removes (or, with `extract`, keeps only) the fields of `set` under this value. Returns undefined when nothing
 * is left. Unlike upstream, which leaves an explicit null where a map or list lost all its entries, an emptied
 * entry is dropped: our objects are stored as JSON, and null there would be a value the user never wrote.
 */
function removeValue(v: unknown, atom: Atom, set: FieldSet, extract: boolean, keepEmptied = false): unknown {
  switch (partFor(atom, v)) {
    case 'list': {
      if (!Array.isArray(v)) return extract ? undefined : v;
      const list = atom.list!;
      if (v.length === 0 || list.relationship === 'atomic') return v;
      const out: unknown[] = [];
      for (const item of v) {
        const pe = itemElement(list, item);
        if (typeof pe === 'string') {
          if (!extract) out.push(item);
          continue;
        }
        const exact = set.members.has(pe.id);
        const sub = set.child(pe);
        if (extract) {
          if (sub && !sub.isEmpty()) {
            const kept = removeValue(item, list.elementType.atom, sub, true);
            if (kept !== undefined) out.push(kept);
            else if (exact) out.push(item);
          } else if (exact) out.push(item);
        } else {
          if (exact) continue;
          if (sub) {
            const kept = removeValue(item, list.elementType.atom, sub, false, keepEmptied);
            if (kept !== undefined) out.push(kept);
          } else out.push(item);
        }
      }
      return out.length ? out : undefined;
    }
    case 'map': {
      if (!isMap(v)) return extract ? undefined : v;
      const map = atom.map!;
      if (isEmptyObject(v) || map.relationship === 'atomic') return v;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        const id = 'f:' + key;
        const exact = set.members.has(id);
        const sub = set.child(id);
        const t = fieldType(map, key);
        if (extract) {
          if (sub && !sub.isEmpty() && t) {
            const kept = removeValue(v[key], t, sub, true);
            if (kept !== undefined) put(out, key, kept);
            else if (exact) put(out, key, v[key]);
          } else if (exact) put(out, key, v[key]);
        } else {
          if (exact) continue;
          if (sub && t) {
            const kept = removeValue(v[key], t, sub, false, keepEmptied);
            if (kept !== undefined) put(out, key, kept);
            else if (keepEmptied) put(out, key, null);
          } else put(out, key, v[key]);
        }
      }
      return isEmptyObject(out) ? undefined : out;
    }
    default:
      return v;
  }
}
