import type { int32, int64, LabelSelector, ObjectMeta, Quantity, Time } from '../../meta/v1/types.ts';

/**
 * HorizontalPodAutoscaler scales a workload (through its scale subresource) between a minimum and a maximum
 * number of replicas so that the given metrics stay near their targets.
 * @resource horizontalpodautoscalers
 * @metadataOnUpdate update
 * @shortNames hpa
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @storageVersion
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
   * Target, bounds, metrics and scaling behaviour of the autoscaler.
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

/** Target, bounds, metrics and scaling behaviour of an autoscaler. */
export interface HorizontalPodAutoscalerSpec {
  /**
   * The workload to scale; it must have a scale subresource.
   * @protobuf 1
   * @alwaysWritten
   */
  scaleTargetRef: CrossVersionObjectReference;
  /**
   * Fewest replicas to scale down to. Defaults to 1; 0 is allowed only with the HPAScaleToZero feature and an
   * Object or External metric.
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
   * Metrics to compute the desired replica count from; the largest proposal wins. Defaults to an 80% average
   * CPU utilisation target.
   * @protobuf 4
   * @listType atomic
   */
  metrics?: MetricSpec[];
  /**
   * How fast to scale up and down. Absent means the default behaviour.
   * @protobuf 5
   */
  behavior?: HorizontalPodAutoscalerBehavior;
}

/** Points at an object by kind and name, in the same namespace. */
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

/** One metric to scale on. type names which of the other fields is set. */
export interface MetricSpec {
  /**
   * Object, Pods, Resource, ContainerResource or External.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * A metric describing a single object, e.g. requests per second on an Ingress.
   * @protobuf 2
   */
  object?: ObjectMetricSource;
  /**
   * A metric of each pod, averaged across them, e.g. transactions per second.
   * @protobuf 3
   */
  pods?: PodsMetricSource;
  /**
   * A resource (CPU, memory) the pods request, summed over their containers.
   * @protobuf 4
   */
  resource?: ResourceMetricSource;
  /**
   * A resource (CPU, memory) of one named container in each pod.
   * @protobuf 7
   */
  containerResource?: ContainerResourceMetricSource;
  /**
   * A metric from outside the cluster, e.g. a cloud queue's length.
   * @protobuf 5
   */
  external?: ExternalMetricSource;
}

/** A metric describing one object. */
export interface ObjectMetricSource {
  /**
   * The object the metric describes.
   * @protobuf 1
   * @alwaysWritten
   */
  describedObject: CrossVersionObjectReference;
  /**
   * The target value.
   * @protobuf 2
   * @alwaysWritten
   */
  target: MetricTarget;
  /**
   * Which metric.
   * @protobuf 3
   * @alwaysWritten
   */
  metric: MetricIdentifier;
}

/** A per-pod metric, averaged across pods. */
export interface PodsMetricSource {
  /**
   * Which metric.
   * @protobuf 1
   * @alwaysWritten
   */
  metric: MetricIdentifier;
  /**
   * The target value; only AverageValue is supported.
   * @protobuf 2
   * @alwaysWritten
   */
  target: MetricTarget;
}

/** A resource the pods request, summed over their containers. */
export interface ResourceMetricSource {
  /**
   * The resource, e.g. cpu or memory.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The target value.
   * @protobuf 2
   * @alwaysWritten
   */
  target: MetricTarget;
}

/** A resource of one named container in each pod. */
export interface ContainerResourceMetricSource {
  /**
   * The resource, e.g. cpu or memory.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The target value.
   * @protobuf 2
   * @alwaysWritten
   */
  target: MetricTarget;
  /**
   * The container whose usage counts.
   * @protobuf 3
   * @alwaysWritten
   */
  container: string;
}

/** A metric from outside the cluster. */
export interface ExternalMetricSource {
  /**
   * Which metric.
   * @protobuf 1
   * @alwaysWritten
   */
  metric: MetricIdentifier;
  /**
   * The target value.
   * @protobuf 2
   * @alwaysWritten
   */
  target: MetricTarget;
}

/** Names a metric, optionally narrowed by labels. */
export interface MetricIdentifier {
  /**
   * Name of the metric.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Labels narrowing which series of the metric count; absent means the metrics API decides.
   * @protobuf 2
   */
  selector?: LabelSelector;
}

/** The target of a metric: a value, an average value, or an average utilisation. */
export interface MetricTarget {
  /**
   * Utilization, Value or AverageValue.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * Target value of the metric as a quantity.
   * @protobuf 2
   */
  value?: Quantity;
  /**
   * Target value of the metric averaged across pods.
   * @protobuf 3
   */
  averageValue?: Quantity;
  /**
   * Target average utilisation across pods, as a percentage of requests. Resource metrics only.
   * @protobuf 4
   * @pointer
   */
  averageUtilization?: int32;
}

/** How fast an autoscaler scales up and down. */
export interface HorizontalPodAutoscalerBehavior {
  /**
   * Rules for scaling up. Defaults to no stabilisation and the larger of 4 pods or 100% per 15 seconds.
   * @protobuf 1
   */
  scaleUp?: HPAScalingRules;
  /**
   * Rules for scaling down. Defaults to a 300-second stabilisation window and up to 100% per 15 seconds.
   * @protobuf 2
   */
  scaleDown?: HPAScalingRules;
}

