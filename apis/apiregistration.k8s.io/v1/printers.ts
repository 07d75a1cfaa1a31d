/** Computed `kubectl get apiservices` columns, as upstream's aggregator prints them. */
import type { APIService } from './apiservice.ts';

/** `<namespace>/<name>` of the Service, or `Local` for a group version this server serves itself. */
export function print_APIService_service(obj: APIService): string {
  const s = obj.spec?.service;
  return s ? `${s.namespace ?? ''}/${s.name ?? ''}` : 'Local';
}

/** `True`, `False (<reason>)`, or `Unknown` when the aggregator has not judged the APIService yet. */
export function print_APIService_available(obj: APIService): string {
  const c = obj.status?.conditions?.find((x) => x.type === 'Available');
  if (!c) return 'Unknown';
  if (c.status === 'True' || !c.reason) return c.status;
  return `${c.status} (${c.reason})`;
}
