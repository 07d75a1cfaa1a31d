import type { int64 } from '../../meta/v1/types.ts';

/**
 * JSONSchemaProps is a JSON Schema (draft 4 as OpenAPI v3.0 uses it) with Kubernetes' `x-kubernetes-*`
 * extensions. A CustomResourceDefinition's schema must be structural: every node says its `type` (except under
 * `x-kubernetes-int-or-string` or `x-kubernetes-preserve-unknown-fields`), and `allOf`/`anyOf`/`oneOf`/`not` only
 * add constraints to what the typed nodes declare.
 */
export interface JSONSchemaProps {
  /**
   * The schema's identifier.
   * @protobuf 1
   */
  id?: string;
  /**
   * The URL of the JSON Schema dialect.
   * @protobuf 2
   */
  $schema?: string;
  /**
   * A reference to another schema; not allowed in CustomResourceDefinitions.
   * @protobuf 3
   * @pointer
   */
  $ref?: string;
  /**
   * What the value means; `kubectl explain` shows it.
   * @protobuf 4
   */
  description?: string;
  /**
   * The JSON type of the value: object, array, string, integer, number or boolean.
   * @protobuf 5
   */
  type?: string;
  /**
   * An OpenAPI v3 format. Unknown formats are ignored; the server checks bsonobjectid, uri, email, hostname,
   * ipv4, ipv6, cidr, mac, uuid, uuid3, uuid4, uuid5, isbn, isbn10, isbn13, creditcard, ssn, hexcolor, rgbcolor,
   * byte, password, date, duration and datetime.
   * @protobuf 6
   */
  format?: string;
  /**
   * A short title of the value.
   * @protobuf 7
   */
  title?: string;
  /**
   * The value an absent field gets when objects are read or written. It must be valid against its schema and
   * pruned; defaults need `spec.preserveUnknownFields: false`.
   * @protobuf 8
   */
  default?: JSON;
  /**
   * @protobuf 9
   * @pointer
   */
  maximum?: number;
  /** @protobuf 10 */
  exclusiveMaximum?: boolean;
  /**
   * @protobuf 11
   * @pointer
   */
  minimum?: number;
  /** @protobuf 12 */
  exclusiveMinimum?: boolean;
  /**
   * @protobuf 13
   * @pointer
   */
  maxLength?: int64;
  /**
   * @protobuf 14
   * @pointer
   */
  minLength?: int64;
  /** @protobuf 15 */
  pattern?: string;
  /**
   * @protobuf 16
   * @pointer
   */
  maxItems?: int64;
  /**
   * @protobuf 17
   * @pointer
   */
  minItems?: int64;
  /** @protobuf 18 */
  uniqueItems?: boolean;
  /**
   * @protobuf 19
   * @pointer
   */
  multipleOf?: number;
  /**
   * @protobuf 20
   * @listType atomic
   */
  enum?: JSON[];
  /**
   * @protobuf 21
   * @pointer
   */
  maxProperties?: int64;
  /**
   * @protobuf 22
   * @pointer
   */
  minProperties?: int64;
  /**
   * @protobuf 23
   * @listType atomic
   */
  required?: string[];
  /** @protobuf 24 */
  items?: JSONSchemaPropsOrArray;
  /**
   * @protobuf 25
   * @listType atomic
   */
  allOf?: JSONSchemaProps[];
  /**
   * @protobuf 26
   * @listType atomic
   */
  oneOf?: JSONSchemaProps[];
  /**
   * @protobuf 27
   * @listType atomic
   */
  anyOf?: JSONSchemaProps[];
  /** @protobuf 28 */
  not?: JSONSchemaProps;
  /** @protobuf 29 */
  properties?: Record<string, JSONSchemaProps>;
  /** @protobuf 30 */
  additionalProperties?: JSONSchemaPropsOrBool;
  /** @protobuf 31 */
  patternProperties?: Record<string, JSONSchemaProps>;
  /** @protobuf 32 */
  dependencies?: Record<string, JSONSchemaPropsOrStringArray>;
  /** @protobuf 33 */
  additionalItems?: JSONSchemaPropsOrBool;
  /** @protobuf 34 */
  definitions?: Record<string, JSONSchemaProps>;
  /** @protobuf 35 */
  externalDocs?: ExternalDocumentation;
  /** @protobuf 36 */
  example?: JSON;
  /** @protobuf 37 */
  nullable?: boolean;
  /**
   * Keeps fields the schema does not declare at this node and below, instead of pruning them. Nested schemas
   * (properties, additionalProperties) still apply to the fields they declare.
   * @protobuf 38
   * @pointer
   */
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /**
   * The object here is a whole Kubernetes object: `apiVersion`, `kind` and `metadata` are kept and validated (type
   * object required; x-kubernetes-preserve-unknown-fields allowed).
   * @protobuf 39
   */
  'x-kubernetes-embedded-resource'?: boolean;
  /**
   * The value is an integer or a string. The node has no `type`; `anyOf` (or `allOf` with `anyOf`) may spell out
   * the two cases, as `{anyOf: [{type: integer}, {type: string}]}`.
   * @protobuf 40
   */
  'x-kubernetes-int-or-string'?: boolean;
  /**
   * With x-kubernetes-list-type `map`: the item fields that identify an item. Each must be a required scalar (or
   * have a default) of the items' schema.
   * @protobuf 41
   * @listType atomic
   */
  'x-kubernetes-list-map-keys'?: string[];
  /**
   * How the array is merged (server-side apply) and checked: `atomic` (whole), `set` (unique scalars), `map` (items
   * identified by x-kubernetes-list-map-keys).
   * @protobuf 42
   * @pointer
   */
  'x-kubernetes-list-type'?: string;
  /**
   * How the object is merged (server-side apply): `granular` (field by field) or `atomic` (whole).
   * @protobuf 43
   * @pointer
   */
  'x-kubernetes-map-type'?: string;
  /**
   * CEL rules the value must pass. `self` is the value here, `oldSelf` its previous value on updates (a transition
   * rule, only checked when there is one).
   * @protobuf 44
   * @patchStrategy merge
   * @patchMergeKey rule
   * @listType map
   * @listMapKey rule
   */
  'x-kubernetes-validations'?: ValidationRule[];
}

