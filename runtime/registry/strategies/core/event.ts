import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { validateKubeFinalizerNames, validateObjectMeta, validateObjectMetaUpdate } from '../../objectmeta.ts';
import { eventRuleErrors } from '../../../../apis/events.k8s.io/v1/event-rules.ts';
import type { Event as EventsV1Event } from '../../../../apis/events.k8s.io/v1/event.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Events expire after --event-ttl (their field selectors are apis/core/v1 @selectableField tags).
 *
 * Upstream's event strategy holds a core/v1 write to the legacy event rules only (ValidateEventCreate and
 * ValidateEventUpdate skip ValidateObjectMeta for the v1 group version): its metadata gets just the generic checks
 * every write gets (rest.BeforeCreate, validateCommonFields), where a name need only be a path segment (the kind's
 * @nameFormat) and finalizers need not be standard names. On create those run only once the event rules pass.
 */
class EventStrategy extends DefaultStrategy {
  /** A PUT of an event that does not exist creates it (upstream's eventStrategy.AllowCreateOnUpdate). */
  override readonly allowCreateOnUpdate = true;
  protected override readonly kubeFinalizerNames = false;

  override validate(obj: StoredObject): FieldError[] {
    const own = this.kind.validate(obj);
    return own.length ? own : validateObjectMeta(obj.metadata ?? {}, { namespaced: true, nameFormat: this.kind.nameFormat });
  }

  /** Events never get the garbage collector's finalizers. */
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
}

/**
 * events.k8s.io Events share the store (and the TTL) of core Events: they are stored as core/v1 Events, so field
 * selectors read the core fields under upstream's events.k8s.io names (`pkg/apis/events/v1` field label conversions;
 * the labels accepted are apis/events.k8s.io/v1's @selectableField tags).
 */
class EventsV1Strategy extends DefaultStrategy {
  /** Upstream serves both groups with one event strategy, which lets a PUT create. */
  override readonly allowCreateOnUpdate = true;

  /** As upstream's ValidateEventCreate: the legacy event rules, then the object metadata, then the strict rules. */
  override validate(obj: StoredObject): FieldError[] {
    const { legacy, strict } = eventRuleErrors(obj as EventsV1Event);
    const meta = obj.metadata ?? {};
    return [...legacy, ...validateObjectMeta(meta, { namespaced: true, nameFormat: this.kind.nameFormat }), ...validateKubeFinalizerNames(meta), ...strict];
  }

  /**
   * As upstream's update: the generic metadata checks every update gets (rest.BeforeUpdate), then ValidateEventUpdate:
   * the legacy rules, the core metadata update rules (of which only the finalizer names are new here), the strict ones.
   */
  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    const { legacy, strict } = eventRuleErrors(obj as EventsV1Event, old as EventsV1Event);
    const meta = obj.metadata ?? {};
    return [
      ...validateObjectMeta(meta, { namespaced: true, nameFormat: this.updateNameFormat() }),
      ...validateObjectMetaUpdate(meta, old.metadata ?? {}),
      ...legacy,
      ...validateKubeFinalizerNames(meta),
      ...strict,
    ];
  }

  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return 'Unsupported';
  }
  override ttlSeconds(): number {
    return this.config.eventTtlSeconds;
  }
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
