/**
 * Custom resource values as CEL sees them through their schema (upstream's `UnstructuredToVal`): `integer` is
 * int, `number` is double even when the JSON number is whole, `x-kubernetes-int-or-string` is an int or a string,
 * objects with `properties` show only their declared fields (and at the root and in embedded resources
 * `apiVersion`, `kind`, `metadata.name` and `metadata.generateName`), maps with `additionalProperties` type their
 * values, and anything schemaless (`x-kubernetes-preserve-unknown-fields`) is plain JSON.
 *
 * Values are converted lazily, as an expression reads them; each field read costs one, as in the admission CEL.
 */
import { isCelList, type CelList, type CelValue } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { reflect } from '@bufbuild/protobuf/reflect';
import { DurationSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import type { FieldSchema } from '../../cel/index.ts';
import { addList, celEquals, containsValue, equalTo, fromJson } from '../../cel/index.ts';
import { charge } from '../../cel/run-context.ts';
import { celEscapedName } from '../../cel/escaping.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';
import { parseGoDuration } from '../../machinery/go-duration.ts';

const mapBrand = Symbol.for('@bufbuild/cel/map');
const listBrand = Symbol.for('@bufbuild/cel/list');

const stringSchema: JSONSchemaProps = { type: 'string' };
/** The metadata CEL may read at the root and in embedded resources. */
const metaSchema: JSONSchemaProps = { type: 'object', properties: { name: stringSchema, generateName: stringSchema } };

/** The schema with `apiVersion`, `kind` and the readable part of `metadata` (root and embedded resources). */
export function withTypeAndObjectMeta(s: JSONSchemaProps): JSONSchemaProps {
  return { ...s, properties: { ...(s.properties ?? {}), apiVersion: stringSchema, kind: stringSchema, metadata: metaSchema } };
}

const metaCache = new WeakMap<JSONSchemaProps, Record<string, JSONSchemaProps>>();

function metaProps(s: JSONSchemaProps): Record<string, JSONSchemaProps> {
  let props = metaCache.get(s);
  if (!props) metaCache.set(s, (props = withTypeAndObjectMeta(s).properties!));
  return props;
}

type PropSchema = (key: string) => JSONSchemaProps | undefined;

/** A JSON object seen by CEL through its schema: only keys the schema knows exist. */
class SchemaMap {
  readonly [mapBrand] = {};
  constructor(
    readonly json: Record<string, unknown>,
    private readonly propSchema: PropSchema,
  ) {}
  private visible(k: string): boolean {
    return Object.hasOwn(this.json, k) && this.json[k] !== undefined && this.propSchema(k) !== undefined;
  }
  get size(): number {
    let n = 0;
    for (const k of Object.keys(this.json)) if (this.visible(k)) n++;
    return n;
  }
  get(key: unknown): CelValue | undefined {
    charge(1);
    if (typeof key !== 'string' || !this.visible(key)) return undefined;
    return toCel(this.json[key], this.propSchema(key));
  }
  has(key: unknown): boolean {
    return typeof key === 'string' && this.visible(key);
  }
  forEach(cb: (value: CelValue, key: string, map: SchemaMap) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) cb.call(thisArg, v, k, this);
  }
  *entries(): IterableIterator<[string, CelValue]> {
    for (const k of Object.keys(this.json)) if (this.visible(k)) yield [k, toCel(this.json[k], this.propSchema(k))];
  }
  *keys(): IterableIterator<string> {
    for (const k of Object.keys(this.json)) if (this.visible(k)) yield k;
  }
  *values(): IterableIterator<CelValue> {
    for (const [, v] of this.entries()) yield v;
  }
  [Symbol.iterator](): IterableIterator<[string, CelValue]> {
    return this.entries();
  }
}

/** A JSON array seen by CEL as a list of its item schema (`x-kubernetes-list-type: atomic`, or none). */
class SchemaList {
  readonly [listBrand] = {};
  constructor(
    readonly json: readonly unknown[],
    protected readonly items: JSONSchemaProps | undefined,
  ) {}
  /** `x in list` asks each element whether it equals x (upstream's unstructuredList.Contains). */
  [containsValue](needle: CelValue): boolean {
    for (const v of this.values()) if (celEquals(v, needle)) return true;
    return false;
  }
  get size(): number {
    return this.json.length;
  }
  get(index: number | bigint): CelValue | undefined {
    charge(1);
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0 || i >= this.json.length) return undefined;
    return toCel(this.json[i], this.items);
  }
  *values(): IterableIterator<CelValue> {
    for (const v of this.json) yield toCel(v, this.items);
  }
  [Symbol.iterator](): IterableIterator<CelValue> {
    return this.values();
  }
}

