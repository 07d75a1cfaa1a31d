import type { StoredObject } from '../../../storage/store.ts';
import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Events expire after --event-ttl (their field selectors are apis/core/v1 @selectableField tags).
 *
 * Upstream's event strategy holds a write to its kind's event rules alone (ValidateEventCreate, ValidateEventUpdate:
 * the kinds' validate_Event hooks), which for events.k8s.io check the object metadata between the legacy and the
 * strict rules, and for core/v1 skip it: both kinds are `@metadataOnUpdate none`, so beyond those rules a write gets
 * only the generic checks every write gets (on create once the rules pass, on update before them).
 */
class EventStrategy extends DefaultStrategy {
  /** A PUT of an event that does not exist creates it (upstream's eventStrategy.AllowCreateOnUpdate). */
  override readonly allowCreateOnUpdate = true;

  /** Events never get the garbage collector's finalizers. */
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
}

/**
 * events.k8s.io Events share the store, the TTL and the strategy of core Events: they are stored as core/v1 Events,
 * so field selectors read the core fields under upstream's events.k8s.io names (`pkg/apis/events/v1` field label
 * conversions; the labels accepted are apis/events.k8s.io/v1's @selectableField tags).
 */
class EventsV1Strategy extends EventStrategy {
  override selectableFields(stored: StoredObject): Record<string, string> {
    const involved = stored.involvedObject ?? {};
    const fields: Record<string, string> = {
      reason: String(stored.reason ?? ''),
      reportingController: String(stored.reportingComponent ?? ''),
      // As upstream's ToSelectableFields: the source component first, the reporting controller when it is empty.
      source: String(stored.source?.component || stored.reportingComponent || ''),
      type: String(stored.type ?? ''),
    };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`regarding.${f}`] = String(involved[f] ?? '');
    return fields;
  }
}

registerStrategy('', 'Event', (kind, schema, config) => new EventStrategy(kind, schema, config));
registerStrategy('events.k8s.io', 'Event', (kind, schema, config) => new EventsV1Strategy(kind, schema, config));
