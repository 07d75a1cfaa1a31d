/**
 * Computed `kubectl get` columns of events.k8s.io Events: upstream prints them with the core Event printer
 * (pkg/printers/internalversion printEvent), on the core Event they convert to.
 */
import { ageCell } from '../../../runtime/endpoints/table.ts';
import type { Event } from './event.ts';

type E = Partial<Event>;

const since = (t: string | undefined) => ageCell(t ?? '', new Date());

/** deprecatedFirstTimestamp, else eventTime, as an age. */
function firstSeen(obj: E): string {
  return since(obj.deprecatedFirstTimestamp || obj.eventTime);
}

export function print_Event_firstSeen(obj: E): string {
  return firstSeen(obj);
}

/** The series' last observation, else deprecatedLastTimestamp, else the first time. */
export function print_Event_lastSeen(obj: E): string {
  if (obj.series) return since(obj.series.lastObservedTime);
  return obj.deprecatedLastTimestamp ? since(obj.deprecatedLastTimestamp) : firstSeen(obj);
}

/** `kind/name` of the regarded object, the kind lower-cased. */
export function print_Event_object(obj: E): string {
  const kind = (obj.regarding?.kind ?? '').toLowerCase();
  return obj.regarding?.name ? `${kind}/${obj.regarding.name}` : kind;
}

/** `component, instance`, each from deprecatedSource or else the reporting controller and instance. */
export function print_Event_source(obj: E): string {
  const component = obj.deprecatedSource?.component || obj.reportingController || '';
  const instance = obj.deprecatedSource?.host || obj.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export function print_Event_message(obj: E): string {
  return (obj.note ?? '').trim();
}

/** The series' count, else deprecatedCount, else 1 (a singleton event of the new API). */
export function print_Event_count(obj: E): number {
  if (obj.series) return obj.series.count ?? 0;
  return obj.deprecatedCount || 1;
}
