import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';
import { validateHorizontalPodAutoscalerSpec } from './spec-validation.ts';

export function validate_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler, old?: HorizontalPodAutoscaler): FieldError[] {
  return validateHorizontalPodAutoscalerSpec(obj.spec ?? ({} as NonNullable<HorizontalPodAutoscaler['spec']>), old?.spec);
}
