import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateBindingSpec, validatePolicySpec } from '../../../runtime/admission/policy/api-validation.ts';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './policies.ts';

/** Every CEL expression of the policy must compile; the rules are in runtime/admission/policy/api-validation.ts. */
export function validate_ValidatingAdmissionPolicy(obj: ValidatingAdmissionPolicy, _old?: ValidatingAdmissionPolicy): FieldError[] {
  return validatePolicySpec(obj.spec as never, obj.metadata?.name ?? '');
}

export function validate_ValidatingAdmissionPolicyBinding(obj: ValidatingAdmissionPolicyBinding, _old?: ValidatingAdmissionPolicyBinding): FieldError[] {
  return validateBindingSpec(obj.spec as never);
}
