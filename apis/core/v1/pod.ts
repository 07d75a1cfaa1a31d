import type { IntOrString, LabelSelector, ObjectMeta, Quantity, Time, int32, int64 } from '../../meta/v1/types.ts';
import type { LocalObjectReference } from './serviceaccount.ts';
import type { Volume } from './volume.ts';

/** Amounts of named resources (cpu, memory, storage, extended resources), e.g. `{ cpu: '500m', memory: '1Gi' }`. */
export type ResourceList = Record<string, Quantity>;

/**
 * Pod is a group of one or more containers that are scheduled together onto one node and share its network
 * namespace and volumes. It is the smallest unit of work the cluster runs.
 * @resource pods
 * @selectableField .spec.nodeName
 * @selectableField .spec.restartPolicy
 * @selectableField .spec.schedulerName
 * @selectableField .spec.serviceAccountName
 * @selectableField .spec.hostNetwork
 * @selectableField .status.phase
 * @selectableField status.podIP podIP()
 * @selectableField status.podIPs podIPs()
 * @selectableField .status.nominatedNodeName
 * @fieldLabelAlias spec.host spec.nodeName
 * @shortNames po
 * @categories all
 * @subresource status
 * @statusKeepsMetadata ownerReferences
 * @subresource attach v1 PodAttachOptions create,get
 * @subresource binding v1 Binding create
 * @subresource ephemeralcontainers v1 Pod get,patch,update
 * @subresource eviction policy/v1 Eviction create
 * @subresource exec v1 PodExecOptions create,get
 * @subresource log v1 Pod get
 * @subresource portforward v1 PodPortForwardOptions create,get
 * @subresource proxy v1 PodProxyOptions create,delete,get,patch,update
 * @printColumn Ready string ready() Ready containers out of all containers.
 * @printColumn Status string status() The pod's state in one word: its phase, or the reason a container waits or ended.
 * @printColumn Restarts string restarts() How many times the pod's containers restarted, and how long ago the last
 *   restart was.
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn IP string ip() 1 The pod's IP address.
 * @printColumn Node string node() 1 The node the pod runs on.
 * @printColumn "Nominated Node" string nominatedNode() 1 The node the scheduler made room on by preemption, until the
 *   pod is bound.
 * @printColumn "Readiness Gates" string readinessGates() 1 Readiness gates that hold, out of all the pod declares.
 */
