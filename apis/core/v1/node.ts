import type { ObjectMeta, Time, int32, int64 } from '../../meta/v1/types.ts';
import type { ResourceList } from './pod.ts';

/**
 * Node is a machine (virtual or physical) that runs pods. The kubelet on each node registers it and reports its
 * status.
 * @resource nodes
 * @metadataOnUpdate update
 * @generation none
 * @selectableField .spec.unschedulable
 * @scope Cluster
 * @shortNames no
 * @subresource status
 * @statusKeepsMetadata none
 * @subresource proxy v1 NodeProxyOptions create,delete,get,patch,update
 * @printColumn Status string status() Whether the node is Ready, and whether it takes new pods (SchedulingDisabled).
 * @printColumn Roles string roles() The roles the node's node-role.kubernetes.io labels give it.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn Version string .status.nodeInfo.kubeletVersion
 * @printColumn Internal-IP string internalIP() 1 The node's first internal IP address.
 * @printColumn External-IP string externalIP() 1 The node's first external IP address.
 * @printColumn OS-Image string osImage() 1 The operating system image the node reports.
 * @printColumn Kernel-Version string kernelVersion() 1 The kernel version the node reports.
 * @printColumn Container-Runtime string containerRuntime() 1 The container runtime and its version, as the node reports
 *   them.
 */
