import type { ObjectMeta, int32 } from '../../meta/v1/types.ts';
import type { ObjectReference } from './serviceaccount.ts';

/**
 * Endpoints lists the addresses and ports that implement a service. Deprecated in favour of discovery.k8s.io
 * EndpointSlices, but still maintained for every service with a selector.
 * @resource endpoints
 * @metadataOnUpdate update
 * @printColumn Endpoints string endpoints() The first few addresses with their ports, and how many more there are.
 * @shortNames ep
 */
export interface Endpoints {
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
   * Groups of addresses that share a set of ports. The full set of endpoints is the union of all subsets.
   * @protobuf 2
   * @listType atomic
   */
  subsets?: EndpointSubset[];
}

/**
 * Addresses that all expose the same ports.
 */
export interface EndpointSubset {
  /**
   * Addresses that are ready.
   * @protobuf 1
   * @listType atomic
   */
  addresses?: EndpointAddress[];
  /**
   * Addresses that are not ready yet, or no longer.
   * @protobuf 2
   * @listType atomic
   */
  notReadyAddresses?: EndpointAddress[];
  /**
   * Ports on all the addresses.
   * @protobuf 3
   * @listType atomic
   */
  ports?: EndpointPort[];
}

/**
 * One endpoint address.
 * @structType atomic
 */
export interface EndpointAddress {
  /**
   * The IP; not loopback, link-local or link-local multicast.
   * @protobuf 1
   * @alwaysWritten
   */
  ip: string;
  /**
   * Host name of the endpoint.
   * @protobuf 3
   */
  hostname?: string;
  /**
   * Node hosting the endpoint.
   * @protobuf 4
   * @pointer
   */
  nodeName?: string;
  /**
   * The object (usually a pod) behind the endpoint.
   * @protobuf 2
   */
  targetRef?: ObjectReference;
}

/**
 * A port of endpoint addresses.
 * @structType atomic
 */
export interface EndpointPort {
  /**
   * Name of the port, matching the service port's name; optional with a single port.
   * @protobuf 1
   */
  name?: string;
  /**
   * The port number.
   * @protobuf 2
   * @alwaysWritten
   */
  port: int32;
  /**
   * TCP (default), UDP or SCTP.
   * @protobuf 3
   * @default "TCP"
   */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /**
   * Application protocol of the port.
   * @protobuf 4
   * @pointer
   */
  appProtocol?: string;
}
