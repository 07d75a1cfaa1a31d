/**
 * ValidatingAdmissionPolicy and its binding, as upstream's registry/admissionregistration: the generated defaults,
 * status reset on create and generation tracking of the DefaultStrategy, and upstream's validation
 * (runtime/admission/policy/api-validation.ts) as the word on every field it checks, in its order.
 */
import { validateBindingSpec, validatePolicySpec, validatePolicyStatus } from '../../../admission/policy/api-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { registerStrategy } from '../../strategy.ts';
import { UpstreamValidatedStrategy } from '../upstream-validated.ts';

class ValidatingAdmissionPolicyStrategy extends UpstreamValidatedStrategy {
  protected upstreamErrors(obj: StoredObject, old?: StoredObject): FieldError[] {
    // The status is the server's own on create and the stored one on a spec update: only /status writes check it.
    return validatePolicySpec(obj.spec, obj.metadata?.name ?? '', old?.spec);
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.objectMetaUpdate(), ...validatePolicyStatus(obj.status)];
  }
}

class ValidatingAdmissionPolicyBindingStrategy extends UpstreamValidatedStrategy {
  protected upstreamErrors(obj: StoredObject): FieldError[] {
    return validateBindingSpec(obj.spec);
  }

  // Upstream reports spec.matchResources under `spec.matchResouces`; the schema's errors there are the same ones.
  protected override upstreamPath(field: string): string {
    return field.replace(/^spec\.matchResources(?=[.[]|$)/, 'spec.matchResouces');
  }
}

const group = 'admissionregistration.k8s.io';
registerStrategy(group, 'ValidatingAdmissionPolicy', (kind, schema, config) => new ValidatingAdmissionPolicyStrategy(kind, schema, config));
registerStrategy(group, 'ValidatingAdmissionPolicyBinding', (kind, schema, config) => new ValidatingAdmissionPolicyBindingStrategy(kind, schema, config));
