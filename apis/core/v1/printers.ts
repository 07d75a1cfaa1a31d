/** Computed `kubectl get` columns of core/v1 kinds, as upstream's printers show them. */
import type { ComponentStatus } from './componentstatus.ts';
import type { ConfigMap } from './configmap.ts';
import type { Node } from './node.ts';
import type { ResourceQuota } from './resourcequota.ts';
import type { Endpoints } from './endpoints.ts';
import type { Pod, PodTemplateSpec } from './pod.ts';
import { podSummary } from './pod-summary.ts';
import type { PodTemplate } from './podtemplate.ts';
import type { ReplicationController } from './replicationcontroller.ts';
import type { Service } from './service.ts';
import type { Secret } from './secret.ts';
import type { ServiceAccount } from './serviceaccount.ts';
import type { PersistentVolume } from './persistentvolume.ts';
import type { PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import type { Event } from './event.ts';
import { ageCell } from '../../../runtime/endpoints/table.ts';
import type { TableRowCondition } from '../../../runtime/machinery/registration.ts';

/**
 * A finished pod's row is `Completed`, with why (upstream's printPod): clients that hide what has run its course
 * can tell it apart without reading the status column.
 */
const podSucceeded: readonly TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const podFailed: readonly TableRowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

export function conditions_Pod(obj: Pod): readonly TableRowCondition[] | undefined {
  const phase = obj.status?.phase;
  return phase === 'Succeeded' ? podSucceeded : phase === 'Failed' ? podFailed : undefined;
}

export function print_Pod_ready(obj: Pod): string {
  return podSummary(obj).ready;
}

export function print_Pod_status(obj: Pod): string {
  return podSummary(obj).status;
}

/** `3 (5m ago)`: the restarts, and how long ago the latest container ended; a plain count without one. */
export function print_Pod_restarts(obj: Pod): string {
  return podSummary(obj).restarts;
}

/** The first of the pod's IPs. */
export function print_Pod_ip(obj: Pod): string {
  return obj.status?.podIPs?.[0]?.ip || '<none>';
}

export function print_Pod_node(obj: Pod): string {
  return obj.spec?.nodeName || '<none>';
}

export function print_Pod_nominatedNode(obj: Pod): string {
  return obj.status?.nominatedNodeName || '<none>';
}

/** Readiness gates whose condition is True, out of all (`1/2`). */
export function print_Pod_readinessGates(obj: Pod): string {
  const gates = obj.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  const conditions = obj.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${met}/${gates.length}`;
}

/** Keys of data and binaryData together. */
export function print_ConfigMap_data(obj: ConfigMap): number {
  return Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length;
}

export function print_Service_clusterIP(obj: Service): string {
  return obj.spec?.clusterIPs?.[0] || '<none>';
}

/**
 * By type, as upstream's getServiceExternalIP: the external IPs (ClusterIP, NodePort); the load balancer's
 * addresses, sorted, then the external IPs, `<pending>` without either (LoadBalancer); the external name.
 */
export function print_Service_externalIP(obj: Service): string {
  const spec = obj.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const balancer = [...new Set((obj.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean))].sort();
      const all = [...balancer, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

/** `80/TCP,443:30443/TCP`: port, node port when set, protocol. */
export function print_Service_ports(obj: Service): string {
  const ports = obj.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

export function print_Service_selector(obj: Service): string {
  const selector = obj.spec?.selector ?? {};
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.sort().join(',') : '<none>';
}

/** Go's net.JoinHostPort: an IPv6 address goes in brackets. */
const joinHostPort = (host: string, port: number | undefined) => (host.includes(':') ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`);

/**
 * Upstream's formatEndpoints: the ready addresses of each subset, port by port (`ip:port`, or the bare IP in a
 * subset without ports), the first three, then how many more. Objects with subsets but no ready address print
 * nothing; `<none>` means no subsets at all.
 */
export function print_Endpoints_endpoints(obj: Endpoints): string {
  const subsets = obj.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const take = (texts: string[]) => {
    count += texts.length;
    for (const text of texts) {
      if (list.length === max) {
        more = true;
        break;
      }
      list.push(text);
    }
  };
  for (const subset of subsets) {
    const addresses = (subset.addresses ?? []).map((a) => a.ip ?? '');
    if (!subset.ports?.length) take(addresses);
    else for (const port of subset.ports) take(addresses.map((ip) => joinHostPort(ip, port.port)));
  }
  return more ? `${list.join(',')} + ${count - max} more...` : list.join(',');
}

type WithTemplate = { template?: PodTemplateSpec; spec?: { template?: PodTemplateSpec } };
const templateOf = (obj: WithTemplate) => obj.template ?? obj.spec?.template;
const containerNames = (obj: WithTemplate) => (templateOf(obj)?.spec?.containers ?? []).map((c) => c.name ?? '').join(',');
const containerImages = (obj: WithTemplate) => (templateOf(obj)?.spec?.containers ?? []).map((c) => c.image ?? '').join(',');

export function print_PodTemplate_containers(obj: PodTemplate): string {
  return containerNames(obj);
}

export function print_PodTemplate_images(obj: PodTemplate): string {
  return containerImages(obj);
}

/** The template's labels as a selector string (`app=web,tier=front`), as upstream's labels.FormatLabels. */
export function print_PodTemplate_podLabels(obj: PodTemplate): string {
  return formatLabels(obj.template?.metadata?.labels);
}

export function print_ReplicationController_containers(obj: ReplicationController): string {
  return containerNames(obj);
}

export function print_ReplicationController_images(obj: ReplicationController): string {
  return containerImages(obj);
}

/** The selector map as `k=v,...` sorted by key, `<none>` when empty (labels.FormatLabels). */
export function print_ReplicationController_selector(obj: ReplicationController): string {
  return formatLabels(obj.spec?.selector);
}

function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** The Healthy condition of a component: Healthy, Unhealthy, or Unknown without one. */
function healthyCondition(obj: ComponentStatus) {
  return (obj.conditions ?? []).find((c) => c.type === 'Healthy');
}

export function print_ComponentStatus_status(obj: ComponentStatus): string {
  const c = healthyCondition(obj);
  return !c ? 'Unknown' : c.status === 'True' ? 'Healthy' : 'Unhealthy';
}

export function print_ComponentStatus_message(obj: ComponentStatus): string {
  return healthyCondition(obj)?.message ?? '';
}

export function print_ComponentStatus_error(obj: ComponentStatus): string {
  return healthyCondition(obj)?.error ?? '';
}

/** Ready or NotReady from the Ready condition (Unknown without one), then SchedulingDisabled when cordoned. */
export function print_Node_status(obj: Node): string {
  const ready = (obj.status?.conditions ?? []).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (obj.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** The roles of `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted; `<none>`. */
export function print_Node_roles(obj: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

const nodeAddress = (obj: Node, type: string) => (obj.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';

export function print_Node_internalIP(obj: Node): string {
  return nodeAddress(obj, 'InternalIP');
}

export function print_Node_externalIP(obj: Node): string {
  return nodeAddress(obj, 'ExternalIP');
}

export function print_Node_osImage(obj: Node): string {
  return obj.status?.nodeInfo?.osImage || '<unknown>';
}

export function print_Node_kernelVersion(obj: Node): string {
  return obj.status?.nodeInfo?.kernelVersion || '<unknown>';
}

export function print_Node_containerRuntime(obj: Node): string {
  return obj.status?.nodeInfo?.containerRuntimeVersion || '<unknown>';
}

/** `name: used/hard` of each hard limit in status, sorted by name; limits.* in LIMIT, the rest in REQUEST. */
function quotaColumn(obj: ResourceQuota, limits: boolean): string {
  const hard = obj.status?.hard ?? {};
  const used = obj.status?.used ?? {};
  return Object.keys(hard)
    .sort()
    .filter((r) => (r.split('.').length > 1 && r.split('.')[0] === 'limits') === limits)
    .map((r) => `${r}: ${used[r] ?? '0'}/${hard[r]}`)
    .join(', ');
}

export function print_ResourceQuota_request(obj: ResourceQuota): string {
  return quotaColumn(obj, false);
}

export function print_ResourceQuota_limit(obj: ResourceQuota): string {
  return quotaColumn(obj, true);
}

/** Keys of data (an integer in a string column, as upstream prints it). */
export function print_Secret_data(obj: Secret): number {
  return Object.keys(obj.data ?? {}).length;
}

export function print_ServiceAccount_secrets(obj: ServiceAccount): number {
  return obj.secrets?.length ?? 0;
}

/** RWO,ROX,RWX,RWOP in that order, each once (upstream's GetAccessModesAsString). */
function accessModes(modes: readonly string[] | undefined): string {
  const short: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
  return short.filter(([mode]) => modes?.includes(mode)).map(([, s]) => s).join(',');
}

/** The beta storage-class annotation wins over the field, as upstream's GetPersistentVolume(Claim)Class. */
function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  return obj.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? obj.spec?.storageClassName ?? '';
}

const phaseOf = (obj: { metadata?: { deletionTimestamp?: string }; status?: { phase?: string } }) => (obj.metadata?.deletionTimestamp ? 'Terminating' : obj.status?.phase ?? '');

/** The storage capacity; a missing one prints as Go's zero Quantity, 0. */
export function print_PersistentVolume_capacity(obj: PersistentVolume): string {
  return obj.spec?.capacity?.storage ?? '0';
}

export function print_PersistentVolume_accessModes(obj: PersistentVolume): string {
  return accessModes(obj.spec?.accessModes);
}

export function print_PersistentVolume_status(obj: PersistentVolume): string {
  return phaseOf(obj);
}

/** `namespace/name` of the bound claim. */
export function print_PersistentVolume_claim(obj: PersistentVolume): string {
  const ref = obj.spec?.claimRef;
  return ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
}

export function print_PersistentVolume_storageClass(obj: PersistentVolume): string {
  return storageClassOf(obj);
}

export function print_PersistentVolume_volumeAttributesClass(obj: PersistentVolume): string {
  return obj.spec?.volumeAttributesClassName ?? '<unset>';
}

export function print_PersistentVolume_volumeMode(obj: PersistentVolume): string {
  return obj.spec?.volumeMode ?? '<unset>';
}

export function print_PersistentVolumeClaim_status(obj: PersistentVolumeClaim): string {
  return phaseOf(obj);
}

/** The bound volume's capacity; empty until the claim names a volume. */
export function print_PersistentVolumeClaim_capacity(obj: PersistentVolumeClaim): string {
  return obj.spec?.volumeName ? obj.status?.capacity?.storage ?? '0' : '';
}

export function print_PersistentVolumeClaim_accessModes(obj: PersistentVolumeClaim): string {
  return obj.spec?.volumeName ? accessModes(obj.status?.accessModes) : '';
}

export function print_PersistentVolumeClaim_storageClass(obj: PersistentVolumeClaim): string {
  return storageClassOf(obj);
}

export function print_PersistentVolumeClaim_volumeAttributesClass(obj: PersistentVolumeClaim): string {
  return obj.spec?.volumeAttributesClassName ?? '<unset>';
}

export function print_PersistentVolumeClaim_volumeMode(obj: PersistentVolumeClaim): string {
  return obj.spec?.volumeMode ?? '<unset>';
}

const since = (t: string | undefined) => ageCell(t ?? '', new Date());

/** firstTimestamp, else eventTime, as an age (the same printer as events.k8s.io's, on the same event). */
function eventFirstSeen(obj: Partial<Event>): string {
  return since(obj.firstTimestamp || obj.eventTime);
}

export function print_Event_firstSeen(obj: Partial<Event>): string {
  return eventFirstSeen(obj);
}

/** The series' last observation, else lastTimestamp, else the first time. */
export function print_Event_lastSeen(obj: Partial<Event>): string {
  if (obj.series) return since(obj.series.lastObservedTime);
  return obj.lastTimestamp ? since(obj.lastTimestamp) : eventFirstSeen(obj);
}

/** `kind/name` of the involved object, the kind lower-cased. */
export function print_Event_object(obj: Partial<Event>): string {
  const kind = (obj.involvedObject?.kind ?? '').toLowerCase();
  return obj.involvedObject?.name ? `${kind}/${obj.involvedObject.name}` : kind;
}

/** `component, host`, each from source or else the reporting component and instance. */
export function print_Event_source(obj: Partial<Event>): string {
  const component = obj.source?.component || obj.reportingComponent || '';
  const instance = obj.source?.host || obj.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export function print_Event_message(obj: Partial<Event>): string {
  return (obj.message ?? '').trim();
}

/** The series' count, else count, else 1 (a singleton event of the new API). */
export function print_Event_count(obj: Partial<Event>): number {
  if (obj.series) return obj.series.count ?? 0;
  return obj.count || 1;
}
