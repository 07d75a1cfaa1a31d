/**
 * Shared metadata types every kind uses. The code generator knows the scalar aliases here (`int32`, `int64`,
 * `Time`, `Quantity`, `IntOrString`, ...) by name and gives them Kubernetes' wire formats.
 */

/** A 32-bit signed integer. */
export type int32 = number;
/** A 64-bit signed integer (kept as a JSON number). */
export type int64 = number;
/** A timestamp in RFC 3339 form with second precision, e.g. `2024-05-01T10:00:00Z`. */
export type Time = string;
/** A timestamp in RFC 3339 form with microsecond precision. */
export type MicroTime = string;
/** A fixed-point amount with a suffix, e.g. `500m`, `1Gi`, `2`. */
export type Quantity = string;
/** A value that is either an integer or a string, e.g. `8080` or `http`. */
export type IntOrString = number | string;

/**
 * A set of fields in structured-merge-diff's JSON form: a tree of objects whose keys are `f:<field>`,
 * `k:<list-map keys>`, `v:<list value>` or `i:<index>`, with `.` for the field itself; a key mapping to `{}` is in
 * the set.
 */
export type FieldsV1 = Record<string, unknown>;

/** An embedded object of any kind, kept as it was sent. */
export type RawExtension = Record<string, unknown>;

/**
 * Metadata that every persisted object carries: identity, version and user-supplied labels and notes.
 */
export interface ObjectMeta {
  /**
   * Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds). Required on
   * create unless generateName is set; it cannot be changed afterwards.
   * @protobuf 1
   */
  name?: string;
  /**
   * Prefix the server uses to make a unique name when name is empty; a random suffix is appended.
   * @protobuf 2
   */
  generateName?: string;
  /**
   * The namespace the object lives in. Empty for cluster-scoped kinds; defaults to the request's namespace.
   * @protobuf 3
   */
  namespace?: string;
  /**
   * Deprecated link to this object; always empty.
   * @protobuf 4
   */
  selfLink?: string;
  /**
   * Unique identifier the server assigns on create; never reused for another object.
   * @protobuf 5
   */
  uid?: string;
  /**
   * Opaque version of this object, set by the server on every write. Send it back on update to detect
   * concurrent changes; clients must not interpret it.
   * @protobuf 6
   */
  resourceVersion?: string;
  /**
   * A number the server increases whenever the desired state (spec) changes.
   * @protobuf 7
   */
  generation?: int64;
  /**
   * When the server created the object.
   * @protobuf 8
   * @alwaysWritten
   */
  creationTimestamp?: Time;
  /**
   * When the object will be removed; set when deletion has been requested and finalizers are pending.
   * @protobuf 9
   */
  deletionTimestamp?: Time;
  /**
   * Seconds the object is given to terminate gracefully before it is removed.
   * @protobuf 10
   * @pointer
   */
  deletionGracePeriodSeconds?: int64;
  /**
   * Key/value pairs used to organise and select objects.
   * @protobuf 11
   */
  labels?: Record<string, string>;
  /**
   * Key/value pairs holding arbitrary non-identifying data for tools and people.
   * @protobuf 12
   */
  annotations?: Record<string, string>;
  /**
   * Objects this one depends on; when all owners are gone it may be garbage collected.
   * @protobuf 13
   * @patchStrategy merge
   * @patchMergeKey uid
   * @listType map
   * @listMapKey uid
   */
  ownerReferences?: OwnerReference[];
  /**
   * Names of pending clean-up steps that must finish before the object is removed.
   * @protobuf 14
   * @patchStrategy merge
   * @listType set
   */
  finalizers?: string[];
  /**
   * Which managers own which fields, maintained by server-side apply.
   * @protobuf 17
   * @listType atomic
   */
  managedFields?: ManagedFieldsEntry[];
}

/**
 * Identifies an owning object.
 * @structType atomic
 */
export interface OwnerReference {
  /**
   * API version of the owner.
   * @protobuf 5
   * @alwaysWritten
   */
  apiVersion: string;
  /**
   * Kind of the owner.
   * @protobuf 1
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the owner.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
  /**
   * UID of the owner.
   * @protobuf 4
   * @alwaysWritten
   */
  uid: string;
  /**
   * True when the owner is the managing controller.
   * @protobuf 6
   * @pointer
   */
  controller?: boolean;
  /**
   * True when the owner cannot be deleted before this object is removed (foreground deletion).
   * @protobuf 7
   * @pointer
   */
  blockOwnerDeletion?: boolean;
}

