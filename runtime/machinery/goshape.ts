/**
 * Go's wire shape of the built-in kinds. kube-apiserver decodes every body into Go structs and writes them back
 * with encoding/json, so what a client sees depends on the Go types, not on what it sent: a field whose json tag
 * has no `omitempty`, or a struct held by value, is always written (`status: {}`, `creationTimestamp: null`,
 * `replicas: 0`, `reportingComponent: ""`), and a non-pointer zero or a `null` is the same as unset. The generated
 * tables (`generated/<group>/<version>/shapes.ts`, from `@alwaysWritten` and `@pointer` in apis/) say which field
 * is which; this module compiles them once per struct into two passes:
 *
 * - `read`: what decoding into the Go type does to a body: `null`s and non-pointer zeros become unset, and times
 *   become what Go writes for the instant they name (in UTC, to the second or, for a MicroTime, the microsecond;
 *   the zero instant is unset). Run before defaulting, so defaults see a zero as unset, as Go's defaulters do.
 * - `write`: every always-written field that is unset gets its zero (`{}` for a struct, itself shaped; `null` for a
 *   Time, list, map, free-form JSON or pointer): the object as the Go value strategies and the field manager see.
 * - `encode`: `write`, and the empty lists and maps `omitempty` leaves out: what Go's encoding writes. Run before an
 *   object is stored, and on objects read back from storage (values stored without the shape, protobuf that leaves
 *   zeros out). An empty list is kept until then, since Go tells it from nil (`managedFields: []` resets them).
 *
 * Both mutate the object in place. Custom resources have no table and are left alone, as upstream's unstructured
 * objects are.
 */

import { readGoTimeField } from './godecode/gotime.ts';
import { compareCodePoints, sortGoStrings } from './order.ts';

export type GoFieldType = 'string' | 'bytes' | 'integer' | 'number' | 'boolean' | 'struct' | 'array' | 'map' | 'time' | 'microTime' | 'quantity' | 'intOrString' | 'any';

export interface GoField {
  name: string;
  type: GoFieldType;
  /** `@alwaysWritten`: written even when unset (no `omitempty`, or a struct held by value). */
  always?: boolean;
  /** `@pointer`: a zero scalar is a value, and unset always-written is `null`. */
  pointer?: boolean;
  /** For `struct`, and for `array`/`map` of structs: the struct's OpenAPI name. */
  struct?: string;
}

export interface GoShapeTable {
  /** Fields of every struct, by OpenAPI name. */
  structs: Readonly<Record<string, readonly GoField[]>>;
  /** `<apiVersion>/<Kind>` -> the kind's struct. */
  kinds: Readonly<Record<string, string>>;
}

type Obj = Record<string, unknown>;
type Pass = (obj: Obj) => void;

export interface GoShape {
  read: Pass;
  write: Pass;
  encode: Pass;
  /** Unsets the `null`s `write` puts in (Times, pointers, lists, maps): what validation, which has no `null`, sees. */
  dropNulls: Pass;
}

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

const scalarZero: Partial<Record<GoFieldType, unknown>> = { string: '', integer: 0, number: 0, boolean: false };

/** The value Go writes for an unset always-written field (structs get `{}`, shaped by the caller). */
function zeroOf(f: GoField): unknown {
  if (f.pointer) return null;
  switch (f.type) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return scalarZero[f.type];
    case 'quantity':
      return '0';
    case 'intOrString':
      return 0;
    default:
      return null;
  }
}

/**
 * One field of a compiled struct. Its nested struct is looked up on first use (structs may be recursive): `null`
 * once known to have no table, which leaves the field's values alone.
 */
