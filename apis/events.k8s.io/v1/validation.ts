import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { validateKubeFinalizerNames, validateObjectMeta, validateObjectMetaUpdate } from '../../../runtime/registry/objectmeta.ts';
import type { StoredObject } from '../../../runtime/storage/store.ts';
import { eventRuleErrors } from './event-rules.ts';
import type { Event } from './event.ts';

/**
 * Upstream's ValidateEventCreate and ValidateEventUpdate for a write through events.k8s.io: the legacy rules, the
 * object metadata (core's ValidateObjectMeta with DNS subdomain names on create, its ValidateObjectMetaUpdate on
 * update, both with the finalizer names), then the strict rules.
 */
export function validate_Event(obj: Event, old?: Event): FieldError[] {
  const { legacy, strict } = eventRuleErrors(obj, old);
  const meta = (obj.metadata ?? {}) as StoredObject;
  const metaErrors = old
    ? validateObjectMetaUpdate(meta, (old.metadata ?? {}) as StoredObject)
    : validateObjectMeta(meta, { namespaced: true, nameFormat: 'dns1123-subdomain' });
  return [...legacy, ...metaErrors, ...validateKubeFinalizerNames(meta), ...strict];
}
