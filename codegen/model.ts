/**
 * The checked model the generator builds from `apis/`: what every emitter reads. Parsing (ts-morph) produces it,
 * emitters turn it into files; nothing else in codegen looks at TypeScript syntax.
 */

/** Where a declaration or tag is written, for error messages. */
export interface Loc {
  file: string;
  line: number;
}

/** Scalar types from apis/meta/v1 that have their own wire format. */
export type WellKnownName = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString';

export type TypeRef =
  | { kind: 'string'; enum?: string[] }
  | { kind: 'integer'; format: 'int32' | 'int64' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; items: TypeRef }
  | { kind: 'map'; values: TypeRef }
  /** A named struct declared in apis/ (possibly another group version's). */
  | { kind: 'struct'; name: string; group: string; version: string }
  | { kind: 'wellKnown'; name: WellKnownName }
  /**
   * Free-form JSON (`unknown`, `Record<string, unknown>`): only allowed with @preserveUnknownFields, unless written
   * as a free-form type (`named`, see FreeFormTypeModel), whose declaration says so.
   */
  | { kind: 'any'; named?: TypeName };

/** Where a named type is declared: `meta`/`v1`/`FieldsV1`. */
export interface TypeName {
  group: string;
  version: string;
  name: string;
}

/**
 * A free-form type: an exported alias to `Record<string, unknown>` (`type RawExtension = Record<string, unknown>`).
 * Its values are free-form JSON objects everywhere (validation, protobuf, Go shapes) but in OpenAPI, where it is a
 * definition of its own (`type: object` with its description) that fields refer to, as upstream publishes Go types
 * that hold raw JSON (FieldsV1, RawExtension); kubectl explain shows a field of it as `<RawExtension>`.
 */
export interface FreeFormTypeModel {
  name: string;
  doc: string;
  loc: Loc;
}

export interface FieldTags {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  /**
   * `@mapType` on a map field, `@structType` on a struct field: `x-kubernetes-map-type` of the field, whether
   * server-side apply merges its entries (`granular`, the default) or replaces it whole (`atomic`).
   */
  mapType?: 'atomic' | 'granular';
  patchStrategy?: string;
  patchMergeKey?: string;
  preserveUnknownFields?: boolean;
  immutable?: boolean;
  protobuf?: number;
  /**
   * `@alwaysWritten`: Go writes the field even when it is empty (its json tag has no `omitempty`, or it is a struct
   * held by value, which `omitempty` never omits): unset, it comes out as Go's zero of its type, `{}` for a struct
   * (itself shaped), `""`, `0`, `false`, `"0"` for a Quantity, `0` for an IntOrString, and `null` for a Time, a
   * list, a map, free-form JSON, or a `@pointer`.
   */
  alwaysWritten?: boolean;
  /**
   * `@pointer`: Go holds the field by pointer (`*int32`, `*PodSecurityContext`): a zero scalar is a value, kept in
   * JSON and protobuf, where a non-pointer zero is the same as unset; an `@alwaysWritten` pointer is `null` when unset.
   */
  pointer?: boolean;
  deprecated?: boolean;
  /**
   * `@openEnum` on a union of string literals (or a list of one): OpenAPI lists the values as `enum`, as upstream
   * lists a Go type marked `+enum`, but the schema takes any string, as upstream's server does where no validation
   * refuses other values (a Pod's `status.phase`, which kubelets write).
   */
  openEnum?: boolean;
  /** `@embeddedResource`: the value is a whole object with apiVersion, kind and metadata (x-kubernetes-embedded-resource). */
  embeddedResource?: boolean;
}

export interface FieldModel {
  name: string;
  /** Set on fields that come from an embedded struct (`extends`): that struct's key. */
  embeddedFrom?: string;
  doc: string;
  optional: boolean;
  type: TypeRef;
  tags: FieldTags;
  loc: Loc;
}

export interface PrintColumnModel {
  name: string;
  type: string;
  jsonPath: string;
  priority: number;
  /** The text after the JSON path and priority: what the column shows, for a column that names no one field. */
  description?: string;
}