/** Limits on scaling in one direction. */
export interface HPAScalingRules {
  /**
   * Seconds of past recommendations considered, to avoid flapping; 0 to 3600.
   * @protobuf 3
   * @pointer
   */
  stabilizationWindowSeconds?: int32;
  /**
   * Which policy applies when several do: Max (the default, the one allowing the most change), Min, or Disabled
   * (no scaling in this direction).
   * @protobuf 1
   * @pointer
   */
  selectPolicy?: string;
  /**
   * Policies limiting the change per period; at least one unless selectPolicy is Disabled.
   * @protobuf 2
   * @listType atomic
   */
  policies?: HPAScalingPolicy[];
}

/** A limit on how much may change in a period. */
export interface HPAScalingPolicy {
  /**
   * Pods (an absolute number of pods) or Percent (of the current replicas).
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * The amount of change allowed; greater than 0.
   * @protobuf 2
   * @alwaysWritten
   */
  value: int32;
  /**
   * The period the limit applies to, in seconds; 1 to 1800.
   * @protobuf 3
   * @alwaysWritten
   */
  periodSeconds: int32;
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
   */
  currentReplicas?: int32;
  /**
   * Replicas the autoscaler last asked for.
   * @protobuf 4
   * @alwaysWritten
   */
  desiredReplicas: int32;
  /**
   * The last observed values of the metrics.
   * @protobuf 5
   * @listType atomic
   * @alwaysWritten
   */
  currentMetrics?: MetricStatus[];
  /**
   * Latest observations, e.g. whether scaling is possible and whether it is limited.
   * @protobuf 6
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: HorizontalPodAutoscalerCondition[];
}

/** One aspect of an autoscaler's state. */
export interface HorizontalPodAutoscalerCondition {
  /**
   * ScalingActive, AbleToScale, ScalingLimited or ScaledToZero.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   * @alwaysWritten
   */
  status: string;
  /**
   * When status last changed.
   * @protobuf 3
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * CamelCase cause of the last transition.
   * @protobuf 4
   */
  reason?: string;
  /**
   * Human-readable details.
   * @protobuf 5
   */
  message?: string;
}

/** The observed value of one metric. type names which of the other fields is set. */
export interface MetricStatus {
  /**
   * Object, Pods, Resource, ContainerResource or External.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * An object metric.
   * @protobuf 2
   */
  object?: ObjectMetricStatus;
  /**
   * A per-pod metric.
   * @protobuf 3
   */
  pods?: PodsMetricStatus;
  /**
   * A resource metric.
   * @protobuf 4
   */
  resource?: ResourceMetricStatus;
  /**
   * A container resource metric.
   * @protobuf 7
   */
  containerResource?: ContainerResourceMetricStatus;
  /**
   * An external metric.
   * @protobuf 5
   */
  external?: ExternalMetricStatus;
}

/** The observed value of an object metric. */
export interface ObjectMetricStatus {
  /**
   * Which metric.
   * @protobuf 1
   * @alwaysWritten
   */
  metric: MetricIdentifier;
  /**
   * Its current value.
   * @protobuf 2
   * @alwaysWritten
   */
  current: MetricValueStatus;
  /**
   * The object it describes.
   * @protobuf 3
   * @alwaysWritten
   */
  describedObject: CrossVersionObjectReference;
}

/** The observed value of a per-pod metric. */
export interface PodsMetricStatus {
  /**
   * Which metric.
   * @protobuf 1
   * @alwaysWritten
   */
  metric: MetricIdentifier;
  /**
   * Its current value.
   * @protobuf 2
   * @alwaysWritten
   */
  current: MetricValueStatus;
}

/** The observed value of a resource metric. */
export interface ResourceMetricStatus {
  /**
   * The resource, e.g. cpu.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Its current value.
   * @protobuf 2
   * @alwaysWritten
   */
  current: MetricValueStatus;
}

/** The observed value of a container resource metric. */
export interface ContainerResourceMetricStatus {
  /**
   * The resource, e.g. cpu.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Its current value.
   * @protobuf 2
   * @alwaysWritten
   */
  current: MetricValueStatus;
  /**
   * The container measured.
   * @protobuf 3
   * @alwaysWritten
   */
  container: string;
}

/** The observed value of an external metric. */
export interface ExternalMetricStatus {
  /**
   * Which metric.
   * @protobuf 1
   * @alwaysWritten
   */
  metric: MetricIdentifier;
  /**
   * Its current value.
   * @protobuf 2
   * @alwaysWritten
   */
  current: MetricValueStatus;
}

/** A current metric value. */
export interface MetricValueStatus {
  /**
   * The value as a quantity.
   * @protobuf 1
   */
  value?: Quantity;
  /**
   * The value averaged across pods.
   * @protobuf 2
   */
  averageValue?: Quantity;
  /**
   * The average utilisation across pods, as a percentage of requests.
   * @protobuf 3
   * @pointer
   */
  averageUtilization?: int32;
}
