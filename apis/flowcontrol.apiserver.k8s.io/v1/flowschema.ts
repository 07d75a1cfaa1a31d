import type { int32, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * FlowSchema sorts requests into flows and assigns them to a priority level. The schema with the numerically
 * lowest matchingPrecedence whose rules match a request wins; the distinguisher then splits the matched requests
 * into flows (by user or by namespace) that the priority level queues fairly against each other.
 * @resource flowschemas
 * @scope Cluster
 * @subresource status
 * @printColumn PriorityLevel string .spec.priorityLevelConfiguration.name
 * @printColumn MatchingPrecedence string matchingPrecedence() The schema's precedence: lower values are matched first.
 * @printColumn DistinguisherMethod string distinguisherMethod() How matching requests are split into flows: ByUser,
 *   ByNamespace, or <none>.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn MissingPL string missingPL() Whether the priority level the schema names is missing (its Dangling
 *   condition).
 */
export interface FlowSchema {
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
   * What the schema matches and where matched requests go.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: FlowSchemaSpec;
  /**
   * The current state of the schema, written by the server.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: FlowSchemaStatus;
}

/** How a FlowSchema matches requests, and the priority level it sends them to. */
export interface FlowSchemaSpec {
  /**
   * The priority level matched requests are served at. A schema naming a level that does not exist matches nothing
   * and is marked Dangling.
   * @protobuf 1
   * @alwaysWritten
   */
  priorityLevelConfiguration: PriorityLevelConfigurationReference;
  /**
   * Order among schemas: the lowest number that matches wins. Between 1 and 10000; 1000 when unset. Only the
   * mandatory `exempt` schema may use 1.
   * @protobuf 2
   * @alwaysWritten
   */
  matchingPrecedence?: int32;
  /**
   * How matched requests are split into flows; absent: all of them form one flow.
   * @protobuf 3
   */
  distinguisherMethod?: FlowDistinguisherMethod;
  /**
   * A request matches the schema when it matches at least one of these; an empty list matches nothing.
   * @protobuf 4
   * @listType atomic
   */
  rules?: PolicyRulesWithSubjects[];
}

/** Names a PriorityLevelConfiguration. */
export interface PriorityLevelConfigurationReference {
  /**
   * Name of the PriorityLevelConfiguration.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/** How requests are split into flows. */
export interface FlowDistinguisherMethod {
  /**
   * ByUser (one flow per user name) or ByNamespace (one flow per namespace of the object).
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
}

/**
 * A rule that matches a request when its subject matches one of `subjects` and the request matches one of
 * `resourceRules` or `nonResourceRules`.
 */
export interface PolicyRulesWithSubjects {
  /**
   * The users, groups and service accounts this rule is about; must not be empty.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  subjects: Subject[];
  /**
   * Resource requests this rule matches.
   * @protobuf 2
   * @listType atomic
   */
  resourceRules?: ResourcePolicyRule[];
  /**
   * Non-resource requests (by path) this rule matches.
   * @protobuf 3
   * @listType atomic
   */
  nonResourceRules?: NonResourcePolicyRule[];
}

/** Who a request comes from: a user, a group, or a service account. */
export interface Subject {
  /**
   * User, Group or ServiceAccount: which of the fields below is set.
   * @protobuf 1
   * @alwaysWritten
   */
  kind: string;
  /**
   * The user, when kind is User.
   * @protobuf 2
   */
  user?: UserSubject;
  /**
   * The group, when kind is Group.
   * @protobuf 3
   */
  group?: GroupSubject;
  /**
   * The service account, when kind is ServiceAccount.
   * @protobuf 4
   */
  serviceAccount?: ServiceAccountSubject;
}

/** A user by name. */
export interface UserSubject {
  /**
   * The user name; `*` matches every user.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/** A group by name. */
export interface GroupSubject {
  /**
   * The group name, e.g. `system:authenticated`; `*` matches every group.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/** A service account by namespace and name. */
export interface ServiceAccountSubject {
  /**
   * The namespace of the service account.
   * @protobuf 1
   * @alwaysWritten
   */
  namespace: string;
  /**
   * The name of the service account; `*` matches every one in the namespace.
   * @protobuf 2
   * @alwaysWritten
   */
  name: string;
}

/**
 * Matches resource requests by verb, API group, resource and namespace. Cluster-scoped requests match only when
 * clusterScope is true; namespaced ones only when their namespace is listed (or `*` is).
 */
export interface ResourcePolicyRule {
  /**
   * Verbs matched; `*` (alone) matches all.
   * @protobuf 1
   * @listType set
   * @alwaysWritten
   */
  verbs: string[];
  /**
   * API groups matched (`""` is the core group); `*` (alone) matches all.
   * @protobuf 2
   * @listType set
   * @alwaysWritten
   */
  apiGroups: string[];
  /**
   * Resources matched, lower-case plural, with `/subresource` where one is meant; `*` (alone) matches all.
   * @protobuf 3
   * @listType set
   * @alwaysWritten
   */
  resources: string[];
  /**
   * Whether requests that name no namespace (cluster-scoped objects, or lists across namespaces) match.
   * @protobuf 4
   */
  clusterScope?: boolean;
  /**
   * Namespaces of namespaced requests that match; `*` (alone) matches every namespace.
   * @protobuf 5
   * @listType set
   * @alwaysWritten
   */
  namespaces?: string[];
}

/** Matches non-resource requests by verb and path. */
export interface NonResourcePolicyRule {
  /**
   * Verbs matched; `*` (alone) matches all.
   * @protobuf 1
   * @listType set
   * @alwaysWritten
   */
  verbs: string[];
  /**
   * Paths matched: exact, or a prefix ending in `/*`; `*` (alone) matches all.
   * @protobuf 6
   * @listType set
   * @alwaysWritten
   */
  nonResourceURLs: string[];
}

/** What the server observed about a FlowSchema. */
export interface FlowSchemaStatus {
  /**
   * The schema's conditions; the server maintains `Dangling`.
   * @protobuf 1
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: FlowSchemaCondition[];
}

/** One aspect of a FlowSchema's state. */
export interface FlowSchemaCondition {
  /**
   * The aspect, e.g. Dangling.
   * @protobuf 1
   */
  type?: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   */
  status?: string;
  /**
   * When status last changed.
   * @protobuf 3
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * CamelCase cause of the last transition.
   * @protobuf 4
   */
  reason?: string;
  /**
   * Human-readable details.
   * @protobuf 5
   */
  message?: string;
}
