/**
 * Go's strconv integer parsers for base 10, for the places where upstream's answer depends on what Go accepts:
 * an optional `+` or `-`, then ASCII digits only (no spaces, no underscores, no `0x`), within the type's bits.
 * A refusal is NumError's reason, which upstream's messages quote (`strconv.Atoi: parsing "x": invalid syntax`).
 *
 * Other parsers stay with what they mirror: go-yaml's ParseInt(s, 0, 64) in go-yaml/scalars.ts, time.atoi in
 * godecode/gotime.ts, version.ts's ParseUint.
 */
import { goQuote } from './gofmt.ts';

/** NumError's Err: why strconv refused a text. */
export type NumErrorReason = 'invalid syntax' | 'value out of range';

const decimal = /^[+-]?[0-9]+$/;

/**
 * strconv.ParseInt(s, 10, bitSize): the value, or why not. Values past 2^53 come back as the nearest number (exact
 * only as text): what upstream prints of them is an index or a port, out of range long before that.
 */
export function parseInt10(s: string, bitSize: 32 | 64): number | NumErrorReason {
  if (!decimal.test(s)) return 'invalid syntax';
  const digits = s.length - (s.charCodeAt(0) <= 45 ? 1 : 0); // '+' is 43, '-' is 45, digits are above
  // Fewer digits than the type's maximum has always fit (2^31 has 10 digits, 2^63 has 19).
  if (digits < (bitSize === 64 ? 19 : 10)) return Number(s) || 0; // `|| 0`: Go has no -0
  const n = BigInt(s);
  const limit = bitSize === 64 ? 1n << 63n : 1n << 31n;
  return n >= -limit && n < limit ? Number(n) : 'value out of range';
}

/** strconv.Atoi: ParseInt(s, 10, 0) on the 64-bit machines kube-apiserver runs on. */
export function atoi(s: string): number | NumErrorReason {
  return parseInt10(s, 64);
}

/** NumError's text: `strconv.<fn>: parsing "<s>": <reason>`. */
export function numErrorText(fn: 'Atoi' | 'ParseInt', s: string, reason: NumErrorReason): string {
  return `strconv.${fn}: parsing ${goQuote(s)}: ${reason}`;
}
