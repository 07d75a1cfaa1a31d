import type { PersistentVolumeClaim } from '../../core/v1/persistentvolumeclaim.ts';
import type { PodTemplateSpec } from '../../core/v1/pod.ts';
import type { int32, int64, IntOrString, LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * StatefulSet runs pods with stable identities: each gets an ordinal name, a stable network name through a
 * headless service, and its own persistent volumes that follow it across rescheduling.
 * @resource statefulsets
 * @metadataOnUpdate update
 * @nameFormat dns1123-label
 * @shortNames sts
 * @categories all
 * @subresource status
 * @statusKeepsMetadata none
 * @subresource scale .spec.replicas .status.replicas .spec.selector
 * @printColumn Ready string ready() Ready pods out of the desired replicas.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Containers string containers() 1 The names of the containers in the pod template.
 * @printColumn Images string images() 1 The images the containers of the pod template run.
 */
export interface StatefulSet {
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
   * Desired pods and volumes.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: StatefulSetSpec;
  /**
   * Most recently observed state; may lag behind the cluster.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: StatefulSetStatus;
}

/** Desired state of a StatefulSet. */
export interface StatefulSetSpec {
  /**
   * How many pods should run. Defaults to 1.
   * @protobuf 1
   * @pointer
   */
  replicas?: int32;
  /**
   * Which pods count towards replicas; must match the template's labels. Cannot be changed.
   * @protobuf 2
   * @alwaysWritten
   * @pointer
   */
  selector: LabelSelector;
  /**
   * The pods to create; each gets a unique ordinal identity. Its restartPolicy must be Always.
   * @protobuf 3
   * @alwaysWritten
   */
  template: PodTemplateSpec;
  /**
   * Claims every pod gets its own copy of, named <template>-<pod>; the template must mount a volume of the same
   * name. Cannot be changed.
   * @protobuf 4
   * @listType atomic
   */
  volumeClaimTemplates?: PersistentVolumeClaim[];
  /**
   * Name of the headless service that gives the pods their network identity. Cannot be changed.
   * @protobuf 5
   * @alwaysWritten
   */
  serviceName: string;
  /**
   * How pods are created and deleted when scaling: OrderedReady (one at a time, in order, the default) or
   * Parallel. Cannot be changed.
   * @protobuf 6
   */
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * How pods are replaced when the template changes.
   * @protobuf 7
   * @alwaysWritten
   */
  updateStrategy?: StatefulSetUpdateStrategy;
  /**
   * How many old revisions to keep. Defaults to 10.
   * @protobuf 8
   * @pointer
   */
  revisionHistoryLimit?: int32;
  /**
   * Seconds a new pod must be ready, with no container crashing, before it counts as available. Defaults to 0.
   * @protobuf 9
   */
  minReadySeconds?: int32;
  /**
   * Whether claims created from volumeClaimTemplates are deleted with the StatefulSet or when it scales down.
   * Defaults to retaining them in both cases.
   * @protobuf 10
   */
  persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  /**
   * Which ordinals the pods are numbered with.
   * @protobuf 11
   */
  ordinals?: StatefulSetOrdinals;
}

/** How a StatefulSet replaces its pods when the template changes. */
export interface StatefulSetUpdateStrategy {
  /**
   * RollingUpdate (replace pods automatically, highest ordinal first, the default) or OnDelete (only when a pod
   * is deleted).
   * @protobuf 1
   */
  type?: 'RollingUpdate' | 'OnDelete';
  /**
   * Parameters of a rolling update; only with type RollingUpdate.
   * @protobuf 2
   */
  rollingUpdate?: RollingUpdateStatefulSetStrategy;
}

/** Parameters of a StatefulSet rolling update. */
export interface RollingUpdateStatefulSetStrategy {
  /**
   * Only pods with an ordinal at least this large are updated; others keep the old template. Defaults to 0.
   * @protobuf 1
   * @pointer
   */
  partition?: int32;
  /**
   * How many pods may be unavailable during the update, as a number or a percentage (rounded up, at least 1).
   * Only honoured with the MaxUnavailableStatefulSet feature. Defaults to 1.
   * @protobuf 2
   */
  maxUnavailable?: IntOrString;
}

/** What happens to claims created from volumeClaimTemplates. */
export interface StatefulSetPersistentVolumeClaimRetentionPolicy {
  /**
   * When the StatefulSet is deleted: Retain (the default) keeps the claims, Delete removes them.
   * @protobuf 1
   */
  whenDeleted?: string;
  /**
   * When the StatefulSet scales down: Retain (the default) keeps the claims of removed pods, Delete removes them.
   * @protobuf 2
   */
  whenScaled?: string;
}

/** The numbering of a StatefulSet's pods. */
export interface StatefulSetOrdinals {
  /**
   * The first ordinal; pods are numbered start to start+replicas-1. Defaults to 0.
   * @protobuf 1
   * @alwaysWritten
   */
  start?: int32;
}

/** Observed state of a StatefulSet. */
export interface StatefulSetStatus {
  /**
   * The generation the controller last acted on.
   * @protobuf 1
   */
  observedGeneration?: int64;
  /**
   * Pods created by the controller.
   * @protobuf 2
   * @alwaysWritten
   */
  replicas: int32;
  /**
   * Pods with a Ready condition.
   * @protobuf 3
   */
  readyReplicas?: int32;
  /**
   * Pods running the currentRevision.
   * @protobuf 4
   */
  currentReplicas?: int32;
  /**
   * Pods running the updateRevision.
   * @protobuf 5
   */
  updatedReplicas?: int32;
  /**
   * Revision of the template pods with ordinals below the partition run.
   * @protobuf 6
   */
  currentRevision?: string;
  /**
   * Revision of the current template, which pods with ordinals at or above the partition run.
   * @protobuf 7
   */
  updateRevision?: string;
  /**
   * Counter the controller mixes into ControllerRevision names to avoid name collisions.
   * @protobuf 9
   * @pointer
   */
  collisionCount?: int32;
  /**
   * Latest observations of the StatefulSet's state.
   * @protobuf 10
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: StatefulSetCondition[];
  /**
   * Pods that have been ready for at least minReadySeconds.
   * @protobuf 11
   * @alwaysWritten
   */
  availableReplicas?: int32;
}

/** One aspect of a StatefulSet's state. */
export interface StatefulSetCondition {
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
