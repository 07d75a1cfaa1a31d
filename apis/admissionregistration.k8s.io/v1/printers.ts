/** Computed `kubectl get` columns of admissionregistration.k8s.io/v1 kinds, as upstream's printers show them. */
import type { LabelSelector } from '../../meta/v1/types.ts';
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

/**
 * `<namespace>/<name>` (the namespace shown as `*` when unset: it may be cluster-scoped), the selector as its
 * generated protobuf String() prints it, or `<unset>`.
 */
export function print_ValidatingAdmissionPolicyBinding_paramRef(obj: ValidatingAdmissionPolicyBinding): string {
  const p = obj.spec?.paramRef;
  if (p?.name) return `${p.namespace || '*'}/${p.name}`;
  if (p?.selector) return protoLabelSelectorString(p.selector);
  return '<unset>';
}

/** gogo-protobuf's String() of a metav1.LabelSelector: `&LabelSelector{MatchLabels:map[string]string{k: v,},...}`. */
function protoLabelSelectorString(sel: LabelSelector): string {
  const labels = Object.keys(sel.matchLabels ?? {}).sort().map((k) => `${k}: ${sel.matchLabels![k]},`).join('');
  const exprs = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labels}},MatchExpressions:[]LabelSelectorRequirement{${exprs}},}`;
}