/**
 * A list typed `x-kubernetes-list-type: set` (upstream's unstructuredSetList): `==` ignores order (as many elements,
 * each of the other's in this one), `+` is a union keeping this list's order and appending what is new.
 * Membership is Go's map-key equality between JSON values, so an int is never a double.
 */
class SchemaSetList extends SchemaList {
  private members?: Set<string>;
  private memberKeys(): Set<string> {
    return (this.members ??= new Set(this.json.map(jsonKey)));
  }
  [equalTo](other: CelValue): boolean {
    if (!isCelList(other) || other.size !== this.json.length) return false;
    const members = this.memberKeys();
    for (const v of other.values()) if (!members.has(celKey(v))) return false;
    return true;
  }
  [addList](other: CelList): CelList {
    const members = new Set(this.memberKeys());
    const elements = [...this.json];
    for (const v of other.values()) {
      const k = celKey(v);
      if (!members.has(k)) members.add(k), elements.push(jsonOf(v));
    }
    return new SchemaSetList(elements, this.items) as unknown as CelList;
  }
}

/**
 * A list typed `x-kubernetes-list-type: map` (upstream's unstructuredMapList): `==` ignores order (each of the other's
 * elements equals this list's element of the same keys), `+` is a merge: an element of the other list replaces
 * this list's element of the same keys in place, the others are appended.
 */
class SchemaMapList extends SchemaList {
  private byKey?: Map<string | undefined, unknown>;
  constructor(
    json: readonly unknown[],
    items: JSONSchemaProps | undefined,
    private readonly keyProps: readonly string[],
  ) {
    super(json, items);
  }
  /**
   * An element's keys as one string. Upstream reads the key fields, under their CEL-escaped names (so a key named
   * `namespace` or `port-name` reads as absent), from the JSON of a custom resource's element; anything else (a CEL
   * map literal) has no key an element matches.
   */
  private keyOf(element: unknown): string | undefined {
    if (!isObject(element)) return undefined;
    return this.keyProps.map((p) => jsonKey(element[p] ?? null)).join('\u0000');
  }
  [equalTo](other: CelValue): boolean {
    if (!isCelList(other) || other.size !== this.json.length) return false;
    this.byKey ??= new Map(this.json.map((e) => [this.keyOf(e), e]));
    for (const v of other.values()) {
      const k = this.keyOf(jsonOf(v));
      const mine = k === undefined ? undefined : this.byKey.get(k);
      if (mine === undefined || !celEquals(toCel(mine, this.items), v)) return false;
    }
    return true;
  }
  [addList](other: CelList): CelList {
    const elements = [...this.json];
    const at = new Map(elements.map((e, i) => [this.keyOf(e), i]));
    for (const v of other.values()) {
      const json = jsonOf(v);
      const i = at.get(this.keyOf(json));
      if (i !== undefined) elements[i] = json;
      else elements.push(json);
    }
    return new SchemaMapList(elements, this.items, this.keyProps) as unknown as CelList;
  }
}

/** The JSON behind a CEL value read from a custom resource, else the value itself (upstream's ref.Val Value()). */
function jsonOf(v: CelValue): unknown {
  return v instanceof SchemaMap || v instanceof SchemaList ? v.json : v;
}

/**
 * Go's map-key identity of a JSON scalar in upstream's unstructured data: integers are int64, other numbers float64,
 * and the two never match. Anything else matches only itself.
 */
function jsonKey(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? `i${v}` : `d${v}`) : celKey(v as CelValue);
}

