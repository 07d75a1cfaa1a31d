/**
 * The part of cel-go's optional types that CRD transition rules with `optionalOldSelf: true` use: `oldSelf` is
 * `optional.of(old)` or `optional.none()`, read with `hasValue()`, `value()`, `orValue(x)` and `or(opt)`.
 * (The `.?field` syntax is not parsed by @bufbuild/cel.)
 */
import type { CelValue } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';

const O = 'optional_type';

export class Optional extends OpaqueValue {
  readonly typeName = O;
  constructor(
    readonly present: boolean,
    readonly value?: CelValue,
  ) {
    super();
  }
  protected identity(): CelValue {
    return this.present ? (this.value as CelValue) : 'optional.none()';
  }
}

export const none = new Optional(false);

export function optionalOf(v: CelValue): Optional {
  return new Optional(true, v);
}

export const optional = [
  global('optional.of', ['dyn'], O, (v: CelValue) => optionalOf(v)),
  global('optional.none', [], O, () => none),
  global('optional.ofNonZeroValue', ['dyn'], O, (v: CelValue) => (v === '' || v === 0n || v === 0 || v === false || v === null ? none : optionalOf(v))),
  method('hasValue', O, [], 'bool', (o: Optional) => o.present),
  method('value', O, [], 'dyn', (o: Optional) => {
    if (!o.present) throw new Error('optional.none() dereference');
    return o.value;
  }),
  method('orValue', O, ['dyn'], 'dyn', (o: Optional, d: CelValue) => (o.present ? o.value : d)),
  method('or', O, [O], O, (a: Optional, b: Optional) => (a.present ? a : b)),
];
