/**
 * JSON with exact int64 integers, for custom resources. Upstream decodes a custom resource's JSON into unstructured
 * values with its numbers converted as apimachinery's json.go does: a whole number that fits int64 becomes an int64,
 * anything else a float64. So `"size": 9007199254740993` (IDs, byte counts, nanosecond timestamps) comes back as
 * written, where JSON.parse rounds it to ...992.
 *
 * The value form every stage shares: an integer token between 2^53 and 2^63 is a BigInt; every other number stays a
 * JS number (a safe integer is the same int64 either way; a fraction, an exponent form, or an integer beyond int64
 * is a float64 upstream, and a float64 past 2^53 is "not an integer" to kube-openapi). Schema validation, CEL
 * (int), Table cells, patches, YAML and the storage codec take BigInts as integers; encoders write them as bare digits.
 *
 * Cost: JSON.parse stays the path of every body. Only a text holding a run of 16 or more digits (no integer below
 * 2^53 has as many) is parsed again by this module's scanner; encoding (json-text.ts) tries JSON.stringify first,
 * which throws on a BigInt, and only then writes the value itself.
 */
import { setMember } from './json-value.ts';
import { parseJsonExact } from './raw-json.ts';

/**
 * Whether a JSON text may hold an integer beyond 2^53: a run of 16 digits or more (inside a string or not). Any such
 * run covers one of the indexes 15, 31, 47, ...: only those are read, and around a digit found there, its run
 * (about twice as fast as the regular expression /\d{16}/, a few per cent of JSON.parse).
 */
export function mayHoldInt64(text: string): boolean {
  for (let i = 15; i < text.length; i += 16) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let from = i;
    let to = i;
    while (from > 0 && isDigit(text.charCodeAt(from - 1))) from--;
    while (to + 1 < text.length && isDigit(text.charCodeAt(to + 1))) to++;
    if (to - from >= 15) return true;
  }
  return false;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The smallest and largest int64. */
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/**
 * The value of a valid JSON text as upstream's unstructured decoder sees it: integers past 2^53 that fit int64 as
 * BigInts, integers beyond int64 as (rounded) numbers, the rest as JSON.parse reads it.
 */
export function parseJsonInt64(text: string): unknown {
  if (!mayHoldInt64(text)) return JSON.parse(text);
  return toInt64Form(parseJsonExact(text));
}

/**
 * A value read with every integer a BigInt (or some), in this module's form, in place: a BigInt stays one only past
 * 2^53 and within int64; a safe one becomes a number, one beyond int64 the float64 upstream makes of it. An object of
 * a typed kind that keeps int64s only in some fields is then finished by its form (registerInt64Form). Returns it.
 */
export function toInt64Form(v: unknown): unknown {
  const out = int64Values(v);
  if (typedForms.size > 0 && out !== null && typeof out === 'object' && !Array.isArray(out)) {
    const o = out as Record<string, unknown>;
    typedForms.get(`${o.apiVersion}/${o.kind}`)?.(o);
  }
  return out;
}

function int64Values(v: unknown): unknown {
  if (typeof v === 'bigint') return v < int64Min || v > int64Max || (v >= minSafe && v <= maxSafe) ? Number(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = int64Values(v[i]);
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (Object.hasOwn(o, k)) o[k] = int64Values(o[k]);
  return o;
}

/**
 * Typed kinds whose Go types keep int64s exact in some fields only, by `<apiVersion>/<kind>`: a CRD's schema holds its
 * `default`, `example` and `enum` values as JSON text, but its bounds (`maximum`, ...) as float64. Custom resources
 * (unstructured upstream) keep every int64 and need no form.
 */
const typedForms = new Map<string, (obj: Record<string, unknown>) => void>();

/**
 * Makes objects of a built-in kind decode with exact int64s wherever a custom resource's would (request bodies,
 * patches, storage, the watch cache); `finish` turns back into numbers, in place, the BigInts of the fields Go does
 * not hold as int64 (or as JSON).
 */
export function registerInt64Form(apiVersion: string, kind: string, finish: (obj: Record<string, unknown>) => void): void {
  typedForms.set(`${apiVersion}/${kind}`, finish);
}

/**
 * Whether objects of a kind keep int64s past 2^53 exact: custom resources (not `builtIn`), and the built-in kinds
 * with a registered form.
 */
export function keepsInt64Of(k: { group: string; version: string; kind: string; builtIn: boolean }): boolean {
  return !k.builtIn || hasInt64Form(k.group ? `${k.group}/${k.version}` : k.version, k.kind);
}

/** Whether a built-in kind keeps some int64s exact (a registered form), served or only stored (CRDs' v1beta1). */
export function hasInt64Form(apiVersion: string, kind: string): boolean {
  return typedForms.size > 0 && typedForms.has(`${apiVersion}/${kind}`);
}

/** A BigInt as the float64 Go decodes the same digits into (for fields a typed form keeps as numbers). */
export function asFloat64(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

const minSafe = BigInt(Number.MIN_SAFE_INTEGER);
const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether a value holds a BigInt anywhere. */
export function containsBigInt(v: unknown): boolean {
  if (typeof v === 'bigint') return true;
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsBigInt);
  for (const k in v) if (Object.hasOwn(v, k) && containsBigInt((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * A copy of a value decoded with JSON.parse (a CRD's schema `default`), where a whole number past 2^53 within int64
 * is a BigInt: upstream decodes those values into int64 (apimachinery's json.go), and a number past 2^53 is otherwise
 * no integer here. The digits JSON.parse rounded are lost; the value is an integer again, as upstream's.
 */
export function wholeNumbersAsInt64<T>(v: T): T {
  if (typeof v === 'number') return (Number.isInteger(v) && !Number.isSafeInteger(v) && v >= -(2 ** 63) && v < 2 ** 63 ? BigInt(v) : v) as T;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(wholeNumbersAsInt64) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) if (Object.hasOwn(v, k)) setMember(out, k, wholeNumbersAsInt64((v as Record<string, unknown>)[k]));
  return out as T;
}