interface CompiledField {
  readonly name: string;
  readonly type: GoFieldType;
  readonly always: boolean;
  readonly pointer: boolean;
  /** A zero is a value (pointers; types without a scalar zero): `read` keeps it. */
  readonly keepZero: boolean;
  readonly zero: unknown;
  /** `read`'s Time handling: 0 not a Time, 1 a Time (seconds), 2 a MicroTime. */
  readonly time: 0 | 1 | 2;
  readonly structName: string | undefined;
  inner: CompiledStruct | null | undefined;
  /** Where the nested struct is looked up. */
  readonly owner: GoShapes;
}

/**
 * A struct's fields by JSON name, and those always written in declared order. Each pass walks the keys an object
 * holds, not the fields its struct declares: a PodSpec declares 40 and a pod sets a handful, and the unset ones have
 * nothing to do but for the always-written, which `write` and `encode` fill in afterwards (appended in declared
 * order, as a walk of the declared fields appends them).
 */
interface CompiledStruct {
  readonly fields: Map<string, CompiledField>;
  readonly always: readonly CompiledField[];
}

type PassName = 'read' | 'write' | 'encode' | 'dropNulls';

export class GoShapes {
  private readonly structs = new Map<string, readonly GoField[]>();
  private readonly kinds = new Map<string, string>();
  private readonly compiled = new Map<string, CompiledStruct>();
  private readonly shapes = new Map<string, GoShape>();
  /** `apiVersion` -> `kind` -> shape (or null: none), so writeObject builds no key per object. */
  private readonly byKind = new Map<string, Map<string, GoShape | null>>();

  add(table: GoShapeTable): void {
    for (const [name, fields] of Object.entries(table.structs)) this.structs.set(name, fields);
    for (const [key, name] of Object.entries(table.kinds)) this.kinds.set(key, name);
    this.byKind.clear();
  }

  /** The shape of a kind, or undefined when it has none (custom resources, kinds without a table). */
  forKind(apiVersion: string, kind: string): GoShape | undefined {
    let kinds = this.byKind.get(apiVersion);
    if (!kinds) this.byKind.set(apiVersion, (kinds = new Map()));
    let shape = kinds.get(kind);
    if (shape === undefined) {
      const name = this.kinds.get(`${apiVersion}/${kind}`);
      shape = (name === undefined ? undefined : this.forStruct(name)) ?? null;
      kinds.set(kind, shape);
    }
    return shape ?? undefined;
  }

  /** Gives a stored or decoded object Go's encoded shape when its kind has one (`encode`: its values came from Go or from us). */
  writeObject(obj: Obj): void {
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return;
    this.forKind(obj.apiVersion, obj.kind)?.encode(obj);
  }

  forStruct(name: string): GoShape | undefined {
    let shape = this.shapes.get(name);
    if (shape) return shape;
    const s = this.struct(name);
    if (!s) return undefined;
    shape = { read: (obj) => read(s, obj), write: (obj) => fill(s, obj, false), encode: (obj) => fill(s, obj, true), dropNulls: (obj) => dropNulls(s, obj) };
    this.shapes.set(name, shape);
    return shape;
  }

  private struct(name: string): CompiledStruct | undefined {
    let s = this.compiled.get(name);
    if (s) return s;
    const fields = this.structs.get(name);
    if (!fields) return undefined;
    s = { fields: new Map(), always: [] };
    this.compiled.set(name, s);
    for (const f of fields) {
      const zero = scalarZero[f.type];
      const c: CompiledField = {
        name: f.name,
        type: f.type,
        always: f.always === true,
        pointer: f.pointer === true,
        keepZero: f.pointer === true || zero === undefined,
        zero: zeroOf(f),
        time: f.type === 'time' ? 1 : f.type === 'microTime' ? 2 : 0,
        structName: f.struct,
        inner: f.struct ? undefined : null,
        owner: this,
      };
      s.fields.set(f.name, c);
      if (c.always) (s.always as CompiledField[]).push(c);
    }
    return s;
  }

  /** A field's nested struct, compiled on first use. */
  static innerOf(f: CompiledField): CompiledStruct | null {
    if (f.inner === undefined) f.inner = f.owner.struct(f.structName!) ?? null;
    return f.inner;
  }
}

