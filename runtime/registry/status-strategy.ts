/**
 * The strategy of a `/status` subresource: an update changes `.status`, and the metadata the kind's
 * `@statusKeepsMetadata` leaves to it (upstream's older status strategies reset only the spec, so a kubelet or a
 * controller may change labels and annotations with the status; newer ones reset all metadata). Everything else is
 * kept from the stored object. Validation is the main strategy's, on the whole resulting object. Create and delete
 * do not exist on /status.
 */
import type { FieldError } from '../machinery/field-errors.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import type { Strategy } from './strategy.ts';
import { dropDisabledFields } from './disabled-fields.ts';
import { ObjectMetaChecks } from './objectmeta.ts';

export const statusVerbs = ['get', 'patch', 'update'] as const;

/** The metadata a write through /status may change at most; the kind's @statusKeepsMetadata keeps some or all. */
const statusWritableMetadata = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

/** The metadata a /status write of `kind` may not change: the kind's @statusKeepsMetadata, else all of it. */
export function statusKeptMetadata(kind: KindRegistration): readonly string[] {
  return kind.statusKeepsMetadata ?? statusWritableMetadata;
}

export class StatusStrategy implements Strategy {
  readonly kind: KindRegistration;
  readonly namespaced: boolean;
  readonly allowCreateOnUpdate = false;
  readonly subresource: string = 'status';
  readonly allowUnconditionalUpdate: boolean;

  constructor(private readonly main: Strategy) {
    // Same kind, but only the verbs /status serves.
    this.kind = { ...main.kind, verbs: statusVerbs };
    this.namespaced = main.namespaced;
    this.allowUnconditionalUpdate = main.allowUnconditionalUpdate;
  }

  prepareForCreate(): void {
    throw new Error('internal: create on a status subresource');
  }

  /**
   * Keeps everything but `.status` from the stored object; mutates `obj` in place to that result. The
   * managedFields the field manager recorded for this write stay (they are what the write changed).
   */
  prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    const status = obj.status;
    const managedFields = obj.metadata?.managedFields;
    const sent: StoredObject = obj.metadata ?? {};
    for (const key of Object.keys(obj)) delete obj[key];
    Object.assign(obj, structuredClone(old));
    if (status === undefined) delete obj.status;
    else obj.status = status;
    const kept = statusKeptMetadata(this.kind);
    for (const field of statusWritableMetadata) {
      if (kept.includes(field)) continue;
      if (sent[field] === undefined) delete obj.metadata[field];
      else obj.metadata[field] = sent[field];
    }
    if (managedFields === undefined) delete obj.metadata?.managedFields;
    else obj.metadata.managedFields = managedFields;
    // As upstream's status strategies: what the kind drops for gates that are off goes from a written status too.
    dropDisabledFields(this.kind, obj, old);
  }

  validate(obj: StoredObject): FieldError[] {
    return this.main.validate(obj);
  }

  /**
   * Every update, /status included, first goes through upstream's validateCommonFields (the object's metadata, with
   * the common name rule, and its update rules), then the kind's own status checks. Without those, the main update's checks, which
   * include the metadata's. The kind's checks are handed the same ObjectMetaChecks, so each of ObjectMeta's checks
   * runs once however often the causes list it.
   */
  validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    if (!this.main.validateStatusUpdate) return this.main.validateUpdate(obj, old);
    const meta = new ObjectMetaChecks(obj.metadata ?? {}, this.namespaced, old.metadata ?? {});
    return [...meta.commonFields(), ...this.main.validateStatusUpdate(obj, old, meta)];
  }

  canonicalize(obj: StoredObject): void {
    this.main.canonicalize(obj);
  }

  ttlSeconds(obj: StoredObject): number | undefined {
    return this.main.ttlSeconds(obj);
  }

  selectableFields(obj: StoredObject): Record<string, string> {
    return this.main.selectableFields(obj);
  }

  convertFieldLabel(label: string): string {
    return this.main.convertFieldLabel ? this.main.convertFieldLabel(label) : label;
  }

  beginDelete(obj: StoredObject): StoredObject | undefined {
    return this.main.beginDelete(obj);
  }
}
