/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/certificates/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'CertificateSigningRequestCondition.status': 'v1.ConditionStatus',
  'CertificateSigningRequestCondition.type': 'v1.RequestConditionType',
  'CertificateSigningRequestSpec.extra': 'map[string]v1.ExtraValue',
  'CertificateSigningRequestSpec.extra.elem': 'v1.ExtraValue',
  'CertificateSigningRequestSpec.usages': '[]v1.KeyUsage',
  'CertificateSigningRequestSpec.usages.elem': 'v1.KeyUsage',
};
