import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, required } from '../../../runtime/machinery/field-errors.ts';
import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';

export function validate_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler, _old?: HorizontalPodAutoscaler): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? ({} as NonNullable<HorizontalPodAutoscaler['spec']>);
  const ref = spec.scaleTargetRef ?? ({} as NonNullable<typeof spec.scaleTargetRef>);
  if (!ref.kind) errors.push(required('spec.scaleTargetRef.kind', ''));
  if (!ref.name) errors.push(required('spec.scaleTargetRef.name', ''));
  if (spec.minReplicas != null && spec.minReplicas < 1) errors.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errors.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas) errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  if (spec.targetCPUUtilizationPercentage != null && spec.targetCPUUtilizationPercentage < 1) {
    errors.push(invalid('spec.targetCPUUtilizationPercentage', spec.targetCPUUtilizationPercentage, 'must be greater than 0'));
  }
  return errors;
}