/** `read` of one struct: see the header. */
function read(s: CompiledStruct, obj: Obj): void {
  for (const k in obj) {
    const f = s.fields.get(k);
    if (f === undefined) continue;
    if (f.time !== 0) {
      readGoTimeField(obj, k, f.time === 2);
      continue;
    }
    const v = obj[k];
    if (v === undefined) continue;
    if (v === null || (!f.keepZero && v === f.zero)) delete obj[k];
    else if (f.inner !== null) eachStruct(f, v, 'read');
  }
}

/** `write` (or, with `encode`, `encode`) of one struct: see the header. */
function fill(s: CompiledStruct, obj: Obj, encode: boolean): void {
  const pass: PassName = encode ? 'encode' : 'write';
  for (const k in obj) {
    const f = s.fields.get(k);
    if (f === undefined) continue;
    const v = obj[k];
    if (v === undefined) continue; // filled below when always written
    if (encode && !f.always && (f.type === 'array' ? Array.isArray(v) && v.length === 0 : f.type === 'map' && isObject(v) && isEmpty(v))) {
      delete obj[k];
      continue;
    }
    if (encode && f.type === 'map' && isObject(v)) obj[k] = inGoOrder(v);
    if (f.inner !== null) eachStruct(f, v, pass);
  }
  for (const f of s.always) {
    if (obj[f.name] !== undefined) continue;
    if (f.type === 'struct' && !f.pointer) {
      const value: Obj = {};
      const inner = GoShapes.innerOf(f);
      if (inner) fill(inner, value, encode);
      obj[f.name] = value;
    } else obj[f.name] = f.zero;
  }
}

/** `dropNulls` of one struct: see GoShape. */
function dropNulls(s: CompiledStruct, obj: Obj): void {
  for (const k in obj) {
    const f = s.fields.get(k);
    if (f === undefined) continue;
    const v = obj[k];
    if (v === null) delete obj[k];
    else if (v !== undefined && f.inner !== null) eachStruct(f, v, 'dropNulls');
  }
}

/** Runs `pass` on the struct a field holds: the value itself, or each struct in its list or map. */
function eachStruct(f: CompiledField, v: unknown, pass: PassName): void {
  const inner = GoShapes.innerOf(f);
  if (!inner) return;
  if (f.type === 'struct') {
    if (isObject(v)) run(inner, v, pass);
  } else if (f.type === 'array') {
    if (Array.isArray(v)) for (const item of v) if (isObject(item)) run(inner, item, pass);
  } else if (isObject(v)) for (const k in v) {
    const item = v[k];
    if (isObject(item)) run(inner, item, pass);
  }
}

function run(s: CompiledStruct, obj: Obj, pass: PassName): void {
  if (pass === 'read') read(s, obj);
  else if (pass === 'dropNulls') dropNulls(s, obj);
  else fill(s, obj, pass === 'encode');
}

/**
 * A map with its keys in Go's order (encoding/json sorts a map's keys byte by byte), the same object when they
 * already are (the common case: clients written in Go send them sorted, and what was stored is): a client that sends
 * `{b, a}` reads back `{a, b}`, as from kube-apiserver. Keys that are array indices stay first in a JavaScript
 * object whatever the order: json-text.ts writes those.
 */
function inGoOrder(m: Obj): Obj {
  let prev: string | undefined;
  for (const k in m) {
    if (prev !== undefined && compareCodePoints(prev, k) > 0) {
      const sorted: Obj = {};
      for (const key of sortGoStrings(Object.keys(m))) sorted[key] = m[key];
      return sorted;
    }
    prev = k;
  }
  return m;
}

function isEmpty(o: Obj): boolean {
  for (const _ in o) return false;
  return true;
}

/** The process's tables: generated code is the same for every server, so one registry serves them all. */
export const goShapes = new GoShapes();
