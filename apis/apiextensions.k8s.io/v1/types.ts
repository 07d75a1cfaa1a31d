import type { int32, ObjectMeta, Time } from '../../meta/v1/types.ts';
import type { JSONSchemaProps } from './jsonschema.ts';

/**
 * CustomResourceDefinition adds a resource to the API server: once its names are accepted, objects of the kind it
 * describes are served at `/apis/<group>/<version>/<plural>`. Its name must be `<spec.names.plural>.<spec.group>`.
 * @resource customresourcedefinitions
 * @metadataOnUpdate update
 * @scope Cluster
 * @shortNames crd,crds
 * @categories api-extensions
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn "Created At" date .metadata.creationTimestamp
 */
export interface CustomResourceDefinition {
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
   * What the resource is called, how it is scoped and which versions of it are served.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: CustomResourceDefinitionSpec;
  /**
   * What the server has made of the spec: the names it accepted, its conditions and the versions ever stored.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: CustomResourceDefinitionStatus;
}

/** The resource a CustomResourceDefinition asks the server to serve. */
export interface CustomResourceDefinitionSpec {
  /**
   * The API group the resource is served in (`/apis/<group>/...`); a DNS subdomain with at least one dot.
   * @protobuf 1
   * @alwaysWritten
   */
  group: string;
  /**
   * The resource's names: plural (the REST path), singular, kind, list kind, short names and categories.
   * @protobuf 3
   * @alwaysWritten
   */
  names: CustomResourceDefinitionNames;
  // A plain string, not a union: upstream's Go ResourceScope has no `+enum` (its OpenAPI lists no values); the CRD
  // validation refuses other values with upstream's NotSupported.
  /**
   * Whether objects live in a namespace (`Namespaced`) or in the cluster (`Cluster`).
   * @protobuf 4
   * @alwaysWritten
   */
  scope: string;
  /**
   * The versions of the resource. Exactly one is the storage version. Clients see them in Kubernetes version
   * order: GA before beta before alpha, higher numbers first, then versions not named like Kubernetes versions in
   * lexical order.
   * @protobuf 7
   * @listType atomic
   * @alwaysWritten
   */
  versions: CustomResourceDefinitionVersion[];
  /**
   * How objects are converted between versions.
   * @protobuf 9
   * @default {"strategy":"None"}
   */
  conversion?: CustomResourceConversion;
  /**
   * Keeps fields the schema does not declare instead of pruning them. Only for CRDs carried over from v1beta1;
   * must be false for new ones (use x-kubernetes-preserve-unknown-fields in the schema instead).
   * @protobuf 10
   */
  preserveUnknownFields?: boolean;
}

/** How objects are converted between the versions of a custom resource. */
export interface CustomResourceConversion {
  // A plain string, not a union: upstream's Go ConversionStrategyType has no `+enum` (its OpenAPI lists no values);
  // the CRD validation refuses other values with upstream's NotSupported.
  /**
   * `None` only rewrites `apiVersion`; `Webhook` asks the service in `webhook` to convert the objects.
   * @protobuf 1
   * @alwaysWritten
   */
  strategy: string;
  /**
   * Where and how to call the conversion webhook; required when the strategy is `Webhook`, forbidden otherwise.
   * @protobuf 2
   */
  webhook?: WebhookConversion;
}

/** The conversion webhook of a custom resource. */
export interface WebhookConversion {
  /**
   * How to reach the webhook.
   * @protobuf 2
   */
  clientConfig?: WebhookClientConfig;
  /**
   * The `ConversionReview` versions the webhook understands, in order of preference; the server uses the first it
   * supports (`v1`, `v1beta1`) and fails conversions when none is.
   * @protobuf 3
   * @listType atomic
   * @alwaysWritten
   */
  conversionReviewVersions: string[];
}

/** How to make a TLS connection to a webhook: a URL or an in-cluster Service, and the CA to trust. */
export interface WebhookClientConfig {
  /**
   * The webhook's location as `https://host[:port][/path]`; no user info, query or fragment. Exactly one of `url`
   * and `service` is set.
   * @protobuf 3
   * @pointer
   */
  url?: string;
  /**
   * The in-cluster Service that serves the webhook. Exactly one of `url` and `service` is set.
   * @protobuf 1
   */
  service?: ServiceReference;
  /**
   * PEM CA bundle the webhook's serving certificate is checked against; absent means the system's roots.
   * @protobuf 2
   * @format byte
   */
  caBundle?: string;
}

/** A Service that serves a webhook. */
export interface ServiceReference {
  /**
   * The Service's namespace.
   * @protobuf 1
   * @alwaysWritten
   */
  namespace: string;
  /**
   * The Service's name.
   * @protobuf 2
   * @alwaysWritten
   */
  name: string;
  /**
   * A URL path sent with every request to the Service.
   * @protobuf 3
   * @pointer
   */
  path?: string;
  /**
   * The Service port that serves the webhook, 1-65535.
   * @protobuf 4
   * @default 443
   * @pointer
   */
  port?: int32;
}

/** One version of a custom resource. */
export interface CustomResourceDefinitionVersion {
  /**
   * The version name (`v1`, `v2beta1`), served at `/apis/<group>/<name>/...`.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Whether the version is served by the REST API.
   * @protobuf 2
   * @alwaysWritten
   */
  served: boolean;
  /**
   * Whether objects are stored in this version; exactly one version is.
   * @protobuf 3
   * @alwaysWritten
   */
  storage: boolean;
  /**
   * Marks the version deprecated: responses for it carry a warning (see `deprecationWarning`).
   * @protobuf 7
   */
  deprecated?: boolean;
  /**
   * The warning sent instead of the default one when the version is deprecated; only allowed on deprecated versions.
   * @protobuf 8
   * @pointer
   */
  deprecationWarning?: string;
  /**
   * The schema objects of this version are validated, pruned and defaulted with.
   * @protobuf 4
   */
  schema?: CustomResourceValidation;
  /**
   * The `status` and `scale` subresources of this version.
   * @protobuf 5
   */
  subresources?: CustomResourceSubresources;
  /**
   * Columns `kubectl get` shows besides the name; when there are none, a creation-time column.
   * @protobuf 6
   * @listType atomic
   */
  additionalPrinterColumns?: CustomResourceColumnDefinition[];
  /**
   * Fields that field selectors may use for this version, besides `metadata.name` and `metadata.namespace`.
   * @protobuf 9
   * @listType atomic
   */
  selectableFields?: SelectableField[];
}

/** A field of a custom resource that list and watch requests may select on. */
export interface SelectableField {
  /**
   * A simple JSON path (no array notation) to a string, integer or boolean field, e.g. `.spec.color`; it is also
   * the field selector's name without the leading dot.
   * @protobuf 1
   * @alwaysWritten
   */
  jsonPath: string;
}

/** A column of the table `kubectl get` prints. */
export interface CustomResourceColumnDefinition {
  /**
   * The column heading.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The OpenAPI type of the cells: integer, number, string, boolean or date.
   * @protobuf 2
   * @alwaysWritten
   */
  type: string;
  /**
   * An OpenAPI format for the cells; `name` marks the column that identifies the row.
   * @protobuf 3
   */
  format?: string;
  /**
   * What the column shows.
   * @protobuf 4
   */
  description?: string;
  /**
   * How important the column is: 0 is always shown, higher numbers only in wide output.
   * @protobuf 5
   */
  priority?: int32;
  /**
   * A simple JSON path, evaluated against each object, giving the cell.
   * @protobuf 6
   * @alwaysWritten
   */
  jsonPath: string;
}

/** The names of a custom resource. */
export interface CustomResourceDefinitionNames {
  /**
   * The plural, lower-case resource name used in REST paths; the CRD's name is `<plural>.<group>`.
   * @protobuf 1
   * @alwaysWritten
   */
  plural: string;
  /**
   * The lower-case singular name; defaults to the kind in lower case.
   * @protobuf 2
   */
  singular?: string;
  /**
   * Lower-case abbreviations kubectl accepts for the resource.
   * @protobuf 3
   * @listType atomic
   */
  shortNames?: string[];
  /**
   * The kind of the objects, usually CamelCase and singular.
   * @protobuf 4
   * @alwaysWritten
   */
  kind: string;
  /**
   * The kind of lists of the objects; defaults to `<kind>List`.
   * @protobuf 5
   */
  listKind?: string;
  /**
   * Groupings the resource belongs to, such as `all` (`kubectl get all`).
   * @protobuf 6
   * @listType atomic
   */
  categories?: string[];
}

/** One condition of a CustomResourceDefinition. */
export interface CustomResourceDefinitionCondition {
  /**
   * The condition: `Established`, `NamesAccepted`, `NonStructuralSchema`, `Terminating`, `KubernetesAPIApprovalPolicyConformant`.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  // A plain string, not a union: upstream's Go type has no `+enum` and a status write checks only the accepted names.
  /**
   * `True`, `False` or `Unknown`.
   * @protobuf 2
   * @alwaysWritten
   */
  status: string;
  /**
   * When the status last changed.
   * @protobuf 3
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * A one-word CamelCase reason for the last change.
   * @protobuf 4
   */
  reason?: string;
  /**
   * A human-readable account of the last change.
   * @protobuf 5
   */
  message?: string;
}

/** What the server has made of a CustomResourceDefinition. */
export interface CustomResourceDefinitionStatus {
  /**
   * The CRD's conditions, one per type.
   * @protobuf 1
   * @listType map
   * @listMapKey type
   * @alwaysWritten
   */
  conditions?: CustomResourceDefinitionCondition[];
  /**
   * The names the resource is actually served under, which may lag behind `spec.names` while a new name conflicts.
   * @protobuf 2
   * @alwaysWritten
   */
  acceptedNames?: CustomResourceDefinitionNames;
  /**
   * Every version objects have ever been stored in. A version may only leave `spec.versions` once it has left this
   * list, which is edited (through `/status`) after stored objects have been migrated.
   * @protobuf 3
   * @listType atomic
   * @alwaysWritten
   */
  storedVersions?: string[];
}

/** The schema of one version of a custom resource. */
export interface CustomResourceValidation {
  /**
   * An OpenAPI v3 schema of the objects: a structural schema, validated, pruned and defaulted against.
   * @protobuf 1
   */
  openAPIV3Schema?: JSONSchemaProps;
}

/** The subresources of one version of a custom resource. */
export interface CustomResourceSubresources {
  /**
   * Serves `/status`: writes there change only `.status`, and writes to the object ignore `.status`.
   * @protobuf 1
   */
  status?: CustomResourceSubresourceStatus;
  /**
   * Serves `/scale` with an autoscaling/v1 Scale read from and written to the paths given here.
   * @protobuf 2
   */
  scale?: CustomResourceSubresourceScale;
}

/** Turns on the status subresource; it has no settings. */
export interface CustomResourceSubresourceStatus {}

/** Where the scale subresource finds the replica counts and the selector in an object. */
export interface CustomResourceSubresourceScale {
  /**
   * Path under `.spec` (no array notation) of the desired replica count, `Scale.spec.replicas`.
   * @protobuf 1
   * @alwaysWritten
   */
  specReplicasPath: string;
  /**
   * Path under `.status` (no array notation) of the observed replica count, `Scale.status.replicas`; 0 when absent.
   * @protobuf 2
   * @alwaysWritten
   */
  statusReplicasPath: string;
  /**
   * Path under `.spec` or `.status` (no array notation) of a label selector in string form, `Scale.status.selector`,
   * which horizontal pod autoscaling needs.
   * @protobuf 3
   * @pointer
   */
  labelSelectorPath?: string;
}

