/**
 * Fields of type RawExtension (ControllerRevision.data): upstream holds them as bytes, the JSON text of the value as
 * the client wrote it (RawExtension.UnmarshalJSON keeps the value's own bytes, inner whitespace included). Go's
 * encoder writes them compacted (json.Compact, HTML characters escaped) but otherwise as they are: member order,
 * number forms (`1.0`, `1e3`), big integers and string escapes survive; and equality (immutability) compares the bytes.
 *
 * A parsed JSON value cannot say all that, so such a field holds its *raw form* instead: `{ "\u0000raw": text }`, a
 * plain JSON object that every copy, store, cache and watch carries unchanged (JSON, YAML, structured clones), and
 * that the encoders of the client-facing formats turn back into the text (spliceRawJson; the protobuf codec writes
 * the bytes). A field holding a plain value (made in-process, or by a patch) is the JSON Go's encoder writes for a
 * decoded value: keys sorted (rawTextOf). Only kinds with `rawJsonFields` pay for any of this.
 */
import { goEscape, goJson, setMember } from './json-value.ts';

/** The one member of a raw form; a key no client value can collide with where raw forms are looked for. */
export const rawKey = '\u0000raw';

export type RawForm = { [rawKey]: string };

/** How a raw form's member begins in JSON.stringify's output. */
const rawMemberJson = JSON.stringify({ [rawKey]: '' }).slice(0, -3); // `{"\u0000raw":`

/** The raw form of a value's JSON text. */
export function rawForm(text: string): RawForm {
  return { [rawKey]: text };
}

export function isRawForm(v: unknown): v is RawForm {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as RawForm)[rawKey] === 'string' && Object.keys(v).length === 1;
}


/**
 * The bytes upstream holds for the field: a raw form's text, or Go's encoding of a plain value. What immutability
 * compares and protobuf carries.
 */
export function rawTextOf(v: unknown): string {
  return isRawForm(v) ? v[rawKey] : goJson(v);
}

/** The field's value as JSON.parse reads it (for what works on values: patches). */
export function rawValueOf(v: unknown): unknown {
  return isRawForm(v) ? JSON.parse(v[rawKey]) : v;
}

/**
 * The field's value with every integer exact, as Go's YAML encoder writes it from the text: an integer past 2^53 is
 * a BigInt (the YAML library prints its digits), any other number as JSON.parse reads it.
 */
export function exactValueOf(v: unknown): unknown {
  return isRawForm(v) ? parseJsonExact(v[rawKey]) : v;
}

/** JSON.parse of valid JSON text, but an integer (no fraction, no exponent) past 2^53 is a BigInt. */
export function parseJsonExact(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text); // no number has the digits to be unsafe
  let i = 0;
  const value = (): unknown => {
    i = skipSpace(text, i);
    const c = text[i];
    if (c === '{') {
      const obj: Record<string, unknown> = {};
      i = skipSpace(text, i + 1);
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        i = skipSpace(text, i);
        const keyEnd = skipValue(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        i = skipSpace(text, keyEnd) + 1; // past ':'
        setMember(obj, key, value());
        i = skipSpace(text, i);
        if (text[i++] === '}') return obj; // else ','
      }
    }
    if (c === '[') {
      const arr: unknown[] = [];
      i = skipSpace(text, i + 1);
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        i = skipSpace(text, i);
        if (text[i++] === ']') return arr; // else ','
      }
    }
    const end = skipValue(text, i);
    const token = text.slice(i, end);
    i = end;
    if (/^-?\d+$/.test(token)) {
      const n = Number(token);
      return Number.isSafeInteger(n) ? n : BigInt(token);
    }
    return JSON.parse(token);
  };
  return value();
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Go's json.Compact as its encoder applies it to a Marshaler's output: whitespace outside strings removed, HTML escaped. */
export function compactJson(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      else if (c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
        out += text.slice(from, i) + goEscape(text[i]);
        from = i + 1;
      }
    } else if (c === 0x22) inString = true;
    else if (isSpace(c)) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** The index just past the JSON value that starts at `i` (the text is valid JSON: it was parsed before). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) {
    i++;
    while (text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    return i + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (;;) {
      const d = text.charCodeAt(i);
      if (d === 0x22) {
        i = skipValue(text, i);
        continue;
      }
      i++;
      if (d === 0x7b || d === 0x5b) depth++;
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return i;
    }
  }
  // a number or a literal: up to the next delimiter
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
    i++;
  }
  return i;
}

