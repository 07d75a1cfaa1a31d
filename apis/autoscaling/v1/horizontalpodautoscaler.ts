import type { int32, int64, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * HorizontalPodAutoscaler scales a workload (through its scale subresource) between a minimum and a maximum
 * number of replicas to keep average CPU utilisation near a target. autoscaling/v2 supports more metrics.
 * @resource horizontalpodautoscalers
 * @metadataOnUpdate update
 * @shortNames hpa
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Reference string reference() The workload the autoscaler scales, as Kind/name.
 * @printColumn Targets string targets() Each metric's current value against its target.
 * @printColumn MinPods string minPods() The fewest replicas the autoscaler may scale down to.
 * @printColumn MaxPods string maxPods() The most replicas the autoscaler may scale up to.
 * @printColumn Replicas string replicas() The replica count the autoscaler last observed.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface HorizontalPodAutoscaler {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Target, bounds and goal of the autoscaler.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: HorizontalPodAutoscalerSpec;
  /**
   * What the autoscaler last observed and did.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: HorizontalPodAutoscalerStatus;
}

/** Target, bounds and goal of an autoscaler. */
export interface HorizontalPodAutoscalerSpec {
  /**
   * The workload to scale; it must have a scale subresource.
   * @protobuf 1
   * @alwaysWritten
   */
  scaleTargetRef: CrossVersionObjectReference;
  /**
   * Fewest replicas to scale down to. Defaults to 1.
   * @protobuf 2
   * @pointer
   */
  minReplicas?: int32;
  /**
   * Most replicas to scale up to; at least minReplicas.
   * @protobuf 3
   * @alwaysWritten
   */
  maxReplicas: int32;
  /**
   * Target average CPU utilisation of the pods, as a percentage of their requested CPU. Absent means the
   * default policy (80%).
   * @protobuf 4
   * @pointer
   */
  targetCPUUtilizationPercentage?: int32;
}

/**
 * Points at an object by kind and name, in the same namespace.
 * @structType atomic
 */
export interface CrossVersionObjectReference {
  /**
   * Kind of the referent, e.g. Deployment.
   * @protobuf 1
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the referent.
   * @protobuf 2
   * @alwaysWritten
   */
  name: string;
  /**
   * API version of the referent, e.g. apps/v1.
   * @protobuf 3
   */
  apiVersion?: string;
}

/** What an autoscaler last observed and did. */
export interface HorizontalPodAutoscalerStatus {
  /**
   * The generation the autoscaler last acted on.
   * @protobuf 1
   * @pointer
   */
  observedGeneration?: int64;
  /**
   * When the replica count was last changed.
   * @protobuf 2
   */
  lastScaleTime?: Time;
  /**
   * Replicas the target currently has.
   * @protobuf 3
   * @alwaysWritten
   */
  currentReplicas: int32;
  /**
   * Replicas the autoscaler last asked for.
   * @protobuf 4
   * @alwaysWritten
   */
  desiredReplicas: int32;
  /**
   * Current average CPU utilisation of the pods, as a percentage of their requested CPU.
   * @protobuf 5
   * @pointer
   */
  currentCPUUtilizationPercentage?: int32;
}