/** The same of a CEL value's Go value: an int is an int64, a double a float64 even when whole. */
function celKey(v: CelValue): string {
  switch (typeof v) {
    case 'string':
      return `s${v}`;
    case 'boolean':
      return `b${v}`;
    case 'bigint':
      return `i${v}`;
    case 'number':
      return `d${v}`;
  }
  return v === null ? 'null' : `o${objectId(v as object)}`;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

/** A JSON value as a CEL value of its schema. `root` adds the type and object meta of a resource root. */
export function toCel(v: unknown, s: JSONSchemaProps | undefined, root = false): CelValue {
  if (v === null || v === undefined) return null;
  if (!s) return fromJson(v);
  if (s['x-kubernetes-int-or-string']) {
    return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : fromJson(v);
  }
  switch (s.type) {
    case 'object': {
      if (!isObject(v)) return fromJson(v);
      if (root || s['x-kubernetes-embedded-resource'] || s.properties) {
        const props = root || s['x-kubernetes-embedded-resource'] ? metaProps(s) : (s.properties ?? {});
        return new SchemaMap(v, (k) => (Object.hasOwn(props, k) ? props[k] : undefined)) as unknown as CelValue;
      }
      const additional = additionalOf(s);
      if (additional) return new SchemaMap(v, () => additional) as unknown as CelValue;
      return fromJson(v);
    }
    case 'array':
      return Array.isArray(v) ? schemaList(v, s) : fromJson(v);
    case 'number':
      return typeof v === 'number' ? v : fromJson(v);
    case 'string':
      return typeof v === 'string' ? formattedString(v, s.format) : fromJson(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : fromJson(v);
    default:
      return fromJson(v);
  }
}

function schemaList(v: readonly unknown[], s: JSONSchemaProps): CelValue {
  const items = itemsOf(s);
  switch (s['x-kubernetes-list-type']) {
    case 'set':
      return new SchemaSetList(v, items) as unknown as CelValue;
    case 'map':
      return new SchemaMapList(v, items, (s['x-kubernetes-list-map-keys'] ?? []).map(celEscapedName)) as unknown as CelValue;
    default:
      return new SchemaList(v, items) as unknown as CelValue;
  }
}

/** The CEL kinds of strings with these formats (upstream: timestamps, durations, bytes). */
const formatKinds: Record<string, string> = {
  'date-time': 'google.protobuf.Timestamp',
  datetime: 'google.protobuf.Timestamp',
  date: 'google.protobuf.Timestamp',
  duration: 'google.protobuf.Duration',
  byte: 'bytes',
};

/** A string of a schema format as CEL sees it; the string itself when it does not parse (validation reports it). */
function formattedString(v: string, format: string | undefined): CelValue {
  if (!format || !formatKinds[format]) return v;
  if (format === 'byte') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v)) return v;
    return new Uint8Array(Buffer.from(v, 'base64'));
  }
  if (format === 'duration') {
    const d = durationFields(v);
    return d ? (reflect(DurationSchema, create(DurationSchema, d)) as unknown as CelValue) : v;
  }
  const t = format === 'date' ? parseTimestamp(`${v}T00:00:00Z`) : parseTimestamp(v);
  return t ? (reflect(TimestampSchema, create(TimestampSchema, t)) as unknown as CelValue) : v;
}

/** RFC 3339 (and ISO 8601 local time, read as UTC, as go-openapi's ParseDateTime does) to seconds and nanos. */
function parseTimestamp(v: string): { seconds: bigint; nanos: number } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})?$/.exec(v);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[4] && m[4] !== 'z' ? m[4] : 'Z'}`);
  if (Number.isNaN(ms)) return undefined;
  return { seconds: BigInt(Math.floor(ms / 1000)), nanos: Number((m[3] ?? '').padEnd(9, '0')) };
}

/** A duration string as protobuf's Duration fields (both of one sign), or undefined when Go would not parse it. */
function durationFields(v: string): { seconds: bigint; nanos: number } | undefined {
  let total: bigint;
  try {
    total = parseGoDuration(v);
  } catch {
    return undefined;
  }
  return { seconds: total / 1_000_000_000n, nanos: Number(total % 1_000_000_000n) };
}

const fieldSchemaCache = new WeakMap<JSONSchemaProps, FieldSchema>();

/** The schema as the CEL checker reads it: formats that make timestamps, durations and bytes say so. */
export function celFieldSchema(s: JSONSchemaProps): FieldSchema {
  let out = fieldSchemaCache.get(s);
  if (out) return out;
  out = { ...(s as FieldSchema) };
  // Guarded reads: CRD validation compiles rules of schemas it has not accepted yet.
  if (s.type === 'string' && typeof s.format === 'string' && Object.hasOwn(formatKinds, s.format)) out.celKind = formatKinds[s.format];
  if (isObject(s.properties)) out.properties = Object.fromEntries(Object.entries(s.properties).filter(([, p]) => isObject(p)).map(([k, p]) => [k, celFieldSchema(p)]));
  else delete out.properties;
  const additional = additionalOf(s);
  if (additional) out.additionalProperties = celFieldSchema(additional);
  const items = itemsOf(s);
  if (isObject(items)) out.items = celFieldSchema(items);
  else delete out.items;
  fieldSchemaCache.set(s, out);
  return out;
}
