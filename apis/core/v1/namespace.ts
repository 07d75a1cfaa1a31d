import type { ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * Namespace gives names a scope: objects in different namespaces may share a name. Deleting a namespace
 * deletes everything in it.
 * @resource namespaces
 * @metadataOnUpdate update
 * @selectableField .status.phase
 * @scope Cluster
 * @shortNames ns
 * @nameFormat dns1123-label
 * @verbs create,delete,get,list,patch,update,watch
 * @subresource status
 * @statusKeepsMetadata none
 * @subresource finalize v1 Namespace update
 * @printColumn Status string .status.phase
 */
export interface Namespace {
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
   * Desired behaviour of the namespace.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: NamespaceSpec;
  /**
   * Observed state of the namespace.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: NamespaceStatus;
}

/** Desired behaviour of a namespace. */
export interface NamespaceSpec {
  /**
   * Clean-up steps that must finish before the namespace is removed.
   * @protobuf 1
   * @listType atomic
   */
  finalizers?: string[];
}

/** Observed state of a namespace. */
export interface NamespaceStatus {
  /**
   * Lifecycle phase: Active, or Terminating while its contents are deleted.
   * @protobuf 1
   * @default "Active"
   */
  phase?: 'Active' | 'Terminating';
  /**
   * What the namespace controller found while deleting the namespace's contents (NamespaceContentRemaining,
   * NamespaceFinalizersRemaining, NamespaceDeletionContentFailure, ...).
   * @protobuf 2
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  conditions?: NamespaceCondition[];
}

/**
 * One condition of a namespace.
 */
export interface NamespaceCondition {
  /**
   * Which condition this is, e.g. NamespaceContentRemaining.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   * @alwaysWritten
   */
  status: string;
  /**
   * When the status last changed.
   * @protobuf 4
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * Short CamelCase reason for the last transition.
   * @protobuf 5
   */
  reason?: string;
  /**
   * Human-readable detail.
   * @protobuf 6
   */
  message?: string;
}
