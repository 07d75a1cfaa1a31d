/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/flowcontrol/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'FlowDistinguisherMethod.type': 'v1.FlowDistinguisherMethodType',
  'FlowSchemaCondition.status': 'v1.ConditionStatus',
  'FlowSchemaCondition.type': 'v1.FlowSchemaConditionType',
  'LimitResponse.type': 'v1.LimitResponseType',
  'PriorityLevelConfigurationCondition.status': 'v1.ConditionStatus',
  'PriorityLevelConfigurationCondition.type': 'v1.PriorityLevelConfigurationConditionType',
  'PriorityLevelConfigurationSpec.type': 'v1.PriorityLevelEnablement',
  'Subject.kind': 'v1.SubjectKind',
};
