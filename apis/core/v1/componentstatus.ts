import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * ComponentStatus reports the health of a control-plane component (etcd, the scheduler, the controller manager),
 * as the API server sees it when asked. Deprecated: use the components' own health endpoints instead.
 * @resource componentstatuses
 * @scope Cluster
 * @shortNames cs
 * @verbs get,list
 * @deprecated in v1.19+
 * @printColumn Status string status() Whether the component reports itself healthy.
 * @printColumn Message string message() What the component's health check said.
 * @printColumn Error string error() The error the component's health check returned, if any.
 * @noAgeColumn
 */
export interface ComponentStatus {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata: the component's name.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * What was observed of the component.
   * @protobuf 2
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: ComponentCondition[];
}

/** One observation of a component's health. */
export interface ComponentCondition {
  /**
   * Type of the condition: Healthy.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   * @alwaysWritten
   */
  status: string;
  /**
   * What the component answered when it was healthy.
   * @protobuf 3
   */
  message?: string;
  /**
   * Why the component could not be checked, or what it answered when unhealthy.
   * @protobuf 4
   */
  error?: string;
}
