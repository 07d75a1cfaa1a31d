/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/apps/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'DaemonSetCondition.status': 'v1.ConditionStatus',
  'DaemonSetCondition.type': 'v1.DaemonSetConditionType',
  'DaemonSetUpdateStrategy.type': 'v1.DaemonSetUpdateStrategyType',
  'DeploymentCondition.status': 'v1.ConditionStatus',
  'DeploymentCondition.type': 'v1.DeploymentConditionType',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'ReplicaSetCondition.status': 'v1.ConditionStatus',
  'ReplicaSetCondition.type': 'v1.ReplicaSetConditionType',
  'StatefulSetCondition.status': 'v1.ConditionStatus',
  'StatefulSetCondition.type': 'v1.StatefulSetConditionType',
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted': 'v1.PersistentVolumeClaimRetentionPolicyType',
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled': 'v1.PersistentVolumeClaimRetentionPolicyType',
  'StatefulSetSpec.podManagementPolicy': 'v1.PodManagementPolicyType',
  'StatefulSetUpdateStrategy.type': 'v1.StatefulSetUpdateStrategyType',
};
