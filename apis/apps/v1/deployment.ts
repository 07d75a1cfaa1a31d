import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import type { int32, int64, IntOrString, LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * Deployment keeps a number of identical pods running and rolls out changes to their template declaratively,
 * through ReplicaSets it creates and scales.
 * @resource deployments
 * @metadataOnUpdate update
 * @shortNames deploy
 * @categories all
 * @subresource status
 * @statusKeepsMetadata labels
 * @subresource scale .spec.replicas .status.replicas .spec.selector
 * @printColumn Ready string ready() Ready pods out of the desired replicas.
 * @printColumn Up-to-date string upToDate() How many pods run the latest pod template.
 * @printColumn Available string available() How many pods have been ready for at least minReadySeconds.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Containers string containers() 1 The names of the containers in the pod template.
 * @printColumn Images string images() 1 The images the containers of the pod template run.
 * @printColumn Selector string selector() 1 The label selector that picks the pods the object manages.
 */
export interface Deployment {
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
   * Desired state of the deployment.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: DeploymentSpec;
  /**
   * Most recently observed state of the deployment.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: DeploymentStatus;
}

/** Desired state of a deployment. */
export interface DeploymentSpec {
  /**
   * How many pods should run. Defaults to 1.
   * @protobuf 1
   * @pointer
   */
  replicas?: int32;
  /**
   * Which pods belong to the deployment; must match the template's labels. Cannot be changed in apps/v1.
   * @protobuf 2
   * @alwaysWritten
   * @pointer
   */
  selector: LabelSelector;
  /**
   * The pods to run. Its restartPolicy must be Always.
   * @protobuf 3
   * @alwaysWritten
   */
  template: PodTemplateSpec;
  /**
   * How old pods are replaced by new ones.
   * @protobuf 4
   * @patchStrategy retainKeys
   * @alwaysWritten
   */
  strategy?: DeploymentStrategy;
  /**
   * Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.
   * @protobuf 5
   */
  minReadySeconds?: int32;
  /**
   * How many old ReplicaSets to keep for rollback. Defaults to 10.
   * @protobuf 6
   * @pointer
   */
  revisionHistoryLimit?: int32;
  /**
   * When true, changes to the template do not start a rollout.
   * @protobuf 7
   */
  paused?: boolean;
  /**
   * Seconds a rollout may make no progress before the deployment is reported as failed (a Progressing
   * condition with reason ProgressDeadlineExceeded). Must exceed minReadySeconds. Defaults to 600.
   * @protobuf 9
   * @pointer
   */
  progressDeadlineSeconds?: int32;
}

/** How a deployment replaces old pods. */
export interface DeploymentStrategy {
  /**
   * Recreate (stop all old pods, then start new ones) or RollingUpdate (replace gradually). Defaults to
   * RollingUpdate.
   * @protobuf 1
   */
  type?: 'Recreate' | 'RollingUpdate';
  /**
   * Limits of a rolling update; only with type RollingUpdate.
   * @protobuf 2
   */
  rollingUpdate?: RollingUpdateDeployment;
}

/** Limits of a deployment's rolling update. */
export interface RollingUpdateDeployment {
  /**
   * How many desired pods may be unavailable during the update, as a number or a percentage (rounded down).
   * Cannot be 0 when maxSurge is 0. Defaults to 25%.
   * @protobuf 1
   */
  maxUnavailable?: IntOrString;
  /**
   * How many pods may be created above the desired count during the update, as a number or a percentage
   * (rounded up). Cannot be 0 when maxUnavailable is 0. Defaults to 25%.
   * @protobuf 2
   */
  maxSurge?: IntOrString;
}

/** Observed state of a deployment. */
export interface DeploymentStatus {
  /**
   * The generation the deployment controller last acted on.
   * @protobuf 1
   */
  observedGeneration?: int64;
  /**
   * Pods (not terminating) targeted by the deployment.
   * @protobuf 2
   */
  replicas?: int32;
  /**
   * Pods (not terminating) that run the current template.
   * @protobuf 3
   */
  updatedReplicas?: int32;
  /**
   * Pods (not terminating) with a Ready condition.
   * @protobuf 7
   */
  readyReplicas?: int32;
  /**
   * Pods (not terminating) that have been ready for at least minReadySeconds.
   * @protobuf 4
   */
  availableReplicas?: int32;
  /**
   * Pods still needed for the deployment to be fully available.
   * @protobuf 5
   */
  unavailableReplicas?: int32;
  /**
   * Latest observations of the deployment's state.
   * @protobuf 6
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: DeploymentCondition[];
  /**
   * Counter the controller mixes into ReplicaSet names to avoid name collisions.
   * @protobuf 8
   * @pointer
   */
  collisionCount?: int32;
}

/** One aspect of a deployment's state. */
export interface DeploymentCondition {
  /**
   * Available, Progressing or ReplicaFailure.
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
   * When the condition was last updated.
   * @protobuf 6
   * @alwaysWritten
   */
  lastUpdateTime?: Time;
  /**
   * When status last changed.
   * @protobuf 7
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
