/** Computed `kubectl get` columns of networking.k8s.io/v1 kinds, as upstream's printers show them. */
import { formatLabelSelector } from '../../meta/v1/printer-helpers.ts';
import type { Ingress, IngressClass } from './ingress.ts';
import type { NetworkPolicy } from './networkpolicy.ts';

export function print_Ingress_className(obj: Partial<Ingress>): string {
  return obj.spec?.ingressClassName ?? '<none>';
}

/** The first three rule hosts, then `+ N more...`; `*` when no rule names a host. */
export function print_Ingress_hosts(obj: Partial<Ingress>): string {
  const rules = obj.spec?.rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  return more ? `${hosts.join(',')} + ${rules.length - max} more...` : hosts.join(',');
}

/** The load balancer's IPs (or hostnames), sorted and distinct. */
export function print_Ingress_address(obj: Partial<Ingress>): string {
  const addresses = new Set<string>();
  for (const i of obj.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) addresses.add(i.ip);
    else if (i.hostname) addresses.add(i.hostname);
  }
  return [...addresses].sort().join(',');
}

export function print_Ingress_ports(obj: Partial<Ingress>): string {
  return obj.spec?.tls?.length ? '80, 443' : '80';
}

/** The parameters reference as `Kind.apiGroup/name`, `<none>` without one. */
export function print_IngressClass_parameters(obj: Partial<IngressClass>): string {
  const p = obj.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup != null ? `.${p.apiGroup}` : ''}/${p.name}`;
}

export function print_NetworkPolicy_podSelector(obj: Partial<NetworkPolicy>): string {
  return formatLabelSelector(obj.spec?.podSelector ?? {});
}
