/**
 * Values printed the way Go's fmt prints the decoded JSON values kube-apiserver works on (`map[string]interface{}`,
 * `[]interface{}`, int64 for integers, float64 otherwise), because strategic merge patch errors quote the patch
 * with `%v` and clients see those messages verbatim.
 */
import { formatGoFloat } from '../go-float.ts';

/** `%v`: maps as `map[k:v ...]` with sorted keys, lists as `[a b]`, strings bare, null as `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v); // a BigInt: an int64 past 2^53 (json-int64.ts)
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  const m = v as Record<string, unknown>;
  return `map[${Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${k}:${goValue(m[k])}`)
    .join(' ')}]`;
}

/**
 * `%#v` of a decoded JSON value: `map[string]interface {}{"a":1, "b":[]interface {}{"x"}}` (keys sorted),
 * strings quoted, `interface {}(nil)` for null. Field errors show maps and lists of custom resources this way.
 */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const m = v as Record<string, unknown>;
  return `map[string]interface {}{${Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${goQuote(k)}:${goSyntax(m[k])}`)
    .join(', ')}}`;
}

/** `%s` of an interface value: strings bare, anything else marked as a bad verb as Go does (`%!s(int64=1)`). */
export function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `%!s(${goTypeName(v)}=${goValue(v)})`;
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  const m = v as Record<string, unknown>;
  return `map[${Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${k}:${goString(m[k])}`)
    .join(' ')}]`;
}

/** The Go type a decoded JSON value has, as reflect prints it (`map[string]interface {}`, `int64`, ...). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return isInt64(v) ? 'int64' : 'float64';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/**
 * A decoded JSON number is an int64 when it is a whole number that fits one, else a float64 (apimachinery's
 * util/json; the text `1e20` or `100000000000000000000` does not fit, so it is 1e+20).
 */
function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63;
}

/** Go's `%v` of an int64 or float64: floats switch to exponent form from 1e+06 and below 1e-04. */
function goNumber(n: number): string {
  if (isInt64(n)) return n.toFixed(0);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  return formatGoFloat(n);
}

/** Go sorts map keys by their bytes; for the keys JSON gives us, comparing UTF-16 code units is the same. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's `%q` of a string: double-quoted with Go's escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 11) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
