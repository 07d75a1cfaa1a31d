/**
 * JSON bodies whose numbers a parsed value does not say exactly (`1.0` and `1e3` parse as integers, integers past
 * 2^53 lose digits): parsed again keeping those literals, so errors name the number as written and int64 bounds
 * are Go's. A cheap test of the text decides; most bodies never get here.
 */
import type { NumberLiterals } from './json.ts';

/**
 * A number token written with a fraction, an exponent, or 16 digits or more: after `:`, `[` or `,` and before `,`,
 * `}` or `]` (so `"image": "app:1.25"` is not one).
 */
const suspicious = /[:[,]\s*-?(?:\d+\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|\d{16,})\s*[,}\]]/;

/** The body parsed, with the literals of numbers whose value does not print as written; undefined when none can be. */
export function parseWithLiterals(text: string): { value: unknown; literals: NumberLiterals } | undefined {
  if (!suspicious.test(text)) return undefined;
  const literals: NumberLiterals = new WeakMap();
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const string = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const record = (parent: object, key: string | number, lit: string) => {
    let m = literals.get(parent);
    if (!m) literals.set(parent, (m = {}));
    m[key] = lit;
  };
  const value = (parent: object, key: string | number): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        const k = string();
        ws();
        i++; // ':'
        const v = value(out, k);
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value(out, out.length));
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') return string();
    if (c === 't' || c === 'n') {
      i += 4;
      return c === 't' ? true : null;
    }
    if (c === 'f') {
      i += 5;
      return false;
    }
    const m = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/y;
    m.lastIndex = i;
    const lit = m.exec(text)![0];
    i += lit.length;
    const n = Number(lit);
    if (String(n) !== lit) record(parent, key, lit);
    return n;
  };
  const root = {};
  return { value: value(root, ''), literals };
}
