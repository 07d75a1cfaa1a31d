/** Watch metrics: events sent to watch clients (apiserver_watch_events_total), by the watched kind. */
import { fastCounter, type CounterChild } from './fast.ts';

const watchEvents = fastCounter('apiserver_watch_events_total', 'Number of events sent in watch clients', ['group', 'version', 'kind']);

/** The counter child of one watched kind: take it once per watch, then `inc()` per event. */
export function watchEventCounter(group: string, version: string, kind: string): CounterChild {
  return watchEvents.child({ group, version, kind });
}
