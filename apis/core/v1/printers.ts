/** Computed `kubectl get` columns of core/v1 kinds, as upstream's printers show them. */
import type { ComponentStatus } from './componentstatus.ts';
import type { ConfigMap } from './configmap.ts';
import type { Endpoints } from './endpoints.ts';
import type { Pod, PodTemplateSpec } from './pod.ts';
import type { PodTemplate } from './podtemplate.ts';
import type { ReplicationController } from './replicationcontroller.ts';
import type { Service } from './service.ts';

/** Containers ready out of all, e.g. 1/2. */
export function print_Pod_ready(obj: Pod): string {
  const statuses = obj.status?.containerStatuses ?? [];
  return `${statuses.filter((s) => s.ready).length}/${obj.spec?.containers?.length ?? 0}`;
}

/** The phase, or what holds the pod back: a waiting or terminated container's reason, or Terminating. */
export function print_Pod_status(obj: Pod): string {
  if (obj.metadata?.deletionTimestamp) return 'Terminating';
  let reason: string = obj.status?.reason || obj.status?.phase || 'Pending';
  for (const s of obj.status?.containerStatuses ?? []) {
    const why = s.state?.waiting?.reason || s.state?.terminated?.reason;
    if (why && why !== 'Completed') reason = why;
  }
  return reason;
}

export function print_Pod_restarts(obj: Pod): number {
  return (obj.status?.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

/** Keys of data and binaryData together. */
export function print_ConfigMap_data(obj: ConfigMap): number {
  return Object.keys(obj.data ?? {}).length + Object.keys(obj.binaryData ?? {}).length;
}

export function print_Service_clusterIP(obj: Service): string {
  return obj.spec?.clusterIP || '<none>';
}

export function print_Service_externalIP(obj: Service): string {
  const spec = obj.spec ?? {};
  if (spec.type === 'ExternalName') return spec.externalName ?? '<none>';
  const ingress = (obj.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean);
  const ips = [...ingress, ...(spec.externalIPs ?? [])];
  if (ips.length) return ips.join(',');
  return spec.type === 'LoadBalancer' ? '<pending>' : '<none>';
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

/** `ip:port` pairs, the first three and a count of the rest, as upstream prints Endpoints. */
export function print_Endpoints_endpoints(obj: Endpoints): string {
  const pairs: string[] = [];
  for (const subset of obj.subsets ?? []) {
    for (const address of subset.addresses ?? []) {
      for (const port of subset.ports?.length ? subset.ports : [undefined]) pairs.push(port ? `${address.ip}:${port.port}` : (address.ip ?? ''));
    }
  }
  if (!pairs.length) return '<none>';
  return pairs.length > 3 ? `${pairs.slice(0, 3).join(',')} + ${pairs.length - 3} more...` : pairs.join(',');
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
