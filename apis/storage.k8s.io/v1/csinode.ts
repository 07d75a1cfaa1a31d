import type { int32, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * CSINode records the CSI drivers installed on a node, as kubelet registers them: the node's ID in each driver,
 * the topology keys it reports and how many volumes it can attach. Its name is the node's name, and the Node is
 * its owner.
 * @resource csinodes
 * @scope Cluster
 * @printColumn Drivers integer .spec.drivers
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface CSINode {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata; the name is the node's.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * The drivers on the node.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: CSINodeSpec;
}

/** The CSI drivers of a node. */
export interface CSINodeSpec {
  /**
   * One entry per CSI driver registered on the node; an entry, once there, does not change.
   * @protobuf 1
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   * @alwaysWritten
   */
  drivers: CSINodeDriver[];
}

/** One CSI driver on a node. */
export interface CSINodeDriver {
  /**
   * The driver's name, as its CSIDriver object and plugin registration name it.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The node as the driver knows it (what NodeGetInfo returned), used when attaching volumes; at most 192
   * characters.
   * @protobuf 2
   * @alwaysWritten
   */
  nodeID: string;
  /**
   * Node label keys the driver reports for topology (e.g. a zone key); kubelet labels the node with them.
   * @protobuf 3
   * @listType atomic
   * @alwaysWritten
   */
  topologyKeys?: string[];
  /**
   * Volume resources of the driver on this node; unset means unknown.
   * @protobuf 4
   */
  allocatable?: VolumeNodeResources;
}

/** Limits on the volumes a driver can use on one node. */
export interface VolumeNodeResources {
  /**
   * How many volumes of the driver may be attached to the node at once; unset means no limit.
   * @protobuf 1
   * @pointer
   */
  count?: int32;
}
