import type { int64, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * TokenReview asks the server whether a bearer token is valid and, if it is, whom it belongs to. It is answered
 * at once and never stored; webhook token authenticators receive the same object.
 * @resource tokenreviews
 * @scope Cluster
 * @verbs create
 */
export interface TokenReview {
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
   * The token to check.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: TokenReviewSpec;
  /**
   * The answer, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: TokenReviewStatus;
}

/** What a TokenReview asks about. */
export interface TokenReviewSpec {
  /**
   * The opaque bearer token.
   * @protobuf 1
   */
  token?: string;
  /**
   * Audiences the caller accepts; the token must be valid for at least one of them. Empty means the server's own.
   * @protobuf 2
   * @listType atomic
   */
  audiences?: string[];
}

/** The result of a TokenReview. */
export interface TokenReviewStatus {
  /**
   * Whether the token belongs to a known user.
   * @protobuf 1
   */
  authenticated?: boolean;
  /**
   * The user the token belongs to.
   * @protobuf 2
   * @alwaysWritten
   */
  user?: UserInfo;
  /**
   * The audiences, among those asked for, that the token is valid for.
   * @protobuf 4
   * @listType atomic
   */
  audiences?: string[];
  /**
   * Why the token could not be checked (not set merely because the token is invalid).
   * @protobuf 3
   */
  error?: string;
}

/** Who a user is, as the authenticators describe them. */
export interface UserInfo {
  /**
   * The name that uniquely identifies the user.
   * @protobuf 1
   */
  username?: string;
  /**
   * A value that identifies this user across time: a user deleted and re-created under the same name gets a new one.
   * @protobuf 2
   */
  uid?: string;
  /**
   * The groups the user belongs to.
   * @protobuf 3
   * @listType atomic
   */
  groups?: string[];
  /**
   * Further facts the authenticator knows about the user.
   * @protobuf 4
   */
  extra?: Record<string, string[]>;
}

/**
 * SelfSubjectReview tells the caller who the server thinks they are (`kubectl auth whoami`). It is answered at
 * once and never stored.
 * @resource selfsubjectreviews
 * @scope Cluster
 * @verbs create
 */
export interface SelfSubjectReview {
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
   * The answer, filled in by the server.
   * @protobuf 2
   * @alwaysWritten
   */
  status?: SelfSubjectReviewStatus;
}

/** The caller's identity, as the server saw it. */
export interface SelfSubjectReviewStatus {
  /**
   * The user attributes of the caller.
   * @protobuf 1
   * @alwaysWritten
   */
  userInfo?: UserInfo;
}

/**
 * TokenRequest asks for a service account token: a signed, expiring token for the service account named in the
 * path (`serviceaccounts/<name>/token`), optionally bound to an object whose deletion revokes it.
 * @subresourceKind
 */
export interface TokenRequest {
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
   * What token is asked for.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: TokenRequestSpec;
  /**
   * The issued token, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: TokenRequestStatus;
}

/** The properties of a requested token. */
export interface TokenRequestSpec {
  /**
   * Who the token is meant for: its recipients must find one of their own identifiers here. Empty means the
   * server's own audiences.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  audiences: string[];
  /**
   * How long the token should be valid, in seconds; the server may shorten it.
   * @protobuf 4
   * @default 3600
   * @alwaysWritten
   * @pointer
   */
  expirationSeconds?: int64;
  /**
   * An object the token is bound to: the token stops being valid when that object is deleted.
   * @protobuf 3
   * @alwaysWritten
   * @pointer
   */
  boundObjectRef?: BoundObjectReference;
}

/** The token the server issued. */
export interface TokenRequestStatus {
  /**
   * The opaque bearer token.
   * @protobuf 1
   * @alwaysWritten
   */
  token: string;
  /**
   * When the token expires.
   * @protobuf 2
   * @alwaysWritten
   */
  expirationTimestamp: Time;
}

/** The object a token is bound to. */
export interface BoundObjectReference {
  /**
   * Kind of the referent: Pod, Secret or Node.
   * @protobuf 1
   */
  kind?: string;
  /**
   * API version of the referent.
   * @protobuf 2
   */
  apiVersion?: string;
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
}
