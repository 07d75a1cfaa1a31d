import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * ServiceAccount is an identity for processes that run in pods, used to authenticate them to the API.
 * @resource serviceaccounts
 * @shortNames sa
 * @subresource token authentication.k8s.io/v1 TokenRequest create
 * @printColumn Secrets string secrets() How many secrets the service account lists.
 */
export interface ServiceAccount {
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
   * Secrets that pods running as this account may use.
   * @protobuf 2
   * @patchStrategy merge
   * @patchMergeKey name
   * @listType map
   * @listMapKey name
   */
  secrets?: ObjectReference[];
  /**
   * Registry credentials added to every pod that runs as this account.
   * @protobuf 3
   * @listType atomic
   */
  imagePullSecrets?: LocalObjectReference[];
  /**
   * Whether pods running as this account get an API token mounted by default.
   * @protobuf 4
   * @pointer
   */
  automountServiceAccountToken?: boolean;
}

/**
 * Points at an object by kind, namespace and name.
 * @structType atomic
 */
export interface ObjectReference {
  /**
   * Kind of the referent.
   * @protobuf 1
   */
  kind?: string;
  /**
   * Namespace of the referent.
   * @protobuf 2
   */
  namespace?: string;
  /**
   * Name of the referent.
   * @protobuf 3
   */
  name?: string;
  /**
   * UID of the referent.
   * @protobuf 4
   */
  uid?: string;
  /**
   * API version of the referent.
   * @protobuf 5
   */
  apiVersion?: string;
  /**
   * Version of the referent that was seen.
   * @protobuf 6
   */
  resourceVersion?: string;
  /**
   * A field inside the referent, e.g. spec.containers{name}.
   * @protobuf 7
   */
  fieldPath?: string;
}

/**
 * Points at an object by name, in the same namespace.
 * @structType atomic
 */
export interface LocalObjectReference {
  /**
   * Name of the referent. Effectively required, but may be empty for backward compatibility.
   * @protobuf 1
   * @default ""
   */
  name?: string;
}
