import type { ObjectReference } from '../../core/v1/serviceaccount.ts';
import type { int32, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * EndpointSlice lists some of the network endpoints behind a service. A service's endpoints are usually spread
 * over several slices, linked to it by the kubernetes.io/service-name label.
 * @resource endpointslices
 * @generation tracked
 * @printColumn AddressType string .addressType
 * @printColumn Ports string ports() The ports of the endpoints.
 * @printColumn Endpoints string endpoints() The first few endpoint addresses, and how many more there are.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface EndpointSlice {
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
   * Kind of address every endpoint in the slice carries: IPv4, IPv6 or FQDN. Cannot be changed.
   * @protobuf 4
   * @alwaysWritten
   */
  addressType: 'FQDN' | 'IPv4' | 'IPv6';
  /**
   * The endpoints, at most 1000 per slice.
   * @protobuf 2
   * @listType atomic
   * @alwaysWritten
   */
  endpoints: Endpoint[];
  /**
   * The ports every endpoint exposes, at most 100. An empty list means no ports; a port with an empty name
   * stands for every port.
   * @protobuf 3
   * @listType atomic
   * @alwaysWritten
   */
  ports?: EndpointPort[];
}

/** One backend of a service. */
export interface Endpoint {
  /**
   * The endpoint's addresses, of the slice's addressType; consumers use the first. 1 to 100 entries.
   * @protobuf 1
   * @listType set
   * @alwaysWritten
   */
  addresses: string[];
  /**
   * Whether the endpoint is ready, serving or terminating.
   * @protobuf 2
   * @alwaysWritten
   */
  conditions?: EndpointConditions;
  /**
   * The endpoint's hostname, a DNS label; DNS may use it for a per-endpoint record.
   * @protobuf 3
   * @pointer
   */
  hostname?: string;
  /**
   * The object (usually a pod) that is this endpoint.
   * @protobuf 4
   */
  targetRef?: ObjectReference;
  /**
   * Legacy topology labels, kept for conversion from the old v1beta1 API; set nodeName and zone instead.
   * @protobuf 5
   */
  deprecatedTopology?: Record<string, string>;
  /**
   * The node that hosts the endpoint.
   * @protobuf 6
   * @pointer
   */
  nodeName?: string;
  /**
   * The zone the endpoint is in.
   * @protobuf 7
   * @pointer
   */
  zone?: string;
  /**
   * Routing hints for topology-aware load balancing.
   * @protobuf 8
   */
  hints?: EndpointHints;
}

/** The state of an endpoint. Absent values mean unknown. */
export interface EndpointConditions {
  /**
   * Whether the endpoint should receive new traffic; usually serving and not terminating.
   * @protobuf 1
   * @pointer
   */
  ready?: boolean;
  /**
   * Whether the endpoint is able to serve, regardless of whether it is terminating.
   * @protobuf 2
   * @pointer
   */
  serving?: boolean;
  /**
   * Whether the endpoint is shutting down.
   * @protobuf 3
   * @pointer
   */
  terminating?: boolean;
}

/** Where an endpoint should preferably be used from. */
export interface EndpointHints {
  /**
   * Zones whose clients should use this endpoint. At most 8.
   * @protobuf 1
   * @listType atomic
   */
  forZones?: ForZone[];
}

/** A zone an endpoint is meant for. */
export interface ForZone {
  /**
   * Zone name.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/**
 * A port the endpoints of a slice listen on.
 * @structType atomic
 */
export interface EndpointPort {
  /**
   * The port's name, matching a service port name; may be empty.
   * @protobuf 1
   * @pointer
   */
  name?: string;
  /**
   * IP protocol: TCP, UDP or SCTP.
   * @protobuf 2
   * @pointer
   */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /**
   * Port number; absent means every port.
   * @protobuf 3
   * @pointer
   */
  port?: int32;
  /**
   * Application protocol, e.g. an IANA service name, a kubernetes.io/ name such as kubernetes.io/h2c, or a
   * domain-prefixed custom name.
   * @protobuf 4
   * @pointer
   */
  appProtocol?: string;
}
