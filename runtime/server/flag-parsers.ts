/**
 * Value parsers for command-line flags, read as kube-apiserver's pflag reads them. Every flag group (the
 * `add<Group>Flags` functions beside the code each group configures) uses these, so a value means the same
 * whichever flag it is given to.
 */
import { InvalidArgumentError } from 'commander';
import { GoDurationError, parseGoDuration } from '../machinery/go-duration.ts';

/**
 * Durations as kube-apiserver's flags take them (Go's time.ParseDuration: `5m`, `1h30m`, `1.5s`, `0`), in seconds.
 * None of our duration flags means anything negative, so a negative one is refused here rather than by each flag.
 */
export function parseDuration(text: string): number {
  let nanos: bigint;
  try {
    nanos = parseGoDuration(text);
  } catch (err) {
    if (err instanceof GoDurationError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  if (nanos < 0n) throw new InvalidArgumentError(`a negative duration is not allowed: "${text}"`);
  return Number(nanos) / 1e9;
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