/** A CEL rule of `x-kubernetes-validations`. */
export interface ValidationRule {
  /**
   * A CEL expression that must evaluate to true, e.g. `self.minReplicas <= self.replicas`. `self` is the value of
   * the schema node; `oldSelf`, when used, makes it a transition rule checked on updates only.
   * @protobuf 1
   * @alwaysWritten
   */
  rule: string;
  /**
   * The message shown when the rule fails; defaults to `failed rule: <rule>`. No line breaks.
   * @protobuf 2
   */
  message?: string;
  /**
   * A CEL expression returning the message shown when the rule fails; wins over `message`, which is used when the
   * expression fails or returns an empty string.
   * @protobuf 3
   */
  messageExpression?: string;
  /**
   * The reason of the field error the failure produces: FieldValueInvalid (the default), FieldValueForbidden,
   * FieldValueRequired or FieldValueDuplicate.
   * @protobuf 4
   * @pointer
   */
  reason?: FieldValueErrorReason;
  /**
   * A simple path, relative to the node, naming the field reported on failure (e.g. `.spec.replicas`,
   * `.map['key']`); it must exist in the schema. Defaults to the node itself.
   * @protobuf 5
   */
  fieldPath?: string;
  /**
   * Runs a transition rule on create and when the old value is absent too, with `oldSelf` an optional (`oldSelf.hasValue()`).
   * @protobuf 6
   * @pointer
   */
  optionalOldSelf?: boolean;
}

/** The reason of a CEL rule's field error. */
export type FieldValueErrorReason = 'FieldValueRequired' | 'FieldValueDuplicate' | 'FieldValueInvalid' | 'FieldValueForbidden';

/** Further documentation of a schema. */
export interface ExternalDocumentation {
  /** @protobuf 1 */
  description?: string;
  /** @protobuf 2 */
  url?: string;
}

/**
 * JSON is any JSON value: null, a boolean, a number, a string, an array or an object.
 * @protobufShape unknown 1
 */
export type JSON = unknown;

/**
 * JSONSchemaPropsOrArray is a single schema, or an array of schemas.
 * @protobufShape JSONSchemaProps 1
 * @protobufShape JSONSchemaProps[] 2
 */
export type JSONSchemaPropsOrArray = JSONSchemaProps | JSONSchemaProps[];

/**
 * JSONSchemaPropsOrBool is a schema, or a boolean (`true` allows anything, `false` nothing).
 * @protobufShape boolean 1
 * @protobufShape JSONSchemaProps 2
 */
export type JSONSchemaPropsOrBool = JSONSchemaProps | boolean;

/**
 * JSONSchemaPropsOrStringArray is a schema, or an array of property names.
 * @protobufShape JSONSchemaProps 1
 * @protobufShape string[] 2
 */
export type JSONSchemaPropsOrStringArray = JSONSchemaProps | string[];
