import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateName } from '../../../runtime/registry/objectmeta.ts';
import { validateTolerations } from '../../core/v1/podspec-validation.ts';
import { validateContainerResourceName, validateResourceQuantityValue } from '../../core/v1/validation-common.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { RuntimeClass } from './runtimeclass.ts';

/**
 * Upstream's ValidateRuntimeClass/Update. The handler must be a DNS label (checked here rather than with a schema
 * format, since upstream's OpenAPI gives the field no format); the overhead is checked as a container's limits, and
 * reported at overhead.limits as upstream does; the scheduling constraints as a pod's.
 */
export function validate_RuntimeClass(obj: RuntimeClass, _old?: RuntimeClass): FieldError[] {
  const errors = validateName(obj.handler ?? '', 'dns1123-label', 'handler');
  const podFixed = obj.overhead?.podFixed ?? {};
  for (const name of Object.keys(podFixed)) {
    const field = `overhead.limits[${name}]`;
    errors.push(...validateContainerResourceName(field, name), ...validateResourceQuantityValue(name, podFixed, field));
  }
  if (obj.scheduling) {
    errors.push(...validateLabels(obj.scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errors.push(...validateTolerations('scheduling.tolerations', obj.scheduling.tolerations));
  }
  return errors;
}
