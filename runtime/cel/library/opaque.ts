/**
 * Opaque CEL values of the Kubernetes libraries (Quantity, URL, the authorizer and its checks).
 *
 * @bufbuild/cel knows only its own value kinds, so these present themselves as maps (its brand) holding one hidden
 * entry: equality between two of them compares that entry, and field access finds nothing else.
 */
import type { CelValue } from '@bufbuild/cel';

const mapBrand = Symbol.for('@bufbuild/cel/map');
const identity = '@identity';

export abstract class OpaqueValue {
  readonly [mapBrand] = {};
  /** The CEL type name reported in errors (e.g. `kubernetes.Quantity`). */
  abstract readonly typeName: string;
  /** What equality compares; opaque values of the same type with the same identity are equal. */
  protected abstract identity(): CelValue;
  get size(): number {
    return 1;
  }
  get(key: unknown): CelValue | undefined {
    return key === identity ? this.identity() : this.field(key);
  }
  /** Named members reachable with `.` (the authorizer's `requestResource`). */
  protected field(_key: unknown): CelValue | undefined {
    return undefined;
  }
  has(key: unknown): boolean {
    return this.get(key) !== undefined;
  }
  forEach(cb: (v: CelValue, k: string, m: this) => void): void {
    cb(this.identity(), identity, this);
  }
  *entries(): IterableIterator<[string, CelValue]> {
    yield [identity, this.identity()];
  }
  *keys(): IterableIterator<string> {
    yield identity;
  }
  *values(): IterableIterator<CelValue> {
    yield this.identity();
  }
  [Symbol.iterator](): IterableIterator<[string, CelValue]> {
    return this.entries();
  }
  toString(): string {
    return String(this.identity());
  }
}

/** Treats an opaque value as the CelValue it stands in for. */
export function asCel(v: OpaqueValue): CelValue {
  return v as unknown as CelValue;
}