/** One manager's claim on a set of fields. */
export interface ManagedFieldsEntry {
  /**
   * Who manages these fields.
   * @protobuf 1
   */
  manager?: string;
  /**
   * The kind of operation that set them: Apply or Update.
   * @protobuf 2
   */
  operation?: string;
  /**
   * API version of the fields described.
   * @protobuf 3
   */
  apiVersion?: string;
  /**
   * When the fields were last changed.
   * @protobuf 4
   */
  time?: Time;
  /**
   * Format of fieldsV1; always FieldsV1.
   * @protobuf 6
   */
  fieldsType?: string;
  /**
   * The set of fields, in the FieldsV1 format.
   * @protobuf 7
   */
  fieldsV1?: FieldsV1;
  /**
   * The subresource the fields were written through, if any.
   * @protobuf 8
   */
  subresource?: string;
}

/** Metadata of a list response. */
export interface ListMeta {
  /**
   * Deprecated; always empty.
   * @protobuf 1
   */
  selfLink?: string;
  /**
   * The store revision the list was read at.
   * @protobuf 2
   */
  resourceVersion?: string;
  /**
   * Opaque token to fetch the next page; empty on the last page.
   * @protobuf 3
   */
  continue?: string;
  /**
   * Number of items after this page, when the server can tell.
   * @protobuf 4
   * @pointer
   */
  remainingItemCount?: int64;
}

/**
 * Picks objects by their labels. Both parts are ANDed together; an empty selector matches every object, while
 * an absent one (null) matches none.
 * @structType atomic
 */
export interface LabelSelector {
  /**
   * Exact label matches; each entry is shorthand for an In requirement with a single value.
   * @protobuf 1
   */
  matchLabels?: Record<string, string>;
  /**
   * Requirements on label values, all of which must hold.
   * @protobuf 2
   * @listType atomic
   */
  matchExpressions?: LabelSelectorRequirement[];
}

/** One requirement of a label selector: a key, an operator and, for In/NotIn, a set of values. */
export interface LabelSelectorRequirement {
  /**
   * The label key the requirement is about.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * How the key relates to the values: In, NotIn, Exists or DoesNotExist. Not an enumeration in the schema: the
   * kinds that hold selectors say which operators they take (access reviews take ones this server does not know).
   * @protobuf 2
   * @alwaysWritten
   */
  operator: string;
  /**
   * Values to compare with. Must be non-empty for In and NotIn and empty for Exists and DoesNotExist.
   * @protobuf 3
   * @listType atomic
   */
  values?: string[];
}

/** One requirement of a field selector: a field path, an operator and, for In/NotIn, a set of values. */
export interface FieldSelectorRequirement {
  /**
   * The field path the requirement is about.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * How the field relates to the values: In, NotIn, Exists or DoesNotExist. Not an enumeration in the schema: the
   * kinds that hold selectors say which operators they take (access reviews take ones this server does not know).
   * @protobuf 2
   * @alwaysWritten
   */
  operator: string;
  /**
   * Values to compare with. Must be non-empty for In and NotIn and empty for Exists and DoesNotExist.
   * @protobuf 3
   * @listType atomic
   */
  values?: string[];
}

/** One aspect of an object's current state, as reported by a controller. */
export interface Condition {
  /**
   * The aspect this condition describes, in CamelCase (e.g. Available) or as a qualified name.
   * @protobuf 1
   * @maxLength 316
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$
   * @alwaysWritten
   */
  type: string;
  /**
   * Whether the condition holds: True, False or Unknown.
   * @protobuf 2
   * @alwaysWritten
   */
  status: string;
  /**
   * The metadata.generation the condition was computed from; older than the object's generation means stale.
   * @protobuf 3
   * @minimum 0
   */
  observedGeneration?: int64;
  /**
   * When status last changed.
   * @protobuf 4
   * @alwaysWritten
   */
  lastTransitionTime: Time;
  /**
   * A CamelCase code for the cause of the last transition.
   * @protobuf 5
   * @minLength 1
   * @maxLength 1024
   * @pattern ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$
   * @alwaysWritten
   */
  reason: string;
  /**
   * Human-readable details of the transition; may be empty.
   * @protobuf 6
   * @maxLength 32768
   * @alwaysWritten
   */
  message: string;
}
