/**
 * Decodes JSON the way kube-apiserver's decoder (sigs.k8s.io/json, a fork of Go's encoding/json) reads request
 * bodies: syntax errors carry Go's texts (`invalid character 'x' looking for beginning of value`), and in strict
 * mode every repeated object member is reported with its path (`duplicate field "spec.paused"`), as
 * `fieldValidation=Warn|Strict` reports them. The value is the last occurrence of a repeated member, as Go keeps.
 */

import { setMember, type Json } from './json-value.ts';

export type { Json };

export class GoJsonSyntaxError extends Error {}

export interface Decoded {
  value: Json;
  /** `duplicate field "<path>"` for each repeated member, in document order (strict mode only). */
  duplicates: string[];
}

/** Go's quoting of the offending character in syntax errors. */
function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

const ws = new Set([' ', '\t', '\n', '\r']);

/**
 * Decodes `text`; in strict mode also reports repeated members. The native parser does the work; this module's
 * own scanner runs only to word a syntax error as Go does, or to name repeated members when the body's member
 * count says there are some.
 */
export function decodeGoJson(text: string, strict: boolean): Decoded {
  // Go refuses nesting deeper than 10000 (and recursion here could not follow that deep).
  const deep = tooDeep(text);
  if (deep >= 0) throw new GoJsonSyntaxError(`invalid character ${quoteChar(text[deep])} exceeded max depth`);
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch {
    return scanGuarded(text, strict);
  }
  if (strict && memberTokens(text) !== members(value)) return scanGuarded(text, true);
  return { value, duplicates: [] };
}

/**
 * `text` read as Go's encoding/json reads it (its syntax checked whole first), or `{ error }` with the words Go
 * refuses it with ('invalid character ...', 'unexpected end of JSON input').
 */
export function readGoJson(text: string): { value: Json } | { error: string } {
  try {
    return { value: decodeGoJson(text, false).value };
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return { error: e.message };
    throw e;
  }
}

/**
 * The words Go's encoding/json refuses `text` with, or undefined when it is JSON. For error paths that already know
 * JSON.parse failed and must say why as Go would.
 */
export function goJsonSyntaxError(text: string): string | undefined {
  const read = readGoJson(text);
  return 'error' in read ? read.error : undefined;
}

/**
 * The first number of `text` (JSON) that Go's encoding/json cannot hold in a float64, as written: decoding into an
 * interface{} parses each number with strconv.ParseFloat, which refuses one that rounds past the largest float64
 * (`1e999`), not one that rounds to zero (`1e-999`); JavaScript's numbers round alike.
 */
export function firstFloat64Overflow(text: string): string | undefined {
  for (const [token] of text.matchAll(stringOrNumber)) {
    if (token.charCodeAt(0) !== 34 && !Number.isFinite(Number(token))) return token;
  }
  return undefined;
}

/** A string (skipped whole, so nothing in it reads as a number) or a number token of valid JSON. */
const stringOrNumber = /"(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*/g;

/** Whether `text`, which parsed to `value`, repeats a member of some object (it names more members than `value` has). */
export function repeatsMembers(text: string, value: Json): boolean {
  return memberTokens(text) !== members(value);
}

/** Go's decoder limit on nested objects and arrays. */
const maxDepth = 10000;

