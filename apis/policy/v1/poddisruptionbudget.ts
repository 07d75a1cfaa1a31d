import type { Condition, int32, int64, IntOrString, LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * PodDisruptionBudget limits how many of a set of pods voluntary disruptions (evictions, e.g. during a node
 * drain) may take down at once.
 * @resource poddisruptionbudgets
 * @metadataOnUpdate none
 * @nameFormat path-segment
 * @shortNames pdb
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn "Min Available" string minAvailable() How many selected pods must stay available.
 * @printColumn "Max Unavailable" string maxUnavailable() How many selected pods may be unavailable.
 * @printColumn "Allowed Disruptions" integer .status.disruptionsAllowed
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface PodDisruptionBudget {
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
   * The pods covered and how many must stay up.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PodDisruptionBudgetSpec;
  /**
   * What the disruption controller last observed.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PodDisruptionBudgetStatus;
}

/** Which pods a budget covers and how much disruption it allows. Set at most one of minAvailable and maxUnavailable. */
export interface PodDisruptionBudgetSpec {
  /**
   * Evictions are allowed only if at least this many (or this percentage) of the selected pods stay available.
   * @protobuf 1
   */
  minAvailable?: IntOrString;
  /**
   * The pods the budget covers, in the budget's namespace. An empty selector covers every pod there; a null one
   * covers none.
   * @protobuf 2
   * @patchStrategy replace
   */
  selector?: LabelSelector;
  /**
   * Evictions are allowed only if at most this many (or this percentage) of the selected pods are unavailable
   * afterwards.
   * @protobuf 3
   */
  maxUnavailable?: IntOrString;
  /**
   * When running but not-ready pods may be evicted: IfHealthyBudget (only while the budget is met) or
   * AlwaysAllow.
   * @protobuf 4
   * @pointer
   */
  unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

/** What the disruption controller last observed about a budget. */
export interface PodDisruptionBudgetStatus {
  /**
   * The generation of the budget this status was computed from.
   * @protobuf 1
   */
  observedGeneration?: int64;
  /**
   * Pods whose eviction was approved but which have not yet been deleted, with the approval time.
   * @protobuf 2
   */
  disruptedPods?: Record<string, Time>;
  /**
   * How many more pods may be disrupted right now.
   * @protobuf 3
   * @alwaysWritten
   */
  disruptionsAllowed: int32;
  /**
   * How many selected pods are currently healthy.
   * @protobuf 4
   * @alwaysWritten
   */
  currentHealthy: int32;
  /**
   * How many healthy pods the budget requires.
   * @protobuf 5
   * @alwaysWritten
   */
  desiredHealthy: int32;
  /**
   * How many pods the budget counts in total.
   * @protobuf 6
   * @alwaysWritten
   */
  expectedPods: int32;
  /**
   * Conditions of the budget, e.g. DisruptionAllowed.
   * @protobuf 7
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
}
