/**
 * Computed values of field selector labels (`@selectableField <label> <fn>()`): events.k8s.io Events are selected
 * by the labels of pkg/apis/events/v1/conversion.go, valued as the core Event they convert to.
 */
import type { Event } from './event.ts';

/** The core Event's `source`: deprecatedSource.component, else reportingController. */
export function field_Event_source(obj: Event): string {
  return obj.deprecatedSource?.component || obj.reportingController || '';
}
