import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate } from '../../../runtime/machinery/field-errors.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { validateName } from '../../../runtime/registry/objectmeta.ts';
import { goToleration } from '../../core/v1/go-internal.ts';
import type { Toleration } from '../../core/v1/pod.ts';
import { validateResourceRequirements, validateTolerations } from '../../core/v1/podspec-validation.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { RuntimeClass } from './runtimeclass.ts';

/**
 * Upstream's ValidateRuntimeClass/Update. The handler must be a DNS label (checked here rather than with a schema
 * format, since upstream's OpenAPI gives the field no format); the overhead is checked as a container's limits, and
 * reported at overhead.limits as upstream does; the scheduling constraints as a pod's, and the tolerations, a map
 * list in the API, unique by their keys.
 */
export function validate_RuntimeClass(obj: RuntimeClass, _old?: RuntimeClass): FieldError[] {
  const errors = validateName(obj.handler ?? '', 'dns1123-label', 'handler');
  if (obj.overhead) errors.push(...validateResourceRequirements('overhead', { limits: obj.overhead.podFixed ?? {} }));
  if (obj.scheduling) {
    errors.push(...validateLabels(obj.scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errors.push(...validateTolerations('scheduling.tolerations', obj.scheduling.tolerations));
    errors.push(...duplicateTolerations('scheduling.tolerations', obj.scheduling.tolerations ?? []));
  }
  return errors;
}

/** Each toleration whose key, operator, value and effect an earlier one already has (the list's map keys). */
function duplicateTolerations(path: string, tolerations: Toleration[]): FieldError[] {
  const seen = new Set<string>();
  return tolerations.flatMap((t, i) => {
    const key = JSON.stringify([t.key ?? '', t.operator ?? '', t.value ?? '', t.effect ?? '']);
    if (seen.has(key)) return [duplicate(`${path}[${i}]`, goValue(goToleration, t))];
    seen.add(key);
    return [];
  });
}
