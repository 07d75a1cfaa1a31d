/** Namespaces: created Active with the `kubernetes` finalizer, deleted through Terminating and `finalize`. */
import type { StoredObject } from '../../../storage/store.ts';
import { conflict } from '../../../machinery/status.ts';
import { DefaultStrategy, markDeleting, registerStrategy, registerSubresourceStrategy } from '../../strategy.ts';
import { checkRESTDeletePreconditions, finalizerDeleteDependents, finalizerOrphanDependents, type DeleteOptions } from '../../deletion.ts';
import { nowTime, ObjectMetaChecks } from '../../objectmeta.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import { validateNamespaceFinalizeUpdate, validateNamespaceStatusUpdate } from '../../../../apis/core/v1/namespace-validation.ts';
import type { Namespace } from '../../../../apis/core/v1/namespace.ts';
import { namespaceNameLabel } from '../../../../apis/core/v1/defaults.ts';

/** Namespaces start Active with the `kubernetes` finalizer, as upstream; status is written only via /status. */
class NamespaceStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Active' };
    const finalizers: string[] = obj.spec?.finalizers ?? [];
    obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    obj.spec = old.spec;
  }
  /** A /status write may set only the phase that matches the deletion state (ValidateNamespaceStatusUpdate). */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateNamespaceStatusUpdate(obj as Namespace)];
  }
  /** The name label is set last, when a generated name is known (defaulting labels named namespaces already). */
  override canonicalize(obj: StoredObject): void {
    super.canonicalize(obj);
    obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [namespaceNameLabel]: obj.metadata.name };
  }
  /**
   * A namespace with finalizers (the namespace controller's `kubernetes` in spec, or any in metadata) turns
   * Terminating; the namespace controller empties it, removes its finalizer, and then it goes. As upstream's
   * namespace REST, the first delete sets only the deletionTimestamp (no grace period); once spec.finalizers is
   * empty, metadata finalizers hold it as they hold any object.
   */
  override beginDelete(obj: StoredObject): StoredObject | undefined {
    if (obj.spec?.finalizers?.length) {
      obj.metadata.deletionTimestamp ??= nowTime();
    } else if (obj.metadata?.finalizers?.length) {
      markDeleting(obj);
    } else {
      return undefined;
    }
    obj.status = { ...(obj.status ?? {}), phase: 'Terminating' };
    return obj;
  }
  /** The namespace REST's own precondition messages and its refusal of a second delete, checked before the generic ones. */
  checkDeletePreconditions(obj: StoredObject, opts: DeleteOptions): void {
    const ref = { group: '', resource: 'namespaces' };
    checkRESTDeletePreconditions(ref, obj, opts);
    // Once terminating, only the namespace controller's finalize lets it go: a repeated delete changes nothing.
    if (obj.metadata.deletionTimestamp && obj.spec?.finalizers?.length) {
      throw conflict(ref, obj.metadata.name, 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');
    }
  }
  /**
   * Namespaces keep the GC finalizers by their own rules (upstream's namespace REST): the deprecated
   * `orphanDependents: false` asks for foreground deletion, and no kind default applies.
   */
  propagationFinalizers(obj: StoredObject, opts: DeleteOptions): string[] {
    const current: string[] = obj.metadata?.finalizers ?? [];
    const orphan = opts.orphanDependents ?? (opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Orphan' : current.includes(finalizerOrphanDependents));
    const foreground = opts.orphanDependents !== undefined ? !opts.orphanDependents : opts.propagationPolicy !== undefined ? opts.propagationPolicy === 'Foreground' : current.includes(finalizerDeleteDependents);
    const next = current.filter((f) => f !== finalizerOrphanDependents && f !== finalizerDeleteDependents);
    if (orphan) next.push(finalizerOrphanDependents);
    if (foreground) next.push(finalizerDeleteDependents);
    return next;
  }
}

/**
 * The `namespaces/{name}/finalize` subresource: as upstream's finalize strategy, the write is taken as sent (spec
 * and metadata, with the resourceVersion as a precondition) except the status, which is kept from the stored
 * namespace.
 */
export class NamespaceFinalizeStrategy extends NamespaceStrategy {
  readonly subresource = 'finalize';
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    const spec = obj.spec;
    super.prepareForUpdate(obj, old);
    if (spec === undefined) delete obj.spec;
    else obj.spec = spec;
  }
  /**
   * The registry's common metadata checks (rest.BeforeUpdate runs them on this subresource too), then core's
   * ObjectMeta update rules and the finalizer names, each at its index (ValidateNamespaceFinalizeUpdate).
   */
  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    const meta = new ObjectMetaChecks(obj.metadata ?? {}, this.namespaced, old.metadata ?? {});
    return [...meta.commonFields(), ...meta.coreObjectMetaUpdate(), ...validateNamespaceFinalizeUpdate(obj as Namespace)];
  }
}

registerStrategy('', 'Namespace', (kind, schema, config) => new NamespaceStrategy(kind, schema, config));
// PUT namespaces/<name>/finalize is its only verb, as upstream.
registerSubresourceStrategy('', 'Namespace', 'finalize', (main) => new NamespaceFinalizeStrategy({ ...main.kind, verbs: ['update'] }, undefined, (main as NamespaceStrategy).config));
