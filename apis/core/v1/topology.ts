// Topology selectors: core/v1 types that only StorageClass (storage.k8s.io/v1) refers to, declared here so that
// their OpenAPI names are io.k8s.api.core.v1.*, as upstream's.

/**
 * Topology requirements that must all hold.
 * @structType atomic
 */
export interface TopologySelectorTerm {
  /**
   * Requirements on topology labels.
   * @protobuf 1
   * @listType atomic
   */
  matchLabelExpressions?: TopologySelectorLabelRequirement[];
}

/** A topology label and the values it may take. */
export interface TopologySelectorLabelRequirement {
  /**
   * The topology label key.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * Accepted values; the label must equal one of them.
   * @protobuf 2
   * @listType atomic
   * @alwaysWritten
   */
  values: string[];
}
