/**
 * Plain JSON values decoded from request bodies. Their keys are data, whatever they are called: `__proto__`,
 * `constructor` or `toString` must neither reach a prototype nor be read from one (use `Object.hasOwn`).
 */
import { sortGoStrings } from './order.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A JSON object (not null, not an array). */
export function isJsonObject<T = Json>(v: unknown): v is Record<string, T> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `key` as an own data property, `__proto__` included (a plain assignment would set the prototype). */
export function setMember<T>(o: Record<string, T>, key: string, v: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/**
 * A deep copy of a plain JSON value: three to four times faster than parsing its JSON text and about seven times
 * faster than structuredClone, so a cached object is copied for a reader this way. `each`, when given, is told of
 * every object and array copied, with its copy (to carry what is kept about objects by identity, in the same walk).
 */
export function cloneJson<T>(v: T, each?: (original: object, copy: object) => void): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneJson(v[i], each);
    each?.(v, a);
    return a as T;
  }
  const o: Record<string, unknown> = {};
  for (const k in v) if (Object.hasOwn(v, k)) setMember(o, k, cloneJson((v as Record<string, unknown>)[k], each));
  each?.(v, o);
  return o as T;
}

/** What jsonCopy gives up on: a value whose JSON text is not simply its members' (toJSON, a class instance, a BigInt). */
const notPlain = Symbol('notPlain');

function copyAsJson(v: unknown): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v + 0 : null; // -0 + 0 is 0, as JSON writes it
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw notPlain;
  }
  if (v === null) return null;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = copyAsJson(v[i]) ?? null;
    return a;
  }
  const proto = Object.getPrototypeOf(v);
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') throw notPlain;
  const o: Record<string, unknown> = {};
  for (const k in v) {
    if (!Object.hasOwn(v, k)) continue;
    const c = copyAsJson((v as Record<string, unknown>)[k]);
    if (c !== undefined) setMember(o, k, c);
  }
  return o;
}

/**
 * `JSON.parse(JSON.stringify(v))` without the text, for a value made of plain objects, arrays and primitives
 * (members that JSON leaves out are left out, as are non-finite numbers made null); undefined when `v` holds
 * anything else (a class instance, toJSON), whose text only JSON.stringify can say. A few times faster than the
 * round trip, so a store that has just encoded an object hands it on this way instead of parsing its bytes back.
 */
export function jsonCopy<T>(v: T): T | undefined {
  try {
    return copyAsJson(v) as T;
  } catch (e) {
    if (e === notPlain) return undefined;
    throw e;
  }
}

/** Whether a JSON value holds a `null` anywhere: most objects do not, and need no copy with their nulls dropped. */
export function containsNull(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (containsNull(v[i])) return true;
    return false;
  }
  for (const k in v) if (Object.hasOwn(v, k) && containsNull((v as Record<string, unknown>)[k])) return true;
  return false;
}

// Go's encoding/json escapes these beside what JSON.stringify escapes (HTML-safe output).
const goUnsafe = /[<>&\u2028\u2029]/g;
/** A character as Go's encoder escapes it (`\\u003c`). */
export const goEscape = (c: string) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');

/** JSON text with the characters Go's encoder escapes beside JSON.stringify's (`<`, `>`, `&`, U+2028, U+2029) escaped. */
export function goEscapeHtml(json: string): string {
  // indexOf finds a character many times faster than a regex class scans for it (V8 searches a one-byte string
  // with memchr and knows it holds no U+2028): this runs on every answer's text.
  const unsafe = json.indexOf('<') >= 0 || json.indexOf('>') >= 0 || json.indexOf('&') >= 0 || json.indexOf('\u2028') >= 0 || json.indexOf('\u2029') >= 0;
  return unsafe ? json.replace(goUnsafe, goEscape) : json;
}

/**
 * A decoded value as Go's encoding/json writes it: compact, map keys sorted bytewise (as Go sorts them: "10" before
 * "9", which JSON.stringify's integer-key order would not give), undefined members left out, HTML characters escaped.
 */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return goEscapeHtml(JSON.stringify(v));
  if (typeof v === 'bigint') return v.toString(); // an integer past 2^53, read exactly (raw-json.ts)
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  const obj = v as Record<string, unknown>;
  const keys = sortGoStrings(Object.keys(obj).filter((k) => obj[k] !== undefined));
  return '{' + keys.map((k) => goJson(k) + ':' + goJson(obj[k])).join(',') + '}';
}

/**
 * A decoded value as it comes back from Go's untyped decode and encode (a `map[string]interface{}` written again):
 * the same value, with every object's keys in Go's sorted order. (A JavaScript object still lists integer-like
 * keys first, in numeric order: where that differs from Go's, the text jsonText writes is exact.) Parts already in that
 * order are returned as they are (the whole value when it is), so reading back what was stored ordered costs a walk.
 */
export function goOrdered<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item = goOrdered(v[i]);
      if (item !== v[i]) (out ??= v.slice())[i] = item;
    }
    return (out ?? v) as T;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj);
  let inOrder = true;
  let children: unknown[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const member = obj[keys[i]];
    // UTF-16's order, which is Go's but for astral keys against U+E000..U+FFFF: a sort (sortGoStrings) is exact.
    if (member === undefined || (i > 0 && !(keys[i - 1] < keys[i]))) inOrder = false;
    const ordered = goOrdered(member);
    if (ordered !== member) (children ??= keys.map((k) => obj[k]))[i] = ordered;
  }
  if (inOrder && !children) return v;
  const values = new Map<string, unknown>();
  for (let i = 0; i < keys.length; i++) values.set(keys[i], children ? children[i] : obj[keys[i]]);
  const out: Record<string, unknown> = {};
  for (const k of inOrder ? keys : sortGoStrings(keys)) if (values.get(k) !== undefined) setMember(out, k, values.get(k));
  return out as T;
}
