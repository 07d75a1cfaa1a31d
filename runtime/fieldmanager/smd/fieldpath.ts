/**
 * Field paths and sets of them, as structured-merge-diff's `fieldpath` package: path elements (`f:`, `k:`, `v:`,
 * `i:`), a trie of paths with set algebra, the path text upstream prints in conflict messages, and the FieldsV1
 * JSON that `metadata.managedFields[].fieldsV1` carries, byte for byte as upstream writes it.
 *
 * Every element carries its serialized form (`f:name`, `k:{"name":"a"}`) as `id`; the trie indexes children by it,
 * so membership tests never compare values structurally.
 */
import { compareStrings, compareValues, valueToString, type JSONValue } from './value.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import { sortShort } from '../../machinery/order.ts';
import { goJson } from '../../machinery/json-value.ts';
import { atoi, numErrorText } from '../../machinery/strconv.ts';

export type PathElement =
  | { readonly kind: 'field'; readonly name: string; readonly id: string }
  /** An item of a map list, by its key fields sorted by name. */
  | { readonly kind: 'key'; readonly fields: ReadonlyArray<readonly [string, JSONValue]>; readonly id: string }
  /** An item of a set list, by its value. */
  | { readonly kind: 'value'; readonly value: JSONValue; readonly id: string }
  /** An item of an atomic list, by position (only appears in sets built by hand; merges never record these). */
  | { readonly kind: 'index'; readonly index: number; readonly id: string };

export type Path = readonly PathElement[];

export const fieldElement = (name: string): PathElement => ({ kind: 'field', name, id: 'f:' + name });

const compareKeyFields = (a: readonly [string, JSONValue], b: readonly [string, JSONValue]) => compareStrings(a[0], b[0]);

/** A key element from key field values; `fields` need not be sorted. */
export function keyElement(fields: ReadonlyArray<readonly [string, JSONValue]> | Record<string, JSONValue>): PathElement {
  // One scalar key (a name, a port) is most items of most lists: no sorting, no generic encoder.
  if (Array.isArray(fields) && fields.length === 1) {
    const [name, value] = fields[0] as readonly [string, JSONValue];
    if (typeof value === 'string' || typeof value === 'number') return { kind: 'key', fields: [[name, value]], id: 'k:{' + goJson(name) + ':' + goJson(value) + '}' };
  }
  const list = (Array.isArray(fields) ? [...fields] : Object.entries(fields)) as Array<readonly [string, JSONValue]>;
  sortShort(list, compareKeyFields);
  let id = 'k:{';
  for (let i = 0; i < list.length; i++) id += (i ? ',' : '') + goJson(list[i][0]) + ':' + goJson(list[i][1]);
  return { kind: 'key', fields: list, id: id + '}' };
}

export const valueElement = (value: JSONValue): PathElement => ({ kind: 'value', value, id: 'v:' + goJson(value) });

export const indexElement = (index: number): PathElement => ({ kind: 'index', index, id: 'i:' + index });

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** Upstream's order of path elements: fields, then keys, values, indexes; each by content. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] - kindRank[b.kind];
  switch (a.kind) {
    case 'field':
      return compareStrings(a.name, (b as typeof a).name);
    case 'key': {
      const bf = (b as typeof a).fields;
      const af = a.fields;
      for (let i = 0; i < af.length && i < bf.length; i++) {
        const c = compareStrings(af[i][0], bf[i][0]) || compareValues(af[i][1], bf[i][1]);
        if (c !== 0) return c;
      }
      return af.length - bf.length;
    }
    case 'value':
      return compareValues(a.value, (b as typeof a).value);
    case 'index':
      return a.index - (b as typeof a).index;
  }
}

/** An element as upstream prints it in a path: `.name`, `[name="nginx"]`, `[=value]`, `[0]`. */
export function elementToString(pe: PathElement): string {
  switch (pe.kind) {
    case 'field':
      return '.' + pe.name;
    case 'key':
      return '[' + pe.fields.map(([k, v]) => `${k}=${valueToString(v)}`).join(',') + ']';
    case 'value':
      return `[=${valueToString(pe.value)}]`;
    case 'index':
      return `[${pe.index}]`;
  }
}

