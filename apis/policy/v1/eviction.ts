import type { DeleteOptions } from '../../meta/v1/status.ts';
import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Eviction asks for a pod to be deleted within the limits its PodDisruptionBudget sets: POSTed to the pod's
 * `eviction` subresource, it deletes the pod, or is refused with 429 while the budget allows no disruption.
 * @subresourceKind
 */
export interface Eviction {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata: the name and namespace of the pod to evict.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Options for the deletion of the pod.
   * @protobuf 2
   */
  deleteOptions?: DeleteOptions;
}
