import type { LabelSelector, ObjectMeta, Time } from '../../meta/v1/types.ts';
import type { ResourceList } from './pod.ts';

/**
 * PersistentVolumeClaim is a user's request for storage: a size, access modes and a storage class. It is bound to
 * one PersistentVolume that satisfies it.
 * @resource persistentvolumeclaims
 * @generation none
 * @shortNames pvc
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Status string status() The claim's phase: Pending, Bound or Lost.
 * @printColumn Volume string .spec.volumeName
 * @printColumn Capacity string capacity() The storage size of the bound volume.
 * @printColumn "Access Modes" string accessModes() How the bound volume may be mounted, in short form (RWO, ROX, RWX,
 *   RWOP).
 * @printColumn StorageClass string storageClass() The storage class the claim asks for.
 * @printColumn VolumeAttributesClass string volumeAttributesClass() The volume attributes class the claim asks for;
 *   <unset> without one.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn VolumeMode string volumeMode() 1 Whether the claim wants a filesystem or a raw block device.
 */
export interface PersistentVolumeClaim {
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
   * Desired characteristics of the requested volume.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PersistentVolumeClaimSpec;
  /**
   * Observed state of the claim; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PersistentVolumeClaimStatus;
}

/**
 * Desired characteristics of a claimed volume.
 */
export interface PersistentVolumeClaimSpec {
  /**
   * Access modes the volume must offer: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.
   * @protobuf 1
   * @listType atomic
   * @openEnum
   */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /**
   * Labels of the volumes that may be bound to the claim.
   * @protobuf 4
   */
  selector?: LabelSelector;
  /**
   * Storage the claim needs (requests.storage) and may grow to.
   * @protobuf 2
   * @alwaysWritten
   */
  resources?: VolumeResourceRequirements;
  /**
   * Name of the PersistentVolume this claim is (or should be) bound to.
   * @protobuf 3
   */
  volumeName?: string;
  /**
   * Name of the StorageClass to provision from; "" asks for a volume without a class, absent uses the default
   * class.
   * @protobuf 5
   * @pointer
   */
  storageClassName?: string;
  /**
   * Filesystem (the default) or Block.
   * @protobuf 6
   * @default "Filesystem"
   * @pointer
   * @openEnum
   */
  volumeMode?: 'Block' | 'Filesystem';
  /**
   * An object to populate the volume from: a VolumeSnapshot, another PersistentVolumeClaim or a populator. Mirrored
   * in dataSourceRef.
   * @protobuf 7
   */
  dataSource?: TypedLocalObjectReference;
  /**
   * An object to populate the volume from: like dataSource, but any object kind, possibly in another namespace.
   * @protobuf 8
   */
  dataSourceRef?: TypedObjectReference;
  /**
   * Name of the VolumeAttributesClass with the volume's mutable attributes.
   * @protobuf 9
   * @pointer
   */
  volumeAttributesClassName?: string;
}

/**
 * Points at an object by API group, kind and name, in the same namespace.
 * @structType atomic
 */
export interface TypedLocalObjectReference {
  /**
   * API group of the referent; empty for the core group.
   * @protobuf 1
   * @alwaysWritten
   * @pointer
   */
  apiGroup?: string;
  /**
   * Kind of the referent.
   * @protobuf 2
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the referent.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
}

/**
 * Points at an object by API group, kind, name and optionally namespace.
 */
export interface TypedObjectReference {
  /**
   * API group of the referent; empty for the core group.
   * @protobuf 1
   * @alwaysWritten
   * @pointer
   */
  apiGroup?: string;
  /**
   * Kind of the referent.
   * @protobuf 2
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the referent.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
  /**
   * Namespace of the referent; needs a ReferenceGrant there when it differs from the claim's.
   * @protobuf 4
   * @pointer
   */
  namespace?: string;
}

/**
 * Storage a claim requests and may grow to.
 */
export interface VolumeResourceRequirements {
  /**
   * Most of each resource the volume may use.
   * @protobuf 1
   */
  limits?: ResourceList;
  /**
   * Least of each resource the volume needs, e.g. storage: 10Gi.
   * @protobuf 2
   */
  requests?: ResourceList;
}

/**
 * Observed state of a claim.
 */
export interface PersistentVolumeClaimStatus {
  /**
   * Pending, Bound or Lost.
   * @protobuf 1
   * @openEnum
   */
  phase?: 'Pending' | 'Bound' | 'Lost';
  /**
   * Access modes of the bound volume.
   * @protobuf 2
   * @listType atomic
   */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /**
   * Resources of the bound volume.
   * @protobuf 3
   */
  capacity?: ResourceList;
  /**
   * Current conditions of the claim, e.g. Resizing.
   * @protobuf 4
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  conditions?: PersistentVolumeClaimCondition[];
  /**
   * Resources allocated to the claim, which may exceed the request while a resize is in progress.
   * @protobuf 5
   */
  allocatedResources?: ResourceList;
  /**
   * Per resource, the state of an ongoing resize (e.g. ControllerResizeInProgress).
   * @mapType granular
   * @protobuf 7
   */
  allocatedResourceStatuses?: Record<string, string>;
  /**
   * The VolumeAttributesClass currently applied to the volume.
   * @protobuf 8
   * @pointer
   */
  currentVolumeAttributesClassName?: string;
  /**
   * State of an ongoing change of the VolumeAttributesClass.
   * @protobuf 9
   */
  modifyVolumeStatus?: ModifyVolumeStatus;
}

/**
 * One condition of a claim.
 */
export interface PersistentVolumeClaimCondition {
  /**
   * Which condition this is, e.g. Resizing or FileSystemResizePending.
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
   * When the condition was last checked.
   * @protobuf 3
   * @alwaysWritten
   */
  lastProbeTime?: Time;
  /**
   * When the status last changed.
   * @protobuf 4
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * Short CamelCase reason for the last transition.
   * @protobuf 5
   */
  reason?: string;
  /**
   * Human-readable detail.
   * @protobuf 6
   */
  message?: string;
}

/**
 * State of a change of a claim's VolumeAttributesClass.
 */
export interface ModifyVolumeStatus {
  /**
   * The class being applied.
   * @protobuf 1
   */
  targetVolumeAttributesClassName?: string;
  /**
   * Pending, InProgress or Infeasible.
   * @protobuf 2
   * @alwaysWritten
   * @openEnum
   */
  status: 'Pending' | 'InProgress' | 'Infeasible';
}
