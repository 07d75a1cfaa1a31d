import type { LabelSelector, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Role is a namespaced set of permissions: the rules it lists are granted, within its namespace, to whoever a
 * RoleBinding binds it to.
 * @resource roles
 * @nameFormat path-segment
 * @printColumn "Created At" date .metadata.creationTimestamp
 */
export interface Role {
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
   * The permissions this role grants.
   * @protobuf 2
   * @listType atomic
   * @alwaysWritten
   */
  rules?: PolicyRule[];
}

/**
 * ClusterRole is a cluster-wide set of permissions, granted through a ClusterRoleBinding (everywhere) or a
 * RoleBinding (in one namespace). Its rules may instead be assembled from other ClusterRoles by label.
 * @resource clusterroles
 * @scope Cluster
 * @nameFormat path-segment
 * @printColumn "Created At" date .metadata.creationTimestamp
 */
export interface ClusterRole {
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
   * The permissions this role grants. When aggregationRule is set, a controller owns this list and overwrites it.
   * @protobuf 2
   * @listType atomic
   * @alwaysWritten
   */
  rules?: PolicyRule[];
  /**
   * When set, the rules are the union of the rules of every ClusterRole matched by its selectors.
   * @protobuf 3
   */
  aggregationRule?: AggregationRule;
}

/** Which ClusterRoles to merge into an aggregated ClusterRole. */
export interface AggregationRule {
  /**
   * Label selectors; a ClusterRole matched by any of them contributes its rules.
   * @protobuf 1
   * @listType atomic
   */
  clusterRoleSelectors?: LabelSelector[];
}

/**
 * One permission: the verbs allowed on the listed resources (optionally only those with the listed names), or
 * on the listed non-resource URL paths.
 */
export interface PolicyRule {
  /**
   * Actions allowed, e.g. get, list, create; '*' allows every verb.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  verbs: string[];
  /**
   * API groups the resources belong to; "" is the core group and '*' any group.
   * @protobuf 2
   * @listType atomic
   */
  apiGroups?: string[];
  /**
   * Resources the rule covers, e.g. pods or pods/log; '*' covers all.
   * @protobuf 3
   * @listType atomic
   */
  resources?: string[];
  /**
   * When non-empty, restricts the rule to objects with these names.
   * @protobuf 4
   * @listType atomic
   */
  resourceNames?: string[];
  /**
   * URL paths that are not API resources, e.g. /healthz; a trailing '*' matches a prefix. Only meaningful in
   * ClusterRoles bound by ClusterRoleBindings, and cannot be combined with resources.
   * @protobuf 5
   * @listType atomic
   */
  nonResourceURLs?: string[];
}

/**
 * RoleBinding grants, within its namespace, the permissions of a Role or ClusterRole to users, groups or
 * service accounts.
 * @resource rolebindings
 * @nameFormat path-segment
 * @printColumn Role string role() The role the binding grants, as Kind/name.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Users string users() 1 The users the binding names.
 * @printColumn Groups string groups() 1 The groups the binding names.
 * @printColumn ServiceAccounts string serviceAccounts() 1 The service accounts the binding names, as namespace/name.
 */
export interface RoleBinding {
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
   * Who receives the permissions.
   * @protobuf 2
   * @listType atomic
   */
  subjects?: Subject[];
  /**
   * The Role (in this namespace) or ClusterRole granted. Cannot be changed; delete and recreate the binding.
   * @protobuf 3
   * @alwaysWritten
   */
  roleRef: RoleRef;
}

/**
 * ClusterRoleBinding grants the permissions of a ClusterRole across the whole cluster.
 * @resource clusterrolebindings
 * @scope Cluster
 * @nameFormat path-segment
 * @printColumn Role string role() The role the binding grants, as Kind/name.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Users string users() 1 The users the binding names.
 * @printColumn Groups string groups() 1 The groups the binding names.
 * @printColumn ServiceAccounts string serviceAccounts() 1 The service accounts the binding names, as namespace/name.
 */
export interface ClusterRoleBinding {
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
   * Who receives the permissions.
   * @protobuf 2
   * @listType atomic
   */
  subjects?: Subject[];
  /**
   * The ClusterRole granted. Cannot be changed; delete and recreate the binding.
   * @protobuf 3
   * @alwaysWritten
   */
  roleRef: RoleRef;
}

/**
 * A user, group or service account a binding applies to.
 * @structType atomic
 */
export interface Subject {
  /**
   * What the subject is: User, Group or ServiceAccount.
   * @protobuf 1
   * @alwaysWritten
   */
  kind: string;
  /**
   * API group of the subject kind: "" for ServiceAccount, rbac.authorization.k8s.io for User and Group.
   * @protobuf 2
   */
  apiGroup?: string;
  /**
   * Name of the subject.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
  /**
   * Namespace of a ServiceAccount subject; required for service accounts in cluster role bindings.
   * @protobuf 4
   */
  namespace?: string;
}

/**
 * The role a binding grants.
 * @structType atomic
 */
export interface RoleRef {
  /**
   * API group of the role; always rbac.authorization.k8s.io.
   * @protobuf 1
   * @alwaysWritten
   */
  apiGroup: string;
  /**
   * Role or ClusterRole.
   * @protobuf 2
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the role.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
}