export interface KindTags {
  resource: string;
  singular: string;
  scope: 'Namespaced' | 'Cluster';
  shortNames: string[];
  categories: string[];
  subresources: {
    status?: boolean;
    scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
    /** Subresources with a body kind of their own (`serviceaccounts/token` takes a TokenRequest), served by the runtime. */
    custom?: Array<{ name: string; group: string; version: string; kind: string; verbs: string[] }>;
  };
  /**
   * `@subresourceKind`: the kind is only the body of another resource's subresource (TokenRequest): it is in the
   * scheme (decoding, defaults, validation, OpenAPI) but has no resource of its own, and `resource` is ''.
   */
  subresourceKind?: boolean;
  printColumns: PrintColumnModel[];
  /** `@noAgeColumn`: the kind's Table ends without the Age column built-in kinds otherwise get (CSIStorageCapacity). */
  noAgeColumn?: boolean;
  /**
   * `@generation tracked|none`: whether metadata.generation is 1 at create and counts changes outside metadata and
   * status. Without the tag a kind with a spec tracks it; upstream's strategies decide for built-in kinds.
   */
  generation?: 'tracked' | 'none';
  /**
   * `@metadataOnUpdate full|update|none`: what the kind's update validation checks of ObjectMeta: all of it again
   * with the kind's name format (`full`, the default), only what upstream's ValidateObjectMetaUpdate checks
   * (`update`), or nothing beyond the registry's common checks (`none`, which also means its create validation checks
   * no ObjectMeta: the registry's generic check then runs once the kind's pass).
   */
  metadataOnUpdate?: 'full' | 'update' | 'none';
  /**
   * `@statusKeepsMetadata <field,...|none>`: the metadata a /status write may not change (labels, annotations,
   * finalizers, ownerReferences). Without the tag it changes none of them, as upstream's newer status strategies.
   */
  statusKeepsMetadata?: string[];
  storageVersion: boolean;
  verbs?: string[];
  nameFormat: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';
  /** `@deprecated [text]`: every response for this kind in this version carries a deprecation warning. */
  deprecated?: string;
  /**
   * `@selectableField [<label>] <jsonPath|fn()>` (repeatable): what field selectors may match beside metadata.name
   * and metadata.namespace: a scalar field (its label is its path), or a label whose value is a field under another
   * name (`status.successful .status.succeeded`) or computed by `field_<Kind>_<fn>` in fields.ts.
   */
  selectableFields: SelectableFieldModel[];
  /** `@fieldLabelAlias <old> <label>` (repeatable): a label older clients send for another (Pod `spec.host`). */
  fieldLabelAliases: Record<string, string>;
  /** `@fieldSelectorError <format>`: the 400 message for an unsupported label (`%s`, `%q`: the label), when not upstream's usual. */
  fieldSelectorError?: string;
}

export interface SelectableFieldModel {
  /** The label clients write in a field selector (`spec.nodeName`). */
  label: string;
  /** Where the value is (`.spec.nodeName`), unless computed. */
  jsonPath?: string;
  /** `fn()`: the value is computed by `field_<Kind>_<fn>` in fields.ts. */
  fn?: string;
}

export interface StructModel {
  name: string;
  group: string;
  version: string;
  doc: string;
  fields: FieldModel[];
  loc: Loc;
  /** Present when the struct is a kind (`@resource`). */
  kind?: KindTags;
  /** Structs embedded with `extends`, with their field number in protobuf (`@protobufEmbed <Type> <n>`). */
  embeds: Array<{ name: string; group: string; version: string; protobuf?: number }>;
  /**
   * Set on a value type (an exported type alias to `unknown` or to a union of shapes, e.g.
   * `type JSONSchemaPropsOrBool = JSONSchemaProps | boolean`): the JSON shapes its value may take, at most one per
   * JSON type; `[{ kind: 'any' }]` for arbitrary JSON. A value type has no fields and is its own OpenAPI definition.
   */
  oneOf?: TypeRef[];
  /** The protobuf field number of each shape (`@protobufShape <shape> <n>`), aligned with `oneOf`. */
  oneOfProtobuf?: Array<number | undefined>;
  /** `@structType atomic|granular` on the interface: `x-kubernetes-map-type` of its definition. */
  structType?: 'atomic' | 'granular';
}

/** Every type a struct refers to directly: its fields' types, and a value type's shapes. */
export function structTypeRefs(s: StructModel): TypeRef[] {
  return [...s.fields.map((f) => f.type), ...(s.oneOf ?? [])];
}

export interface Hook {
  name: string;
  loc: Loc;
}

export interface HookNames {
  defaults: Hook[];
  validation: Hook[];
  conversion: Hook[];
  printers: Hook[];
  /** `field_<Kind>_<fn>` in fields.ts: computed values of `@selectableField <label> <fn>()`. */
  fields: Hook[];
}

export interface GroupVersionModel {
  group: string;
  version: string;
  /** Folder under apis/, e.g. `core/v1`. */
  dir: string;
  structs: StructModel[];
  /** The free-form types the folder declares. */
  freeFormTypes: FreeFormTypeModel[];
  hooks: HookNames;
  deprecated: boolean;
  /** Go's names of types where they differ from the declarations' (`gotypes.ts` beside the types; see codegen/gotypes.ts). */
  goTypes?: { fields: Record<string, string>; structs: Record<string, string> };
}

/** What `apis/<group>/doc.ts` says about a whole group. */
export interface GroupModel {
  group: string;
  /** `@crd`: `npm run generate` also writes CustomResourceDefinition manifests for the group's kinds. */
  crd?: Loc;
  loc: Loc;
}

export interface ApiModel {
  groupVersions: GroupVersionModel[];
  /** Groups with a `doc.ts` of their own, by group name (`''` is core). */
  groups: Map<string, GroupModel>;
  /** Every struct by `group/version/Name`, for resolving references across group versions. */
  structs: Map<string, StructModel>;
}

export function structKey(group: string, version: string, name: string): string {
  return `${group}/${version}/${name}`;
}

export function gvDir(group: string, version: string): string {
  return `${group === '' ? 'core' : group}/${version}`;
}
