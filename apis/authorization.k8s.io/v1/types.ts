import type { FieldSelectorRequirement, LabelSelectorRequirement, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * SubjectAccessReview asks whether a given user may perform an action. It is answered at once and never stored;
 * webhook authorizers receive the same object.
 * @resource subjectaccessreviews
 * @scope Cluster
 * @verbs create
 */
export interface SubjectAccessReview {
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
   * The user and the action in question.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: SubjectAccessReviewSpec;
  /**
   * The answer, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: SubjectAccessReviewStatus;
}

/**
 * SelfSubjectAccessReview asks whether the caller may perform an action (`kubectl auth can-i`).
 * @resource selfsubjectaccessreviews
 * @scope Cluster
 * @verbs create
 */
export interface SelfSubjectAccessReview {
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
   * The action in question; exactly one of the attribute sets must be given.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: SelfSubjectAccessReviewSpec;
  /**
   * The answer, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: SubjectAccessReviewStatus;
}

/**
 * LocalSubjectAccessReview asks whether a given user may perform an action in one namespace; namespace admins
 * can be allowed to ask it without being allowed to ask about the whole cluster.
 * @resource localsubjectaccessreviews
 * @verbs create
 */
export interface LocalSubjectAccessReview {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata; its namespace must be the one of the resource attributes.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * The user and the action in question.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: SubjectAccessReviewSpec;
  /**
   * The answer, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: SubjectAccessReviewStatus;
}

/**
 * SelfSubjectRulesReview lists what the caller may do in a namespace (`kubectl auth can-i --list`). The list may
 * be incomplete when an authorizer cannot enumerate its rules.
 * @resource selfsubjectrulesreviews
 * @scope Cluster
 * @verbs create
 */
export interface SelfSubjectRulesReview {
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
   * The namespace to list the rules of.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: SelfSubjectRulesReviewSpec;
  /**
   * The answer, filled in by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: SubjectRulesReviewStatus;
}

/** The action of a resource request in question. */
export interface ResourceAttributes {
  /**
   * Namespace of the action; empty means all namespaces for namespaced resources, and nothing for cluster-scoped ones.
   * @protobuf 1
   */
  namespace?: string;
  /**
   * The verb: get, list, watch, create, update, patch, delete, deletecollection, or a custom one such as impersonate.
   * @protobuf 2
   */
  verb?: string;
  /**
   * API group of the resource; `*` means all.
   * @protobuf 3
   */
  group?: string;
  /**
   * API version of the resource; `*` means all.
   * @protobuf 4
   */
  version?: string;
  /**
   * The resource; `*` means all.
   * @protobuf 5
   */
  resource?: string;
  /**
   * The subresource; empty means none.
   * @protobuf 6
   */
  subresource?: string;
  /**
   * Name of the object; empty means all.
   * @protobuf 7
   */
  name?: string;
  /**
   * The field selector of a list, watch or deletecollection.
   * @protobuf 8
   */
  fieldSelector?: FieldSelectorAttributes;
  /**
   * The label selector of a list, watch or deletecollection.
   * @protobuf 9
   */
  labelSelector?: LabelSelectorAttributes;
}

/** A field selector in question, raw or parsed. */
export interface FieldSelectorAttributes {
  /**
   * The selector as it appears in a query string.
   * @protobuf 1
   */
  rawSelector?: string;
  /**
   * The parsed requirements.
   * @protobuf 2
   * @listType atomic
   */
  requirements?: FieldSelectorRequirement[];
}

/** A label selector in question, raw or parsed. */
export interface LabelSelectorAttributes {
  /**
   * The selector as it appears in a query string.
   * @protobuf 1
   */
  rawSelector?: string;
  /**
   * The parsed requirements.
   * @protobuf 2
   * @listType atomic
   */
  requirements?: LabelSelectorRequirement[];
}

/** The action of a non-resource request in question. */
export interface NonResourceAttributes {
  /**
   * The URL path.
   * @protobuf 1
   */
  path?: string;
  /**
   * The HTTP verb in lower case: get, post, put, delete.
   * @protobuf 2
   */
  verb?: string;
}

/** Who asks to do what; exactly one of the attribute sets must be given. */
export interface SubjectAccessReviewSpec {
  /**
   * A resource request.
   * @protobuf 1
   */
  resourceAttributes?: ResourceAttributes;
  /**
   * A non-resource request.
   * @protobuf 2
   */
  nonResourceAttributes?: NonResourceAttributes;
  /**
   * The user asking.
   * @protobuf 3
   */
  user?: string;
  /**
   * The groups of the user.
   * @protobuf 4
   * @listType atomic
   */
  groups?: string[];
  /**
   * Further facts about the user, as the authenticator gave them.
   * @protobuf 5
   */
  extra?: Record<string, string[]>;
  /**
   * The user's UID.
   * @protobuf 6
   */
  uid?: string;
}

/** The action the caller asks about; exactly one of the attribute sets must be given. */
export interface SelfSubjectAccessReviewSpec {
  /**
   * A resource request.
   * @protobuf 1
   */
  resourceAttributes?: ResourceAttributes;
  /**
   * A non-resource request.
   * @protobuf 2
   */
  nonResourceAttributes?: NonResourceAttributes;
}

/** The namespace whose rules are listed. */
export interface SelfSubjectRulesReviewSpec {
  /**
   * The namespace.
   * @protobuf 1
   */
  namespace?: string;
}

/** The answer to an access review. */
export interface SubjectAccessReviewStatus {
  /**
   * Whether the action is allowed.
   * @protobuf 1
   * @alwaysWritten
   */
  allowed: boolean;
  /**
   * Whether the action is explicitly denied; both allowed and denied false means no authorizer had an opinion.
   * @protobuf 4
   */
  denied?: boolean;
  /**
   * Why the action is allowed or denied.
   * @protobuf 2
   */
  reason?: string;
  /**
   * An error that happened while deciding; the answer may still be usable.
   * @protobuf 3
   */
  evaluationError?: string;
}

/** What a subject may do in a namespace. */
export interface SubjectRulesReviewStatus {
  /**
   * Allowed actions on resources; order is not significant and entries may repeat.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  resourceRules: ResourceRule[];
  /**
   * Allowed actions on non-resource URLs.
   * @protobuf 2
   * @listType atomic
   * @alwaysWritten
   */
  nonResourceRules: NonResourceRule[];
  /**
   * True when the lists are incomplete, e.g. an authorizer cannot enumerate its rules.
   * @protobuf 3
   * @alwaysWritten
   */
  incomplete: boolean;
  /**
   * An error that happened while listing; the lists may still be usable.
   * @protobuf 4
   */
  evaluationError?: string;
}

/** Actions allowed on resources. */
export interface ResourceRule {
  /**
   * Allowed verbs; `*` means all.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  verbs: string[];
  /**
   * API groups of the resources; `*` means all.
   * @protobuf 2
   * @listType atomic
   */
  apiGroups?: string[];
  /**
   * The resources; `*` means all, and `*` before a slash stands for every resource with that subresource.
   * @protobuf 3
   * @listType atomic
   */
  resources?: string[];
  /**
   * Names of the allowed objects; empty means all.
   * @protobuf 4
   * @listType atomic
   */
  resourceNames?: string[];
}

/** Actions allowed on non-resource URLs. */
export interface NonResourceRule {
  /**
   * Allowed verbs (get, post, ...); `*` means all.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  verbs: string[];
  /**
   * The URLs; a trailing `*` matches every path with that prefix.
   * @protobuf 2
   * @listType atomic
   */
  nonResourceURLs?: string[];
}
