import type { StoredObject } from '../../../storage/store.ts';
import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Events expire after --event-ttl, and `kubectl describe` finds them by the object they are about. */
class EventStrategy extends DefaultStrategy {
  /** Events never get the garbage collector's finalizers. */
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
  override selectableFields(obj: StoredObject): Record<string, string> {
    const involved = obj.involvedObject ?? {};
    const fields: Record<string, string> = {
      reason: String(obj.reason ?? ''),
      reportingComponent: String(obj.reportingComponent ?? ''),
      source: String(obj.reportingComponent || obj.source?.component || ''),
      type: String(obj.type ?? ''),
    };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) fields[`involvedObject.${f}`] = String(involved[f] ?? '');
    return fields;
  }
}

/** events.k8s.io Events share the store (and the TTL) of core Events. */
class EventsV1Strategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
}

registerStrategy('', 'Event', (kind, schema, config) => new EventStrategy(kind, schema, config));
registerStrategy('events.k8s.io', 'Event', (kind, schema, config) => new EventsV1Strategy(kind, schema, config));
