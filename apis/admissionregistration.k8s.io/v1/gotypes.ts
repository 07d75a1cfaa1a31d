/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/admissionregistration/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'MatchResources.matchPolicy': 'v1.MatchPolicyType',
  'MutatingWebhook.failurePolicy': 'v1.FailurePolicyType',
  'MutatingWebhook.matchPolicy': 'v1.MatchPolicyType',
  'MutatingWebhook.reinvocationPolicy': 'v1.ReinvocationPolicyType',
  'MutatingWebhook.sideEffects': 'v1.SideEffectClass',
  'ParamRef.parameterNotFoundAction': 'v1.ParameterNotFoundActionType',
  'Rule.scope': 'v1.ScopeType',
  'RuleWithOperations.operations': '[]v1.OperationType',
  'RuleWithOperations.operations.elem': 'v1.OperationType',
  'ValidatingAdmissionPolicyBindingSpec.validationActions': '[]v1.ValidationAction',
  'ValidatingAdmissionPolicyBindingSpec.validationActions.elem': 'v1.ValidationAction',
  'ValidatingAdmissionPolicySpec.failurePolicy': 'v1.FailurePolicyType',
  'ValidatingWebhook.failurePolicy': 'v1.FailurePolicyType',
  'ValidatingWebhook.matchPolicy': 'v1.MatchPolicyType',
  'ValidatingWebhook.sideEffects': 'v1.SideEffectClass',
  'Validation.reason': 'v1.StatusReason',
};
