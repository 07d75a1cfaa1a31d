import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid } from '../../../runtime/machinery/field-errors.ts';
import type { Lease } from './lease.ts';

export function validate_Lease(obj: Lease, _old?: Lease): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? {};
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) {
    errors.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions != null && spec.leaseTransitions < 0) {
    errors.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  if (spec.preferredHolder && !spec.strategy) {
    errors.push(forbidden('spec.preferredHolder', 'may only be specified if `strategy` is defined'));
  }
  return errors;
}
