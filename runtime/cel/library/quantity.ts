/**
 * The Kubernetes `quantity` library (upstream's library/quantity.go): `quantity('1.5Gi')`, `isQuantity(s)`, and on a
 * quantity `isInteger()`, `asInteger()`, `asApproximateFloat()`, `sign()`, `add()`, `sub()`, `compareTo()`,
 * `isLessThan()`, `isGreaterThan()`.
 *
 * A quantity is held exactly as a count of nano-units (bigint), which covers every suffix from `n` to `E`/`Ei`.
 */
import type { CelFunc } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';

const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

const binary: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const decimal: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const shape = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))((?:[KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

export const quantityRegexpMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export class Quantity extends OpaqueValue {
  readonly typeName = 'kubernetes.Quantity';
  constructor(
    readonly nanos: bigint,
    private readonly text?: string,
  ) {
    super();
  }
  protected identity(): bigint {
    return this.nanos;
  }
  compareTo(o: Quantity): number {
    return this.nanos < o.nanos ? -1 : this.nanos > o.nanos ? 1 : 0;
  }
  add(o: Quantity): Quantity {
    return new Quantity(this.nanos + o.nanos);
  }
  override toString(): string {
    if (this.text) return this.text;
    if (this.nanos % NANO === 0n) return String(this.nanos / NANO);
    if (this.nanos % 1_000_000n === 0n) return `${this.nanos / 1_000_000n}m`;
    if (this.nanos % 1000n === 0n) return `${this.nanos / 1000n}u`;
    return `${this.nanos}n`;
  }
}

/** Parses a quantity string; throws the upstream message for a malformed one. */
export function parseQuantity(s: string): Quantity {
  const m = shape.exec(s.trim() === s ? s : '');
  if (!m) throw new Error(quantityRegexpMessage);
  const [, num, suffix = ''] = m;
  const negative = num.startsWith('-');
  const digits = num.replace(/^[+-]/, '');
  const [whole, frac = ''] = digits.split('.');
  // value = int(whole frac) * 10^(-len(frac)) * multiplier, kept in nanos, rounded up as upstream does.
  let mantissa = BigInt((whole || '0') + frac);
  let exp10 = -frac.length + 9;
  let mul = 1n;
  if (suffix in binary) mul = binary[suffix];
  else if (suffix in decimal) exp10 += decimal[suffix];
  else exp10 += Number(suffix.slice(1));
  mantissa *= mul;
  let nanos: bigint;
  if (exp10 >= 0) {
    if (exp10 > 40) throw new Error('quantity too large');
    nanos = mantissa * 10n ** BigInt(exp10);
  } else if (-exp10 > mantissa.toString().length) {
    // Wholly below a nano-unit (`1e-2000000000`): one nano-unit, or none, without 10^2000000000.
    nanos = mantissa === 0n ? 0n : 1n;
  } else {
    const div = 10n ** BigInt(-exp10);
    nanos = mantissa / div + (mantissa % div === 0n ? 0n : 1n);
  }
  // ParseQuantity caps a binary amount past int64 at its maximum (maxAllowed), either sign.
  if (mul > 1n && nanos > INT64_MAX * NANO) nanos = INT64_MAX * NANO;
  return new Quantity(negative ? -nanos : nanos, s);
}

function isInteger(q: Quantity): boolean {
  if (q.nanos % NANO !== 0n) return false;
  const v = q.nanos / NANO;
  return v <= INT64_MAX && v >= INT64_MIN;
}

const Q = 'kubernetes.Quantity';

export const quantity: CelFunc[] = [
  global('quantity', ['string'], Q, (s: string) => parseQuantity(s)),
  global('isQuantity', ['string'], 'bool', (s: string) => {
    try {
      parseQuantity(s);
      return true;
    } catch {
      return false;
    }
  }),
  method('isInteger', Q, [], 'bool', (q: Quantity) => isInteger(q)),
  method('asInteger', Q, [], 'int', (q: Quantity) => {
    if (!isInteger(q)) throw new Error('cannot convert value to integer');
    return q.nanos / NANO;
  }),
  method('asApproximateFloat', Q, [], 'double', (q: Quantity) => Number(q.nanos) / 1e9),
  method('sign', Q, [], 'int', (q: Quantity) => (q.nanos > 0n ? 1n : q.nanos < 0n ? -1n : 0n)),
  method('add', Q, [Q], Q, (a: Quantity, b: Quantity) => new Quantity(a.nanos + b.nanos)),
  method('add', Q, ['int'], Q, (a: Quantity, b: bigint) => new Quantity(a.nanos + b * NANO)),
  method('sub', Q, [Q], Q, (a: Quantity, b: Quantity) => new Quantity(a.nanos - b.nanos)),
  method('sub', Q, ['int'], Q, (a: Quantity, b: bigint) => new Quantity(a.nanos - b * NANO)),
  method('compareTo', Q, [Q], 'int', (a: Quantity, b: Quantity) => BigInt(a.compareTo(b))),
  method('isLessThan', Q, [Q], 'bool', (a: Quantity, b: Quantity) => a.nanos < b.nanos),
  method('isGreaterThan', Q, [Q], 'bool', (a: Quantity, b: Quantity) => a.nanos > b.nanos),
];