/** A path as upstream prints it in conflict messages: `.spec.containers[name="nginx"].image`. */
export const pathToString = (p: Path): string => p.map(elementToString).join('');

/** Malformed FieldsV1 or path element text; the message says what was wrong, for the caller's Status. */
export class FieldsV1Error extends Error {
  override name = 'FieldsV1Error';
}

/** Thrown for an element of a type this version does not know (upstream skips these when decoding a set). */
class UnknownElementType extends FieldsV1Error {}

/** Parses `f:name`, `k:{...}`, `v:...`, `i:3`. */
export function deserializePathElement(s: string): PathElement {
  if (s.length < 2) throw new FieldsV1Error('key must be 2 characters long: ' + s);
  if (s[1] !== ':') throw new FieldsV1Error('missing colon: ' + s);
  const body = s.slice(2);
  switch (s[0]) {
    case 'f':
      return fieldElement(body);
    case 'v':
      return valueElement(parseJSON(body, s));
    case 'k': {
      let v: JSONValue;
      try {
        v = JSON.parse(body) as JSONValue;
      } catch (e) {
        throw new FieldsV1Error(`ReadObjectCB: ${(e as Error).message}: ${s}`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FieldsV1Error(`ReadObjectCB: expect { or n, but found ${body[0] ?? 'nothing'}: ${s}`);
      return keyElement(v as Record<string, JSONValue>);
    }
    case 'i': {
      const index = atoi(body);
      if (typeof index !== 'number') throw new FieldsV1Error(numErrorText('Atoi', body, index));
      return indexElement(index);
    }
    default:
      throw new UnknownElementType('unknown path element type');
  }
}

function parseJSON(text: string, whole: string): JSONValue {
  try {
    return JSON.parse(text) as JSONValue;
  } catch (e) {
    throw new FieldsV1Error(`parsing path element ${whole}: ${(e as Error).message}`);
  }
}

/** A subtree of a FieldSet: the element it is under, and the set of paths beneath it. */
export interface FieldSetChild {
  pe: PathElement;
  set: FieldSet;
}

/** What a set without members or children reads as (never written: setMember and setChild make the set's own). */
const noMembers: ReadonlyMap<string, PathElement> = new Map();
const noChildren: ReadonlyMap<string, FieldSetChild> = new Map();

const sortById = (elements: Iterable<PathElement>) => [...elements].sort(compareElements);

/**
 * A set of field paths (upstream's fieldpath.Set): `members` are paths that end here, `children` are subtrees.
 * Immutable from the outside: every operation returns a new set; `insert` is for building. A result shares the
 * subtrees it takes unchanged from its operands (no copy per update), so a set must not be built further once an
 * operation has used it.
 */
export class FieldSet {
  /**
   * Made on the first member or child: most sets of a write are small subtrees with members and no children (or
   * the reverse), and two Maps each were most of what the field manager allocated per create and update.
   */
  private ownMembers: Map<string, PathElement> | undefined = undefined;
  private ownChildren: Map<string, FieldSetChild> | undefined = undefined;

  /** The paths that end here, by element id (read-only: setMember adds one). */
  get members(): ReadonlyMap<string, PathElement> {
    return this.ownMembers ?? noMembers;
  }

  /** The subtrees under this set, by element id (read-only: setChild adds one). */
  get children(): ReadonlyMap<string, FieldSetChild> {
    return this.ownChildren ?? noChildren;
  }

  /** Adds `pe` as a path ending here (mutates; use while building a set). */
  setMember(id: string, pe: PathElement): void {
    (this.ownMembers ??= new Map()).set(id, pe);
  }

  /** Puts `child` under `id` (mutates; use while building a set). */
  setChild(id: string, child: FieldSetChild): void {
    (this.ownChildren ??= new Map()).set(id, child);
  }

  static fromPaths(paths: Iterable<Path>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  /** Adds a path (mutates; use while building a set). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    let node: FieldSet = this;
    for (let i = 0; i < path.length - 1; i++) node = node.descend(path[i]);
    const last = path[path.length - 1];
    node.setMember(last.id, last);
    return this;
  }

  /** The child set under `pe`, created if absent (mutates). */
  descend(pe: PathElement): FieldSet {
    let c = this.children.get(pe.id);
    if (!c) {
      c = { pe, set: new FieldSet() };
      this.setChild(pe.id, c);
    }
    return c.set;
  }

  /** The child set under `pe`, or undefined. */
  child(pe: PathElement | string): FieldSet | undefined {
    return this.children.get(typeof pe === 'string' ? pe : pe.id)?.set;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let node: FieldSet | undefined = this;
    for (let i = 0; i < path.length - 1 && node; i++) node = node.children.get(path[i].id)?.set;
    return !!node && node.members.has(path[path.length - 1].id);
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const c of this.children.values()) if (!c.set.isEmpty()) return false;
    return true;
  }

  /** Number of paths in the set. */
  get size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size;
    return n;
  }

  /** Whether a subtree directly under this set holds no path. */
  private hasEmptyChild(): boolean {
    for (const c of this.children.values()) if (c.set.isEmpty()) return true;
    return false;
  }

  /** Whether the set holds nothing at all, not even empty subtrees (an operand the operations can skip). */
  private get bare(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  union(other: FieldSet): FieldSet {
    // A write's added or removed fields are often none: the other operand is the union (sets are shared, not copied).
    if (other.bare) return this;
    if (this.bare) return other;
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.setMember(k, pe);
    for (const [k, pe] of other.members) out.setMember(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      out.setChild(k, o ? { pe: c.pe, set: c.set.union(o.set) } : c);
    }
    for (const [k, o] of other.children) if (!this.children.has(k)) out.setChild(k, o);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    if (this.bare || other.bare) return out;
    for (const [k, pe] of this.members) if (other.members.has(k)) out.setMember(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) continue;
      const i = c.set.intersection(o.set);
      if (!i.isEmpty()) out.setChild(k, { pe: c.pe, set: i });
    }
    return out;
  }

  difference(other: FieldSet): FieldSet {
    // Nothing to take away (an update's removed fields, most often): the set itself, unless an empty subtree at the
    // top is to be dropped, as the copy below drops it.
    if (other.bare && !this.hasEmptyChild()) return this;
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.setMember(k, pe);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (!o) {
        if (!c.set.isEmpty()) out.setChild(k, c);
        continue;
      }
      const d = c.set.difference(o.set);
      if (!d.isEmpty()) out.setChild(k, { pe: c.pe, set: d });
    }
    return out;
  }

  /**
   * Upstream's RecursiveDifference: removes every path of this set that has a prefix in `other` (used when a
   * manager's whole subtree goes with the item that holds it).
   */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.setMember(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const o = other.children.get(k);
      if (!o) {
        if (!c.set.isEmpty()) out.setChild(k, c);
        continue;
      }
      const d = c.set.recursiveDifference(o.set);
      if (!d.isEmpty()) out.setChild(k, { pe: c.pe, set: d });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size) return false;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    const mine = [...this.children].filter(([, c]) => !c.set.isEmpty());
    const theirs = [...other.children].filter(([, c]) => !c.set.isEmpty());
    if (mine.length !== theirs.length) return false;
    for (const [k, c] of mine) {
      const o = other.children.get(k);
      if (!o || !c.set.equals(o.set)) return false;
    }
    return true;
  }

  copy(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.setMember(k, pe);
    for (const [k, c] of this.children) out.setChild(k, { pe: c.pe, set: c.set.copy() });
    return out;
  }

  /**
   * Every path of the set in upstream's iteration order (the order of its conflict messages): this level's members
   * first, sorted, then each child's paths, children sorted.
   */
  *paths(prefix: PathElement[] = []): Generator<Path> {
    for (const pe of sortById(this.members.values())) yield [...prefix, pe];
    for (const c of [...this.children.values()].sort((a, b) => compareElements(a.pe, b.pe))) yield* c.set.paths([...prefix, c.pe]);
  }

  /** Only the paths that have nothing beneath them in this set (upstream's Leaves). */
  leaves(): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!this.children.has(k)) out.setMember(k, pe);
    for (const [k, c] of this.children) {
      const l = c.set.leaves();
      if (!l.isEmpty()) out.setChild(k, { pe: c.pe, set: l });
    }
    return out;
  }

  /** The paths as text, one per element, for debugging and test messages. */
  toString(): string {
    return [...this.paths()].map(pathToString).join('\n');
  }

  /** The FieldsV1 text, exactly as upstream serializes it (`{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}`). */
  toFieldsV1String(): string {
    // The bytes a protobuf FieldsV1 holds: upstream writes each key with jsoniter's WriteString, which leaves '<', '>'
    // and '&' as they are; a key or value element's own JSON already carries its HTML escapes (goJson). A JSON answer
    // escapes the whole text again, as Go's encoder does with the raw message.
    return JSON.stringify(this.emitObject(false));
  }

  /** The FieldsV1 object (what `fieldsV1` holds once decoded from JSON). */
  toFieldsV1(): Record<string, unknown> {
    return this.emitObject(false);
  }

  /**
   * The FieldsV1 object, members in upstream's order (`.` first, then elements by id), which JavaScript keeps: no
   * key looks like an array index (`f:`, `k:`, `v:`, `i:`, `.`).
   */
  private emitObject(includeSelf: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const members = this.ownMembers;
    const children = this.ownChildren;
    if (includeSelf && (members || children)) out['.'] = {};
    // Written straight from the maps (no set of names, no copies): every create and update writes every entry.
    const elements: PathElement[] = [];
    if (members) for (const pe of members.values()) elements.push(pe);
    if (children) for (const [id, c] of children) if (!members?.has(id)) elements.push(c.pe);
    sortShort(elements, compareElements);
    for (let i = 0; i < elements.length; i++) {
      const id = elements[i].id;
      const c = children?.get(id);
      out[id] = c ? c.set.emitObject(members !== undefined && members.has(id)) : {};
    }
    return out;
  }

  /**
   * Decodes FieldsV1, given as text or as the parsed object. Unknown element types are dropped, as upstream does;
   * anything malformed throws FieldsV1Error.
   */
  static fromFieldsV1(input: string | unknown): FieldSet {
    let obj: unknown = input;
    if (typeof input === 'string') {
      try {
        obj = JSON.parse(input);
      } catch (e) {
        throw new FieldsV1Error(`parsing FieldsV1: ${(e as Error).message}`);
      }
    }
    if (obj === null) return new FieldSet();
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new FieldsV1Error('ReadMapCB: expect { or n, but found ' + (Array.isArray(obj) ? '[' : typeof obj));
    return readSet(obj as Record<string, unknown>, 0).set ?? new FieldSet();
  }
}

