import type { TopologySelectorTerm } from '../../core/v1/topology.ts';
import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * StorageClass describes a kind of storage that persistent volumes can be provisioned from dynamically: which
 * provisioner creates them and with which parameters.
 * @resource storageclasses
 * @metadataOnUpdate update
 * @scope Cluster
 * @shortNames sc
 * @printColumn Name string name() Name of the class, marked (default) when it is the cluster's default class.
 * @printColumn Provisioner string .provisioner
 * @printColumn ReclaimPolicy string .reclaimPolicy
 * @printColumn VolumeBindingMode string .volumeBindingMode
 * @printColumn AllowVolumeExpansion string allowVolumeExpansion() Whether claims of the class may grow.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface StorageClass {
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
   * Name of the volume plugin or CSI driver that provisions volumes of this class. Cannot be changed.
   * @protobuf 2
   * @alwaysWritten
   */
  provisioner: string;
  /**
   * Provisioner-specific settings for new volumes. Cannot be changed.
   * @protobuf 3
   */
  parameters?: Record<string, string>;
  /**
   * What happens to a provisioned volume when its claim is released: Delete (the default) or Retain.
   * @protobuf 4
   * @pointer
   * @openEnum
   */
  reclaimPolicy?: 'Delete' | 'Retain' | 'Recycle';
  /**
   * Mount options given to volumes of this class, e.g. ro or soft; not validated, so a bad one fails the mount.
   * @protobuf 5
   * @listType atomic
   */
  mountOptions?: string[];
  /**
   * Whether claims of this class may be resized.
   * @protobuf 6
   * @pointer
   */
  allowVolumeExpansion?: boolean;
  /**
   * When volumes are provisioned and bound: Immediate (the default) or WaitForFirstConsumer, which waits for a
   * pod using the claim to be scheduled.
   * @protobuf 7
   * @pointer
   */
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /**
   * Where volumes may be provisioned, as topology label requirements; empty means anywhere.
   * @protobuf 8
   * @listType atomic
   */
  allowedTopologies?: TopologySelectorTerm[];
}
