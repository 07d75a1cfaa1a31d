import type { int64, ObjectMeta, RawExtension } from '../../meta/v1/types.ts';

/**
 * ControllerRevision is an immutable snapshot of state a controller (StatefulSet, DaemonSet) may roll back to.
 * Its data cannot change after creation.
 * @resource controllerrevisions
 * @printColumn Controller string controller() The object that owns the revision (its controller owner reference), as
 *   kind.group/name.
 * @printColumn Revision string revision() The revision number of the state the object records.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface ControllerRevision {
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
   * The serialised state, any JSON object.
   * @protobuf 2
   * @alwaysWritten
   */
  data?: RawExtension;
  /**
   * The revision number this snapshot represents.
   * @protobuf 3
   * @alwaysWritten
   */
  revision: int64;
}
