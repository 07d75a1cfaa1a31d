/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/batch/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'CronJobSpec.concurrencyPolicy': 'v1.ConcurrencyPolicy',
  'JobCondition.status': 'v1.ConditionStatus',
  'JobCondition.type': 'v1.JobConditionType',
  'JobSpec.completionMode': 'v1.CompletionMode',
  'JobSpec.podReplacementPolicy': 'v1.PodReplacementPolicy',
  'PodFailurePolicyOnExitCodesRequirement.operator': 'v1.PodFailurePolicyOnExitCodesOperator',
  'PodFailurePolicyOnPodConditionsPattern.status': 'v1.ConditionStatus',
  'PodFailurePolicyOnPodConditionsPattern.type': 'v1.PodConditionType',
  'PodFailurePolicyRule.action': 'v1.PodFailurePolicyAction',
  'UncountedTerminatedPods.failed': '[]types.UID',
  'UncountedTerminatedPods.failed.elem': 'types.UID',
  'UncountedTerminatedPods.succeeded': '[]types.UID',
  'UncountedTerminatedPods.succeeded.elem': 'types.UID',
};
