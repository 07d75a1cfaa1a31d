import type { ObjectMeta, Time, int32, int64 } from '../../meta/v1/types.ts';
import type { PodTemplateSpec } from './pod.ts';

/**
 * ReplicationController keeps a given number of pods matching its selector running: the original replica
 * controller, which ReplicaSets and Deployments replaced.
 * @resource replicationcontrollers
 * @metadataOnUpdate update
 * @shortNames rc
 * @categories all
 * @selectableField .status.replicas
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
export interface ReplicationController {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata; when it has no labels, it gets those of the pod template.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Desired state of the replication controller.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ReplicationControllerSpec;
  /**
   * Most recently observed state, written by the replication manager; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ReplicationControllerStatus;
}

/** Desired state of a replication controller. */
export interface ReplicationControllerSpec {
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
   * Labels a pod must carry to count towards replicas; when empty, the template's labels.
   * @protobuf 2
   * @mapType atomic
   */
  selector?: Record<string, string>;
  /**
   * The pods created when there are too few.
   * @protobuf 3
   */
  template?: PodTemplateSpec;
}

/** Observed state of a replication controller. */
export interface ReplicationControllerStatus {
  /**
   * Pods currently matched by the selector.
   * @protobuf 1
   * @alwaysWritten
   */
  replicas: int32;
  /**
   * Pods whose labels match the template's labels.
   * @protobuf 2
   */
  fullyLabeledReplicas?: int32;
  /**
   * Pods with a Ready condition.
   * @protobuf 4
   */
  readyReplicas?: int32;
  /**
   * Pods ready for at least minReadySeconds.
   * @protobuf 5
   */
  availableReplicas?: int32;
  /**
   * The generation the replication manager last acted on.
   * @protobuf 3
   */
  observedGeneration?: int64;
  /**
   * The latest observations of the controller's state.
   * @protobuf 6
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: ReplicationControllerCondition[];
}

/** One observation of a replication controller's state. */
export interface ReplicationControllerCondition {
  /**
   * Type of the condition, e.g. ReplicaFailure.
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
   * When the condition last changed status.
   * @protobuf 3
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * Machine-readable reason for the last transition.
   * @protobuf 4
   */
  reason?: string;
  /**
   * Human-readable details of the last transition.
   * @protobuf 5
   */
  message?: string;
}
