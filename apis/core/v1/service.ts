import type { Condition, IntOrString, ObjectMeta, int32 } from '../../meta/v1/types.ts';

/**
 * Service gives a set of pods (usually chosen by a label selector) one stable virtual IP and DNS name, and balances
 * traffic across them.
 * @resource services
 * @selectableField .spec.clusterIP
 * @selectableField .spec.type
 * @shortNames svc
 * @categories all
 * @nameFormat dns1035-label
 * @subresource status
 * @statusKeepsMetadata none
 * @subresource proxy v1 ServiceProxyOptions create,delete,get,patch,update
 * @printColumn Type string .spec.type
 * @printColumn Cluster-IP string clusterIP() The service's cluster IP address.
 * @printColumn External-IP string externalIP() Addresses outside the cluster that reach the service: its external IPs
 *   or load balancer ingress.
 * @printColumn Port(s) string ports() Each port, with its node port, and protocol.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Selector string selector() 1 The labels a pod must carry to receive the service's traffic.
 */
export interface Service {
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
   * Desired behaviour of the service.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: ServiceSpec;
  /**
   * Observed state of the service, e.g. its load balancer; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: ServiceStatus;
}

/**
 * Desired behaviour of a service.
 */
export interface ServiceSpec {
  /**
   * The ports the service exposes.
   * @protobuf 1
   * @listType map
   * @listMapKey port
   * @listMapKey protocol
   * @patchStrategy merge
   * @patchMergeKey port
   */
  ports?: ServicePort[];
  /**
   * Labels of the pods traffic is sent to. Without a selector, endpoints are managed by hand. Ignored for
   * ExternalName services.
   * @mapType atomic
   * @protobuf 2
   */
  selector?: Record<string, string>;
  /**
   * The virtual IP of the service, normally allocated at random. "None" makes a headless service. Cannot be
   * changed, except to go to or from ExternalName.
   * @protobuf 3
   */
  clusterIP?: string;
  /**
   * The virtual IPs of the service, one per IP family; the first equals clusterIP.
   * @protobuf 18
   * @listType atomic
   */
  clusterIPs?: string[];
  /**
   * How the service is exposed: ClusterIP (default, a cluster-internal IP), NodePort (also a port on every node),
   * LoadBalancer (also an external load balancer) or ExternalName (a DNS CNAME to externalName).
   * @protobuf 4
   * @default "ClusterIP"
   */
  type?: 'ClusterIP' | 'ExternalName' | 'LoadBalancer' | 'NodePort';
  /**
   * Extra IPs, not managed by the cluster, on which nodes accept traffic for the service.
   * @protobuf 5
   * @listType atomic
   */
  externalIPs?: string[];
  /**
   * ClientIP sends each client's connections to the same pod; None (default) does not.
   * @protobuf 7
   * @default "None"
   */
  sessionAffinity?: 'ClientIP' | 'None';
  /**
   * Deprecated: IP requested from the load balancer, where the provider supports it.
   * @protobuf 8
   */
  loadBalancerIP?: string;
  /**
   * Client CIDRs allowed through a provider load balancer.
   * @protobuf 9
   * @listType atomic
   */
  loadBalancerSourceRanges?: string[];
  /**
   * DNS name the service resolves to (as a CNAME), for type ExternalName.
   * @protobuf 10
   */
  externalName?: string;
  /**
   * How external traffic is routed: Cluster (to any ready endpoint) or Local (only to endpoints on the receiving
   * node, keeping the client source IP).
   * @protobuf 11
   */
  externalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * Node port for load-balancer health checks, for LoadBalancer services with externalTrafficPolicy Local.
   * @protobuf 12
   */
  healthCheckNodePort?: int32;
  /**
   * Publish endpoints of pods that are not ready, e.g. for peer discovery in StatefulSets.
   * @protobuf 13
   */
  publishNotReadyAddresses?: boolean;
  /**
   * Settings of session affinity.
   * @protobuf 14
   */
  sessionAffinityConfig?: SessionAffinityConfig;
  /**
   * IP families of the service (IPv4, IPv6), set from ipFamilyPolicy when absent.
   * @protobuf 19
   * @listType atomic
   */
  ipFamilies?: ('IPv4' | 'IPv6')[];
  /**
   * SingleStack, PreferDualStack or RequireDualStack.
   * @protobuf 17
   * @pointer
   */
  ipFamilyPolicy?: 'PreferDualStack' | 'RequireDualStack' | 'SingleStack';
  /**
   * Whether node ports are allocated for a LoadBalancer service. Defaults to true.
   * @protobuf 20
   * @pointer
   */
  allocateLoadBalancerNodePorts?: boolean;
  /**
   * Which load balancer implementation handles a LoadBalancer service; immutable once set.
   * @protobuf 21
   * @pointer
   */
  loadBalancerClass?: string;
  /**
   * How traffic from inside the cluster is routed: Cluster (default) or Local (only to endpoints on the same node).
   * @protobuf 22
   * @pointer
   */
  internalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * Preference for how traffic is spread, e.g. PreferClose to keep it topologically close.
   * @protobuf 23
   * @pointer
   */
  trafficDistribution?: string;
}

/**
 * A port of a service.
 */
export interface ServicePort {
  /**
   * Name of the port, a DNS-1123 label; required when there are several ports. Matches the name of the port in
   * Endpoints.
   * @protobuf 1
   */
  name?: string;
  /**
   * TCP (default), UDP or SCTP.
   * @protobuf 2
   * @default "TCP"
   */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /**
   * Application protocol of the port, e.g. http or kubernetes.io/h2c; informational.
   * @protobuf 6
   * @pointer
   */
  appProtocol?: string;
  /**
   * The port the service exposes.
   * @protobuf 3
   * @alwaysWritten
   */
  port: int32;
  /**
   * Port number or named container port on the pods that traffic goes to. Defaults to port.
   * @protobuf 4
   * @alwaysWritten
   */
  targetPort?: IntOrString;
  /**
   * Port on every node for NodePort and LoadBalancer services; allocated from the node port range when absent.
   * @protobuf 5
   */
  nodePort?: int32;
}

/**
 * Settings of session affinity.
 */
export interface SessionAffinityConfig {
  /**
   * Settings of ClientIP affinity.
   * @protobuf 1
   */
  clientIP?: ClientIPConfig;
}

/**
 * Settings of ClientIP session affinity.
 */
export interface ClientIPConfig {
  /**
   * How long a client sticks to a pod, 1-86400 seconds. Defaults to 10800 (3 hours).
   * @protobuf 1
   * @pointer
   */
  timeoutSeconds?: int32;
}

/**
 * Observed state of a service.
 */
export interface ServiceStatus {
  /**
   * The load balancer, if any.
   * @protobuf 1
   * @alwaysWritten
   */
  loadBalancer?: LoadBalancerStatus;
  /**
   * Current conditions of the service.
   * @protobuf 2
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  conditions?: Condition[];
}

/**
 * State of a load balancer.
 */
export interface LoadBalancerStatus {
  /**
   * Its entry points (IPs or host names).
   * @protobuf 1
   * @listType atomic
   */
  ingress?: LoadBalancerIngress[];
}

/**
 * An entry point of a load balancer.
 */
export interface LoadBalancerIngress {
  /**
   * IP of the entry point.
   * @protobuf 1
   */
  ip?: string;
  /**
   * DNS name of the entry point.
   * @protobuf 2
   */
  hostname?: string;
  /**
   * How traffic to the IP reaches the service: VIP (delivered with the load balancer IP as destination) or Proxy.
   * @protobuf 3
   * @pointer
   */
  ipMode?: string;
  /**
   * Status of each service port on this entry point.
   * @protobuf 4
   * @listType atomic
   */
  ports?: PortStatus[];
}

/**
 * Status of one port of a load balancer.
 */
export interface PortStatus {
  /**
   * Port number.
   * @protobuf 1
   * @alwaysWritten
   */
  port: int32;
  /**
   * TCP, UDP or SCTP.
   * @protobuf 2
   * @alwaysWritten
   */
  protocol: 'SCTP' | 'TCP' | 'UDP';
  /**
   * Problem with the port, as a CamelCase or qualified reason; empty when it is fine.
   * @protobuf 3
   * @pointer
   */
  error?: string;
}
