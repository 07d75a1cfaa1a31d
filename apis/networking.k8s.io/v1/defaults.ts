import type { IngressClass } from './ingress.ts';
import type { NetworkPolicy, NetworkPolicyPort } from './networkpolicy.ts';

/** Only a port that names no protocol gets TCP: an empty one is kept, for validation to refuse as upstream does. */
export function setDefaults_NetworkPolicyPort(obj: NetworkPolicyPort): void {
  if (obj.protocol == null) obj.protocol = 'TCP';
}

export function setDefaults_NetworkPolicy(obj: NetworkPolicy): void {
  // Upstream's spec and podSelector are plain structs, so they are always present on output.
  const spec = (obj.spec ??= { podSelector: {} });
  spec.podSelector ??= {};
  if (!spec.policyTypes?.length) {
    spec.policyTypes = ['Ingress'];
    if (spec.egress?.length) spec.policyTypes.push('Egress');
  }
}

export function setDefaults_IngressClass(obj: IngressClass): void {
  const params = obj.spec?.parameters;
  if (params && params.scope == null) params.scope = 'Cluster';
}
