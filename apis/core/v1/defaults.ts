import type { EndpointPort } from './endpoints.ts';
import type { Container, ContainerPort, EphemeralContainer, HTTPGetAction, ObjectFieldSelector, Pod, PodSpec, Probe } from './pod.ts';
import type { LimitRangeItem } from './limitrange.ts';
import type { Namespace } from './namespace.ts';
import type { NodeSpec, NodeStatus } from './node.ts';
import type { PersistentVolume, PersistentVolumeSource } from './persistentvolume.ts';
import type { PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import type { ReplicationController } from './replicationcontroller.ts';
import type { Secret } from './secret.ts';
import type { Service } from './service.ts';
import type { ImageVolumeSource, Volume, VolumeSource } from './volume.ts';

/**
 * Sets `obj[key]` when it is absent or the zero value. Upstream's defaulting of non-pointer fields treats '' (and
 * 0) as unset, and Go clients speaking protobuf send those zero values, which the tag default (absent only) misses.
 */
function fill<T extends object, K extends keyof T>(obj: T, key: K, value: NonNullable<T[K]>): void {
  const v = obj[key] as unknown;
  if (v === undefined || v === null || v === '' || v === 0) obj[key] = value;
}

/**
 * stringData is write-only: fold it into data (base64) so only data is stored and returned. An empty stringData
 * makes no data map, as upstream's conversion does (an immutable Secret tells a nil map from an empty one).
 */
export function setDefaults_Secret(obj: Secret): void {
  fill(obj, 'type', 'Opaque');
  if (!obj.stringData) return;
  if (Object.keys(obj.stringData).length === 0) {
    delete obj.stringData;
    return;
  }
  obj.data = { ...(obj.data ?? {}) };
  for (const [key, value] of Object.entries(obj.stringData)) obj.data[key] = Buffer.from(value, 'utf8').toString('base64');
  delete obj.stringData;
}

/**
 * The tag of an image reference, as upstream's parser sees it: `latest` when the reference has neither tag nor
 * digest, empty when it has only a digest.
 */
function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  if (colon >= 0) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

/** Always for `:latest` (or untagged) images, IfNotPresent otherwise: upstream's pull policy default. */
function pullPolicyFor(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
}

export function setDefaults_Container(obj: Container): void {
  fill(obj, 'terminationMessagePath', '/dev/termination-log');
  fill(obj, 'terminationMessagePolicy', 'File');
  if (!obj.imagePullPolicy) obj.imagePullPolicy = pullPolicyFor(obj.image);
  // Upstream's resources is a struct value, so it is always present (as {}) in what the server returns.
  if (obj.resources == null) obj.resources = {};
}

export function setDefaults_EphemeralContainer(obj: EphemeralContainer): void {
  fill(obj, 'terminationMessagePath', '/dev/termination-log');
  fill(obj, 'terminationMessagePolicy', 'File');
  if (!obj.imagePullPolicy) obj.imagePullPolicy = pullPolicyFor(obj.image);
  if (obj.resources == null) obj.resources = {};
}

export function setDefaults_PodSpec(obj: PodSpec): void {
  fill(obj, 'restartPolicy', 'Always');
  fill(obj, 'dnsPolicy', 'ClusterFirst');
  fill(obj, 'schedulerName', 'default-scheduler');
  if (obj.securityContext == null) obj.securityContext = {};
  // Upstream keeps one internal ServiceAccountName: v1's conversion fills it from the deprecated serviceAccount when
  // the name is empty, and writes it back to both fields, so every answer shows the two alike.
  const account = obj.serviceAccountName || obj.serviceAccount;
  if (account) obj.serviceAccountName = obj.serviceAccount = account;
}

/**
 * Pod-only defaults (not applied to pod templates): requests default to limits, service links are on, and with
 * host networking container ports are host ports.
 */
export function setDefaults_Pod(obj: Pod): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources!.requests = { ...limits, ...(c.resources!.requests ?? {}) };
  }
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
}

/** The members of VolumeSource, in Go's order: a volume sets exactly one. */
export const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile',
  'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO',
  'storageos', 'csi', 'ephemeral', 'image',
] as const satisfies readonly (keyof VolumeSource)[];

/** The members of PersistentVolumeSource, in Go's order: a persistent volume sets exactly one. */
export const persistentVolumeSources = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc',
  'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'local', 'storageos', 'csi',
] as const satisfies readonly (keyof PersistentVolumeSource)[];

// Both lists name every member: a source added to the types without being listed here fails the type check.
const everyVolumeSource: Exclude<keyof VolumeSource, (typeof volumeSources)[number]> extends never ? true : false = true;
const everyPersistentVolumeSource: Exclude<keyof PersistentVolumeSource, (typeof persistentVolumeSources)[number]> extends never ? true : false = true;
void everyVolumeSource;
void everyPersistentVolumeSource;

