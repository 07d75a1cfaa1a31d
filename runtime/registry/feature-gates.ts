/**
 * The feature gates of kube-apiserver v1.32 that guard API fields and are off by default there (the v1.32 row of
 * each gate's versioned spec in pkg/features/kube_features.go). kube-ts runs with v1.32's defaults and has no
 * --feature-gates flag, so a gate here is simply off; the table names each one so that the drop rules that depend
 * on it say which gate they stand for.
 *
 * Gates near these that are ON in v1.32, so their fields are kept: SidecarContainers, RecursiveReadOnlyMounts,
 * PodLifecycleSleepAction, MatchLabelKeysInPodAffinity/TopologySpread, NodeInclusionPolicyInPodTopologySpread,
 * JobManagedBy, JobSuccessPolicy, JobBackoffLimitPerIndex, JobPodReplacementPolicy, ServiceTrafficDistribution,
 * RecoverVolumeExpansionFailure, SELinuxMountReadWriteOncePod, StatefulSetAutoDeletePVC, AnyVolumeDataSource.
 * PodLifecycleSleepActionAllowZero is off too, but guards a validation rule (a sleep of 0 seconds), not a field:
 * apis/core/v1/podspec-validation.ts applies it.
 */
export const defaultOffGates = {
  /** Pod spec.securityContext.hostUsers (beta, off). */
  UserNamespacesSupport: false,
  /** Containers' resizePolicy; container statuses' resources and status.resize (alpha). */
  InPlacePodVerticalScaling: false,
  /** Container statuses' allocatedResources (alpha). */
  InPlacePodVerticalScalingAllocatedStatus: false,
  /** Pod spec.securityContext.seLinuxChangePolicy (alpha). */
  SELinuxChangePolicy: false,
  /** Pod spec.securityContext.supplementalGroupsPolicy and container statuses' user (alpha). */
  SupplementalGroupsPolicy: false,
  /** Pod-level spec.resources (alpha). */
  PodLevelResources: false,
  /** Pod spec.resourceClaims, containers' resources.claims, status.resourceClaimStatuses (beta, off). */
  DynamicResourceAllocation: false,
  /** `image` volumes (alpha). */
  ImageVolume: false,
  /** Projected volumes' clusterTrustBundle sources (alpha). */
  ClusterTrustBundleProjection: false,
  /** Containers' securityContext.procMount other than Default (beta, off). */
  ProcMountType: false,
  /** Container statuses' allocatedResourcesStatus (alpha). */
  ResourceHealthStatus: false,
  /** A StatefulSet's spec.updateStrategy.rollingUpdate.maxUnavailable (alpha). */
  MaxUnavailableStatefulSet: false,
  /** volumeAttributesClassName of claims and volumes, a claim's status fields for it (beta, off). */
  VolumeAttributesClass: false,
  /** A claim's dataSourceRef into another namespace (alpha). */
  CrossNamespaceVolumeDataSource: false,
  /** A Lease's spec.strategy and spec.preferredHolder (apiserver gate, alpha). */
  CoordinatedLeaderElection: false,
} as const;

export type FeatureGate = keyof typeof defaultOffGates;

/** Whether `gate` is on: never, with v1.32's defaults; drop rules read it so that each names its gate. */
export function featureEnabled(gate: FeatureGate): boolean {
  return defaultOffGates[gate];
}
