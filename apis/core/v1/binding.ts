import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { ObjectReference } from './serviceaccount.ts';

/**
 * Binding ties an object to another: a scheduler binds a pod to a node by creating one (`bindings`, or the pod's
 * `binding` subresource), which sets the pod's spec.nodeName. Nothing is stored under this kind.
 * @resource bindings
 * @verbs create
 */
export interface Binding {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata: the name (and namespace) of the object being bound.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * The object to bind to: a Node, by name.
   * @protobuf 2
   * @alwaysWritten
   */
  target: ObjectReference;
}
