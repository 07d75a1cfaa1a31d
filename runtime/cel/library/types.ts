/** `type(x)` for the Kubernetes libraries' opaque values. */
import { celEnv, objectType, type CelValue } from '@bufbuild/cel';
import { global } from './func.ts';
import { OpaqueValue } from './opaque.ts';

const standardType = celEnv({}).funcs.find('type');

/**
 * CEL's `type(x)` knowing the opaque values: `type(optional.of(1))` is `optional_type` and `type(quantity('1'))` is
 * `kubernetes.Quantity`, as cel-go reports them, not the map they present themselves as. It takes the place of the
 * standard overload (same signature); other values get the standard answer.
 */
export const typeOfOpaque = global('type', ['dyn'], 'type', (v: unknown) =>
  v instanceof OpaqueValue ? objectType(v.typeName) : standardType?.call(0, undefined, [v as CelValue]),
);
