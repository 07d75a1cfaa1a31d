import type { int32, IntOrString, LabelSelector, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * NetworkPolicy restricts which traffic may reach, or leave, the pods it selects. Enforced by the network plugin.
 * @resource networkpolicies
 * @metadataOnUpdate update
 * @shortNames netpol
 * @printColumn Pod-Selector string podSelector() The labels of the pods the policy applies to.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface NetworkPolicy {
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
   * The pods affected and the traffic allowed.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: NetworkPolicySpec;
}

/** Which pods a network policy affects and what traffic it allows. */
export interface NetworkPolicySpec {
  /**
   * The pods in the policy's namespace it applies to; empty selects all of them.
   * @protobuf 1
   * @alwaysWritten
   */
  podSelector: LabelSelector;
  /**
   * Incoming traffic allowed (in addition to other policies); with Ingress in policyTypes and no rules, none is.
   * @protobuf 2
   * @listType atomic
   */
  ingress?: NetworkPolicyIngressRule[];
  /**
   * Outgoing traffic allowed (in addition to other policies); with Egress in policyTypes and no rules, none is.
   * @protobuf 3
   * @listType atomic
   */
  egress?: NetworkPolicyEgressRule[];
  /**
   * Directions the policy governs: Ingress, Egress or both. Defaults to Ingress, plus Egress when egress rules
   * are given.
   * @protobuf 4
   * @listType atomic
   */
  policyTypes?: ('Ingress' | 'Egress')[];
}

/** Incoming traffic allowed when both its port and its source match. */
export interface NetworkPolicyIngressRule {
  /**
   * Destination ports; empty or absent means every port.
   * @protobuf 1
   * @listType atomic
   */
  ports?: NetworkPolicyPort[];
  /**
   * Sources; empty or absent means any source.
   * @protobuf 2
   * @listType atomic
   */
  from?: NetworkPolicyPeer[];
}

/** Outgoing traffic allowed when both its port and its destination match. */
export interface NetworkPolicyEgressRule {
  /**
   * Destination ports; empty or absent means every port.
   * @protobuf 1
   * @listType atomic
   */
  ports?: NetworkPolicyPort[];
  /**
   * Destinations; empty or absent means any destination.
   * @protobuf 2
   * @listType atomic
   */
  to?: NetworkPolicyPeer[];
}

/** A port, or a range of ports, and its protocol. */
export interface NetworkPolicyPort {
  /**
   * TCP (the default), UDP or SCTP.
   * @protobuf 1
   * @pointer
   */
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  /**
   * A port number or a named container port; absent means every port.
   * @protobuf 2
   */
  port?: IntOrString;
  /**
   * With a numeric port: the last port of a range starting at port.
   * @protobuf 3
   * @pointer
   */
  endPort?: int32;
}

/** A set of peers: pods by label (optionally in selected namespaces), or an IP block. */
export interface NetworkPolicyPeer {
  /**
   * Pods by label, in the policy's namespace or in the namespaces namespaceSelector selects.
   * @protobuf 1
   */
  podSelector?: LabelSelector;
  /**
   * Namespaces by label; with podSelector, only those pods in them.
   * @protobuf 2
   */
  namespaceSelector?: LabelSelector;
  /**
   * An IP range; cannot be combined with the selectors.
   * @protobuf 3
   */
  ipBlock?: IPBlock;
}

/** An IP range with exceptions. */
export interface IPBlock {
  /**
   * The range, in CIDR notation, e.g. 192.168.1.0/24 or 2001:db8::/64.
   * @protobuf 1
   * @alwaysWritten
   */
  cidr: string;
  /**
   * Sub-ranges to leave out, within cidr.
   * @protobuf 2
   * @listType atomic
   */
  except?: string[];
}