/** A volume without any source is an emptyDir. */
export function setDefaults_Volume(obj: Volume): void {
  if (!volumeSources.some((k) => obj[k] != null)) obj.emptyDir = {};
}

export function setDefaults_ImageVolumeSource(obj: ImageVolumeSource): void {
  if (!obj.pullPolicy) obj.pullPolicy = pullPolicyFor(obj.reference);
}

/**
 * Service defaults that depend on other fields: target ports follow ports, externally reachable services route
 * external traffic cluster-wide, ClientIP affinity gets its 3-hour timeout.
 */
export function setDefaults_Service(obj: Service): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  fill(spec, 'type', 'ClusterIP');
  fill(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  for (const p of spec.ports ?? []) {
    fill(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  const externallyReachable =
    spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (externallyReachable && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (spec.type === 'LoadBalancer') {
    if (spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
    for (const ing of obj.status?.loadBalancer?.ingress ?? []) if (ing.ip && !ing.ipMode) ing.ipMode = 'VIP';
  }
}

/**
 * Every namespace carries its own name as the `kubernetes.io/metadata.name` label, so selectors (NetworkPolicy
 * namespaceSelector) can name it. A generated name is labelled when the strategy canonicalizes it.
 */
export function setDefaults_Namespace(obj: Namespace): void {
  const name = obj.metadata?.name;
  if (name) obj.metadata!.labels = { ...(obj.metadata!.labels ?? {}), [namespaceNameLabel]: name };
}

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/**
 * The volume's own defaults, as upstream's SetDefaults_PersistentVolume: set on the object, not on the spec type,
 * so a VolumeAttachment's inline spec is stored without them.
 */
export function setDefaults_PersistentVolume(obj: PersistentVolume): void {
  obj.status ??= {};
  if (!obj.status.phase) obj.status.phase = 'Pending';
  const spec = (obj.spec ??= {});
  fill(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  spec.volumeMode ??= 'Filesystem';
}

export function setDefaults_PersistentVolumeClaim(obj: PersistentVolumeClaim): void {
  obj.status ??= {};
  if (!obj.status.phase) obj.status.phase = 'Pending';
}

/**
 * podCIDR and podCIDRs as upstream's round trip through its internal NodeSpec (which has only podCIDRs) leaves
 * them: a podCIDR alone becomes the list, a podCIDR that differs from the list's first entry replaces the whole
 * list (older clients set only podCIDR), and podCIDR is always the list's first entry.
 */
export function setDefaults_NodeSpec(obj: NodeSpec): void {
  if (obj.podCIDR && (!obj.podCIDRs?.length || obj.podCIDRs[0] !== obj.podCIDR)) obj.podCIDRs = [obj.podCIDR];
  if (obj.podCIDRs?.length) obj.podCIDR = obj.podCIDRs[0];
}

/** Allocatable defaults to capacity. */
export function setDefaults_NodeStatus(obj: NodeStatus): void {
  if (obj.allocatable == null && obj.capacity != null) obj.allocatable = { ...obj.capacity };
}

/**
 * Container limits: the default limit falls back to max, the default request to the default limit, then to min.
 */
export function setDefaults_LimitRangeItem(obj: LimitRangeItem): void {
  if (obj.type !== 'Container') return;
  const def = { ...(obj.max ?? {}), ...(obj.default ?? {}) };
  const defaultRequest = { ...(obj.min ?? {}), ...def, ...(obj.defaultRequest ?? {}) };
  // Empty maps are left out, as upstream's encoder omits them.
  if (Object.keys(def).length) obj.default = def;
  if (Object.keys(defaultRequest).length) obj.defaultRequest = defaultRequest;
}

export function setDefaults_ContainerPort(obj: ContainerPort): void {
  fill(obj, 'protocol', 'TCP');
}

export function setDefaults_EndpointPort(obj: EndpointPort): void {
  fill(obj, 'protocol', 'TCP');
}

/** Probe timings of 0 mean unset, as upstream. */
export function setDefaults_Probe(obj: Probe): void {
  fill(obj, 'timeoutSeconds', 1);
  fill(obj, 'periodSeconds', 10);
  fill(obj, 'successThreshold', 1);
  fill(obj, 'failureThreshold', 3);
}

export function setDefaults_HTTPGetAction(obj: HTTPGetAction): void {
  fill(obj, 'path', '/');
  fill(obj, 'scheme', 'HTTP');
}

export function setDefaults_ObjectFieldSelector(obj: ObjectFieldSelector): void {
  fill(obj, 'apiVersion', 'v1');
}

/**
 * Upstream's SetDefaults_ReplicationController: an empty selector and empty labels take the template's labels;
 * replicas defaults to 1.
 */
export function setDefaults_ReplicationController(obj: ReplicationController): void {
  const spec = (obj.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    if (!Object.keys(spec.selector ?? {}).length) spec.selector = { ...labels };
    obj.metadata ??= {};
    if (!Object.keys(obj.metadata.labels ?? {}).length) obj.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
}
