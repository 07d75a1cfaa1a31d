/**
 * Computed values of field selector labels (`@selectableField <label> <fn>()`), where upstream's GetAttrs derives a
 * value rather than reading one field (pkg/registry/core/pod/strategy.go, pkg/registry/core/event/strategy.go).
 */
import type { Event } from './event.ts';
import type { Pod } from './pod.ts';

/** A pod's IP is the first of status.podIPs (status.podIP itself is not consulted), or empty. */
export function field_Pod_podIP(obj: Pod): string {
  return obj.status?.podIPs?.[0]?.ip ?? '';
}

/** Upstream accepts `status.podIPs` as a label but puts no value under it: it matches only the empty string. */
export function field_Pod_podIPs(_obj: Pod): string {
  return '';
}

/** Who reported the event: source.component, else reportingComponent. */
export function field_Event_source(obj: Event): string {
  return obj.source?.component || obj.reportingComponent || '';
}
