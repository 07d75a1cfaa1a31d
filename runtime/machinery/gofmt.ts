/**
 * Values printed the way Go's fmt prints the decoded JSON values kube-apiserver works on (`map[string]interface{}`,
 * `[]interface{}`, int64 for integers, float64 otherwise), because strategic merge patch errors quote the patch
 * with `%v` and clients see those messages verbatim; and strings quoted as `%q` (goQuote), as every Status message
 * naming an object quotes its name.
 */
import { formatGoFloat } from './go-float.ts';

/** `%v`: maps as `map[k:v ...]` with sorted keys, lists as `[a b]`, strings bare, null as `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  return goComposite(v as object, goValue);
}

/**
 * `%#v` of a decoded JSON value: `map[string]interface {}{"a":1, "b":[]interface {}{"x"}}` (keys sorted),
 * strings quoted, `interface {}(nil)` for null. Field errors show maps and lists of custom resources this way.
 */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'bigint') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  const m = v as Record<string, unknown>;
  return `map[string]interface {}{${Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${goQuote(k)}:${goSyntax(m[k])}`)
    .join(', ')}}`;
}

/**
 * `%#v` of a Go `[]string`: `[]string{"a", "b"}`, `[]string{}` for an empty slice and `[]string(nil)` for a nil one
 * (null here), as field errors print a selector requirement's values.
 */
export function goStringSlice(values: readonly string[] | null): string {
  return values === null ? '[]string(nil)' : `[]string{${values.map(goQuote).join(', ')}}`;
}

/** `%s` of an interface value: strings bare, anything else marked as a bad verb as Go does (`%!s(int64=1)`). */
export function goString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `%!s(${goTypeName(v)}=${goValue(v)})`;
  return goComposite(v as object, goString);
}

/** A list as `[a b]` and a map as `map[k:v ...]` (keys sorted), the elements printed by `each` (`%v` or `%s`). */
function goComposite(v: object, each: (x: unknown) => string): string {
  if (Array.isArray(v)) return `[${v.map(each).join(' ')}]`;
  const m = v as Record<string, unknown>;
  return `map[${Object.keys(m)
    .sort(compareBytes)
    .map((k) => `${k}:${each(m[k])}`)
    .join(' ')}]`;
}

/** The Go type a decoded JSON value has, as reflect prints it (`map[string]interface {}`, `int64`, ...). */
export function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return isInt64(v) ? 'int64' : 'float64';
  if (typeof v === 'bigint') return 'int64';
  return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
}

/**
 * A decoded JSON number is an int64 when it is a whole number that fits one, else a float64 (apimachinery's
 * util/json; the text `1e20` or `100000000000000000000` does not fit, so it is 1e+20).
 */
function isInt64(n: number): boolean {
  return Number.isInteger(n) && n >= -(2 ** 63) && n < 2 ** 63;
}

/**
 * Go's `%v` of an int64 or float64: floats switch to exponent form from 1e+06 and below 1e-04. A BigInt is an int64
 * past 2^53 read exactly (machinery/json-int64.ts).
 */
function goNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString();
  if (isInt64(n)) return n.toFixed(0);
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  return formatGoFloat(n);
}

/** Go sorts map keys by their bytes; for the keys JSON gives us, comparing UTF-16 code units is the same. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation and symbols; of the spaces only ASCII's. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
/** The one-letter escapes strconv.Quote writes for control characters. */
const GO_SHORT_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

/**
 * Go's `%q` of a string (strconv.Quote): printable runes as they are, a quote and a backslash escaped, control
 * characters as `\n` or `\x04`, any other rune Go does not print (U+00A0, U+200B, U+FEFF, noncharacters) as `\u200b`
 * or, above U+FFFF, `\U0010ffff`. A lone surrogate is what Go's JSON decoder makes of one, U+FFFD, which prints;
 * but one of U+DC80 to U+DCFF holds a byte that is no UTF-8 (go-url.ts rawByteChar), which Go writes as `\xff`.
 */
export function goQuote(s: string): string {
  let out = '"';
  let plain = 0; // start of the run of printable ASCII not yet copied
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u >= 0x20 && u < 0x7f && u !== 0x22 && u !== 0x5c) continue;
    out += s.slice(plain, i);
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    plain = i + 1;
    out += goEscapedRune(c);
  }
  return `${out}${s.slice(plain)}"`;
}

function goEscapedRune(c: number): string {
  if (c === 0x22 || c === 0x5c) return `\\${String.fromCharCode(c)}`;
  // A byte that is no UTF-8, as a decoded request path holds it (go-url.ts rawByteChar): Go writes the byte.
  if (c >= 0xdc80 && c <= 0xdcff) return `\\x${(c & 0xff).toString(16)}`;
  if (c >= 0xd800 && c <= 0xdfff) return '\ufffd'; // U+FFFD itself, printable in Go
  const ch = String.fromCodePoint(c);
  if (GO_PRINTABLE.test(ch)) return ch;
  const short = GO_SHORT_ESCAPES[ch];
  if (short) return short;
  if (c < 0x20 || c === 0x7f) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}
