/**
 * JSON values as structured-merge-diff sees them: a total order over every JSON value (upstream's value.Compare:
 * numbers < strings < booleans < lists < maps < null), equality, and the two ways upstream prints a value (Go's
 * `%q`/`%v` in paths, encoding/json in FieldsV1 keys).
 */

export type JSONValue = null | boolean | number | string | JSONValue[] | { [k: string]: JSONValue };

/** Rank of a value's JSON type in upstream's ordering. */
function rank(v: unknown): number {
  switch (typeof v) {
    case 'number':
    case 'bigint': // an int64 past 2^53 (compares with numbers exactly)
      return 0;
    case 'string':
      return 1;
    case 'boolean':
      return 2;
    case 'object':
      if (v === null) return 5;
      return Array.isArray(v) ? 3 : 4;
    default:
      return 6;
  }
}

/** Byte order of two strings (Go compares strings as UTF-8 bytes; code-point order is the same). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order differs from code-point order only for astral characters vs U+E000..U+FFFF; rare in keys.
  return a < b ? -1 : 1;
}

/** A total order over JSON values, as upstream's value.Compare. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return compareStrings(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < la.length && i < lb.length; i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length === lb.length ? 0 : la.length < lb.length ? -1 : 1;
    }
    case 4: {
      // Maps compare by their sorted keys, then values, key by key.
      const ma = a as Record<string, unknown>;
      const mb = b as Record<string, unknown>;
      const ka = Object.keys(ma).sort(compareStrings);
      const kb = Object.keys(mb).sort(compareStrings);
      for (let i = 0; i < ka.length && i < kb.length; i++) {
        const c = compareStrings(ka[i], kb[i]);
        if (c !== 0) return c;
        const d = compareValues(ma[ka[i]], mb[kb[i]]);
        if (d !== 0) return d;
      }
      return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
    }
    default:
      return 0;
  }
}

/** Deep equality of two JSON values (key order of maps does not matter). */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  // Counted with for-in, no key lists: runs on every leaf a write compares (JSON objects inherit no enumerable keys).
  let n = 0;
  for (const k in a) {
    if (!Object.hasOwn(b, k)) return false;
    if (!equalValues((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** A value as upstream prints it inside a path (`value.ToString`): strings quoted, lists bracketed. */
export function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
    case 'bigint': // a custom resource's int64 past 2^53
    case 'boolean':
      return String(v);
    case 'object':
      if (Array.isArray(v)) return '[' + v.map(valueToString).join(',') + ']';
      return Object.keys(v)
        .sort(compareStrings)
        .map((k) => `${k}=${valueToString((v as Record<string, unknown>)[k])}`)
        .join('');
    default:
      return '{{undefined}}';
  }
}

export const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
