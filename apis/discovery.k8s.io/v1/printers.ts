/** Computed `kubectl get` columns of discovery.k8s.io/v1 EndpointSlices, as upstream's printers show them. */
import { listWithMore } from '../../meta/v1/printer-helpers.ts';
import type { EndpointSlice } from './endpointslice.ts';

/** Port numbers (or names, or `*`), the first three, then `+ N more...`; `<unset>` without ports. */
export function print_EndpointSlice_ports(obj: Partial<EndpointSlice>): string {
  return listWithMore((obj.ports ?? []).map((p) => (p.port != null ? String(p.port) : p.name != null ? p.name : '*')));
}

/** Every endpoint's addresses, the first three, then `+ N more...`; `<unset>` without any. */
export function print_EndpointSlice_endpoints(obj: Partial<EndpointSlice>): string {
  return listWithMore((obj.endpoints ?? []).flatMap((e) => e.addresses ?? []));
}
