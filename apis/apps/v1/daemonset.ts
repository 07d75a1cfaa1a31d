import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import type { int32, int64, IntOrString, LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * DaemonSet runs one copy of a pod on every node, or on every node its template's scheduling constraints allow.
 * @resource daemonsets
 * @metadataOnUpdate update
 * @shortNames ds
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Desired integer .status.desiredNumberScheduled
 * @printColumn Current integer .status.currentNumberScheduled
 * @printColumn Ready integer .status.numberReady
 * @printColumn Up-to-date integer .status.updatedNumberScheduled
 * @printColumn Available integer .status.numberAvailable
 * @printColumn "Node Selector" string nodeSelector() The labels a node must carry to run the daemon pods.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Containers string containers() 1 The names of the containers in the pod template.
 * @printColumn Images string images() 1 The images the containers of the pod template run.
 * @printColumn Selector string selector() 1 The label selector that picks the pods the object manages.
 */
export interface DaemonSet {
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
   * Desired state of the DaemonSet.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: DaemonSetSpec;
  /**
   * Most recently observed state; may lag behind the cluster.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: DaemonSetStatus;
}

/** Desired state of a DaemonSet. */
export interface DaemonSetSpec {
  /**
   * Which pods belong to the DaemonSet; must match the template's labels. Cannot be changed.
   * @protobuf 1
   * @alwaysWritten
   * @pointer
   */
  selector: LabelSelector;
  /**
   * The pod to run on each eligible node. Its restartPolicy must be Always.
   * @protobuf 2
   * @alwaysWritten
   */
  template: PodTemplateSpec;
  /**
   * How pods are replaced when the template changes.
   * @protobuf 3
   * @alwaysWritten
   */
  updateStrategy?: DaemonSetUpdateStrategy;
  /**
   * Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.
   * @protobuf 4
   */
  minReadySeconds?: int32;
  /**
   * How many old revisions to keep for rollback. Defaults to 10.
   * @protobuf 6
   * @pointer
   */
  revisionHistoryLimit?: int32;
}

/** How a DaemonSet replaces its pods. */
export interface DaemonSetUpdateStrategy {
  /**
   * RollingUpdate (replace pods automatically, the default) or OnDelete (only when a pod is deleted).
   * @protobuf 1
   */
  type?: 'RollingUpdate' | 'OnDelete';
  /**
   * Limits of a rolling update; only with type RollingUpdate.
   * @protobuf 2
   */
  rollingUpdate?: RollingUpdateDaemonSet;
}

/** Limits of a DaemonSet rolling update. Exactly one of the two must be non-zero. */
export interface RollingUpdateDaemonSet {
  /**
   * How many nodes may be without an available pod during the update, as a number or a percentage of the
   * desired pods (rounded up). Defaults to 1.
   * @protobuf 1
   */
  maxUnavailable?: IntOrString;
  /**
   * On how many nodes a new pod may start before the old one is stopped, as a number or a percentage (rounded
   * up). Defaults to 0.
   * @protobuf 2
   */
  maxSurge?: IntOrString;
}

/** Observed state of a DaemonSet. */
export interface DaemonSetStatus {
  /**
   * Nodes running at least one daemon pod that should run one.
   * @protobuf 1
   * @alwaysWritten
   */
  currentNumberScheduled: int32;
  /**
   * Nodes running a daemon pod that should not run one.
   * @protobuf 2
   * @alwaysWritten
   */
  numberMisscheduled: int32;
  /**
   * Nodes that should run a daemon pod.
   * @protobuf 3
   * @alwaysWritten
   */
  desiredNumberScheduled: int32;
  /**
   * Nodes whose daemon pod is ready.
   * @protobuf 4
   * @alwaysWritten
   */
  numberReady: int32;
  /**
   * The generation the controller last acted on.
   * @protobuf 5
   */
  observedGeneration?: int64;
  /**
   * Nodes running a daemon pod of the current template.
   * @protobuf 6
   */
  updatedNumberScheduled?: int32;
  /**
   * Nodes whose daemon pod has been ready for at least minReadySeconds.
   * @protobuf 7
   */
  numberAvailable?: int32;
  /**
   * Nodes that should run a daemon pod but have none available.
   * @protobuf 8
   */
  numberUnavailable?: int32;
  /**
   * Counter the controller mixes into ControllerRevision names to avoid name collisions.
   * @protobuf 9
   * @pointer
   */
  collisionCount?: int32;
  /**
   * Latest observations of the DaemonSet's state.
   * @protobuf 10
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: DaemonSetCondition[];
}

/** One aspect of a DaemonSet's state. */
export interface DaemonSetCondition {
  /**
   * The aspect described.
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