export interface Pod {
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
   * Desired behaviour of the pod.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PodSpec;
  /**
   * Most recently observed state of the pod, written by the node and the system; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PodStatus;
}

/**
 * A pod template: the metadata and spec of pods a controller creates.
 */
export interface PodTemplateSpec {
  /**
   * Metadata given to pods created from this template (labels in particular).
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Spec of pods created from this template.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PodSpec;
}

/**
 * Desired behaviour of a pod: its containers, volumes and scheduling constraints.
 */
export interface PodSpec {
  /**
   * Volumes that containers of the pod may mount.
   * @protobuf 1
   * @listType map
   * @listMapKey name
   * @patchStrategy merge,retainKeys
   * @patchMergeKey name
   */
  volumes?: Volume[];
  /**
   * Containers run one after another, each to completion, before the regular containers start. An init container
   * with restartPolicy Always is a sidecar that keeps running alongside them. Cannot be changed after creation.
   * @protobuf 20
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  initContainers?: Container[];
  /**
   * The pod's containers. At least one is required; containers cannot be added or removed after creation.
   * @protobuf 2
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   * @alwaysWritten
   */
  containers: Container[];
  /**
   * Temporary containers added to a running pod for debugging, through the ephemeralcontainers subresource. They
   * are never restarted and cannot be set on create.
   * @protobuf 34
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  ephemeralContainers?: EphemeralContainer[];
  /**
   * When containers are restarted after they exit: Always, OnFailure or Never. Defaults to Always.
   * @protobuf 3
   * @default "Always"
   */
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /**
   * Seconds a pod is given to stop after a deletion request before its processes are killed; 0 stops at once.
   * Defaults to 30.
   * @protobuf 4
   * @default 30
   * @pointer
   */
  terminationGracePeriodSeconds?: int64;
  /**
   * Seconds, counted from the start time, the pod may be active before the system marks it failed and kills its
   * containers.
   * @protobuf 5
   * @pointer
   */
  activeDeadlineSeconds?: int64;
  /**
   * How DNS is configured for the pod: ClusterFirst (default), ClusterFirstWithHostNet, Default or None.
   * @protobuf 6
   * @default "ClusterFirst"
   */
  dnsPolicy?: 'ClusterFirstWithHostNet' | 'ClusterFirst' | 'Default' | 'None';
  /**
   * Labels a node must carry for the pod to be scheduled there.
   * @mapType atomic
   * @protobuf 7
   */
  nodeSelector?: Record<string, string>;
  /**
   * Name of the ServiceAccount the pod's processes run as.
   * @protobuf 8
   */
  serviceAccountName?: string;
  /**
   * Deprecated alias of serviceAccountName.
   * @protobuf 9
   */
  serviceAccount?: string;
  /**
   * Whether an API token of the service account is mounted into the pod.
   * @protobuf 21
   * @pointer
   */
  automountServiceAccountToken?: boolean;
  /**
   * The node the pod is bound to. Set by the scheduler; setting it on create bypasses scheduling.
   * @protobuf 10
   */
  nodeName?: string;
  /**
   * Run the pod in the node's network namespace; container ports are then host ports.
   * @protobuf 11
   */
  hostNetwork?: boolean;
  /**
   * Share the node's process ID namespace.
   * @protobuf 12
   */
  hostPID?: boolean;
  /**
   * Share the node's IPC namespace.
   * @protobuf 13
   */
  hostIPC?: boolean;
  /**
   * Run all containers of the pod in one process namespace, so they can see and signal each other's processes.
   * @protobuf 27
   * @pointer
   */
  shareProcessNamespace?: boolean;
  /**
   * Security settings that apply to the whole pod (user and group IDs, fsGroup, sysctls, seccomp, ...); container
   * settings override them.
   * @protobuf 14
   */
  securityContext?: PodSecurityContext;
  /**
   * Secrets in the pod's namespace holding credentials for pulling its images.
   * @protobuf 15
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  imagePullSecrets?: LocalObjectReference[];
  /**
   * Host name of the pod; defaults to a system-chosen value (the pod name).
   * @protobuf 16
   */
  hostname?: string;
  /**
   * When set, the pod's fully qualified name is <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.
   * @protobuf 17
   */
  subdomain?: string;
  /**
   * Scheduling constraints relative to nodes and to other pods.
   * @protobuf 18
   */
  affinity?: Affinity;
  /**
   * The scheduler that places this pod; defaults to default-scheduler.
   * @protobuf 19
   * @default "default-scheduler"
   */
  schedulerName?: string;
  /**
   * Taints this pod tolerates.
   * @protobuf 22
   * @listType atomic
   */
  tolerations?: Toleration[];
  /**
   * Extra entries for the pod's /etc/hosts file.
   * @protobuf 23
   * @listType map
   * @listMapKey ip
   * @patchStrategy merge
   * @patchMergeKey ip
   */
  hostAliases?: HostAlias[];
  /**
   * Name of the PriorityClass that gives the pod its priority.
   * @protobuf 24
   */
  priorityClassName?: string;
  /**
   * Priority value, filled from priorityClassName by admission; higher values are scheduled (and kept) first.
   * @protobuf 25
   * @pointer
   */
  priority?: int32;
  /**
   * DNS parameters merged with those the dnsPolicy produces.
   * @protobuf 26
   */
  dnsConfig?: PodDNSConfig;
  /**
   * Extra conditions that must be True in status.conditions for the pod to count as ready.
   * @protobuf 28
   * @listType atomic
   */
  readinessGates?: PodReadinessGate[];
  /**
   * Name of the RuntimeClass used to run the pod; empty uses the node's default runtime handler.
   * @protobuf 29
   * @pointer
   */
  runtimeClassName?: string;
  /**
   * Whether environment variables describing services in the namespace are injected, as Docker links did. Defaults
   * to true.
   * @protobuf 30
   * @pointer
   */
  enableServiceLinks?: boolean;
  /**
   * Whether the pod may preempt lower-priority pods: PreemptLowerPriority (default) or Never.
   * @protobuf 31
   * @pointer
   */
  preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /**
   * Resources the pod's sandbox consumes on top of its containers, set from the RuntimeClass by admission.
   * @protobuf 32
   */
  overhead?: ResourceList;
  /**
   * How pods matching a selector should be spread across topology domains (zones, nodes, ...).
   * @protobuf 33
   * @listType map
   * @listMapKey topologyKey
   * @listMapKey whenUnsatisfiable
   * @patchStrategy merge
   * @patchMergeKey topologyKey
   */
  topologySpreadConstraints?: TopologySpreadConstraint[];
  /**
   * Make the pod's hostname its fully qualified domain name rather than the short name.
   * @protobuf 35
   * @pointer
   */
  setHostnameAsFQDN?: boolean;
  /**
   * The operating system the pod's containers need; restricts which security settings are allowed.
   * @protobuf 36
   */
  os?: PodOS;
  /**
   * Whether the pod uses the node's user namespace (true, the default) or a user namespace of its own (false).
   * @protobuf 37
   * @pointer
   */
  hostUsers?: boolean;
  /**
   * Gates that keep the pod from being scheduled while any is present; they can only be removed.
   * @protobuf 38
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  schedulingGates?: PodSchedulingGate[];
  /**
   * Dynamic resource claims (DRA) the pod needs; containers refer to them by name in resources.claims.
   * @protobuf 39
   * @listType map
   * @listMapKey name
   * @patchStrategy merge,retainKeys
   * @patchMergeKey name
   */
  resourceClaims?: PodResourceClaim[];
  /**
   * Pod-level resource requests and limits, shared by all its containers.
   * @protobuf 40
   */
  resources?: ResourceRequirements;
}

/**
 * Observed state of a pod. It may lag behind the actual state of the node.
 */
export interface PodStatus {
  /**
   * Coarse lifecycle summary: Pending, Running, Succeeded, Failed or Unknown.
   * @protobuf 1
   * @openEnum
   */
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /**
   * Current conditions of the pod (PodScheduled, Initialized, ContainersReady, Ready, ...).
   * @protobuf 2
   * @listType map
   * @listMapKey type
   * @patchStrategy merge
   * @patchMergeKey type
   */
  conditions?: PodCondition[];
  /**
   * Human-readable detail of why the pod is in its state.
   * @protobuf 3
   */
  message?: string;
  /**
   * Short CamelCase reason for the pod's state, e.g. Evicted.
   * @protobuf 4
   */
  reason?: string;
  /**
   * Node where the pod is expected to run once preemption of victims completes.
   * @protobuf 11
   */
  nominatedNodeName?: string;
  /**
   * Primary IP of the node the pod runs on.
   * @protobuf 5
   */
  hostIP?: string;
  /**
   * IPs of the node the pod runs on, primary first.
   * @protobuf 16
   * @listType atomic
   * @patchStrategy merge
   * @patchMergeKey ip
   */
  hostIPs?: HostIP[];
  /**
   * Primary IP address of the pod.
   * @protobuf 6
   */
  podIP?: string;
  /**
   * IP addresses of the pod, one per address family, primary first.
   * @protobuf 12
   * @listType map
   * @listMapKey ip
   * @patchStrategy merge
   * @patchMergeKey ip
   */
  podIPs?: PodIP[];
  /**
   * When the node acknowledged the pod, before any image was pulled.
   * @protobuf 7
   */
  startTime?: Time;
  /**
   * Status of each init container.
   * @protobuf 10
   * @listType atomic
   */
  initContainerStatuses?: ContainerStatus[];
  /**
   * Status of each regular container.
   * @protobuf 8
   * @listType atomic
   */
  containerStatuses?: ContainerStatus[];
  /**
   * Quality-of-service class derived from the resource requests and limits: Guaranteed, Burstable or BestEffort.
   * @protobuf 9
   * @openEnum
   */
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /**
   * Status of each ephemeral container.
   * @protobuf 13
   * @listType atomic
   */
  ephemeralContainerStatuses?: ContainerStatus[];
  /**
   * Deprecated: progress of an in-place resize (use the PodResizePending/PodResizeInProgress conditions).
   * @protobuf 14
   */
  resize?: string;
  /**
   * Names of the ResourceClaims generated for the pod's resourceClaims entries.
   * @protobuf 15
   * @listType map
   * @listMapKey name
   * @patchStrategy merge,retainKeys
   * @patchMergeKey name
   */
  resourceClaimStatuses?: PodResourceClaimStatus[];
}

/**
 * One condition of a pod.
 */
export interface PodCondition {
  /**
   * Which condition this is, e.g. Ready or PodScheduled.
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
   * When the condition was last checked.
   * @protobuf 3
   * @alwaysWritten
   */
  lastProbeTime?: Time;
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
   * Human-readable detail of the last transition.
   * @protobuf 6
   */
  message?: string;
}

/**
 * One IP address of a pod.
 */
export interface PodIP {
  /**
   * The IP address.
   * @protobuf 1
   * @alwaysWritten
   */
  ip: string;
}

/**
 * One IP address of the node a pod runs on.
 */
export interface HostIP {
  /**
   * The IP address.
   * @protobuf 1
   * @alwaysWritten
   */
  ip: string;
}

/**
 * Observed state of one container.
 */
export interface ContainerStatus {
  /**
   * Name of the container, as in the pod spec.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Current state of the container.
   * @protobuf 2
   * @alwaysWritten
   */
  state?: ContainerState;
  /**
   * State of the container's previous run, when it has been restarted.
   * @protobuf 3
   * @alwaysWritten
   */
  lastState?: ContainerState;
  /**
   * Whether the container passes its readiness probe.
   * @protobuf 4
   * @alwaysWritten
   */
  ready: boolean;
  /**
   * How many times the container has been restarted.
   * @protobuf 5
   * @alwaysWritten
   */
  restartCount: int32;
  /**
   * The image the container runs.
   * @protobuf 6
   * @alwaysWritten
   */
  image: string;
  /**
   * Resolved ID (digest) of the image.
   * @protobuf 7
   * @alwaysWritten
   */
  imageID: string;
  /**
   * Runtime ID of the container, as <type>://<id>.
   * @protobuf 8
   */
  containerID?: string;
  /**
   * Whether the container has passed its startup probe (or has none) and counts as started.
   * @protobuf 9
   * @pointer
   */
  started?: boolean;
  /**
   * Resources the node has allocated to the container.
   * @protobuf 10
   */
  allocatedResources?: ResourceList;
  /**
   * Resource requests and limits actually applied to the running container.
   * @protobuf 11
   */
  resources?: ResourceRequirements;
  /**
   * Status of the container's volume mounts.
   * @protobuf 12
   * @listType map
   * @listMapKey mountPath
   * @patchStrategy merge
   * @patchMergeKey mountPath
   */
  volumeMounts?: VolumeMountStatus[];
  /**
   * Identity the container's first process actually runs with.
   * @protobuf 13
   */
  user?: ContainerUser;
  /**
   * Health of the devices allocated to the container.
   * @protobuf 14
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  allocatedResourcesStatus?: ResourceStatus[];
}

/**
 * A container's state; exactly one member is set. Without any, the container is waiting.
 */
export interface ContainerState {
  /**
   * Details of a waiting container.
   * @protobuf 1
   */
  waiting?: ContainerStateWaiting;
  /**
   * Details of a running container.
   * @protobuf 2
   */
  running?: ContainerStateRunning;
  /**
   * Details of a terminated container.
   * @protobuf 3
   */
  terminated?: ContainerStateTerminated;
}

/**
 * A container that is not running yet.
 */
export interface ContainerStateWaiting {
  /**
   * Why the container is not running yet, e.g. ContainerCreating or CrashLoopBackOff.
   * @protobuf 1
   */
  reason?: string;
  /**
   * Human-readable detail.
   * @protobuf 2
   */
  message?: string;
}

/**
 * A running container.
 */
export interface ContainerStateRunning {
  /**
   * When the container last (re)started.
   * @protobuf 1
   * @alwaysWritten
   */
  startedAt?: Time;
}

/**
 * A container that has finished.
 */
export interface ContainerStateTerminated {
  /**
   * The exit code of its last run.
   * @protobuf 1
   * @alwaysWritten
   */
  exitCode: int32;
  /**
   * The signal that ended it, if any.
   * @protobuf 2
   */
  signal?: int32;
  /**
   * Short reason, e.g. Completed or OOMKilled.
   * @protobuf 3
   */
  reason?: string;
  /**
   * Human-readable detail.
   * @protobuf 4
   */
  message?: string;
  /**
   * When its last run started.
   * @protobuf 5
   * @alwaysWritten
   */
  startedAt?: Time;
  /**
   * When its last run ended.
   * @protobuf 6
   * @alwaysWritten
   */
  finishedAt?: Time;
  /**
   * Runtime ID of the container, as <type>://<id>.
   * @protobuf 7
   */
  containerID?: string;
}

/**
 * Identity a container's process runs with.
 */
export interface ContainerUser {
  /**
   * The identity on Linux.
   * @protobuf 1
   */
  linux?: LinuxContainerUser;
}

/**
 * User and group IDs of a container's first process on Linux.
 */
export interface LinuxContainerUser {
  /**
   * The user ID.
   * @protobuf 1
   * @alwaysWritten
   */
  uid: int64;
  /**
   * The primary group ID.
   * @protobuf 2
   * @alwaysWritten
   */
  gid: int64;
  /**
   * The supplementary group IDs.
   * @protobuf 3
   * @listType atomic
   */
  supplementalGroups?: int64[];
}

/**
 * Observed state of one volume mount.
 */
export interface VolumeMountStatus {
  /**
   * Name of the mounted volume.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Where the volume is mounted.
   * @protobuf 2
   * @alwaysWritten
   */
  mountPath: string;
  /**
   * Whether the mount is read-only.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * Whether read-only applies recursively to sub-mounts: Disabled or Enabled.
   * @protobuf 4
   * @pointer
   */
  recursiveReadOnly?: string;
}

/**
 * Health of the devices backing one resource allocated to a container.
 */
export interface ResourceStatus {
  /**
   * The resource name (a claim or an extended resource).
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Health of each device.
   * @protobuf 2
   * @listType map
   * @listMapKey resourceID
   */
  resources?: ResourceHealth[];
}

/**
 * Health of one device.
 */
export interface ResourceHealth {
  /**
   * Unique ID of the device.
   * @protobuf 1
   * @alwaysWritten
   */
  resourceID: string;
  /**
   * Healthy, Unhealthy or Unknown.
   * @protobuf 2
   */
  health?: string;
}

/**
 * One container run in a pod.
 */
export interface Container {
  /**
   * Name of the container, a DNS-1123 label unique within the pod. Cannot be changed.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Container image to run. Controllers such as Deployments require it.
   * @protobuf 2
   */
  image?: string;
  /**
   * The entrypoint, as an array (not run in a shell); replaces the image's ENTRYPOINT. $(VAR) references to
   * environment variables are expanded; $$ escapes them.
   * @protobuf 3
   * @listType atomic
   */
  command?: string[];
  /**
   * Arguments to the entrypoint; replace the image's CMD. $(VAR) references are expanded as in command.
   * @protobuf 4
   * @listType atomic
   */
  args?: string[];
  /**
   * Working directory of the process; defaults to the image's.
   * @protobuf 5
   */
  workingDir?: string;
  /**
   * Ports the container exposes. Informational for the most part: any port the process listens on is reachable.
   * Cannot be changed.
   * @protobuf 6
   * @listType map
   * @listMapKey containerPort
   * @listMapKey protocol
   * @patchStrategy merge
   * @patchMergeKey containerPort
   */
  ports?: ContainerPort[];
  /**
   * Sources whose keys all become environment variables. A variable also set in env takes that value.
   * @protobuf 19
   * @listType atomic
   */
  envFrom?: EnvFromSource[];
  /**
   * Environment variables to set in the container.
   * @protobuf 7
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  env?: EnvVar[];
  /**
   * Compute resources the container requests and is limited to.
   * @protobuf 8
   * @alwaysWritten
   */
  resources?: ResourceRequirements;
  /**
   * How each resource is resized in place: whether the container must be restarted.
   * @protobuf 23
   * @listType atomic
   */
  resizePolicy?: ContainerResizePolicy[];
  /**
   * Restart behaviour of this container, overriding the pod's. Only Always is allowed, on init containers, which
   * makes them sidecars.
   * @protobuf 24
   * @pointer
   */
  restartPolicy?: string;
  /**
   * Volumes of the pod mounted into the container's filesystem.
   * @protobuf 9
   * @listType map
   * @listMapKey mountPath
   * @patchStrategy merge
   * @patchMergeKey mountPath
   */
  volumeMounts?: VolumeMount[];
  /**
   * Block volumes of the pod exposed to the container as devices.
   * @protobuf 21
   * @listType map
   * @listMapKey devicePath
   * @patchStrategy merge
   * @patchMergeKey devicePath
   */
  volumeDevices?: VolumeDevice[];
  /**
   * Periodic check of whether the container is alive; it is restarted when the check fails.
   * @protobuf 10
   */
  livenessProbe?: Probe;
  /**
   * Periodic check of whether the container can serve; failing removes the pod from service endpoints.
   * @protobuf 11
   */
  readinessProbe?: Probe;
  /**
   * Check that must succeed once before the other probes start; failing restarts the container.
   * @protobuf 22
   */
  startupProbe?: Probe;
  /**
   * Actions run right after the container starts and before it is stopped.
   * @protobuf 12
   */
  lifecycle?: Lifecycle;
  /**
   * File whose contents are reported as the termination message when the container ends. Defaults to
   * /dev/termination-log.
   * @protobuf 13
   * @default "/dev/termination-log"
   */
  terminationMessagePath?: string;
  /**
   * Where the termination message comes from: File (default), or FallbackToLogsOnError to use the log tail when the
   * file is empty and the container failed.
   * @protobuf 20
   * @default "File"
   */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /**
   * When to pull the image: Always, Never or IfNotPresent. Defaults to Always for a :latest or untagged image,
   * IfNotPresent otherwise.
   * @protobuf 14
   */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Security settings of this container; they override the pod's.
   * @protobuf 15
   */
  securityContext?: SecurityContext;
  /**
   * Keep a stdin buffer open for the container; without it reads from stdin get EOF.
   * @protobuf 16
   */
  stdin?: boolean;
  /**
   * Close stdin after the first attached client disconnects.
   * @protobuf 17
   */
  stdinOnce?: boolean;
  /**
   * Allocate a TTY for the container (needs stdin).
   * @protobuf 18
   */
  tty?: boolean;
}

/**
 * A temporary container added to a running pod to debug it. It has no ports, probes or resources and is never
 * restarted.
 * @protobufEmbed EphemeralContainerCommon 1
 */
export interface EphemeralContainer extends EphemeralContainerCommon {
  /**
   * Name of a container whose namespaces (IPC, PID, ...) this one joins; empty joins only the pod's.
   * @protobuf 2
   */
  targetContainerName?: string;
}

/**
 * The fields of a Container that an ephemeral container carries (several of them not allowed there), inlined in
 * EphemeralContainer.
 */
export interface EphemeralContainerCommon {
  /**
   * Name of the ephemeral container, a DNS-1123 label unique among all containers of the pod.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Container image to run.
   * @protobuf 2
   */
  image?: string;
  /**
   * The entrypoint, as an array (not run in a shell); replaces the image's ENTRYPOINT.
   * @protobuf 3
   * @listType atomic
   */
  command?: string[];
  /**
   * Arguments to the entrypoint; replace the image's CMD.
   * @protobuf 4
   * @listType atomic
   */
  args?: string[];
  /**
   * Working directory of the process.
   * @protobuf 5
   */
  workingDir?: string;
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 6
   * @listType map
   * @listMapKey containerPort
   * @listMapKey protocol
   * @patchStrategy merge
   * @patchMergeKey containerPort
   */
  ports?: ContainerPort[];
  /**
   * Sources whose keys all become environment variables.
   * @protobuf 19
   * @listType atomic
   */
  envFrom?: EnvFromSource[];
  /**
   * Environment variables to set.
   * @protobuf 7
   * @listType map
   * @listMapKey name
   * @patchStrategy merge
   * @patchMergeKey name
   */
  env?: EnvVar[];
  /**
   * Not allowed: ephemeral containers use resources already given to the pod.
   * @protobuf 8
   * @alwaysWritten
   */
  resources?: ResourceRequirements;
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 23
   * @listType atomic
   */
  resizePolicy?: ContainerResizePolicy[];
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 24
   * @pointer
   */
  restartPolicy?: string;
  /**
   * Volumes of the pod mounted into the container; subPath is not allowed.
   * @protobuf 9
   * @listType map
   * @listMapKey mountPath
   * @patchStrategy merge
   * @patchMergeKey mountPath
   */
  volumeMounts?: VolumeMount[];
  /**
   * Block volumes of the pod exposed as devices.
   * @protobuf 21
   * @listType map
   * @listMapKey devicePath
   * @patchStrategy merge
   * @patchMergeKey devicePath
   */
  volumeDevices?: VolumeDevice[];
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 10
   */
  livenessProbe?: Probe;
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 11
   */
  readinessProbe?: Probe;
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 22
   */
  startupProbe?: Probe;
  /**
   * Not allowed for ephemeral containers.
   * @protobuf 12
   */
  lifecycle?: Lifecycle;
  /**
   * File whose contents are reported as the termination message. Defaults to /dev/termination-log.
   * @protobuf 13
   * @default "/dev/termination-log"
   */
  terminationMessagePath?: string;
  /**
   * Where the termination message comes from: File or FallbackToLogsOnError.
   * @protobuf 20
   * @default "File"
   */
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  /**
   * When to pull the image: Always, Never or IfNotPresent.
   * @protobuf 14
   */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * Security settings of this container.
   * @protobuf 15
   */
  securityContext?: SecurityContext;
  /**
   * Keep a stdin buffer open for the container.
   * @protobuf 16
   */
  stdin?: boolean;
  /**
   * Close stdin after the first attached client disconnects.
   * @protobuf 17
   */
  stdinOnce?: boolean;
  /**
   * Allocate a TTY for the container.
   * @protobuf 18
   */
  tty?: boolean;
}

/**
 * A network port of a container.
 */
export interface ContainerPort {
  /**
   * Name of the port, an IANA service name unique within the pod, that services can refer to.
   * @protobuf 1
   */
  name?: string;
  /**
   * Port on the host mapped to the container port. Rarely needed; with hostNetwork it must equal containerPort.
   * @protobuf 2
   */
  hostPort?: int32;
  /**
   * Port number on the pod's IP, 1-65535.
   * @protobuf 3
   * @alwaysWritten
   */
  containerPort: int32;
  /**
   * TCP, UDP or SCTP. Defaults to TCP.
   * @protobuf 4
   * @default "TCP"
   */
  protocol?: 'SCTP' | 'TCP' | 'UDP';
  /**
   * Host IP to bind the host port to.
   * @protobuf 5
   */
  hostIP?: string;
}

/**
 * An environment variable of a container.
 */
export interface EnvVar {
  /**
   * Name of the variable.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Value of the variable. $(VAR) references to variables defined earlier are expanded; $$ escapes them. Defaults
   * to "".
   * @protobuf 2
   */
  value?: string;
  /**
   * Where the value comes from, instead of value.
   * @protobuf 3
   */
  valueFrom?: EnvVarSource;
}

/**
 * Where an environment variable's value comes from; exactly one member is set.
 */
export interface EnvVarSource {
  /**
   * A field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels['<key>'],
   * metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName, status.hostIP(s), status.podIP(s).
   * @protobuf 1
   */
  fieldRef?: ObjectFieldSelector;
  /**
   * A resource request or limit of a container.
   * @protobuf 2
   */
  resourceFieldRef?: ResourceFieldSelector;
  /**
   * A key of a ConfigMap.
   * @protobuf 3
   */
  configMapKeyRef?: ConfigMapKeySelector;
  /**
   * A key of a Secret.
   * @protobuf 4
   */
  secretKeyRef?: SecretKeySelector;
}

/**
 * A source of a set of environment variables.
 */
export interface EnvFromSource {
  /**
   * Prefix added to every key.
   * @protobuf 1
   */
  prefix?: string;
  /**
   * The ConfigMap to read.
   * @protobuf 2
   */
  configMapRef?: ConfigMapEnvSource;
  /**
   * The Secret to read.
   * @protobuf 3
   */
  secretRef?: SecretEnvSource;
}

/**
 * A ConfigMap whose keys become environment variables.
 * @protobufEmbed LocalObjectReference 1
 */
export interface ConfigMapEnvSource extends LocalObjectReference {
  /**
   * Whether the ConfigMap may be missing.
   * @protobuf 2
   * @pointer
   */
  optional?: boolean;
}

/**
 * A Secret whose keys become environment variables.
 * @protobufEmbed LocalObjectReference 1
 */
export interface SecretEnvSource extends LocalObjectReference {
  /**
   * Whether the Secret may be missing.
   * @protobuf 2
   * @pointer
   */
  optional?: boolean;
}

/**
 * One key of a ConfigMap.
 * @protobufEmbed LocalObjectReference 1
 * @structType atomic
 */
export interface ConfigMapKeySelector extends LocalObjectReference {
  /**
   * The key to select.
   * @protobuf 2
   * @alwaysWritten
   */
  key: string;
  /**
   * Whether the ConfigMap or key may be missing.
   * @protobuf 3
   * @pointer
   */
  optional?: boolean;
}

/**
 * One key of a Secret.
 * @protobufEmbed LocalObjectReference 1
 * @structType atomic
 */
export interface SecretKeySelector extends LocalObjectReference {
  /**
   * The key to select.
   * @protobuf 2
   * @alwaysWritten
   */
  key: string;
  /**
   * Whether the Secret or key may be missing.
   * @protobuf 3
   * @pointer
   */
  optional?: boolean;
}

/**
 * Selects a field of the pod.
 * @structType atomic
 */
export interface ObjectFieldSelector {
  /**
   * API version the fieldPath is written in; defaults to v1.
   * @protobuf 1
   * @default "v1"
   */
  apiVersion?: string;
  /**
   * Path of the field, in that API version.
   * @protobuf 2
   * @alwaysWritten
   */
  fieldPath: string;
}

/**
 * Selects a resource request or limit of a container, e.g. limits.cpu.
 * @structType atomic
 */
export interface ResourceFieldSelector {
  /**
   * The container; required for volumes, optional for environment variables.
   * @protobuf 1
   */
  containerName?: string;
  /**
   * The resource, e.g. requests.memory or limits.cpu.
   * @protobuf 2
   * @alwaysWritten
   */
  resource: string;
  /**
   * Unit the value is expressed in; defaults to 1.
   * @protobuf 3
   * @alwaysWritten
   */
  divisor?: Quantity;
}

/**
 * Compute resources a container (or pod) requests and may not exceed.
 */
export interface ResourceRequirements {
  /**
   * Most of each resource the container may use.
   * @protobuf 1
   */
  limits?: ResourceList;
  /**
   * Least of each resource the container needs; used for scheduling. Defaults to limits where absent.
   * @protobuf 2
   */
  requests?: ResourceList;
  /**
   * Names of the pod's resourceClaims entries this container uses.
   * @protobuf 3
   * @listType map
   * @listMapKey name
   */
  claims?: ResourceClaim[];
}

/**
 * Reference to one of the pod's resource claims.
 */
export interface ResourceClaim {
  /**
   * Name of an entry in spec.resourceClaims.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * A single request within the claim; empty makes the whole claim available.
   * @protobuf 2
   */
  request?: string;
}

/**
 * How one resource of a container is resized in place.
 */
export interface ContainerResizePolicy {
  /**
   * The resource, cpu or memory.
   * @protobuf 1
   * @alwaysWritten
   */
  resourceName: string;
  /**
   * NotRequired or RestartContainer.
   * @protobuf 2
   * @alwaysWritten
   */
  restartPolicy: string;
}

/**
 * Mounts a volume of the pod into a container.
 */
export interface VolumeMount {
  /**
   * Name of the volume.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Mount read-only. Defaults to false.
   * @protobuf 2
   */
  readOnly?: boolean;
  /**
   * Whether a read-only mount is read-only in sub-mounts too: Disabled (default), IfPossible or Enabled.
   * @protobuf 7
   * @pointer
   */
  recursiveReadOnly?: string;
  /**
   * Path in the container where the volume is mounted; must not contain ':'.
   * @protobuf 3
   * @alwaysWritten
   */
  mountPath: string;
  /**
   * Path inside the volume to mount instead of its root.
   * @protobuf 4
   */
  subPath?: string;
  /**
   * How mounts propagate between host and container: None (default), HostToContainer or Bidirectional.
   * @protobuf 5
   * @pointer
   */
  mountPropagation?: 'Bidirectional' | 'HostToContainer' | 'None';
  /**
   * Like subPath, with $(VAR) references expanded from the container's environment. Exclusive with subPath.
   * @protobuf 6
   */
  subPathExpr?: string;
}

/**
 * Exposes a block volume of the pod as a device in a container.
 */
export interface VolumeDevice {
  /**
   * Name of a persistentVolumeClaim volume of the pod.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Path of the device inside the container.
   * @protobuf 2
   * @alwaysWritten
   */
  devicePath: string;
}

/**
 * A health check of a container: one action and how often it runs.
 * @protobufEmbed ProbeHandler 1
 */
export interface Probe extends ProbeHandler {
  /**
   * Seconds after the container starts before the first check.
   * @protobuf 2
   */
  initialDelaySeconds?: int32;
  /**
   * Seconds after which a check times out. Defaults to 1.
   * @protobuf 3
   * @default 1
   */
  timeoutSeconds?: int32;
  /**
   * Seconds between checks. Defaults to 10.
   * @protobuf 4
   * @default 10
   */
  periodSeconds?: int32;
  /**
   * Consecutive successes needed after a failure. Defaults to 1; must be 1 for liveness and startup probes.
   * @protobuf 5
   * @default 1
   */
  successThreshold?: int32;
  /**
   * Consecutive failures after which the probe counts as failed. Defaults to 3.
   * @protobuf 6
   * @default 3
   */
  failureThreshold?: int32;
  /**
   * Grace period used when a failing probe kills the container, overriding the pod's.
   * @protobuf 7
   * @pointer
   */
  terminationGracePeriodSeconds?: int64;
}

/**
 * The action a probe runs: exactly one member is set.
 */
export interface ProbeHandler {
  /**
   * Run a command in the container; exit code 0 is success.
   * @protobuf 1
   */
  exec?: ExecAction;
  /**
   * Send an HTTP GET; a 2xx or 3xx status is success.
   * @protobuf 2
   */
  httpGet?: HTTPGetAction;
  /**
   * Open a TCP connection.
   * @protobuf 3
   */
  tcpSocket?: TCPSocketAction;
  /**
   * Call the gRPC health-checking service.
   * @protobuf 4
   */
  grpc?: GRPCAction;
}

/**
 * Actions the system runs at points in a container's life.
 */
export interface Lifecycle {
  /**
   * Run right after the container is created; if it fails, the container is restarted.
   * @protobuf 1
   */
  postStart?: LifecycleHandler;
  /**
   * Run before the container is stopped by a deletion or a failed probe; the grace period keeps counting meanwhile.
   * @protobuf 2
   */
  preStop?: LifecycleHandler;
}

/**
 * One action run by a lifecycle hook; exactly one member is set.
 */
export interface LifecycleHandler {
  /**
   * Run a command in the container.
   * @protobuf 1
   */
  exec?: ExecAction;
  /**
   * Send an HTTP GET.
   * @protobuf 2
   */
  httpGet?: HTTPGetAction;
  /**
   * Deprecated and not supported; kept for compatibility.
   * @protobuf 3
   */
  tcpSocket?: TCPSocketAction;
  /**
   * Wait for some seconds.
   * @protobuf 4
   */
  sleep?: SleepAction;
}

/**
 * Runs a command in the container.
 */
export interface ExecAction {
  /**
   * Command line, not run in a shell; exit code 0 is success.
   * @protobuf 1
   * @listType atomic
   */
  command?: string[];
}

/**
 * An HTTP GET request.
 */
export interface HTTPGetAction {
  /**
   * Path to request. Defaults to /.
   * @protobuf 1
   * @default "/"
   */
  path?: string;
  /**
   * Port to connect to: a number or a named container port.
   * @protobuf 2
   * @alwaysWritten
   */
  port: IntOrString;
  /**
   * Host to connect to; defaults to the pod IP. Set a Host header in httpHeaders instead where possible.
   * @protobuf 3
   */
  host?: string;
  /**
   * HTTP (default) or HTTPS.
   * @protobuf 4
   * @default "HTTP"
   */
  scheme?: 'HTTP' | 'HTTPS';
  /**
   * Extra request headers.
   * @protobuf 5
   * @listType atomic
   */
  httpHeaders?: HTTPHeader[];
}

/**
 * One HTTP header.
 */
export interface HTTPHeader {
  /**
   * Header name.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Header value.
   * @protobuf 2
   * @alwaysWritten
   */
  value: string;
}

/**
 * Opens a TCP connection.
 */
export interface TCPSocketAction {
  /**
   * Port to connect to: a number or a named container port.
   * @protobuf 1
   * @alwaysWritten
   */
  port: IntOrString;
  /**
   * Host to connect to; defaults to the pod IP.
   * @protobuf 2
   */
  host?: string;
}

/**
 * Calls the standard gRPC health-checking service.
 */
export interface GRPCAction {
  /**
   * Port of the gRPC service, 1-65535.
   * @protobuf 1
   * @alwaysWritten
   */
  port: int32;
  /**
   * Service name sent in the health-check request; empty checks the server as a whole.
   * @protobuf 2
   * @default ""
   * @alwaysWritten
   * @pointer
   */
  service?: string;
}

/**
 * Waits for a while.
 */
export interface SleepAction {
  /**
   * Seconds to wait.
   * @protobuf 1
   * @alwaysWritten
   */
  seconds: int64;
}

/**
 * Security settings for all containers of a pod. Where a container sets the same field, the container's value wins.
 */
export interface PodSecurityContext {
  /**
   * SELinux context for all containers; a random one if unset.
   * @protobuf 1
   */
  seLinuxOptions?: SELinuxOptions;
  /**
   * Windows-specific settings for all containers.
   * @protobuf 8
   */
  windowsOptions?: WindowsSecurityContextOptions;
  /**
   * User ID the containers' processes run as; defaults to the image's.
   * @protobuf 2
   * @pointer
   */
  runAsUser?: int64;
  /**
   * Primary group ID of the containers' processes; defaults to the runtime's.
   * @protobuf 6
   * @pointer
   */
  runAsGroup?: int64;
  /**
   * Refuse to start a container whose user would be root (UID 0).
   * @protobuf 3
   * @pointer
   */
  runAsNonRoot?: boolean;
  /**
   * Extra group IDs added to the first process of each container.
   * @protobuf 4
   * @listType atomic
   */
  supplementalGroups?: int64[];
  /**
   * How supplementary groups are computed: Merge (with the image's /etc/group, the default) or Strict.
   * @protobuf 12
   * @pointer
   */
  supplementalGroupsPolicy?: 'Merge' | 'Strict';
  /**
   * A group that owns (and may write) volumes that support ownership management; also added to every container's
   * groups.
   * @protobuf 5
   * @pointer
   */
  fsGroup?: int64;
  /**
   * Namespaced kernel parameters set for the pod.
   * @protobuf 7
   * @listType atomic
   */
  sysctls?: Sysctl[];
  /**
   * When volume ownership is changed to fsGroup: OnRootMismatch or Always (default).
   * @protobuf 9
   * @pointer
   */
  fsGroupChangePolicy?: 'OnRootMismatch' | 'Always';
  /**
   * Seccomp profile for all containers.
   * @protobuf 10
   */
  seccompProfile?: SeccompProfile;
  /**
   * AppArmor profile for all containers.
   * @protobuf 11
   */
  appArmorProfile?: AppArmorProfile;
  /**
   * How the SELinux label is applied to volumes: Recursive or MountOption.
   * @protobuf 13
   * @pointer
   */
  seLinuxChangePolicy?: string;
}

/**
 * Security settings of one container, overriding those of the pod.
 */
export interface SecurityContext {
  /**
   * Linux capabilities to add and drop; defaults to the runtime's set.
   * @protobuf 1
   */
  capabilities?: Capabilities;
  /**
   * Run the container privileged, equivalent to root on the host. Defaults to false.
   * @protobuf 2
   * @pointer
   */
  privileged?: boolean;
  /**
   * SELinux context of the container.
   * @protobuf 3
   */
  seLinuxOptions?: SELinuxOptions;
  /**
   * Windows-specific settings.
   * @protobuf 10
   */
  windowsOptions?: WindowsSecurityContextOptions;
  /**
   * User ID the process runs as.
   * @protobuf 4
   * @pointer
   */
  runAsUser?: int64;
  /**
   * Primary group ID of the process.
   * @protobuf 8
   * @pointer
   */
  runAsGroup?: int64;
  /**
   * Refuse to start the container if its user would be root (UID 0).
   * @protobuf 5
   * @pointer
   */
  runAsNonRoot?: boolean;
  /**
   * Mount the container's root filesystem read-only.
   * @protobuf 6
   * @pointer
   */
  readOnlyRootFilesystem?: boolean;
  /**
   * Whether a process may gain more privileges than its parent (no_new_privs). Always true when privileged or with
   * CAP_SYS_ADMIN.
   * @protobuf 7
   * @pointer
   */
  allowPrivilegeEscalation?: boolean;
  /**
   * Which /proc mask to use: Default or Unmasked.
   * @protobuf 9
   * @pointer
   */
  procMount?: 'Default' | 'Unmasked';
  /**
   * Seccomp profile of the container.
   * @protobuf 11
   */
  seccompProfile?: SeccompProfile;
  /**
   * AppArmor profile of the container.
   * @protobuf 12
   */
  appArmorProfile?: AppArmorProfile;
}

/**
 * Linux capabilities to add to or drop from a container.
 */
export interface Capabilities {
  /**
   * Capabilities to add, e.g. NET_ADMIN.
   * @protobuf 1
   * @listType atomic
   */
  add?: string[];
  /**
   * Capabilities to drop, e.g. ALL.
   * @protobuf 2
   * @listType atomic
   */
  drop?: string[];
}

/**
 * SELinux labels to apply.
 */
export interface SELinuxOptions {
  /**
   * SELinux user label.
   * @protobuf 1
   */
  user?: string;
  /**
   * SELinux role label.
   * @protobuf 2
   */
  role?: string;
  /**
   * SELinux type label.
   * @protobuf 3
   */
  type?: string;
  /**
   * SELinux level label.
   * @protobuf 4
   */
  level?: string;
}

/**
 * Settings for containers on Windows nodes.
 */
export interface WindowsSecurityContextOptions {
  /**
   * Name of the GMSACredentialSpec resource to use.
   * @protobuf 1
   * @pointer
   */
  gmsaCredentialSpecName?: string;
  /**
   * Contents of the GMSA credential spec, inlined.
   * @protobuf 2
   * @pointer
   */
  gmsaCredentialSpec?: string;
  /**
   * Windows user name that runs the entrypoint.
   * @protobuf 3
   * @pointer
   */
  runAsUserName?: string;
  /**
   * Run as a Windows host process container (needs hostNetwork).
   * @protobuf 4
   * @pointer
   */
  hostProcess?: boolean;
}

/**
 * A seccomp profile.
 */
export interface SeccompProfile {
  /**
   * RuntimeDefault, Unconfined or Localhost.
   * @protobuf 1
   * @alwaysWritten
   */
  // In the order of the supported values upstream's validateSeccompProfileType lists.
  type: 'Localhost' | 'RuntimeDefault' | 'Unconfined';
  /**
   * Path of a profile on the node, relative to the kubelet's seccomp directory; required for Localhost only.
   * @protobuf 2
   * @pointer
   */
  localhostProfile?: string;
}

/**
 * An AppArmor profile.
 */
export interface AppArmorProfile {
  /**
   * RuntimeDefault, Unconfined or Localhost.
   * @protobuf 1
   * @alwaysWritten
   */
  // In the order of the supported values upstream's ValidateAppArmorProfileField lists.
  type: 'Localhost' | 'RuntimeDefault' | 'Unconfined';
  /**
   * Name of a profile loaded on the node; required for Localhost only.
   * @protobuf 2
   * @pointer
   */
  localhostProfile?: string;
}

/**
 * A kernel parameter to set.
 */
export interface Sysctl {
  /**
   * Name of the parameter, e.g. net.core.somaxconn.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Value to set.
   * @protobuf 2
   * @alwaysWritten
   */
  value: string;
}

/**
 * Scheduling constraints of a pod.
 */
export interface Affinity {
  /**
   * Rules about which nodes the pod may or should run on.
   * @protobuf 1
   */
  nodeAffinity?: NodeAffinity;
  /**
   * Rules for placing the pod near other pods.
   * @protobuf 2
   */
  podAffinity?: PodAffinity;
  /**
   * Rules for keeping the pod away from other pods.
   * @protobuf 3
   */
  podAntiAffinity?: PodAntiAffinity;
}

/**
 * Node affinity rules.
 */
export interface NodeAffinity {
  /**
   * Nodes the pod may be scheduled on. A node that stops matching later does not evict the pod.
   * @protobuf 1
   */
  requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
  /**
   * Weighted preferences; the scheduler favours nodes with the highest total weight of matching terms.
   * @protobuf 2
   * @listType atomic
   */
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
}

/**
 * Selects nodes: a node matches if any of the terms matches (terms are ORed).
 * @structType atomic
 */
export interface NodeSelector {
  /**
   * The terms, ORed.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  nodeSelectorTerms: NodeSelectorTerm[];
}

/**
 * Requirements on a node, all of which must hold. An empty term matches no node.
 * @structType atomic
 */
export interface NodeSelectorTerm {
  /**
   * Requirements on node labels.
   * @protobuf 1
   * @listType atomic
   */
  matchExpressions?: NodeSelectorRequirement[];
  /**
   * Requirements on node fields (metadata.name).
   * @protobuf 2
   * @listType atomic
   */
  matchFields?: NodeSelectorRequirement[];
}

/**
 * A key, an operator and values to compare a node's label or field with.
 */
export interface NodeSelectorRequirement {
  /**
   * The label key or field name.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * In, NotIn, Exists, DoesNotExist, Gt or Lt.
   * @protobuf 2
   * @alwaysWritten
   */
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /**
   * Values to compare with: non-empty for In and NotIn, empty for Exists and DoesNotExist, a single integer for Gt
   * and Lt.
   * @protobuf 3
   * @listType atomic
   */
  values?: string[];
}

/**
 * A weighted node selector term.
 */
export interface PreferredSchedulingTerm {
  /**
   * Weight added when the term matches, 1-100.
   * @protobuf 1
   * @alwaysWritten
   */
  weight: int32;
  /**
   * The term.
   * @protobuf 2
   * @alwaysWritten
   */
  preference: NodeSelectorTerm;
}

/**
 * Rules that attract a pod to other pods.
 */
export interface PodAffinity {
  /**
   * Terms that must all be met at scheduling time.
   * @protobuf 1
   * @listType atomic
   */
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /**
   * Weighted preferences; nodes with the highest total weight are favoured.
   * @protobuf 2
   * @listType atomic
   */
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/**
 * Rules that keep a pod away from other pods.
 */
export interface PodAntiAffinity {
  /**
   * Terms that must all be met at scheduling time.
   * @protobuf 1
   * @listType atomic
   */
  requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
  /**
   * Weighted preferences; nodes with the highest total weight are favoured.
   * @protobuf 2
   * @listType atomic
   */
  preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
}

/**
 * Pods (chosen by label and namespace) that the pod should or should not share a topology domain with.
 */
export interface PodAffinityTerm {
  /**
   * Labels of the pods; absent matches no pod.
   * @protobuf 1
   */
  labelSelector?: LabelSelector;
  /**
   * Namespaces to look in, combined with namespaceSelector; both empty means the pod's own namespace.
   * @protobuf 2
   * @listType atomic
   */
  namespaces?: string[];
  /**
   * Node label whose value defines the topology domain (e.g. topology.kubernetes.io/zone). Required.
   * @protobuf 3
   * @alwaysWritten
   */
  topologyKey: string;
  /**
   * Labels of the namespaces to look in; an empty selector means all namespaces.
   * @protobuf 4
   */
  namespaceSelector?: LabelSelector;
  /**
   * Label keys whose values from the incoming pod are added (with In) to labelSelector.
   * @protobuf 5
   * @listType atomic
   */
  matchLabelKeys?: string[];
  /**
   * Label keys whose values from the incoming pod are added (with NotIn) to labelSelector.
   * @protobuf 6
   * @listType atomic
   */
  mismatchLabelKeys?: string[];
}

/**
 * A pod affinity term with a weight.
 */
export interface WeightedPodAffinityTerm {
  /**
   * Weight added when the term matches, 1-100.
   * @protobuf 1
   * @alwaysWritten
   */
  weight: int32;
  /**
   * The term.
   * @protobuf 2
   * @alwaysWritten
   */
  podAffinityTerm: PodAffinityTerm;
}

/**
 * Lets a pod be scheduled onto (or stay on) nodes with a matching taint.
 */
export interface Toleration {
  /**
   * Taint key; empty matches all keys (and then operator must be Exists).
   * @protobuf 1
   */
  key?: string;
  /**
   * Exists (any value) or Equal (default).
   * @protobuf 2
   */
  operator?: 'Equal' | 'Exists';
  /**
   * Value to match with Equal; empty with Exists.
   * @protobuf 3
   */
  value?: string;
  /**
   * Effect to match: NoSchedule, PreferNoSchedule or NoExecute; empty matches all.
   * @protobuf 4
   */
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /**
   * For NoExecute, how long the pod stays bound after the taint appears; absent means forever, 0 or less evicts at
   * once.
   * @protobuf 5
   * @pointer
   */
  tolerationSeconds?: int64;
}

/**
 * An entry of the pod's /etc/hosts.
 */
export interface HostAlias {
  /**
   * IP address of the entry.
   * @protobuf 1
   * @alwaysWritten
   */
  ip: string;
  /**
   * Host names for that IP.
   * @protobuf 2
   * @listType atomic
   */
  hostnames?: string[];
}

/**
 * DNS settings of a pod, on top of those of its dnsPolicy.
 */
export interface PodDNSConfig {
  /**
   * Name server IPs, added to (and de-duplicated with) those of the policy.
   * @protobuf 1
   * @listType atomic
   */
  nameservers?: string[];
  /**
   * Search domains, added to those of the policy.
   * @protobuf 2
   * @listType atomic
   */
  searches?: string[];
  /**
   * Resolver options; these override the policy's options of the same name.
   * @protobuf 3
   * @listType atomic
   */
  options?: PodDNSConfigOption[];
}

/**
 * One resolver option.
 */
export interface PodDNSConfigOption {
  /**
   * Option name.
   * @protobuf 1
   */
  name?: string;
  /**
   * Option value.
   * @protobuf 2
   * @pointer
   */
  value?: string;
}

/**
 * An extra condition a pod must have True to be ready.
 */
export interface PodReadinessGate {
  /**
   * The type of the condition in status.conditions.
   * @protobuf 1
   * @alwaysWritten
   */
  conditionType: string;
}

/**
 * Spreads matching pods evenly across the domains of a topology.
 */
export interface TopologySpreadConstraint {
  /**
   * Largest allowed difference between the number of matching pods in any domain and the lowest number in an
   * eligible domain. At least 1.
   * @protobuf 1
   * @alwaysWritten
   */
  maxSkew: int32;
  /**
   * Node label whose values are the domains.
   * @protobuf 2
   * @alwaysWritten
   */
  topologyKey: string;
  /**
   * What to do when the constraint cannot be met: DoNotSchedule or ScheduleAnyway.
   * @protobuf 3
   * @alwaysWritten
   */
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  /**
   * Which pods are counted.
   * @protobuf 4
   */
  labelSelector?: LabelSelector;
  /**
   * Minimum number of eligible domains; fewer counts as zero pods in the missing ones. Only with DoNotSchedule.
   * @protobuf 5
   * @pointer
   */
  minDomains?: int32;
  /**
   * Whether the pod's node affinity and selector limit the domains counted: Honor (default) or Ignore.
   * @protobuf 6
   * @pointer
   */
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  /**
   * Whether node taints limit the domains counted: Honor or Ignore (default).
   * @protobuf 7
   * @pointer
   */
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  /**
   * Label keys whose values from the incoming pod are added to labelSelector.
   * @protobuf 8
   * @listType atomic
   */
  matchLabelKeys?: string[];
}

/**
 * The operating system of a pod.
 */
export interface PodOS {
  /**
   * linux or windows.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/**
 * A gate that blocks scheduling of a pod while present.
 */
export interface PodSchedulingGate {
  /**
   * Name of the gate; unique within the pod.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/**
 * A ResourceClaim a pod needs, either existing or made from a template.
 */
export interface PodResourceClaim {
  /**
   * Name by which containers refer to the claim; a DNS label unique within the pod.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Name of an existing ResourceClaim in the pod's namespace.
   * @protobuf 3
   * @pointer
   */
  resourceClaimName?: string;
  /**
   * Name of a ResourceClaimTemplate from which a claim is made for this pod.
   * @protobuf 4
   * @pointer
   */
  resourceClaimTemplateName?: string;
}

/**
 * The ResourceClaim generated for one of a pod's claims.
 */
export interface PodResourceClaimStatus {
  /**
   * Name of the entry in spec.resourceClaims.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
  /**
   * Name of the generated ResourceClaim; absent if none was needed.
   * @protobuf 2
   * @pointer
   */
  resourceClaimName?: string;
}
