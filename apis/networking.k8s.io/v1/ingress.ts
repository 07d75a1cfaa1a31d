import type { TypedLocalObjectReference } from '../../core/v1/persistentvolumeclaim.ts';
import type { int32, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * Ingress routes external HTTP(S) traffic to services by host name and path, optionally terminating TLS. An
 * ingress controller implements it.
 * @resource ingresses
 * @metadataOnUpdate full
 * @shortNames ing
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Class string className() The ingress class that implements the ingress.
 * @printColumn Hosts string hosts() The hosts the rules match; * for every host.
 * @printColumn Address string address() The addresses of the ingress's load balancer.
 * @printColumn Ports string ports() The ports the ingress serves: 80, and 443 with TLS.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface Ingress {
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
   * Routing rules and TLS settings.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: IngressSpec;
  /**
   * Where the ingress is reachable, as reported by its controller.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: IngressStatus;
}

/** Routing rules and TLS settings of an ingress. */
export interface IngressSpec {
  /**
   * Name of the IngressClass whose controller implements this ingress; absent means the default class.
   * @protobuf 4
   * @pointer
   */
  ingressClassName?: string;
  /**
   * Where requests go that match no rule. Either this or rules must be set.
   * @protobuf 1
   */
  defaultBackend?: IngressBackend;
  /**
   * TLS settings for listed hosts.
   * @protobuf 2
   * @listType atomic
   */
  tls?: IngressTLS[];
  /**
   * Host and path rules, tried in order.
   * @protobuf 3
   * @listType atomic
   */
  rules?: IngressRule[];
}

/** TLS for a set of hosts. */
export interface IngressTLS {
  /**
   * Hosts the certificate covers; absent means the controller's default host.
   * @protobuf 1
   * @listType atomic
   */
  hosts?: string[];
  /**
   * Secret holding the certificate and key; absent for hosts routed by SNI alone.
   * @protobuf 2
   */
  secretName?: string;
}

/** Where an ingress is reachable. */
export interface IngressStatus {
  /**
   * The load balancer addresses.
   * @protobuf 1
   * @alwaysWritten
   */
  loadBalancer?: IngressLoadBalancerStatus;
}

/** The load balancer of an ingress. */
export interface IngressLoadBalancerStatus {
  /**
   * Its ingress points.
   * @protobuf 1
   * @listType atomic
   */
  ingress?: IngressLoadBalancerIngress[];
}

/** An address traffic enters through. */
export interface IngressLoadBalancerIngress {
  /**
   * IP address of the ingress point.
   * @protobuf 1
   */
  ip?: string;
  /**
   * DNS name of the ingress point.
   * @protobuf 2
   */
  hostname?: string;
  /**
   * Per-port status of the ingress point.
   * @protobuf 4
   * @listType atomic
   */
  ports?: IngressPortStatus[];
}

/** The state of one port of an ingress point. */
export interface IngressPortStatus {
  /**
   * The port number.
   * @protobuf 1
   * @alwaysWritten
   */
  port: int32;
  /**
   * TCP, UDP or SCTP.
   * @protobuf 2
   * @alwaysWritten
   */
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /**
   * Why the port is not working, as a CamelCase reason or a domain-prefixed one; empty when it works.
   * @protobuf 3
   * @maxLength 316
   * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$
   * @pointer
   */
  error?: string;
}

/**
 * Routes requests for one host (or every host).
 * @protobufEmbed IngressRuleValue 2
 */
export interface IngressRule extends IngressRuleValue {
  /**
   * The host name, possibly with a leading '*.' wildcard for one label; absent matches every host. IP addresses
   * are not allowed.
   * @protobuf 1
   */
  host?: string;
}

/** How a rule's requests are routed; only HTTP for now. */
export interface IngressRuleValue {
  /**
   * HTTP routes for the host.
   * @protobuf 1
   */
  http?: HTTPIngressRuleValue;
}

/** HTTP routes of a rule. */
export interface HTTPIngressRuleValue {
  /**
   * Paths and the backends they go to.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  paths: HTTPIngressPath[];
}

/** A path and its backend. */
export interface HTTPIngressPath {
  /**
   * The request path to match; must start with '/' for Exact and Prefix.
   * @protobuf 1
   */
  path?: string;
  /**
   * Exact (the whole path), Prefix (by '/'-separated elements) or ImplementationSpecific (up to the controller).
   * @protobuf 3
   * @alwaysWritten
   * @pointer
   */
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  /**
   * Where matching requests go.
   * @protobuf 2
   * @alwaysWritten
   */
  backend: IngressBackend;
}

/** Where requests go: a service port, or another resource. Exactly one is set. */
export interface IngressBackend {
  /**
   * A service and port.
   * @protobuf 4
   */
  service?: IngressServiceBackend;
  /**
   * Another object in the ingress's namespace, e.g. a storage bucket.
   * @protobuf 3
   */
  resource?: TypedLocalObjectReference;
}

/** A service and one of its ports. */
export interface IngressServiceBackend {
  /**
   * Name of the service, in the ingress's namespace.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * The service port.
   * @protobuf 2
   * @alwaysWritten
   */
  port?: ServiceBackendPort;
}

/**
 * A service port by name or number; exactly one is set.
 * @structType atomic
 */
export interface ServiceBackendPort {
  /**
   * The port's name.
   * @protobuf 1
   */
  name?: string;
  /**
   * The port's number.
   * @protobuf 2
   */
  number?: int32;
}

/**
 * IngressClass names a kind of ingress and the controller that implements it. One class may be marked default
 * with the ingressclass.kubernetes.io/is-default-class annotation.
 * @resource ingressclasses
 * @metadataOnUpdate update
 * @scope Cluster
 * @printColumn Controller string .spec.controller
 * @printColumn Parameters string parameters() The object that holds the controller's parameters, as Kind.group/name.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface IngressClass {
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
   * The controller and its configuration.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: IngressClassSpec;
}

/** The controller of an ingress class and its configuration. */
export interface IngressClassSpec {
  /**
   * The controller, as a domain-prefixed path such as example.com/ingress-controller, at most 250 characters.
   * Cannot be changed.
   * @protobuf 1
   */
  controller?: string;
  /**
   * An object holding the controller's configuration for this class.
   * @protobuf 2
   */
  parameters?: IngressClassParametersReference;
}

/** Points at the configuration object of an ingress class. */
export interface IngressClassParametersReference {
  /**
   * API group of the object; absent means the core group.
   * @protobuf 1
   * @pointer
   */
  apiGroup?: string;
  /**
   * Kind of the object.
   * @protobuf 2
   * @alwaysWritten
   */
  kind: string;
  /**
   * Name of the object.
   * @protobuf 3
   * @alwaysWritten
   */
  name: string;
  /**
   * Cluster (the default) or Namespace.
   * @protobuf 4
   * @alwaysWritten
   * @pointer
   */
  scope?: string;
  /**
   * Namespace of the object; required with scope Namespace, forbidden with Cluster.
   * @protobuf 5
   * @pointer
   */
  namespace?: string;
}
