/**
 * What upstream's unstructured converter (runtime.DefaultUnstructuredConverter.FromUnstructured) says of a map it
 * cannot turn into a kind's Go types: a strategic merge patch's result and a server-side apply's result are
 * converted this way, not decoded from JSON, so their errors are the converter's (`unrecognized type: int32`,
 * `cannot convert float64 to int32`, `cannot restore slice from string`, `cannot restore struct from: string`) and,
 * for the types that decode themselves, their JSON decoder's without a field context. The first failure stops it;
 * null is the zero value.
 */
import { quantityParseError } from '../quantity.ts';
import { base64Error } from './gobase64.ts';
import { rfc3339, rfc3339Micro, timeParseError } from './gotime.ts';
import type { GoStructTable, GoTypeDesc } from './types.ts';

/** How the converter sees a JSON number: Go's unstructured maps hold int64 or float64. */
export type NumberKind = (v: number) => 'int64' | 'float64';

/** A strategic merge patch's numbers: integers are int64 (sigs.k8s.io/json PreserveInts), the rest float64. */
export const preserveInts: NumberKind = (v) => (Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? 'int64' : 'float64');
/** A server-side apply's numbers: YAML decoded by encoding/json into interface{} gives float64 only. */
export const allFloats: NumberKind = () => 'float64';

/** Go's reflect.Kind of an unstructured value. */
function kindOf(v: unknown, numbers: NumberKind): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return numbers(v);
  if (Array.isArray(v)) return 'slice';
  return 'map';
}

const shapeKind: Record<string, string> = { s: 'string', b: 'bool', f: 'float64', i32: 'int32', i64: 'int64' };

/** encoding/json's words for a JSON value decoded into a Go value with no field context. */
function jsonTypeError(v: unknown, goType: string): string {
  // A number names itself only when the target is an integer it does not fit.
  const number = goType === 'int32' && typeof v === 'number' ? `number ${v}` : 'number';
  const kind = Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v === 'number' ? number : 'string';
  return `json: cannot unmarshal ${kind} into Go value of type ${goType}`;
}

function convert(table: GoStructTable, t: GoTypeDesc, v: unknown, numbers: NumberKind): string | undefined {
  if (v === null || v === undefined) return undefined;
  const goType = t[1];
  switch (t[0]) {
    case 's':
    case 'b':
    case 'f':
    case 'i32':
    case 'i64': {
      const st = kindOf(v, numbers);
      const dt = shapeKind[t[0]];
      if (st === dt) return undefined;
      // Go converts between integer and float kinds (a float only when whole); an int converts to string too,
      // which the converter then refuses with its own words.
      const numeric = (k: string) => k === 'int64' || k === 'float64' || k === 'int32';
      if (numeric(st) && numeric(dt)) {
        if (st === 'float64' && dt !== 'float64' && !Number.isInteger(v)) return `cannot convert float64 to ${goType}`;
        return undefined;
      }
      if (st === 'int64' && dt === 'string') return `cannot convert int64 to ${goType}`;
      return `unrecognized type: ${dt}`;
    }
    case 'y':
      if (typeof v === 'string') {
        const err = v === '' ? undefined : base64Error(v);
        return err && `error decoding from json: ${err}`;
      }
      if (!Array.isArray(v)) return `cannot restore slice from ${kindOf(v, numbers)}`;
      return undefined;
    case 'q': {
      const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : JSON.stringify(v);
      return quantityParseError(text);
    }
    case 't':
    case 'mt':
      if (typeof v !== 'string') return jsonTypeError(v, 'string');
      return timeParseError(t[0] === 't' ? rfc3339 : rfc3339Micro, v);
    case 'ios':
      if (typeof v === 'string') return undefined;
      if (typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return undefined;
      return jsonTypeError(v, 'int32');
    case 'any':
    case 'oneOf':
      return undefined;
    case '[]':
      if (!Array.isArray(v)) return `cannot restore slice from ${kindOf(v, numbers)}`;
      for (const e of v) {
        const err = convert(table, t[2], e, numbers);
        if (err) return err;
      }
      return undefined;
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v)) return `cannot restore map from ${kindOf(v, numbers)}`;
      for (const e of Object.values(v as Record<string, unknown>)) {
        const err = convert(table, t[2], e, numbers);
        if (err) return err;
      }
      return undefined;
    case 'struct': {
      if (typeof v !== 'object' || Array.isArray(v)) return `cannot restore struct from: ${kindOf(v, numbers)}`;
      const obj = v as Record<string, unknown>;
      // Go walks the struct's fields in declaration order.
      for (const [name, ft] of Object.entries(table[t[2]].fields ?? {})) {
        if (!Object.hasOwn(obj, name)) continue;
        const err = convert(table, ft, obj[name], numbers);
        if (err) return err;
      }
      return undefined;
    }
  }
}

/** The converter's error for `obj` as the struct `root` (a key of `table`), or undefined. */
export function fromUnstructuredError(table: GoStructTable, root: string, obj: unknown, numbers: NumberKind): string | undefined {
  return convert(table, ['struct', '', root], obj, numbers);
}
