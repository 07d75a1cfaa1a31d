/**
 * The Kubernetes `regex` library: `s.find(re)`, `s.findAll(re)`, `s.findAll(re, n)` (upstream's library/regex.go:
 * Go's `FindString` and `FindAllString`). Patterns are Go's, with Go's meaning (`\pL`, `[[:space:]]`, `\x{263a}`,
 * `(?i:...)`, `\s` as ASCII space, `.` short of `\n` only) and Go's leftmost-first matches, found in time linear in
 * the text by machinery/go-regexp.ts; a bad pattern fails with Go's `error parsing regexp: ...`.
 */
import type { CelFunc } from '@bufbuild/cel';
import { compileGoRegexp } from '../../machinery/go-regexp.ts';
import { method } from './func.ts';

export const regex: CelFunc[] = [
  method('find', 'string', ['string'], 'string', (s: string, p: string) => compileGoRegexp(p).findAll(s, 1)[0] ?? ''),
  method('findAll', 'string', ['string'], 'list', (s: string, p: string) => compileGoRegexp(p).findAll(s, -1)),
  method('findAll', 'string', ['string', 'int'], 'list', (s: string, p: string, n: bigint) => compileGoRegexp(p).findAll(s, Number(n))),
];