export interface Node {
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
   * Desired configuration of the node.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: NodeSpec;
  /**
   * Most recently observed state of the node, reported by its kubelet.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: NodeStatus;
}

/**
 * Desired configuration of a node.
 */
export interface NodeSpec {
  /**
   * The pod IP range assigned to the node.
   * @protobuf 1
   */
  podCIDR?: string;
  /**
   * The pod IP ranges assigned to the node, at most one per IP family; the first equals podCIDR.
   * @protobuf 7
   * @listType set
   * @patchStrategy merge
   */
  podCIDRs?: string[];
  /**
   * The node's ID in the cloud provider, as <provider>://<id>.
   * @protobuf 3
   */
  providerID?: string;
  /**
   * Keep new pods from being scheduled onto the node (cordon).
   * @protobuf 4
   */
  unschedulable?: boolean;
  /**
   * Taints that repel pods not tolerating them.
   * @protobuf 5
   * @listType atomic
   */
  taints?: Taint[];
  /**
   * Deprecated: no longer used by the kubelet.
   * @protobuf 6
   */
  configSource?: NodeConfigSource;
  /**
   * Deprecated and ignored.
   * @protobuf 2
   */
  externalID?: string;
}

/**
 * A mark on a node that repels pods which do not tolerate it.
 */
export interface Taint {
  /**
   * The taint key.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * The taint value.
   * @protobuf 2
   */
  value?: string;
  /**
   * What happens to pods that do not tolerate the taint: NoSchedule, PreferNoSchedule or NoExecute.
   * @protobuf 3
   * @alwaysWritten
   * @openEnum
   */
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * When a NoExecute taint was added.
   * @protobuf 4
   */
  timeAdded?: Time;
}

/**
 * Deprecated: a source of dynamic kubelet configuration.
 */
export interface NodeConfigSource {
  /**
   * A ConfigMap holding the configuration.
   * @protobuf 2
   */
  configMap?: ConfigMapNodeConfigSource;
}

/**
 * Deprecated: a ConfigMap holding kubelet configuration.
 */
export interface ConfigMapNodeConfigSource {
  /**
   * Namespace of the ConfigMap.
   * @protobuf 1
   * @alwaysWritten
   */
  namespace: string;
  /**
   * Name of the ConfigMap.
   * @protobuf 2
   * @alwaysWritten
   */
  name: string;
  /**
   * UID of the ConfigMap.
   * @protobuf 3
   */
  uid?: string;
  /**
   * Resource version of the ConfigMap.
   * @protobuf 4
   */
  resourceVersion?: string;
  /**
   * Key of the ConfigMap holding the configuration.
   * @protobuf 5
   * @alwaysWritten
   */
  kubeletConfigKey: string;
}

/**
 * Observed state of a node.
 */
export interface NodeStatus {
  /**
   * Total resources of the node.
   * @protobuf 1
   */
  capacity?: ResourceList;
  /**
   * Resources available to pods; defaults to capacity.
   * @protobuf 2
   */
  allocatable?: ResourceList;
  /**
   * Deprecated: lifecycle phase of the node (Pending, Running, Terminated).
   * @protobuf 3
   * @openEnum
   */
  phase?: 'Pending' | 'Running' | 'Terminated';
  /**
   * Current conditions of the node (Ready, MemoryPressure, DiskPressure, PIDPressure, ...).
   * @protobuf 4
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  conditions?: NodeCondition[];
  /**
   * Addresses of the node (InternalIP, ExternalIP, Hostname, ...).
   * @protobuf 5
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  addresses?: NodeAddress[];
  /**
   * Endpoints of daemons running on the node.
   * @protobuf 6
   * @alwaysWritten
   */
  daemonEndpoints?: NodeDaemonEndpoints;
  /**
   * Identity and versions of the node's software.
   * @protobuf 7
   * @alwaysWritten
   */
  nodeInfo?: NodeSystemInfo;
  /**
   * Container images present on the node.
   * @protobuf 8
   * @listType atomic
   */
  images?: ContainerImage[];
  /**
   * Volumes attached to the node and in use.
   * @protobuf 9
   * @listType atomic
   */
  volumesInUse?: string[];
  /**
   * Volumes attached to the node.
   * @protobuf 10
   * @listType atomic
   */
  volumesAttached?: AttachedVolume[];
  /**
   * Deprecated: status of dynamic kubelet configuration.
   * @protobuf 11
   */
  config?: NodeConfigStatus;
  /**
   * The container runtime handlers the node offers.
   * @protobuf 12
   * @listType atomic
   */
  runtimeHandlers?: NodeRuntimeHandler[];
  /**
   * Features the node's runtime supports.
   * @protobuf 13
   */
  features?: NodeFeatures;
}

/**
 * One condition of a node.
 */
export interface NodeCondition {
  /**
   * Which condition this is, e.g. Ready or DiskPressure.
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
   * When the condition was last reported.
   * @protobuf 3
   * @alwaysWritten
   */
  lastHeartbeatTime?: Time;
  /**
   * When the status last changed.
   * @protobuf 4
   * @alwaysWritten
   */
  lastTransitionTime?: Time;
  /**
   * Short CamelCase reason for the last transition.
   * @protobuf 5
   */
  reason?: string;
  /**
   * Human-readable detail.
   * @protobuf 6
   */
  message?: string;
}

/**
 * An address of a node.
 */
export interface NodeAddress {
  /**
   * Hostname, ExternalIP, InternalIP, ExternalDNS or InternalDNS.
   * @protobuf 1
   * @alwaysWritten
   */
  type: string;
  /**
   * The address.
   * @protobuf 2
   * @alwaysWritten
   */
  address: string;
}

/**
 * Ports of the daemons running on a node.
 */
export interface NodeDaemonEndpoints {
  /**
   * The port the kubelet listens on.
   * @protobuf 1
   * @alwaysWritten
   */
  kubeletEndpoint?: DaemonEndpoint;
}

/**
 * A port a daemon listens on.
 */
export interface DaemonEndpoint {
  /**
   * The port number.
   * @protobuf 1
   * @alwaysWritten
   */
  Port: int32;
}

/**
 * Identity and software versions of a node.
 */
export interface NodeSystemInfo {
  /**
   * Machine ID reported by the node.
   * @protobuf 1
   * @alwaysWritten
   */
  machineID: string;
  /**
   * System UUID reported by the node.
   * @protobuf 2
   * @alwaysWritten
   */
  systemUUID: string;
  /**
   * ID of the current boot.
   * @protobuf 3
   * @alwaysWritten
   */
  bootID: string;
  /**
   * Kernel version (uname -r).
   * @protobuf 4
   * @alwaysWritten
   */
  kernelVersion: string;
  /**
   * OS image, e.g. Debian GNU/Linux 12 (bookworm).
   * @protobuf 5
   * @alwaysWritten
   */
  osImage: string;
  /**
   * Container runtime and version, e.g. containerd://1.7.0.
   * @protobuf 6
   * @alwaysWritten
   */
  containerRuntimeVersion: string;
  /**
   * Kubelet version.
   * @protobuf 7
   * @alwaysWritten
   */
  kubeletVersion: string;
  /**
   * Deprecated: kube-proxy version, no longer reliable.
   * @protobuf 8
   * @alwaysWritten
   */
  kubeProxyVersion: string;
  /**
   * Operating system, e.g. linux.
   * @protobuf 9
   * @alwaysWritten
   */
  operatingSystem: string;
  /**
   * Architecture, e.g. amd64.
   * @protobuf 10
   * @alwaysWritten
   */
  architecture: string;
}

/**
 * A container image on a node.
 */
export interface ContainerImage {
  /**
   * Names (tags and digests) of the image.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  names?: string[];
  /**
   * Size of the image in bytes.
   * @protobuf 2
   */
  sizeBytes?: int64;
}

/**
 * A volume attached to a node.
 */
export interface AttachedVolume {
  /**
   * Unique name of the volume.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Where the volume is available on the node.
   * @protobuf 2
   * @alwaysWritten
   */
  devicePath: string;
}

/**
 * Deprecated: status of dynamic kubelet configuration.
 */
export interface NodeConfigStatus {
  /**
   * The configuration the node should use.
   * @protobuf 1
   */
  assigned?: NodeConfigSource;
  /**
   * The configuration in use.
   * @protobuf 2
   */
  active?: NodeConfigSource;
  /**
   * The last configuration known to work.
   * @protobuf 3
   */
  lastKnownGood?: NodeConfigSource;
  /**
   * Problem with the configuration, if any.
   * @protobuf 4
   */
  error?: string;
}

/**
 * A container runtime handler offered by a node.
 */
export interface NodeRuntimeHandler {
  /**
   * Handler name; empty for the default handler.
   * @protobuf 1
   * @alwaysWritten
   */
  name?: string;
  /**
   * Features the handler supports.
   * @protobuf 2
   */
  features?: NodeRuntimeHandlerFeatures;
}

/**
 * Features of a runtime handler.
 */
export interface NodeRuntimeHandlerFeatures {
  /**
   * Whether recursive read-only mounts are supported.
   * @protobuf 1
   * @pointer
   */
  recursiveReadOnlyMounts?: boolean;
  /**
   * Whether user namespaces are supported.
   * @protobuf 2
   * @pointer
   */
  userNamespaces?: boolean;
}

/**
 * Features of a node's runtime.
 */
export interface NodeFeatures {
  /**
   * Whether supplementalGroupsPolicy is honoured.
   * @protobuf 1
   * @pointer
   */
  supplementalGroupsPolicy?: boolean;
}
