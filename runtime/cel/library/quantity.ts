/**
 * The Kubernetes `quantity` library (upstream's library/quantity.go): `quantity('1.5Gi')`, `isQuantity(s)`,
 * `sign(q)`, and on a quantity `isInteger()`, `asInteger()`, `asApproximateFloat()`, `add()`, `sub()`,
 * `compareTo()`, `isLessThan()`, `isGreaterThan()`.
 *
 * Parsing and arithmetic are the API's own (machinery/quantity-value.ts), so a quantity means the same in a rule as
 * in a stored object, down to Go's quirks: `quantity('1000m').isInteger()` is false, as Go holds it in thousandths.
 */
import type { CelFunc } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';
import { canonicalQuantity } from '../../machinery/quantity.ts';
import {
  addQuantityValues,
  compareQuantityValues,
  integerQuantity,
  parseQuantityValue,
  quantityAsApproximateFloat,
  quantityAsInt64,
  quantityValueKey,
  quantityValueSign,
  subtractQuantityValues,
  type QuantityValue,
} from '../../machinery/quantity-value.ts';

export class Quantity extends OpaqueValue {
  readonly typeName = 'kubernetes.Quantity';
  constructor(
    readonly value: QuantityValue,
    private readonly text?: string,
  ) {
    super();
  }
  /** Equal amounts are equal quantities whatever their notation (Go's Quantity.Equal compares with Cmp). */
  protected identity(): string {
    return quantityValueKey(this.value);
  }
  compareTo(o: Quantity): number {
    return compareQuantityValues(this.value, o.value);
  }
  add(o: Quantity): Quantity {
    return new Quantity(addQuantityValues(this.value, o.value));
  }
  override toString(): string {
    return this.text ?? canonicalQuantity(`${this.value.amount.mantissa}e${this.value.amount.exponent}`);
  }
}

/** Parses a quantity string as ParseQuantity does; throws its message for a malformed one. */
export function parseQuantity(s: string): Quantity {
  return new Quantity(parseQuantityValue(s), s);
}

const Q = 'kubernetes.Quantity';

export const quantity: CelFunc[] = [
  global('quantity', ['string'], Q, (s: string) => parseQuantity(s)),
  global('isQuantity', ['string'], 'bool', (s: string) => {
    try {
      parseQuantityValue(s);
      return true;
    } catch {
      return false;
    }
  }),
  // Upstream declares sign as a global function only: `sign(q)`, not `q.sign()`.
  global('sign', [Q], 'int', (q: Quantity) => BigInt(quantityValueSign(q.value))),
  method('isInteger', Q, [], 'bool', (q: Quantity) => quantityAsInt64(q.value) !== undefined),
  method('asInteger', Q, [], 'int', (q: Quantity) => {
    const v = quantityAsInt64(q.value);
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  }),
  method('asApproximateFloat', Q, [], 'double', (q: Quantity) => quantityAsApproximateFloat(q.value)),
  method('add', Q, [Q], Q, (a: Quantity, b: Quantity) => a.add(b)),
  method('add', Q, ['int'], Q, (a: Quantity, b: bigint) => new Quantity(addQuantityValues(a.value, integerQuantity(b)))),
  method('sub', Q, [Q], Q, (a: Quantity, b: Quantity) => new Quantity(subtractQuantityValues(a.value, b.value))),
  method('sub', Q, ['int'], Q, (a: Quantity, b: bigint) => new Quantity(subtractQuantityValues(a.value, integerQuantity(b)))),
  method('compareTo', Q, [Q], 'int', (a: Quantity, b: Quantity) => BigInt(a.compareTo(b))),
  method('isLessThan', Q, [Q], 'bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0),
  method('isGreaterThan', Q, [Q], 'bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0),
];
