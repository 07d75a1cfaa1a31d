/**
 * A quantity as a value to compute with, the way Go's resource.Quantity holds one after ParseQuantity: either a
 * small amount (an int64 times a power of ten, `int64Amount`) or an arbitrary-precision decimal (`inf.Dec`). The two
 * are equal in value but not in behaviour: only the small form converts to an integer (`1000m`, held as 1000 x 10^-3,
 * does not; `1.5Gi`, held as a decimal, does not either), and the approximate float is computed from the held digits.
 * CEL's quantity library is built on this, so its answers agree with the API's parser (./quantity.ts).
 *
 *   const q = parseQuantityValue('50k');      // { amount: 50e3, decimal: false }
 *   quantityAsInt64(addQuantityValues(q, integerQuantity(20n)));   // 50020n
 */
import { compareAmounts, decimalSIExponents, binarySIPowers, goExponent, quantityParseError, type Amount } from './quantity.ts';

export interface QuantityValue {
  /** The exact amount. */
  readonly amount: Amount;
  /**
   * Present when Go holds the amount as an inf.Dec: the power of ten its digits are scaled by (its negated Scale), which
   * the approximate float is computed from. Absent for the small form, whose amount is held as written.
   */
  readonly decimalExponent?: number;
}

const maxInt64 = (1n << 63n) - 1n;
const minInt64 = -(1n << 63n);
const fitsInt64 = (v: bigint) => v >= minInt64 && v <= maxInt64;
/** Digits the small form may hold: maxInt64Factors (an int64 has 18 whole decimal digits). */
const maxInt64Factors = 18;
/** Sums whose operands lie further apart than this many powers of ten would need numbers no one can afford. */
const maxAlignment = 100_000;

/**
 * ParseQuantity: the value of `text`, or a thrown Error with its message (`quantities must match the regular
 * expression ...`, `unable to parse quantity's suffix`).
 */
export function parseQuantityValue(text: string): QuantityValue {
  const error = quantityParseError(text);
  if (error !== undefined) throw new Error(error);
  // The scanner has accepted it: an optional sign, digits with an optional fraction (either may be empty, even both:
  // a lone sign is zero), then the suffix.
  const [, sign, whole, fraction = '', suffix] = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text)!;
  const num = whole.replace(/^0+/, '') || '0';
  let base: 2 | 10 = 10;
  let exponent: number;
  if (suffix in binarySIPowers) {
    base = 2;
    exponent = 10 * binarySIPowers[suffix];
  } else if (suffix in decimalSIExponents) exponent = decimalSIExponents[suffix];
  else exponent = goExponent(suffix.slice(1))!;
  const negative = sign === '-';
  const digits = BigInt(num + fraction);

  // The small form, when the digits are few enough and the amount no finer than a nano-unit.
  const precision =
    base === 10 ? maxInt64Factors - (num.length + fraction.length) : fraction.length === 0 ? 15 - num.length - Math.trunc(Math.fround(exponent * 3) / 10) - 1 : -1;
  if (precision >= 0) {
    const scale = (base === 10 ? exponent : 0) - fraction.length;
    const value = base === 2 ? digits << BigInt(exponent) : digits;
    if (scale >= -9 && fitsInt64(value)) return { amount: { mantissa: negative ? -value : value, exponent: scale } };
  }

  // The decimal form: rounded away from zero to whole nano-units (a non-zero amount is held in nano-units), binary
  // amounts capped at the largest int64.
  let amount: Amount = base === 2 ? { mantissa: digits << BigInt(exponent), exponent: -fraction.length } : { mantissa: digits, exponent: exponent - fraction.length };
  let decimalExponent = amount.exponent;
  if (digits !== 0n) {
    amount = roundUpToNano(amount);
    decimalExponent = -9;
  }
  if (base === 2 && compareAmounts(amount, { mantissa: maxInt64, exponent: 0 }) > 0) {
    amount = { mantissa: maxInt64, exponent: 0 };
    decimalExponent = 0;
  }
  return { amount: negative ? { mantissa: -amount.mantissa, exponent: amount.exponent } : amount, decimalExponent };
}

/** A non-negative amount finer than a nano-unit, rounded up to whole nano-units. */
function roundUpToNano(a: Amount): Amount {
  if (a.exponent >= -9) return a;
  const places = -9 - a.exponent;
  if (a.mantissa.toString().length <= places) return { mantissa: 1n, exponent: -9 };
  const scale = 10n ** BigInt(places);
  return { mantissa: a.mantissa / scale + (a.mantissa % scale === 0n ? 0n : 1n), exponent: -9 };
}

