/** Computed `kubectl get` columns of admissionregistration.k8s.io/v1 kinds, as upstream's printers show them. */
import type { ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from './policies.ts';
import type { MutatingWebhookConfiguration, ValidatingWebhookConfiguration } from './webhooks.ts';

export function print_MutatingWebhookConfiguration_webhooks(obj: MutatingWebhookConfiguration): number {
  return obj.webhooks?.length ?? 0;
}

export function print_ValidatingWebhookConfiguration_webhooks(obj: ValidatingWebhookConfiguration): number {
  return obj.webhooks?.length ?? 0;
}

export function print_ValidatingAdmissionPolicy_validations(obj: ValidatingAdmissionPolicy): number {
  return obj.spec?.validations?.length ?? 0;
}

/** `<apiVersion>/<kind>`, or `<unset>` for a policy without parameters. */
export function print_ValidatingAdmissionPolicy_paramKind(obj: ValidatingAdmissionPolicy): string {
  const p = obj.spec?.paramKind;
  return p ? `${p.apiVersion}/${p.kind}` : '<unset>';
}

/** `<namespace>/<name>`, `*` for a selector, or `<unset>`. */
export function print_ValidatingAdmissionPolicyBinding_paramRef(obj: ValidatingAdmissionPolicyBinding): string {
  const p = obj.spec?.paramRef;
  if (!p) return '<unset>';
  const name = p.name ?? (p.selector ? '*' : '');
  return p.namespace ? `${p.namespace}/${name}` : name;
}
