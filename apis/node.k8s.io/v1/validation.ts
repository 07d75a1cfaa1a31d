import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateName } from '../../../runtime/registry/objectmeta.ts';
import type { RuntimeClass } from './runtimeclass.ts';

/**
 * The handler must be a DNS label. Checked here rather than with a schema format, since upstream's OpenAPI gives
 * the field no format.
 */
export function validate_RuntimeClass(obj: RuntimeClass, _old?: RuntimeClass): FieldError[] {
  return validateName(obj.handler ?? '', 'dns1123-label', 'handler');
}