/** NewQuantity(n, DecimalExponent): an integer as a quantity. */
export function integerQuantity(n: bigint): QuantityValue {
  return { amount: { mantissa: n, exponent: 0 } };
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantityValues(a: QuantityValue, b: QuantityValue): number {
  return compareAmounts(a.amount, b.amount);
}

/** Quantity.Sign: -1, 0 or 1. */
export function quantityValueSign(q: QuantityValue): number {
  return q.amount.mantissa > 0n ? 1 : q.amount.mantissa < 0n ? -1 : 0;
}

/**
 * Quantity.Add: exact. Two small amounts stay small while the sum, at the finer of their scales, fits an int64;
 * otherwise the sum is a decimal, at the finer of the operands' scales.
 */
export function addQuantityValues(a: QuantityValue, b: QuantityValue): QuantityValue {
  const x = a.amount;
  const y = b.amount;
  if (a.decimalExponent === undefined && b.decimalExponent === undefined) {
    if (y.mantissa === 0n) return a;
    if (x.mantissa === 0n) return b;
    const exponent = Math.min(x.exponent, y.exponent);
    if (Math.max(x.exponent, y.exponent) - exponent <= maxInt64Factors) {
      const xs = x.mantissa * 10n ** BigInt(x.exponent - exponent);
      const ys = y.mantissa * 10n ** BigInt(y.exponent - exponent);
      if (fitsInt64(xs) && fitsInt64(ys) && fitsInt64(xs + ys)) return { amount: { mantissa: xs + ys, exponent } };
    }
  }
  const exponent = Math.min(x.exponent, y.exponent);
  if (Math.max(x.exponent, y.exponent) - exponent > maxAlignment) throw new Error('quantity too large: the operands are too far apart in size to add exactly');
  const mantissa = x.mantissa * 10n ** BigInt(x.exponent - exponent) + y.mantissa * 10n ** BigInt(y.exponent - exponent);
  return { amount: { mantissa, exponent }, decimalExponent: Math.min(a.decimalExponent ?? x.exponent, b.decimalExponent ?? y.exponent) };
}

/** Quantity.Sub: the sum with the negated operand. */
export function subtractQuantityValues(a: QuantityValue, b: QuantityValue): QuantityValue {
  return addQuantityValues(a, { ...b, amount: { mantissa: -b.amount.mantissa, exponent: b.amount.exponent } });
}

/**
 * Quantity.AsInt64: the amount as an int64 when Go's small form holds it at a scale of zero or above and it fits;
 * undefined otherwise (a decimal, a fraction of a unit, or an amount held in thousandths such as `1000m`).
 */
export function quantityAsInt64(q: QuantityValue): bigint | undefined {
  if (q.decimalExponent !== undefined) return undefined;
  const { mantissa, exponent } = q.amount;
  if (exponent < 0) return undefined;
  if (mantissa === 0n) return 0n;
  if (exponent > maxInt64Factors) return undefined;
  const v = mantissa * 10n ** BigInt(exponent);
  return fitsInt64(v) ? v : undefined;
}

/** Quantity.AsApproximateFloat64: the held digits as a float times 10 to the held exponent (±Inf when too large). */
export function quantityAsApproximateFloat(q: QuantityValue): number {
  const { mantissa, exponent } = q.amount;
  const held = q.decimalExponent ?? exponent;
  // The digits Go holds: the amount's, scaled to the held exponent (beyond a float's range they are ±Inf anyway).
  const base = exponent - held > 400 ? (mantissa === 0n ? 0 : mantissa > 0n ? Infinity : -Infinity) : Number(mantissa * 10n ** BigInt(exponent - held));
  return held === 0 ? base : base * goPow10(held);
}

/**
 * Go's math.Pow10: 10^n as the product (or quotient) of two exact table entries, so it matches Go's float bit for
 * bit; 0 below 10^-323 and +Inf above 10^308.
 */
function goPow10(n: number): number {
  if (n >= 0 && n <= 308) return Number(`1e${32 * Math.floor(n / 32)}`) * Number(`1e${n % 32}`);
  if (n < 0 && n >= -323) return Number(`1e-${32 * Math.floor(-n / 32)}`) / Number(`1e${-n % 32}`);
  return n > 0 ? Infinity : 0;
}

/** A key equal for equal amounts whatever their notation or form (`1` and `1000m`). */
export function quantityValueKey(q: QuantityValue): string {
  let { mantissa, exponent } = q.amount;
  if (mantissa === 0n) return '0';
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return `${mantissa}e${exponent}`;
}
