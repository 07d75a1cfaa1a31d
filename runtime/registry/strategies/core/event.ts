import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Events expire after --event-ttl (their field selectors are apis/core/v1 @selectableField tags). */
class EventStrategy extends DefaultStrategy {
  /** Events never get the garbage collector's finalizers. */
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
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
