import type { LabelSelector, ObjectMeta, Quantity } from '../../meta/v1/types.ts';

/**
 * CSIStorageCapacity is how much storage of one StorageClass a CSI driver can provision in one topology segment
 * (the nodes its nodeTopology selects), published by the driver's deployment for the scheduler. Several objects
 * may describe the same segment and class; the driver's namespace holds them, and their names are generated.
 * @resource csistoragecapacities
 * @printColumn StorageClassName string .storageClassName
 * @printColumn Capacity string capacity() The storage capacity available for new volumes.
 * @noAgeColumn
 */
export interface CSIStorageCapacity {
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
   * The nodes the capacity applies to (those whose labels it selects); unset means none. Cannot be changed.
   * @protobuf 2
   */
  nodeTopology?: LabelSelector;
  /**
   * The StorageClass the capacity is for. Cannot be changed.
   * @protobuf 3
   * @alwaysWritten
   */
  storageClassName: string;
  /**
   * Capacity reported by the driver's GetCapacity call for this topology and class; unset means unknown (treated
   * as none).
   * @protobuf 4
   */
  capacity?: Quantity;
  /**
   * Largest volume a single CreateVolume call could provision with these parameters; unset means only capacity
   * is known.
   * @protobuf 5
   */
  maximumVolumeSize?: Quantity;
}
