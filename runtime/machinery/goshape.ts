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

export class GoShapes {
  private readonly structs = new Map<string, readonly GoField[]>();
  private readonly kinds = new Map<string, string>();
  private readonly compiled = new Map<string, GoShape>();

  add(table: GoShapeTable): void {
    for (const [name, fields] of Object.entries(table.structs)) this.structs.set(name, fields);
    for (const [key, name] of Object.entries(table.kinds)) this.kinds.set(key, name);
  }

  /** The shape of a kind, or undefined when it has none (custom resources, kinds without a table). */
  forKind(apiVersion: string, kind: string): GoShape | undefined {
    const name = this.kinds.get(`${apiVersion}/${kind}`);
    return name === undefined ? undefined : this.forStruct(name);
  }

  /** Gives a stored or decoded object Go's encoded shape when its kind has one (`encode`: its values came from Go or from us). */
  writeObject(obj: Obj): void {
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return;
    this.forKind(obj.apiVersion, obj.kind)?.encode(obj);
  }

  forStruct(name: string): GoShape | undefined {
    let shape = this.compiled.get(name);
    if (shape) return shape;
    const fields = this.structs.get(name);
    if (!fields) return undefined;
    shape = this.compile(fields);
    this.compiled.set(name, shape);
    return shape;
  }

  /** A nested struct's pass, looked up on first use (structs may be recursive). */
  private nested(name: string, pass: keyof GoShape): Pass {
    let fn: Pass | undefined;
    return (obj) => {
      fn ??= this.forStruct(name)?.[pass] ?? (() => {});
      fn(obj);
    };
  }

  private compile(fields: readonly GoField[]): GoShape {
    const reads: Pass[] = [];
    const writes: Pass[] = [];
    const encodes: Pass[] = [];
    const nulls: Pass[] = [];
    for (const f of fields) {
      const { name } = f;
      const inner = f.struct
        ? { read: this.nested(f.struct, 'read'), write: this.nested(f.struct, 'write'), encode: this.nested(f.struct, 'encode'), dropNulls: this.nested(f.struct, 'dropNulls') }
        : undefined;
      const zero = scalarZero[f.type];
      const keepZero = f.pointer || zero === undefined;
      if (f.type === 'time' || f.type === 'microTime') {
        reads.push(readTime(name, f.type === 'microTime'));
      } else reads.push((obj) => {
        const v = obj[name];
        if (v === undefined) return;
        if (v === null || (!keepZero && v === zero)) delete obj[name];
        else if (inner) forEachStruct(f.type, v, inner.read);
      });
      const fill = (obj: Obj, pass: 'write' | 'encode'): void => {
        const v = obj[name];
        if (v === undefined) {
          if (!f.always) return;
          if (f.type === 'struct' && !f.pointer) {
            const value: Obj = {};
            inner![pass](value);
            obj[name] = value;
          } else obj[name] = zeroOf(f);
          return;
        }
        if (pass === 'encode' && !f.always && (f.type === 'array' ? Array.isArray(v) && v.length === 0 : f.type === 'map' && isObject(v) && isEmpty(v))) {
          delete obj[name];
          return;
        }
        if (pass === 'encode' && f.type === 'map' && isObject(v)) obj[name] = inGoOrder(v);
        if (inner) forEachStruct(f.type, v, inner[pass]);
      };
      writes.push((obj) => fill(obj, 'write'));
      encodes.push((obj) => fill(obj, 'encode'));
      nulls.push((obj) => {
        const v = obj[name];
        if (v === null) delete obj[name];
        else if (inner && v !== undefined) forEachStruct(f.type, v, inner.dropNulls);
      });
    }
    const run = (passes: Pass[]): Pass => (obj) => {
      for (const p of passes) p(obj);
    };
    return { read: run(reads), write: run(writes), encode: run(encodes), dropNulls: run(nulls) };
  }
}

/** A Time field's read: the text Go writes for it, unset when zero; a text that does not parse is left to decoding's checks. */
function readTime(name: string, micro: boolean): Pass {
  return (obj) => readGoTimeField(obj, name, micro);
}

/** Runs `pass` on the struct a field holds: the value itself, or each struct in its list or map. */
function forEachStruct(type: GoFieldType, v: unknown, pass: Pass): void {
  if (type === 'struct') {
    if (isObject(v)) pass(v);
  } else if (type === 'array') {
    if (Array.isArray(v)) for (const item of v) if (isObject(item)) pass(item);
  } else if (isObject(v)) for (const item of Object.values(v)) if (isObject(item)) pass(item);
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