/** Where brackets outside strings first nest deeper than Go allows, or -1 (only counted when there can be). */
function tooDeep(text: string): number {
  if (text.length <= 2 * maxDepth) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/** The scanner recurses per level: nesting too deep for the stack is reported as Go reports nesting too deep. */
function scanGuarded(text: string, strict: boolean): Decoded {
  try {
    return scan(text, strict);
  } catch (e) {
    if (e instanceof RangeError) throw new GoJsonSyntaxError('exceeded max depth');
    throw e;
  }
}

/**
 * Member names in the text: strings followed by a colon (no string value can be). It runs on every JSON write, so it
 * jumps from quote to quote with indexOf rather than matching a pattern (half the time, no array of matches).
 */
function memberTokens(text: string): number {
  let n = 0;
  for (let open = text.indexOf('"'); open !== -1; ) {
    let close = text.indexOf('"', open + 1);
    // A quote is escaped when an odd number of backslashes precedes it.
    while (close !== -1) {
      let b = close - 1;
      while (text.charCodeAt(b) === 92) b--;
      if ((close - 1 - b) % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    if (close === -1) break;
    let next = close + 1;
    let c = text.charCodeAt(next);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++next);
    if (c === 58) n++;
    open = text.indexOf('"', next);
  }
  return n;
}

/** Members of the decoded objects: fewer than the text's names when some name repeats. */
function members(root: Json): number {
  let n = 0;
  const stack: Json[] = [root];
  while (stack.length) {
    const v = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else
      for (const k in v) {
        n++;
        stack.push(v[k]);
      }
  }
  return n;
}

function scan(text: string, strict: boolean): Decoded {
  let i = 0;
  const duplicates: string[] = [];
  const eof = () => new GoJsonSyntaxError('unexpected end of JSON input');
  const bad = (what: string) => new GoJsonSyntaxError(`invalid character ${quoteChar(text[i])} ${what}`);
  const skip = () => {
    while (i < text.length && ws.has(text[i])) i++;
  };

  const value = (path: string): Json => {
    skip();
    if (i >= text.length) throw eof();
    const c = text[i];
    if (c === '{') return object(path);
    if (c === '[') return array(path);
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true', true);
    if (c === 'f') return literal('false', false);
    if (c === 'n') return literal('null', null);
    throw bad('looking for beginning of value');
  };

  const literal = (word: string, v: Json): Json => {
    for (let k = 0; k < word.length; k++, i++) {
      if (i >= text.length) throw eof();
      if (text[i] !== word[k]) throw bad(`in literal ${word} (expecting ${quoteChar(word[k])})`);
    }
    return v;
  };

  const digits = () => {
    const start = i;
    while (i < text.length && text[i] >= '0' && text[i] <= '9') i++;
    return i > start;
  };

  const number = (): number => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (i >= text.length) throw eof();
      if (!(text[i] >= '0' && text[i] <= '9')) throw bad('in numeric literal');
    }
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      if (i >= text.length) throw eof();
      if (!digits()) throw bad('after decimal point in numeric literal');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length) throw eof();
      if (!digits()) throw bad('in exponent of numeric literal');
    }
    return Number(text.slice(start, i));
  };

  const string = (): string => {
    const start = i;
    i++;
    let escaped = false;
    for (;;) {
      if (i >= text.length) throw eof();
      const c = text[i];
      if (c === '"') break;
      if (c < ' ') throw bad('in string literal');
      if (c === '\\') {
        escaped = true;
        i++;
        if (i >= text.length) throw eof();
        const e = text[i];
        if (e === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (i >= text.length) throw eof();
            if (!/[0-9a-fA-F]/.test(text[i])) throw bad('in \\u hexadecimal character escape');
          }
        } else if (!'"\\/bfnrt'.includes(e)) throw bad('in string escape code');
      }
      i++;
    }
    i++;
    const raw = text.slice(start, i);
    return escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };

  let depth = 0;
  const nest = () => {
    if (++depth > maxDepth) throw bad('exceeded max depth');
  };

  const object = (path: string): Json => {
    nest();
    i++;
    const out: { [k: string]: Json } = {};
    const seen = strict ? new Set<string>() : undefined;
    skip();
    if (i >= text.length) throw eof();
    if (text[i] === '}') {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      skip();
      if (i >= text.length) throw eof();
      if (text[i] !== '"') throw bad('looking for beginning of object key string');
      const key = string();
      skip();
      if (i >= text.length) throw eof();
      if (text[i] !== ':') throw bad('after object key');
      i++;
      const child = path ? `${path}.${key}` : key;
      if (seen) {
        if (seen.has(key)) duplicates.push(`duplicate field "${child}"`);
        seen.add(key);
      }
      const v = value(child);
      setMember(out, key, v);
      skip();
      if (i >= text.length) throw eof();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        depth--;
        return out;
      }
      throw bad('after object key:value pair');
    }
  };

  const array = (path: string): Json => {
    nest();
    i++;
    const out: Json[] = [];
    skip();
    if (i >= text.length) throw eof();
    if (text[i] === ']') {
      i++;
      depth--;
      return out;
    }
    for (;;) {
      out.push(value(`${path}[${out.length}]`));
      skip();
      if (i >= text.length) throw eof();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        depth--;
        return out;
      }
      throw bad('after array element');
    }
  };

  const v = value('');
  skip();
  if (i < text.length) throw bad('after top-level value');
  return { value: v, duplicates };
}

/** The JSON type word Go's decoder uses in "cannot unmarshal <type> into ..." errors. */
export function goJsonKind(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}
