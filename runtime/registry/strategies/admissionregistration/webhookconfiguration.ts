/**
 * Validating and mutating webhook configurations, as upstream's registry/admissionregistration: the generated
 * defaults and generation tracking of the DefaultStrategy, and upstream's validation
 * (runtime/admission/webhook/config-validation.ts) as the word on every field it checks.
 */
import type { FieldError } from '../../../machinery/field-errors.ts';
import { validateMutatingWebhookConfiguration, validateValidatingWebhookConfiguration } from '../../../admission/webhook/config-validation.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { registerStrategy } from '../../strategy.ts';
import { UpstreamValidatedStrategy } from '../upstream-validated.ts';

class ValidatingWebhookConfigurationStrategy extends UpstreamValidatedStrategy {
  /** Upstream compares the webhooks with reflect.DeepEqual. */
  protected override generationEquality = 'reflect' as const;

  protected upstreamErrors(obj: StoredObject, old?: StoredObject): FieldError[] {
    return validateValidatingWebhookConfiguration(obj, old);
  }
}

class MutatingWebhookConfigurationStrategy extends UpstreamValidatedStrategy {
  /** Upstream compares the webhooks with reflect.DeepEqual. */
  protected override generationEquality = 'reflect' as const;

  protected upstreamErrors(obj: StoredObject, old?: StoredObject): FieldError[] {
    return validateMutatingWebhookConfiguration(obj, old);
  }
}

const group = 'admissionregistration.k8s.io';
registerStrategy(group, 'ValidatingWebhookConfiguration', (kind, schema, config) => new ValidatingWebhookConfigurationStrategy(kind, schema, config));
registerStrategy(group, 'MutatingWebhookConfiguration', (kind, schema, config) => new MutatingWebhookConfigurationStrategy(kind, schema, config));
