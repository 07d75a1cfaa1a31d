import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { ResourceList } from './pod.ts';

/**
 * LimitRange sets per-namespace limits on the resources of pods, containers and claims, and defaults for containers
 * that set none.
 * @resource limitranges
 * @shortNames limits
 * @printColumn "Created At" date .metadata.creationTimestamp
 */
export interface LimitRange {
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
   * The limits.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: LimitRangeSpec;
}

/**
 * The limits of a LimitRange.
 */
export interface LimitRangeSpec {
  /**
   * The limits, one item per kind of object.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  limits: LimitRangeItem[];
}

/**
 * Limits for one kind of object.
 */
export interface LimitRangeItem {
  /**
   * Kind of object the limits apply to: Pod, Container or PersistentVolumeClaim.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * Most of each resource an object may use.
   * @protobuf 2
   */
  max?: ResourceList;
  /**
   * Least of each resource an object may use.
   * @protobuf 3
   */
  min?: ResourceList;
  /**
   * Limits given to containers that set none.
   * @protobuf 4
   */
  default?: ResourceList;
  /**
   * Requests given to containers that set none.
   * @protobuf 5
   */
  defaultRequest?: ResourceList;
  /**
   * Highest allowed ratio of limit to request, per resource.
   * @protobuf 6
   */
  maxLimitRequestRatio?: ResourceList;
}
