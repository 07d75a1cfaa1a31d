/**
 * The contract between generated code and the runtime: what `generated/` exports for every group version and
 * kind. Kinds registered at run time (custom resources) fill in the same shapes, so the scheme, registry,
 * discovery and OpenAPI code never needs to know where a kind came from.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { TSchema } from 'typebox';
import type { FieldError } from './field-errors.ts';
import type { ValidationOptions } from './validation-options.ts';

export type Scope = 'Namespaced' | 'Cluster';

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

/** The conversion of a kind in its own storage version. */
export const identity = <T>(obj: T): T => obj;

export const allVerbs: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Rules for `metadata.name`, as upstream's per-kind name validators. */
export type NameFormat = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

/** meta/v1 TableRowCondition: a condition of a Table row; `Completed` marks an object that has run its course. */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface PrintColumn {
  name: string;
  /** OpenAPI type of the cell: string, integer, number, boolean, date. */
  type: string;
  /** JSONPath-like path into the object, e.g. `.status.phase`. */
  jsonPath: string;
  description: string;
  priority: number;
  format?: string;
  /** Computes the cell when the column is not a plain path (hand-written `print_<Kind>_<name>`). */
  cell?: (obj: Record<string, any>) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** A subresource whose body is a kind of its own (`serviceaccounts/token` takes a TokenRequest). */
export interface CustomSubresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: readonly Verb[];
  /** The body kind's schema in the OpenAPI documents (absent for custom resources' subresources). */
  openapiName?: string;
}

export interface Subresources {
  status?: boolean;
  scale?: ScaleSubresource;
  /** Served by a REST implementation the runtime registers (KubeAPIServer.registerREST). */
  custom?: readonly CustomSubresource[];
}

/** Strategic-merge-patch metadata of one field path (`spec.containers`). */
export interface PatchMeta {
  strategy?: string;
  mergeKey?: string;
  listType?: string;
}

