import type { int32, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Scale is a scalable object's replica count on its own: what its `scale` subresource reads and writes, for every
 * kind that has one (Deployments, ReplicaSets, StatefulSets, ReplicationControllers, custom resources). Autoscalers
 * and `kubectl scale` change replicas through it without knowing the kind.
 * @subresourceKind
 */
export interface Scale {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Metadata of the scaled object: its name, namespace, uid and resourceVersion.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * The replica count wanted.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ScaleSpec;
  /**
   * The replica count observed; read only.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ScaleStatus;
}

/** The replica count wanted. */
export interface ScaleSpec {
  /**
   * How many replicas the object should have.
   * @protobuf 1
   */
  replicas?: int32;
}

/** The replica count observed. */
export interface ScaleStatus {
  /**
   * How many replicas the object has now.
   * @protobuf 1
   * @alwaysWritten
   */
  replicas: int32;
  /**
   * The label selector of the counted pods, in its string form (`app=web,tier in (a,b)`), for autoscalers to find
   * them.
   * @protobuf 2
   */
  selector?: string;
}
