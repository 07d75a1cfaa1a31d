/**
 * Go's time.ParseDuration, with its error texts: clients send durations in Go's form (`?timeout=1m0s` from
 * client-go, `format: duration` strings in CEL) and match on what the server answers when one does not parse
 * (`time: invalid duration "abc"`). The grammar is `[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+`, or a bare `0`.
 */

const unitNanos: Record<string, bigint> = { ns: 1n, us: 1_000n, '\u00b5s': 1_000n, '\u03bcs': 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

const maxNanos = 1n << 63n;

/** A duration that time.ParseDuration refuses; `message` is Go's error text. */
export class GoDurationError extends Error {}

/** The duration in nanoseconds; throws GoDurationError with Go's message when `text` is not a Go duration. */
export function parseGoDuration(text: string): bigint {
  const invalid = () => new GoDurationError(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    // [0-9]*(\.[0-9]*)? then the unit: every character up to the next digit or dot.
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, int = '', frac] = m;
    if (int === '' && !frac) throw invalid(); // no digits (".s", "-.s") or no number at all
    s = s.slice(whole.length);
    const unitEnd = s.search(/[.\d]/);
    const unitText = unitEnd < 0 ? s : s.slice(0, unitEnd);
    if (unitText === '') throw new GoDurationError(`time: missing unit in duration ${goQuote(text)}`);
    s = s.slice(unitText.length);
    const unit = unitNanos[unitText];
    if (unit === undefined) throw new GoDurationError(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
    let v = BigInt(int);
    if (v > maxNanos) throw invalid();
    v *= unit;
    if (frac) v += fractionNanos(frac, unit);
    total += v;
    if (v > maxNanos || total > maxNanos) throw invalid();
  }
  if (negative) return -total;
  if (total > maxNanos - 1n) throw invalid();
  return total;
}

/**
 * The fraction's nanoseconds as Go computes them: its digits while they fit an int64 (later ones are dropped),
 * scaled in float64 and truncated, so that `1.1h` and the like come out to the same nanosecond as in Go.
 */
function fractionNanos(digits: string, unit: bigint): bigint {
  let f = 0n;
  let scale = 1;
  for (const d of digits) {
    const next = f * 10n + BigInt(d);
    if (f > (maxNanos - 1n) / 10n || next > maxNanos) break;
    f = next;
    scale *= 10;
  }
  return f === 0n ? 0n : BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
}

/** Go's time package quoting: `"` and `\` escaped, control and non-ASCII characters as `\x` and their UTF-8 bytes. */
function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else {
      out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
    }
  }
  return `${out}"`;
}