/** Everything the runtime needs to serve one kind in one version. */
/** One label a field selector may use, and where its value comes from. */
export interface SelectableField {
  label: string;
  /** Dotted path of the value in the object, unless `value` computes it. */
  path?: string;
  /** What an unset field reads as: Go's zero value of its type (`''`, `'0'`, `'false'`), as upstream formats it. */
  zero?: string;
  /** Computes the value (a `field_<Kind>_<fn>` of the version's fields.ts). */
  value?: (obj: any) => string; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface KindRegistration {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** The REST resource name (plural). */
  resource: string;
  singular: string;
  scope: Scope;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  subresources: Subresources;
  nameFormat: NameFormat;
  printColumns: readonly PrintColumn[];
  /** Set when the kind's Table has no Age column at its end (upstream's CSIStorageCapacity printer has none). */
  noAgeColumn?: boolean;
  /** The order of a list's Table rows, where upstream's printer sorts them (FlowSchemas by precedence). */
  printOrder?: (a: Record<string, any>, b: Record<string, any>) => number; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The conditions of an object's Table row, where upstream's printer sets them (a finished Pod's `Completed`). */
  rowConditions?: (obj: Record<string, any>) => readonly TableRowCondition[] | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** `@generation`: whether metadata.generation is kept (absent: when the kind has a spec). */
  generation?: 'tracked' | 'none';
  /**
   * `@metadataOnUpdate`: what the kind's update validation checks of ObjectMeta (absent: 'full'). 'full' where
   * upstream's ValidateXUpdate re-runs the kind's whole ValidateX, name format included; 'update' where it runs
   * ValidateObjectMetaUpdate alone, so a generateName is then held only to the registry's common rule; 'none' where
   * it checks no ObjectMeta at all, on update or create (PodDisruptionBudgets, Events), leaving the registry's generic
   * checks alone (on create they run once the kind's pass).
   */
  metadataOnUpdate?: 'full' | 'update' | 'none';
  /** `@statusKeepsMetadata`: the metadata a /status write may not change (absent: labels, annotations, finalizers, ownerReferences). */
  statusKeepsMetadata?: readonly string[];
  /** Name of the kind's schema in the OpenAPI documents. */
  openapiName: string;
  /** Field paths whose values may not change after create. */
  immutableFields: readonly string[];
  /**
   * Top-level fields of type RawExtension (bytes upstream): their JSON text is kept as the client wrote it
   * (machinery/raw-json.ts). Absent: the kind has none, and its bodies are parsed and written as plain JSON.
   */
  rawJsonFields?: readonly string[];
  /** Patch metadata per dotted field path, for strategic merge patches. */
  patchMeta: Readonly<Record<string, PatchMeta>>;
  /** Set when the kind is deprecated in this version: the warning every response for it carries. */
  deprecated?: string;
  /**
   * What field selectors may match beside metadata.name/namespace (`@selectableField`), as upstream's field label
   * conversion function and GetAttrs of the kind. A kind without any accepts only the two metadata labels.
   */
  selectableFields?: readonly SelectableField[];
  /** Labels older clients send for another (`spec.host` for a Pod's `spec.nodeName`), `@fieldLabelAlias`. */
  fieldLabelAliases?: Readonly<Record<string, string>>;
  /** The message for an unsupported label (`%s`/`%q`: the label), when the kind words it its own way (batch/v1 Job). */
  fieldSelectorError?: string;
  /**
   * True for kinds compiled into the server (generated from apis/): strategic merge patch, Go-style zero values in
   * Tables. False for kinds added at run time (custom resources), which behave as upstream's CRDs.
   */
  builtIn: boolean;
  /** True when this kind has a protobuf wire encoding (every field numbered with @protobuf). */
  protobuf: boolean;
  /** The kind's JSON schema (TypeBox), for pruning and reporting unknown fields. */
  schema: TSchema;
  /**
   * Optional: drops the fields the kind does not declare (in place) and returns their paths, when pruning is more
   * than walking `schema` (custom resources' structural schemas: embedded resources, ObjectMeta). Absent: `schema`.
   */
  prune?(obj: Record<string, unknown>): string[];
  /**
   * Optional: what upstream's decoder refuses in a body of this kind beyond what its Go types say, checked before
   * pruning (custom resources: an embedded resource's metadata that ObjectMeta cannot take; a built-in kind's
   * `decodeError_<Kind>` conversion hook: what its conversion to the internal version fails on). Absent: nothing.
   */
  decodeError?(obj: unknown): string | undefined;
  /**
   * Set when objects change version outside toHub/fromHub, asynchronously (a CRD whose conversion is a webhook):
   * synchronous callers (field management) cannot convert them.
   */
  asyncConversion?: boolean;
  /** Converts an object of this version to the group's storage version (the hub); identity for the hub itself. */
  toHub(obj: Record<string, unknown>): Record<string, unknown>;
  /** Converts an object of the storage version to this version. */
  fromHub(obj: Record<string, unknown>): Record<string, unknown>;
  /** Applies tag defaults, then hand-written `setDefaults_*` hooks. Mutates `obj`. */
  default(obj: Record<string, unknown>): void;
  /**
   * Schema checks, then hand-written `validate_*` hooks, told `opts` (validation-options.ts; absent: the defaults).
   * Returns one error per bad field; [] when valid. `warnings` collects what the validation warns of instead of
   * refusing (upstream's warning.AddWarning during validation: a custom resource's ratcheted rule).
   */
  validate(obj: Record<string, unknown>, old?: Record<string, unknown>, opts?: ValidationOptions, warnings?: string[]): FieldError[];
  /**
   * The hand-written `validateUpdate_*` hook: the checks upstream's ValidateXUpdate makes between its ObjectMeta
   * update check and its re-run of ValidateX (immutable fields and the like), listed in that place on update.
   */
  validateUpdate?(obj: Record<string, unknown>, old: Record<string, unknown>): FieldError[];
}

/** One served group version with its kinds and OpenAPI definitions. */
export interface GroupVersionRegistration {
  group: string;
  version: string;
  /** The version objects of this group are stored in, and the hub other versions convert through. */
  storageVersion: string;
  /** Versions of the group in preference order (first is preferred). */
  versionPriority: readonly string[];
  deprecated: boolean;
  kinds: readonly KindRegistration[];
  /** Kinds that are only the body of a subresource (TokenRequest): decodable, with no resource ('') of their own. */
  subresourceKinds?: readonly KindRegistration[];
  /** OpenAPI v3 component schemas of this group version's own types; the Swagger 2.0 form is derived from them. */
  openapiV3: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
}

/** OpenAPI definitions of shared types no group version owns (apis/meta: ObjectMeta, Status, Time, ...). */
export interface SharedDefinitions {
  openapiV3: Readonly<Record<string, OpenAPIV3.SchemaObject>>;
}
