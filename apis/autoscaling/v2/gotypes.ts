/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/autoscaling/v2 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'ContainerResourceMetricSource.name': 'v1.ResourceName',
  'ContainerResourceMetricStatus.name': 'v1.ResourceName',
  'HorizontalPodAutoscalerCondition.status': 'v1.ConditionStatus',
  'HorizontalPodAutoscalerCondition.type': 'v2.HorizontalPodAutoscalerConditionType',
  'HPAScalingPolicy.type': 'v2.HPAScalingPolicyType',
  'HPAScalingRules.selectPolicy': 'v2.ScalingPolicySelect',
  'MetricSpec.type': 'v2.MetricSourceType',
  'MetricStatus.type': 'v2.MetricSourceType',
  'MetricTarget.type': 'v2.MetricTargetType',
  'ResourceMetricSource.name': 'v1.ResourceName',
  'ResourceMetricStatus.name': 'v1.ResourceName',
};
