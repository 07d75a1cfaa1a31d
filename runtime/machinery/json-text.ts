/**
 * The JSON text of an object kube-ts writes for a client or to storage, as Go's encoding/json writes it where
 * JSON.stringify would not:
 * - a map's keys in Go's order (sorted byte by byte: "10" before "9" before "a"). A JavaScript object lists the keys
 *   that are array indices ("0", "9", "10") first, in numeric order, whatever order they were set in, so no object
 *   can hold Go's order of such a map. No Go struct names a field with digits: an object whose first key is an index
 *   is a map, and is written with its keys sorted.
 * - an int64 past 2^53 (a BigInt: json-int64.ts) as its digits, where JSON.stringify throws.
 * - `<`, `>`, `&`, U+2028 and U+2029 escaped (`\u003c`), as Go's encoder does by default (apimachinery's JSON
 *   serializer writes answers with json.NewEncoder, which escapes HTML); found with indexOf, a fraction of a
 *   microsecond on a Pod's text.
 *
 * Cost: JSON.stringify stays the path of every object. Its text is searched once for a member named by digits
 * (`"10":`, which cannot occur inside a string, whose quotes are escaped); only a text holding one, or a value
 * holding a BigInt, is written again by this module. The search takes 6-14% of JSON.stringify's time (1-2 us for a
 * ConfigMap of 0.5 KB, 4-5 us for a Pod of 2 KB; node 20, one process, search and stringify alternated); a cached
 * object's text, which gets and lists reuse, is searched once per state.
 */
import { containsBigInt } from './json-int64.ts';
import { goEscapeHtml } from './json-value.ts';
import { sortGoStrings } from './order.ts';

/** A JSON.stringify replacer: the member's value to write instead (undefined leaves it out). */
export type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/**
 * A member named by digits: an array index, which JavaScript lists first. What else matches (a leading zero, more
 * digits than an index has, a key ending in `\"12`) only costs a rewrite that gives the same text. Faster than
 * matching `[{,]"` in front, which every member has.
 */
const indexMember = /"[0-9]+":/;

/** JSON.stringify(v, replacer) as Go writes the value: maps with index keys in Go's order, BigInts as digits. */
export function jsonText(v: unknown, replacer?: Replacer): string {
  const text = plainText(v, replacer);
  return text === null ? goEscapeHtml(write(v, replacer)) : jsonTextOf(text, v, replacer);
}

/**
 * jsonText of an object, and whether it holds a BigInt: its text then has integers past 2^53, to be read back with
 * parseJsonInt64 (json-int64.ts) rather than JSON.parse. For a caller that keeps the text to parse again (the watch cache).
 */
export function jsonTextOfObject(v: object): { text: string; int64: boolean } {
  const text = plainText(v, undefined);
  return text === null ? { text: goEscapeHtml(write(v, undefined)), int64: true } : { text: jsonTextOf(text, v), int64: false };
}

/** JSON.stringify's text of `v`, or null when `v` holds a BigInt, which JSON.stringify refuses. */
function plainText(v: unknown, replacer: Replacer | undefined): string | null {
  try {
    return JSON.stringify(v, replacer);
  } catch (e) {
    if (!(e instanceof TypeError) || !containsBigInt(v)) throw e;
    return null;
  }
}

/** Go's text of `v`, given JSON.stringify(v, replacer)'s `text` (the same text unless a map has index keys). */
function jsonTextOf(text: string, v: unknown, replacer?: Replacer): string {
  if (text === undefined) return text;
  return goEscapeHtml(indexMember.test(text) ? write(v, replacer) : text);
}

function write(v: unknown, replacer: Replacer | undefined): string {
  return member({ '': v }, '', v, replacer) ?? (undefined as unknown as string); // as JSON.stringify(undefined)
}

/** A member's text as JSON.stringify makes it (toJSON, then the replacer), or undefined when it is left out. */
function member(holder: object, key: string, value: unknown, replacer: Replacer | undefined): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') value = (value as { toJSON(k: string): unknown }).toJSON(key);
  if (replacer) value = replacer.call(holder, key, value);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const parts = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) parts[i] = member(value, String(i), value[i], replacer) ?? 'null';
    return '[' + parts.join(',') + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length > 1 && isArrayIndex(keys[0])) sortGoStrings(keys);
  const parts: string[] = [];
  for (const k of keys) {
    const text = member(obj, k, obj[k], replacer);
    if (text !== undefined) parts.push(JSON.stringify(k) + ':' + text);
  }
  return '{' + parts.join(',') + '}';
}

/** Whether a key is one JavaScript lists before the others: a canonical array index. */
function isArrayIndex(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^(?:0|[1-9][0-9]{0,9})$/.test(k) && Number(k) < 2 ** 32 - 1;
}
