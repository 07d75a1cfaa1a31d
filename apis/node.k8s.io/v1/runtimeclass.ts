import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { ResourceList, Toleration } from '../../core/v1/pod.ts';

/**
 * RuntimeClass names a container runtime configuration (a CRI handler) pods can ask for in runtimeClassName, with
 * the overhead such pods carry and the nodes they may run on.
 * @resource runtimeclasses
 * @metadataOnUpdate update
 * @scope Cluster
 * @printColumn Handler string .handler
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface RuntimeClass {
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
   * The CRI handler that runs pods of this class, as the node's runtime configuration names it. A DNS label;
   * cannot be changed.
   * @immutable
   * @protobuf 2
   * @alwaysWritten
   */
  handler: string;
  /**
   * The resources a pod of this class uses beyond its containers; the RuntimeClass admission plug-in copies it
   * into the pod's spec.overhead.
   * @protobuf 3
   */
  overhead?: Overhead;
  /**
   * Where pods of this class may run; the RuntimeClass admission plug-in merges it into each pod's node selector
   * and tolerations. Unset: every node supports the class.
   * @protobuf 4
   */
  scheduling?: Scheduling;
}

/** The resource overhead of running a pod of a RuntimeClass. */
export interface Overhead {
  /**
   * The fixed overhead of each pod.
   * @protobuf 1
   */
  podFixed?: ResourceList;
}

/** The nodes that support a RuntimeClass. */
export interface Scheduling {
  /**
   * Labels a node must have to run pods of this class; merged into each pod's nodeSelector (a conflict refuses the
   * pod).
   * @mapType atomic
   * @protobuf 1
   */
  nodeSelector?: Record<string, string>;
  /**
   * Tolerations added to each pod of this class, apart from those it already has.
   * @listType atomic
   * @protobuf 2
   */
  tolerations?: Toleration[];
}
