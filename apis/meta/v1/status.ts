/**
 * The meta.k8s.io types of API responses and request options that have a protobuf form: Status (errors),
 * DeleteOptions and the metadata-only views (PartialObjectMetadata[List], what client-go's metadata client reads).
 * They are not kinds of their own here; the generator emits their protobuf descriptors.
 */
import type { int32, int64, ListMeta, ObjectMeta } from './types.ts';

/** The outcome of a request that returns no object, most often an error. */
export interface Status {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** Always Status. */
  kind?: string;
  /**
   * Standard list metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ListMeta;
  /**
   * Success or Failure.
   * @protobuf 2
   */
  status?: string;
  /**
   * A human-readable description of what happened.
   * @protobuf 3
   */
  message?: string;
  /**
   * A machine-readable reason, e.g. NotFound or Conflict.
   * @protobuf 4
   */
  reason?: string;
  /**
   * More about the reason: the object concerned and the causes.
   * @protobuf 5
   */
  details?: StatusDetails;
  /**
   * The HTTP status code of this status.
   * @protobuf 6
   */
  code?: int32;
}

/** The object a Status is about, and why. */
export interface StatusDetails {
  /**
   * Name of the object concerned.
   * @protobuf 1
   */
  name?: string;
  /**
   * Group of the object concerned.
   * @protobuf 2
   */
  group?: string;
  /**
   * Resource (or kind) of the object concerned.
   * @protobuf 3
   */
  kind?: string;
  /**
   * UID of the object concerned.
   * @protobuf 6
   */
  uid?: string;
  /**
   * The individual problems, one per bad field.
   * @protobuf 4
   * @listType atomic
   */
  causes?: StatusCause[];
  /**
   * Seconds the client should wait before retrying.
   * @protobuf 5
   */
  retryAfterSeconds?: int32;
}

/** One problem behind a Status. */
export interface StatusCause {
  /**
   * A machine-readable description, e.g. FieldValueRequired.
   * @protobuf 1
   */
  reason?: string;
  /**
   * A human-readable description.
   * @protobuf 2
   */
  message?: string;
  /**
   * Path of the field at fault, e.g. spec.containers[0].image.
   * @protobuf 3
   */
  field?: string;
}

/** Options of a delete request. */
export interface DeleteOptions {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** Always DeleteOptions. */
  kind?: string;
  /**
   * Seconds the object has to terminate gracefully; 0 deletes at once.
   * @protobuf 1
   * @pointer
   */
  gracePeriodSeconds?: int64;
  /**
   * Conditions that must hold for the delete to proceed.
   * @protobuf 2
   */
  preconditions?: Preconditions;
  /**
   * Deprecated: whether dependents are orphaned; use propagationPolicy.
   * @protobuf 3
   * @pointer
   */
  orphanDependents?: boolean;
  /**
   * How dependents are garbage collected: Orphan, Background or Foreground.
   * @protobuf 4
   * @pointer
   */
  propagationPolicy?: string;
  /**
   * When present, the request is checked but not carried out. The only value is All.
   * @protobuf 5
   * @listType atomic
   */
  dryRun?: string[];
  /**
   * Deletes an object that can no longer be read from storage (corrupt); dangerous, and needs extra permission.
   * @protobuf 6
   * @pointer
   */
  ignoreStoreReadErrorWithClusterBreakingPotential?: boolean;
}

/** Conditions a delete or update requires of the stored object. */
export interface Preconditions {
  /**
   * The object's UID must be this.
   * @protobuf 1
   * @pointer
   */
  uid?: string;
  /**
   * The object's resourceVersion must be this.
   * @protobuf 2
   * @pointer
   */
  resourceVersion?: string;
}

/** An object's metadata alone, the view a client asks for with `as=PartialObjectMetadata`. */
export interface PartialObjectMetadata {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** Always PartialObjectMetadata. */
  kind?: string;
  /**
   * The object's metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
}

/** A list of objects' metadata, the view a client asks for with `as=PartialObjectMetadataList`. */
export interface PartialObjectMetadataList {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** Always PartialObjectMetadataList. */
  kind?: string;
  /**
   * Standard list metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ListMeta;
  /**
   * The items' metadata.
   * @protobuf 2
   * @listType atomic
   */
  items: PartialObjectMetadata[];
}
