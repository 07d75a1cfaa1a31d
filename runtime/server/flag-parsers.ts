/**
 * Value parsers for command-line flags, read as kube-apiserver's pflag reads them. Every flag group (the
 * `add<Group>Flags` functions beside the code each group configures) uses these, so a value means the same
 * whichever flag it is given to.
 */
import { InvalidArgumentError } from 'commander';

/** Go-style durations as kube-apiserver takes them: `5m`, `1h`, `30s`, `1h30m`, `0`. Returns seconds. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new InvalidArgumentError(`invalid duration "${text}" (examples: 30s, 5m, 1h)`);
  return total;
}

export function int(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a non-negative integer`);
  return Number(text);
}

/** A string-slice flag as pflag reads it: comma-separated, and repeating the flag adds to the list. */
export function list(text: string, previous: string[] = []): string[] {
  return [...previous, ...text.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function bool(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new InvalidArgumentError(`"${text}" is not true or false`);
  return text === 'true';
}

/** What commander parsed, by camel-cased flag name. */
export type ParsedFlags = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
