/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/apimachinery/pkg/apis/meta/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'Condition.status': 'v1.ConditionStatus',
  'DeleteOptions.propagationPolicy': 'v1.DeletionPropagation',
  'FieldSelectorRequirement.operator': 'v1.FieldSelectorOperator',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'ManagedFieldsEntry.operation': 'v1.ManagedFieldsOperationType',
  'ObjectMeta.uid': 'types.UID',
  'OwnerReference.uid': 'types.UID',
  'Preconditions.uid': 'types.UID',
  'Status.reason': 'v1.StatusReason',
  'StatusCause.reason': 'v1.CauseType',
  'StatusDetails.uid': 'types.UID',
};