/** Deeper than any object a server stores; refusing it keeps hostile input from exhausting the stack. */
const maxDepth = 500;

/** Reads one level; an entry with no children (or only ".") is a member. */
function readSet(obj: Record<string, unknown>, depth: number): { set?: FieldSet; isMember: boolean } {
  if (depth > maxDepth) throw new FieldsV1Error(`FieldsV1 nested deeper than ${maxDepth} levels`);
  let set: FieldSet | undefined;
  let isMember = false;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (key === '.') {
      isMember = true;
      continue;
    }
    let pe: PathElement;
    try {
      pe = deserializePathElement(key);
    } catch (e) {
      if (e instanceof UnknownElementType) continue;
      throw new FieldsV1Error(`parsing key as path element: ${(e as Error).message}`);
    }
    if (v !== null && (typeof v !== 'object' || Array.isArray(v))) throw new FieldsV1Error(`ReadMapCB: expect { or n, but found ${Array.isArray(v) ? '[' : JSON.stringify(v)?.[0] ?? '?'}`);
    const inner = v === null ? { isMember: true } : readSet(v as Record<string, unknown>, depth + 1);
    if (inner.isMember) (set ??= new FieldSet()).setMember(pe.id, pe);
    if (inner.set) (set ??= new FieldSet()).setChild(pe.id, { pe, set: inner.set });
  }
  if (!set) isMember = true;
  return { set, isMember };
}

/** A manager's set with the API version it was recorded in, and whether it came from apply. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Field ownership: manager identity -> its versioned set (upstream's fieldpath.ManagedFields). */
export type ManagedFields = Map<string, VersionedSet>;
