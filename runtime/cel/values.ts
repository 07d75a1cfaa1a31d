/**
 * Kubernetes objects (parsed JSON) as CEL values, and CEL values back as JSON.
 *
 * Objects become CEL maps and arrays CEL lists, lazily: a value is converted only when an expression reads it, so a
 * policy that looks at `object.spec.replicas` does not pay for converting the whole Deployment. JSON numbers without
 * a fraction are CEL `int` (int64, as upstream's unstructured conversion does), the others `double`.
 *
 * The wrappers speak @bufbuild/cel's map and list protocols (its `Symbol.for` brands), so the library treats them as
 * its own maps and lists.
 */
import { isCelList, isCelMap, isCelType, isCelUint, type CelValue } from '@bufbuild/cel';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { charge } from './run-context.ts';

const mapBrand = Symbol.for('@bufbuild/cel/map');
const listBrand = Symbol.for('@bufbuild/cel/list');

/** A JSON object seen by CEL as map(string, dyn). */
export class JsonMap {
  readonly [mapBrand] = {};
  constructor(readonly json: Record<string, unknown>) {}
  get size(): number {
    return Object.keys(this.json).length;
  }
  get(key: unknown): CelValue | undefined {
    // Reading a field costs one, as cel-go charges each select.
    charge(1);
    if (typeof key !== 'string' || !Object.hasOwn(this.json, key)) return undefined;
    const v = this.json[key];
    return v === undefined ? undefined : fromJson(v);
  }
  has(key: unknown): boolean {
    return typeof key === 'string' && Object.hasOwn(this.json, key) && this.json[key] !== undefined;
  }
  forEach(cb: (value: CelValue, key: string, map: JsonMap) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
  *entries(): IterableIterator<[string, CelValue]> {
    for (const [k, v] of Object.entries(this.json)) if (v !== undefined) yield [k, fromJson(v)];
  }
  *keys(): IterableIterator<string> {
    for (const [k, v] of Object.entries(this.json)) if (v !== undefined) yield k;
  }
  *values(): IterableIterator<CelValue> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[string, CelValue]> {
    return this.entries();
  }
}

/** A JSON array seen by CEL as list(dyn). */
export class JsonList {
  readonly [listBrand] = {};
  constructor(readonly json: readonly unknown[]) {}
  get size(): number {
    return this.json.length;
  }
  get(index: number | bigint): CelValue | undefined {
    charge(1);
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0 || i >= this.json.length) return undefined;
    return fromJson(this.json[i]);
  }
  *values(): IterableIterator<CelValue> {
    for (const v of this.json) yield fromJson(v);
  }
  [Symbol.iterator](): IterableIterator<CelValue> {
    return this.values();
  }
}

/** Marks a value that is already a CEL value (opaque library objects such as Quantity or the authorizer). */
export interface CelOpaque {
  readonly celOpaque: true;
}

/** A parsed JSON value as a CEL value. Values that already are CEL values pass through. */
export function fromJson(v: unknown): CelValue {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'number':
      return Number.isInteger(v) ? BigInt(v) : v;
    case 'undefined':
      return null;
    case 'object':
      if (v === null) return null;
      if (Array.isArray(v)) return new JsonList(v) as unknown as CelValue;
      if (v instanceof Uint8Array || isCelMap(v) || isCelList(v) || isCelUint(v) || isCelType(v) || isReflectMessage(v)) return v as CelValue;
      return new JsonMap(v as Record<string, unknown>) as unknown as CelValue;
    default:
      throw new Error(`cannot represent a ${typeof v} in CEL`);
  }
}

/**
 * A CEL value as plain JSON: int to number (a string beyond 2^53 would lose nothing but is rarely wanted, so
 * numbers it is), maps to objects, lists to arrays. Opaque values (quantities) give their string form.
 */
export function toJson(v: unknown): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof JsonMap) return v.json;
  if (v instanceof JsonList) return v.json;
  if (isCelUint(v)) return Number((v as { value: bigint }).value);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (isCelList(v)) return Array.from(v as Iterable<unknown>, toJson);
  if (isCelMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v as unknown as Iterable<[unknown, unknown]>) out[String(k)] = toJson(val);
    return out;
  }
  if (typeof v === 'object' && v && 'toString' in v) return String(v);
  return v;
}
