import type { int32, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * APIService registers a group version with the aggregator: served by this server itself (no `service`), or by
 * another API server behind a Service, to which the aggregator proxies every request for that group version.
 * @resource apiservices
 * @generation none
 * @scope Cluster
 * @nameFormat path-segment
 * @categories api-extensions
 * @subresource status
 * @printColumn Service string service() The service (namespace/name) that serves the API version, or Local when this
 *   server serves it.
 * @printColumn Available string available() Whether the API version answers (its Available condition), with the reason
 *   when it does not.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface APIService {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata. The name must be `<version>.<group>`.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Where the group version is served and how it ranks in discovery.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: APIServiceSpec;
  /**
   * The current state of the APIService, kept by the aggregator.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: APIServiceStatus;
}

/** Where an APIService is served and how it is ordered among others. */
export interface APIServiceSpec {
  /**
   * The Service of the API server that serves this group version; absent (or null) when this server serves it
   * itself. Requests are sent over HTTPS to `<name>.<namespace>.svc` on the port.
   * @protobuf 1
   */
  service?: ServiceReference;
  /**
   * The API group served.
   * @protobuf 2
   */
  group?: string;
  /**
   * The API version served, e.g. `v1`.
   * @protobuf 3
   */
  version?: string;
  /**
   * Skip verifying the serving certificate of the server. Strongly discouraged: use caBundle instead.
   * @protobuf 4
   */
  insecureSkipTLSVerify?: boolean;
  /**
   * PEM CA bundle the serving certificate of the server is verified against; the system's roots when absent.
   * @protobuf 5
   * @format byte
   */
  caBundle?: string;
  /**
   * The priority of the group in discovery (the highest of the group's APIServices counts); groups with higher
   * values come first, ties in name order. 1 to 20000.
   * @protobuf 7
   * @alwaysWritten
   */
  groupPriorityMinimum: int32;
  /**
   * The order of this version within its group: higher values first, ties in Kubernetes version order. The first
   * version is the group's preferred one. 1 to 1000.
   * @protobuf 8
   * @alwaysWritten
   */
  versionPriority: int32;
}

/** A Service that fronts an API server. */
export interface ServiceReference {
  /**
   * Namespace of the Service.
   * @protobuf 1
   */
  namespace?: string;
  /**
   * Name of the Service.
   * @protobuf 2
   */
  name?: string;
  /**
   * Port of the Service, 1 to 65535.
   * @protobuf 3
   * @default 443
   * @pointer
   */
  port?: int32;
}

/** The observed state of an APIService. */
export interface APIServiceStatus {
  /**
   * The APIService's current conditions (today only Available).
   * @protobuf 1
   * @patchStrategy merge
   * @patchMergeKey type
   * @listType map
   * @listMapKey type
   */
  conditions?: APIServiceCondition[];
}

/** One condition of an APIService. */
export interface APIServiceCondition {
  /**
   * The condition's type: Available.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * True, False or Unknown.
   * @protobuf 2
   * @alwaysWritten
   */
  status: 'True' | 'False' | 'Unknown';
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
   * Human-readable details of the last transition.
   * @protobuf 5
   */
  message?: string;
}
