/**
 * The Kubernetes `regex` library: `s.find(re)`, `s.findAll(re)`, `s.findAll(re, n)` (upstream's library/regex.go).
 *
 * Patterns are RE2: validated with @bufbuild/re2 (the engine @bufbuild/cel uses for `matches`), then run on V8's
 * linear-time regular expression engine (the `l` flag), so no pattern can stall the server with catastrophic
 * backtracking. That engine has no `i` flag: a leading `(?i)` is rewritten into case classes.
 */
import { setFlagsFromString } from 'node:v8';
import { RE2JS } from '@bufbuild/re2';
import type { CelFunc } from '@bufbuild/cel';
import { method } from './func.ts';

// Enables the `l` (linear) flag; it only adds a flag, existing regular expressions are unaffected.
setFlagsFromString('--enable-experimental-regexp-engine');

const cache = new Map<string, RegExp>();

function bothCases(c: string): string {
  const lo = c.toLowerCase();
  const up = c.toUpperCase();
  return lo === up ? c : lo + up;
}

/** Rewrites a case-insensitive pattern into explicit case alternatives ([aA]), escapes and classes kept intact. */
function foldCase(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (p[i + 1] === '-' && p[i + 2] && p[i + 2] !== ']' && /[a-zA-Z]/.test(c) && /[a-zA-Z]/.test(p[i + 2])) {
        const range = `${c}-${p[i + 2]}`;
        out += range + (range.toLowerCase() === range ? range.toUpperCase() : range.toLowerCase());
        i += 2;
        continue;
      } else if (/[a-zA-Z]/.test(c)) {
        out += bothCases(c);
        continue;
      }
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (p[i + 1] === '^') out += p[++i];
      continue;
    }
    out += /[a-zA-Z]/.test(c) ? `[${bothCases(c)}]` : c;
  }
  return out;
}

/** Compiles (and caches) a pattern; throws the RE2 syntax error for a bad one. */
export function compileRegex(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  RE2JS.compile(pattern); // RE2 syntax and semantics check
  let body = pattern;
  let flags = 'gl';
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    if (m[1].includes('s')) flags += 's';
    if (m[1].includes('m')) flags += 'm';
    if (m[1].includes('i')) body = foldCase(body);
  }
  body = body.replace(/\\z/g, '$').replace(/\\A/g, '^').replace(/\(\?P</g, '(?<');
  try {
    re = new RegExp(body, flags);
  } catch (e) {
    throw new Error(`unsupported regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** Every non-overlapping match, at most `limit` of them (negative: all). */
export function findAll(s: string, pattern: string, limit: number): string[] {
  const re = compileRegex(pattern);
  const out: string[] = [];
  re.lastIndex = 0;
  while (limit < 0 || out.length < limit) {
    const m = re.exec(s);
    if (!m) break;
    out.push(m[0]);
    if (m[0] === '') re.lastIndex++;
    if (re.lastIndex > s.length) break;
  }
  return out;
}

export const regex: CelFunc[] = [
  method('find', 'string', ['string'], 'string', (s: string, p: string) => findAll(s, p, 1)[0] ?? ''),
  method('findAll', 'string', ['string'], 'list', (s: string, p: string) => findAll(s, p, -1)),
  method('findAll', 'string', ['string', 'int'], 'list', (s: string, p: string, n: bigint) => findAll(s, p, Number(n))),
];
