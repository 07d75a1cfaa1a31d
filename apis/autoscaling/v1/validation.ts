import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateHorizontalPodAutoscalerSpec } from '../v2/spec-validation.ts';
import { hubSpecOf } from './annotations.ts';
import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';

/**
 * Upstream validates the internal (autoscaling/v2-shaped) object a v1 HPA converts to: its errors name v2 paths (the
 * CPU target is spec.metrics[n].resource.target.averageUtilization), and the annotations' metrics are checked too.
 */
export function validate_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  return validateHorizontalPodAutoscalerSpec(hubSpecOf(obj), old && hubSpecOf(old));
}
