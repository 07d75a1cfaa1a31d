/**
 * Validating and mutating webhook configurations, as upstream's registry/admissionregistration: the generated
 * defaults and generation tracking of the DefaultStrategy, and upstream's validation
 * (runtime/admission/webhook/config-validation.ts) as the word on every field it checks. The generated schema
 * also speaks of some of those fields (required ones, enums in declaration order); where both do, the client sees
 * upstream's error once, in upstream's order, not the schema's as well.
 */
import type { FieldError } from '../../../machinery/field-errors.ts';
import { validateMutatingWebhookConfiguration, validateValidatingWebhookConfiguration } from '../../../admission/webhook/config-validation.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** `all` without what it says about fields `upstream` speaks of, then `upstream`'s errors. */
function preferUpstream(all: FieldError[], upstream: FieldError[]): FieldError[] {
  const fields = new Set(upstream.map((e) => e.field));
  return [...all.filter((e) => !fields.has(e.field)), ...upstream];
}

abstract class WebhookConfigurationStrategy extends DefaultStrategy {
  protected abstract upstreamErrors(obj: StoredObject): FieldError[];

  override validate(obj: StoredObject): FieldError[] {
    return preferUpstream(super.validate(obj), this.upstreamErrors(obj));
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return preferUpstream(super.validateUpdate(obj, old), this.upstreamErrors(obj));
  }
}

class ValidatingWebhookConfigurationStrategy extends WebhookConfigurationStrategy {
  protected upstreamErrors(obj: StoredObject): FieldError[] {
    return validateValidatingWebhookConfiguration(obj);
  }
}

class MutatingWebhookConfigurationStrategy extends WebhookConfigurationStrategy {
  protected upstreamErrors(obj: StoredObject): FieldError[] {
    return validateMutatingWebhookConfiguration(obj);
  }
}

const group = 'admissionregistration.k8s.io';
registerStrategy(group, 'ValidatingWebhookConfiguration', (kind, schema, config) => new ValidatingWebhookConfigurationStrategy(kind, schema, config));
registerStrategy(group, 'MutatingWebhookConfiguration', (kind, schema, config) => new MutatingWebhookConfigurationStrategy(kind, schema, config));
