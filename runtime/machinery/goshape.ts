/**
 * Go's wire shape of the built-in kinds. kube-apiserver decodes every body into Go structs and writes them back
 * with encoding/json, so what a client sees depends on the Go types, not on what it sent: a field whose json tag
 * has no `omitempty`, or a struct held by value, is always written (`status: {}`, `creationTimestamp: null`,
 * `replicas: 0`, `reportingComponent: ""`), and a non-pointer zero or a `null` is the same as unset. The generated
 * tables (`generated/<group>/<version>/shapes.ts`, from `@alwaysWritten` and `@pointer` in apis/) say which field
 * is which; this module compiles them once per struct into two passes:
 *
 * - `read`: what decoding into the Go type does to a body: `null`s and non-pointer zeros become unset, empty lists
 *   and maps that Go would omit go. Run before defaulting, so defaults see a zero as unset, as Go's defaulters do.
 * - `write`: what Go's encoding adds: every always-written field that is unset gets its zero (`{}` for a struct,
 *   itself shaped; `null` for a Time, list, map, free-form JSON or pointer). Run before an object is stored, and on
 *   objects read back from storage (values stored without the shape, protobuf that leaves zeros out).
 *
 * Both mutate the object in place. Custom resources have no table and are left alone, as upstream's unstructured
 * objects are.
 */

export type GoFieldType = 'string' | 'bytes' | 'integer' | 'number' | 'boolean' | 'struct' | 'array' | 'map' | 'time' | 'quantity' | 'intOrString' | 'any';

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

  /** Gives a stored or decoded object its Go shape when its kind has one (`write` only: the values came from Go's shape or ours). */
  writeObject(obj: Obj): void {
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return;
    this.forKind(obj.apiVersion, obj.kind)?.write(obj);
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
    const reads: Array<(obj: Obj) => void> = [];
    const writes: Array<(obj: Obj) => void> = [];
    const nulls: Array<(obj: Obj) => void> = [];
    for (const f of fields) {
      const { name } = f;
      const inner = f.struct ? { read: this.nested(f.struct, 'read'), write: this.nested(f.struct, 'write'), dropNulls: this.nested(f.struct, 'dropNulls') } : undefined;
      nulls.push((obj) => {
        const v = obj[name];
        if (v === null) delete obj[name];
        else if (inner && v !== undefined) forEachStruct(f.type, v, inner.dropNulls);
      });
      const zero = scalarZero[f.type];
      const keepZero = f.pointer || zero === undefined;
      reads.push((obj) => {
        const v = obj[name];
        if (v === undefined) return;
        if (v === null || (!keepZero && v === zero)) {
          delete obj[name];
          return;
        }
        if (f.type === 'struct') {
          if (isObject(v)) inner!.read(v);
        } else if (f.type === 'array') {
          if (!Array.isArray(v)) return;
          if (v.length === 0 && !f.always) delete obj[name];
          else if (inner) for (const item of v) if (isObject(item)) inner.read(item);
        } else if (f.type === 'map') {
          if (!isObject(v)) return;
          if (!f.always && isEmpty(v)) delete obj[name];
          else if (inner) for (const item of Object.values(v)) if (isObject(item)) inner.read(item);
        }
      });
      writes.push((obj) => {
        const v = obj[name];
        if (v === undefined) {
          if (!f.always) return;
          if (f.type === 'struct' && !f.pointer) {
            const value: Obj = {};
            inner!.write(value);
            obj[name] = value;
          } else obj[name] = zeroOf(f);
          return;
        }
        if (!inner) return;
        if (f.type === 'struct') {
          if (isObject(v)) inner.write(v);
        } else if (f.type === 'array') {
          if (Array.isArray(v)) for (const item of v) if (isObject(item)) inner.write(item);
        } else if (isObject(v)) for (const item of Object.values(v)) if (isObject(item)) inner.write(item);
      });
    }
    return {
      read: (obj) => {
        for (const r of reads) r(obj);
      },
      write: (obj) => {
        for (const w of writes) w(obj);
      },
      dropNulls: (obj) => {
        for (const n of nulls) n(obj);
      },
    };
  }
}

/** Runs `pass` on the struct a field holds: the value itself, or each struct in its list or map. */
function forEachStruct(type: GoFieldType, v: unknown, pass: Pass): void {
  if (type === 'struct') {
    if (isObject(v)) pass(v);
  } else if (type === 'array') {
    if (Array.isArray(v)) for (const item of v) if (isObject(item)) pass(item);
  } else if (isObject(v)) for (const item of Object.values(v)) if (isObject(item)) pass(item);
}

function isEmpty(o: Obj): boolean {
  for (const _ in o) return false;
  return true;
}

/** The process's tables: generated code is the same for every server, so one registry serves them all. */
export const goShapes = new GoShapes();
