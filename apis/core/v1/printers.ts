/** Computed `kubectl get` columns of core/v1 kinds, as upstream's printers show them. */
import type { ConfigMap } from './configmap.ts';
import type { Endpoints } from './endpoints.ts';
import type { Pod } from './pod.ts';
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
