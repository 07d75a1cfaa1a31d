import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateBindingSpec, validatePolicySpec } from '../../../runtime/admission/policy/api-validation.ts';
import { validateConditions } from '../../meta/v1/validation-helpers.ts';
import { validateMutatingWebhookConfiguration, validateValidatingWebhookConfiguration } from '../../../runtime/admission/webhook/config-validation.ts';
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './policies.ts';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from './webhooks.ts';

/** Every CEL expression of the policy must compile; the rules are in runtime/admission/policy/api-validation.ts. */
export function validate_ValidatingAdmissionPolicy(obj: ValidatingAdmissionPolicy, _old?: ValidatingAdmissionPolicy): FieldError[] {
  // Status is the server's own on create and the old one on a spec update: this checks what a /status write sets.
  return [...validatePolicySpec(obj.spec as never, obj.metadata?.name ?? ''), ...validateConditions(obj.status?.conditions, 'status.conditions')];
}

export function validate_ValidatingAdmissionPolicyBinding(obj: ValidatingAdmissionPolicyBinding, _old?: ValidatingAdmissionPolicyBinding): FieldError[] {
  return validateBindingSpec(obj.spec as never);
}

/** Upstream's webhook rules (runtime/admission/webhook/config-validation.ts). */
export function validate_ValidatingWebhookConfiguration(obj: ValidatingWebhookConfiguration, old?: ValidatingWebhookConfiguration): FieldError[] {
  return validateValidatingWebhookConfiguration(obj, old);
}

export function validate_MutatingWebhookConfiguration(obj: MutatingWebhookConfiguration, old?: MutatingWebhookConfiguration): FieldError[] {
  return validateMutatingWebhookConfiguration(obj, old);
}
