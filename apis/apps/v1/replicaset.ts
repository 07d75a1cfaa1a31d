import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import type { int32, int64, LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * ReplicaSet keeps a given number of pods matching its selector running, creating pods from its template when
 * there are too few and deleting some when there are too many. Usually managed by a Deployment.
 * @resource replicasets
 * @metadataOnUpdate update
 * @shortNames rs
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @subresource scale .spec.replicas .status.replicas .spec.selector
 * @printColumn Desired integer .spec.replicas
 * @printColumn Current integer .status.replicas
 * @printColumn Ready integer .status.readyReplicas
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Containers string containers() 1 The names of the containers in the pod template.
 * @printColumn Images string images() 1 The images the containers of the pod template run.
 * @printColumn Selector string selector() 1 The label selector that picks the pods the object manages.
 */
export interface ReplicaSet {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata; its labels are often those of the pods it manages.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Desired state of the ReplicaSet.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ReplicaSetSpec;
  /**
   * Most recently observed state of the ReplicaSet.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ReplicaSetStatus;
}

/** Desired state of a ReplicaSet. */
export interface ReplicaSetSpec {
  /**
   * How many pods should run. Defaults to 1.
   * @protobuf 1
   * @pointer
   */
  replicas?: int32;
  /**
   * Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.
   * @protobuf 4
   */
  minReadySeconds?: int32;
  /**
   * Which pods count towards replicas; must match the template's labels.
   * @protobuf 2
   * @alwaysWritten
   * @pointer
   */
  selector: LabelSelector;
  /**
   * The pods created when there are too few.
   * @protobuf 3
   * @alwaysWritten
   */
  template?: PodTemplateSpec;
}

/** Observed state of a ReplicaSet. */
export interface ReplicaSetStatus {
  /**
   * Pods (not terminating) currently matched.
   * @protobuf 1
   * @alwaysWritten
   */
  replicas: int32;
  /**
   * Pods (not terminating) whose labels match the template's labels.
   * @protobuf 2
   */
  fullyLabeledReplicas?: int32;
  /**
   * Pods (not terminating) with a Ready condition.
   * @protobuf 4
   */
  readyReplicas?: int32;
  /**
   * Pods (not terminating) that have been ready for at least minReadySeconds.
   * @protobuf 5
   */
  availableReplicas?: int32;
  /**
   * The generation the controller last acted on.
   * @protobuf 3
   */
  observedGeneration?: int64;
  /**
   * Latest observations of the ReplicaSet's state.
   * @protobuf 6
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: ReplicaSetCondition[];
}

/** One aspect of a ReplicaSet's state. */
export interface ReplicaSetCondition {
  /**
   * The aspect, e.g. ReplicaFailure.
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
