import type { ObjectMeta, Time } from '../../meta/v1/types.ts';
import type { NodeSelector, ResourceList } from './pod.ts';
import type { ObjectReference } from './serviceaccount.ts';
import type { HostPathVolumeSource, NFSVolumeSource } from './volume.ts';

/**
 * PersistentVolume is a piece of storage in the cluster, provisioned by an administrator or dynamically through a
 * StorageClass, that claims bind to.
 * @resource persistentvolumes
 * @scope Cluster
 * @shortNames pv
 * @subresource status
 * @printColumn Capacity string .spec.capacity.storage
 * @printColumn "Reclaim Policy" string .spec.persistentVolumeReclaimPolicy
 * @printColumn Status string .status.phase
 * @printColumn Claim string .spec.claimRef.name
 * @printColumn StorageClass string .spec.storageClassName
 * @printColumn VolumeAttributesClass string .spec.volumeAttributesClassName
 * @printColumn Reason string .status.reason
 * @printColumn VolumeMode string .spec.volumeMode 1
 */
export interface PersistentVolume {
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
   * Characteristics of the volume, set by the administrator or provisioner.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PersistentVolumeSpec;
  /**
   * Observed state of the volume; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PersistentVolumeStatus;
}

/**
 * Characteristics of a persistent volume. Exactly one source is set.
 * @protobufEmbed PersistentVolumeSource 2
 */
export interface PersistentVolumeSpec extends PersistentVolumeSource {
  /**
   * Resources of the volume, e.g. storage: 10Gi.
   * @protobuf 1
   */
  capacity?: ResourceList;
  /**
   * Ways the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.
   * @protobuf 3
   * @listType atomic
   */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /**
   * The claim bound to the volume; set by the binder, or in advance to reserve the volume for a claim.
   * @structType granular
   * @protobuf 4
   */
  claimRef?: ObjectReference;
  /**
   * What happens when the claim is released: Retain (default for manual volumes), Delete or the deprecated Recycle.
   * @protobuf 5
   * @default "Retain"
   */
  persistentVolumeReclaimPolicy?: 'Recycle' | 'Delete' | 'Retain';
  /**
   * The StorageClass the volume belongs to; empty for none.
   * @protobuf 6
   */
  storageClassName?: string;
  /**
   * Mount options, not validated; a wrong one makes mounting fail.
   * @protobuf 7
   * @listType atomic
   */
  mountOptions?: string[];
  /**
   * Filesystem (default) or Block.
   * @protobuf 8
   * @default "Filesystem"
   * @pointer
   */
  volumeMode?: 'Block' | 'Filesystem';
  /**
   * Nodes the volume can be reached from; pods using it are scheduled there.
   * @protobuf 9
   */
  nodeAffinity?: VolumeNodeAffinity;
  /**
   * The VolumeAttributesClass of the volume.
   * @protobuf 10
   * @pointer
   */
  volumeAttributesClassName?: string;
}

/**
 * Where a persistent volume's data lives: exactly one member is set.
 */
export interface PersistentVolumeSource {
  /**
   * A directory on a node, for single-node testing only.
   * @protobuf 3
   */
  hostPath?: HostPathVolumeSource;
  /**
   * An NFS export.
   * @protobuf 5
   */
  nfs?: NFSVolumeSource;
  /**
   * A local disk, partition or directory of a node; needs nodeAffinity.
   * @protobuf 20
   */
  local?: LocalVolumeSource;
  /**
   * A volume managed by a CSI driver.
   * @protobuf 22
   */
  csi?: CSIPersistentVolumeSource;
}

/**
 * Observed state of a persistent volume.
 */
export interface PersistentVolumeStatus {
  /**
   * Pending, Available, Bound, Released or Failed.
   * @protobuf 1
   */
  phase?: string;
  /**
   * Human-readable detail of the phase.
   * @protobuf 2
   */
  message?: string;
  /**
   * Short CamelCase reason of a failure.
   * @protobuf 3
   */
  reason?: string;
  /**
   * When the phase last changed.
   * @protobuf 4
   */
  lastPhaseTransitionTime?: Time;
}

/**
 * Nodes a volume can be reached from.
 */
export interface VolumeNodeAffinity {
  /**
   * Node selector that nodes must match.
   * @protobuf 1
   */
  required?: NodeSelector;
}

/**
 * A local storage device or directory of a node.
 */
export interface LocalVolumeSource {
  /**
   * Full path of the device or directory on the node.
   * @protobuf 1
   * @alwaysWritten
   */
  path: string;
  /**
   * Filesystem type of a block device, e.g. ext4; detected when empty. Ignored for directories.
   * @protobuf 2
   * @pointer
   */
  fsType?: string;
}

/**
 * A volume managed by a CSI driver.
 */
export interface CSIPersistentVolumeSource {
  /**
   * Name of the driver.
   * @protobuf 1
   * @alwaysWritten
   */
  driver: string;
  /**
   * The driver's ID of the volume.
   * @protobuf 2
   * @alwaysWritten
   */
  volumeHandle: string;
  /**
   * Mount read-only. Defaults to false.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * Filesystem type, e.g. ext4.
   * @protobuf 4
   */
  fsType?: string;
  /**
   * Driver-specific properties of the volume.
   * @protobuf 5
   */
  volumeAttributes?: Record<string, string>;
  /**
   * Secret the driver needs to publish the volume to a node.
   * @protobuf 6
   */
  controllerPublishSecretRef?: SecretReference;
  /**
   * Secret the driver needs to stage the volume on a node.
   * @protobuf 7
   */
  nodeStageSecretRef?: SecretReference;
  /**
   * Secret the driver needs to publish the volume to a pod.
   * @protobuf 8
   */
  nodePublishSecretRef?: SecretReference;
  /**
   * Secret the driver needs to expand the volume.
   * @protobuf 9
   */
  controllerExpandSecretRef?: SecretReference;
  /**
   * Secret the driver needs to expand the volume on a node.
   * @protobuf 10
   */
  nodeExpandSecretRef?: SecretReference;
}

/**
 * Points at a Secret by name and namespace.
 * @structType atomic
 */
export interface SecretReference {
  /**
   * Name of the Secret.
   * @protobuf 1
   */
  name?: string;
  /**
   * Namespace of the Secret.
   * @protobuf 2
   */
  namespace?: string;
}
