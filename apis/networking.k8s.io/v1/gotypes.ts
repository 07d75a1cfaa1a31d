/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/networking/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'HTTPIngressPath.pathType': 'v1.PathType',
  'IngressPortStatus.protocol': 'v1.Protocol',
  'NetworkPolicyPort.protocol': 'v1.Protocol',
  'NetworkPolicySpec.policyTypes': '[]v1.PolicyType',
  'NetworkPolicySpec.policyTypes.elem': 'v1.PolicyType',
};