function skipSpace(text: string, i: number): number {
  while (isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Puts the raw forms of `fields` into `obj`, the parsed `text` (a JSON object): each field's value text as written,
 * as Go's decoder hands it to RawExtension.UnmarshalJSON (the last of repeated members wins; `null` stays null,
 * which leaves the RawExtension empty).
 */
export function keepRawFields(fields: readonly string[], text: string, obj: Record<string, unknown>): void {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return;
  i = skipSpace(text, i + 1);
  while (text[i] === '"') {
    const keyEnd = skipValue(text, i);
    const quoted = text.slice(i, keyEnd);
    const key = quoted.includes('\\') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
    i = skipSpace(text, skipSpace(text, keyEnd) + 1); // past ':'
    const end = skipValue(text, i);
    if (fields.includes(key)) {
      const value = text.slice(i, end);
      if (value !== 'null' && obj[key] !== null) obj[key] = rawForm(value);
    }
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
}

/**
 * Gives each of `fields` holding a plain value (not null) the raw form of Go's encoding of it. `exact`: the same
 * object read with integers exact (YAML read with BigInts), whose fields' values are encoded instead. Changes `obj`.
 */
export function toRawForms(fields: readonly string[], obj: Record<string, unknown>, exact?: Record<string, unknown>): void {
  for (const f of fields) {
    const v = obj[f];
    if (v !== undefined && v !== null && !isRawForm(v)) obj[f] = rawForm(goJson(exact && Object.hasOwn(exact, f) ? exact[f] : v));
  }
}

/**
 * Gives a patched object's `fields` their texts as upstream's patch paths leave them; `before`: their values before
 * the patch (raw forms). A patch of the object's JSON text (`onText`: JSON and merge patches, webhook patches) leaves
 * a member it does not reach as the encoder wrote it: an unchanged field is its old text compacted. A patch of the
 * typed object's map (strategic merge, apply) leaves Go's encoding of each value, keys sorted.
 */
export function patchedRawForms(fields: readonly string[], before: readonly unknown[], object: Record<string, unknown>, onText: boolean): void {
  fields.forEach((f, i) => {
    const old = before[i];
    if (onText && isRawForm(old) && JSON.stringify(rawValueOf(old)) === JSON.stringify(object[f])) object[f] = rawForm(compactJson(old[rawKey]));
  });
  toRawForms(fields, object);
}

/** A shallow copy of `obj` with the raw forms of `fields` read as values (undefined fields stay absent). */
export function withRawValues<T extends Record<string, unknown>>(fields: readonly string[], obj: T): T {
  let out: T | undefined;
  for (const f of fields) if (isRawForm(obj[f])) (out ??= { ...obj })[f as keyof T] = rawValueOf(obj[f]) as T[keyof T];
  return out ?? obj;
}

const rawFormJson = /\{"\\u0000raw":("(?:[^"\\]|\\.)*")\}/g;

/** JSON.stringify's output with each raw form written as the text it keeps, compacted as Go's encoder writes it. */
export function spliceRawJson(json: string): string {
  if (!json.includes(rawMemberJson)) return json;
  return json.replace(rawFormJson, (_m, quoted: string) => compactJson(JSON.parse(quoted) as string));
}

/** JSON.stringify's output with each raw form written as the text it keeps, spacing included (JSON storage). */
export function spliceRawText(json: string): string {
  if (!json.includes(rawMemberJson)) return json;
  return json.replace(rawFormJson, (_m, quoted: string) => JSON.parse(quoted) as string);
}

/**
 * `v` with every raw form in it read as a value, integers exact (the YAML of a list, table or object that holds
 * some: answers, and YAML storage).
 */
export function readRawForms(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (isRawForm(v)) return exactValueOf(v);
  if (Array.isArray(v)) return v.map(readRawForms);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = readRawForms(x);
  return out;
}
