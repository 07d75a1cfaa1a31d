/** Watch metrics: events sent to watch clients (apiserver_watch_events_total), by the watched kind. */
import { counter } from './registry.ts';

const watchEvents = counter('apiserver_watch_events_total', 'Number of events sent in watch clients', ['group', 'version', 'kind']);

/** The counter child of one watched kind: take it once per watch, then `inc()` per event. */
export function watchEventCounter(group: string, version: string, kind: string): { inc(): void } {
  return watchEvents.labels({ group, version, kind });
}
