import type { int32, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * PriorityClass maps a name to an integer priority. Pods name a class in priorityClassName; higher values are
 * scheduled first and may preempt lower ones.
 * @resource priorityclasses
 * @metadataOnUpdate update
 * @scope Cluster
 * @shortNames pc
 * @printColumn Value integer .value
 * @printColumn Global-Default boolean .globalDefault
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn PreemptionPolicy string .preemptionPolicy
 */
export interface PriorityClass {
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
   * The priority pods of this class get. User-defined classes may use values up to one billion; larger values
   * are reserved for system-critical pods.
   * @protobuf 2
   * @alwaysWritten
   */
  value: int32;
  /**
   * When true, pods without a priorityClassName get this class. At most one class should be the global default.
   * @protobuf 3
   */
  globalDefault?: boolean;
  /**
   * Free text telling users when to use this class.
   * @protobuf 4
   */
  description?: string;
  /**
   * Whether pods of this class may evict lower-priority pods: PreemptLowerPriority or Never.
   * @protobuf 5
   * @pointer
   */
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
}
