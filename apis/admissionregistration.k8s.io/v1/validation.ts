import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateMutatingWebhookConfiguration, validateValidatingWebhookConfiguration } from '../../../runtime/admission/webhook/config-validation.ts';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from './webhooks.ts';

/** Upstream's webhook rules (runtime/admission/webhook/config-validation.ts). */
export function validate_ValidatingWebhookConfiguration(obj: ValidatingWebhookConfiguration, old?: ValidatingWebhookConfiguration): FieldError[] {
  return validateValidatingWebhookConfiguration(obj, old);
}

export function validate_MutatingWebhookConfiguration(obj: MutatingWebhookConfiguration, old?: MutatingWebhookConfiguration): FieldError[] {
  return validateMutatingWebhookConfiguration(obj, old);
}
