/**
 * Deletion, as upstream's generic registry store and `rest.BeforeDelete` do it, for every kind: DeleteOptions
 * checks, preconditions, graceful deletion (a strategy's `checkGracefulDelete`, Pods), the garbage collector's
 * `orphan` and `foregroundDeletion` finalizers from the propagation policy, marking objects with finalizers as
 * being deleted, and deleting an object at the update that removes its last finalizer.
 *
 * The registry store calls in here; the garbage collector (runtime/controllers) removes the two GC finalizers
 * once it has orphaned or deleted the dependents.
 */
import * as status from '../machinery/status.ts';
import { throwIfCancelled, type Cancellation } from '../machinery/cancellation.ts';
import { forbidden, invalid, notSupported, type FieldError } from '../machinery/field-errors.ts';
import { goStrings, goTimeString, goValue } from '../machinery/go-syntax.ts';
import type { ObjectStorage, Preconditions, StoredObject } from '../storage/store.ts';
import type { Strategy } from './strategy.ts';
import type { ListOptions, RegistryStore, RequestContext } from './store.ts';

/** meta.k8s.io/v1 DeleteOptions as the registry uses them (from the request body or query). */
export interface DeleteOptions {
  preconditions?: Preconditions;
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  /** Deprecated: true orphans, false deletes dependents (202 while the object waits). */
  orphanDependents?: boolean;
  dryRun?: string[];
}

export const finalizerOrphanDependents = 'orphan';
export const finalizerDeleteDependents = 'foregroundDeletion';

/** Upstream's GarbageCollectionPolicy: what a delete that names no propagation does to dependents. */
export type GarbageCollectionPolicy = 'DeleteDependents' | 'OrphanDependents' | 'Unsupported';

const propagationPolicies = ['Foreground', 'Background', 'Orphan'] as const;

/** upstream ValidateDeleteOptions: errors of a 422 for `DeleteOptions.meta.k8s.io ""`. */
export function validateDeleteOptions(opts: DeleteOptions): FieldError[] {
  const errors: FieldError[] = [];
  if (opts.orphanDependents !== undefined && opts.propagationPolicy !== undefined) {
    errors.push(invalid('propagationPolicy', opts.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (opts.propagationPolicy !== undefined && !(propagationPolicies as readonly string[]).includes(opts.propagationPolicy)) {
    errors.push(notSupported('propagationPolicy', opts.propagationPolicy, [...propagationPolicies, 'nil']));
  }
  if (opts.dryRun?.some((d) => d !== 'All')) {
    // Go prints the whole slice: Unsupported value: []string{"x"}.
    errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', detail: `${goValue(goStrings, opts.dryRun).text}: supported values: "All"` });
  }
  return errors;
}

/** Throws upstream's 422 when the options are invalid. */
export function checkDeleteOptions(opts: DeleteOptions): void {
  const errors = validateDeleteOptions(opts);
  if (errors.length) throw status.invalid('meta.k8s.io', 'DeleteOptions', '', errors);
}



function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The Kind-qualified name upstream's precondition conflicts use (`ConfigMap`, `Deployment.apps`). */
function kindRef(strategy: Strategy): status.ResourceRef {
  return { group: strategy.kind.group, resource: strategy.kind.kind };
}

/**
 * The precondition checks of a kind whose REST.Delete makes them itself before the generic store's (namespaces,
 * CustomResourceDefinitions), in that REST's words: a 409 about `ref` when the UID or resourceVersion differ.
 */
export function checkRESTDeletePreconditions(ref: status.ResourceRef, obj: StoredObject, opts: DeleteOptions): void {
  const pre = opts.preconditions;
  const { name, uid, resourceVersion } = obj.metadata ?? {};
  if (pre?.uid && pre.uid !== uid) {
    throw status.conflict(ref, name ?? '', `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uid ?? ''}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== resourceVersion) {
    throw status.conflict(ref, name ?? '', `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${resourceVersion ?? ''}`);
  }
}

/**
 * upstream rest.BeforeDelete: checks preconditions (409), then decides whether the delete is graceful (the
 * object is to be stored with a deletionTimestamp in the future) or a graceful deletion is already pending.
 * Mutates `obj` (deletion fields) and `opts` (the grace period), as upstream does.
 */
export function beforeDelete(strategy: Strategy, obj: StoredObject, opts: DeleteOptions, now = Date.now()): { graceful: boolean; pending: boolean } {
  const meta = (obj.metadata ??= {});
  const pre = opts.preconditions;
  strategy.checkDeletePreconditions?.(obj, opts);
  if (pre?.uid && pre.uid !== meta.uid) {
    throw status.conflict(kindRef(strategy), meta.name ?? '', `the UID in the precondition (${pre.uid}) does not match the UID in record (${meta.uid ?? ''}). The object might have been deleted and then recreated`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
    throw status.conflict(kindRef(strategy), meta.name ?? '', `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${meta.resourceVersion ?? ''}). The object might have been modified`);
  }
  // Negative grace periods mean the shortest graceful one.
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts.gracePeriodSeconds = 1;
  if (typeof meta.deletionGracePeriodSeconds === 'number' && meta.deletionGracePeriodSeconds < 0) meta.deletionGracePeriodSeconds = 1;
  if (!strategy.checkGracefulDelete) return { graceful: false, pending: false };

  if (meta.deletionTimestamp) {
    const current: number | undefined = meta.deletionGracePeriodSeconds;
    // Marked with no grace left (an update went through but the delete did not): delete now.
    if (!current) return { graceful: false, pending: false };
    if (opts.gracePeriodSeconds === undefined) {
      opts.gracePeriodSeconds = current;
      return { graceful: false, pending: true };
    }
    // Only a shorter grace period may be asked for; it moves the deletion time back, never into the past.
    let period = opts.gracePeriodSeconds;
    if (period >= current) return { graceful: false, pending: true };
    let at = Date.parse(meta.deletionTimestamp) - current * 1000 + period * 1000;
    if (at < now) {
      at = now;
      if (period !== 0) period = 1;
    }
    meta.deletionTimestamp = rfc3339(at);
    meta.deletionGracePeriodSeconds = period;
    return { graceful: true, pending: false };
  }

  if (!strategy.checkGracefulDelete(obj, opts)) return { graceful: false, pending: false };
  if (opts.gracePeriodSeconds === undefined) throw status.internalError(new Error('options.GracePeriodSeconds should not be nil'));
  meta.deletionTimestamp = rfc3339(now + opts.gracePeriodSeconds * 1000);
  meta.deletionGracePeriodSeconds = opts.gracePeriodSeconds;
  if (typeof meta.generation === 'number' && meta.generation > 0) meta.generation++;
  return { graceful: true, pending: false };
}

function defaultPolicy(strategy: Strategy): GarbageCollectionPolicy | undefined {
  return strategy.garbageCollectionPolicy?.();
}

/** Whether the `orphan` finalizer belongs on the object: options first, then its finalizers, then the kind's default. */
export function shouldOrphanDependents(strategy: Strategy, obj: StoredObject, opts: DeleteOptions): boolean {
  const policy = defaultPolicy(strategy);
  if (policy === 'Unsupported') return false;
  if (opts.orphanDependents !== undefined) return opts.orphanDependents;
  if (opts.propagationPolicy === 'Orphan') return true;
  if (opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Foreground') return false;
  for (const f of obj.metadata?.finalizers ?? []) {
    if (f === finalizerOrphanDependents) return true;
    if (f === finalizerDeleteDependents) return false;
  }
  return policy === 'OrphanDependents';
}

/** Whether the `foregroundDeletion` finalizer belongs on the object. */
export function shouldDeleteDependentsInForeground(strategy: Strategy, obj: StoredObject, opts: DeleteOptions): boolean {
  if (defaultPolicy(strategy) === 'Unsupported') return false;
  if (opts.orphanDependents !== undefined) return false;
  if (opts.propagationPolicy === 'Foreground') return true;
  if (opts.propagationPolicy === 'Background' || opts.propagationPolicy === 'Orphan') return false;
  for (const f of obj.metadata?.finalizers ?? []) {
    if (f === finalizerDeleteDependents) return true;
    if (f === finalizerOrphanDependents) return false;
  }
  return false;
}

/**
 * The finalizers the object should carry for the garbage collector after this delete (upstream's
 * deletionFinalizersForGarbageCollection); `changed` tells whether they differ from the current ones (as sets).
 */
export function garbageCollectionFinalizers(strategy: Strategy, obj: StoredObject, opts: DeleteOptions, gcEnabled = true): { changed: boolean; finalizers: string[] } {
  const current: string[] = obj.metadata?.finalizers ?? [];
  if (!gcEnabled) return { changed: false, finalizers: current };
  const next = strategy.propagationFinalizers ? strategy.propagationFinalizers(obj, opts) : defaultPropagationFinalizers(strategy, obj, opts);
  const same = new Set(current).size === new Set(next).size && next.every((f) => current.includes(f));
  return same ? { changed: false, finalizers: current } : { changed: true, finalizers: next };
}

/** The garbage collector's finalizers by the generic rules (the kind's default policy, then the options). */
export function defaultPropagationFinalizers(strategy: Strategy, obj: StoredObject, opts: DeleteOptions): string[] {
  const orphan = shouldOrphanDependents(strategy, obj, opts);
  const foreground = shouldDeleteDependentsInForeground(strategy, obj, opts);
  const next = (obj.metadata?.finalizers ?? []).filter((f: string) => f !== finalizerOrphanDependents && f !== finalizerDeleteDependents);
  if (orphan) next.push(finalizerOrphanDependents);
  if (foreground) next.push(finalizerDeleteDependents);
  return next;
}

/**
 * Marks an object as being deleted with no grace period (upstream's markAsDeleting): the first mark bumps
 * metadata.generation; the deletionTimestamp is now unless an earlier one is kept. Mutates `obj`.
 */
export function markAsDeleting(obj: StoredObject, now = Date.now()): StoredObject {
  const meta = (obj.metadata ??= {});
  if (!meta.deletionTimestamp && typeof meta.generation === 'number' && meta.generation > 0) meta.generation++;
  if (!meta.deletionTimestamp || Date.parse(meta.deletionTimestamp) > now) meta.deletionTimestamp = rfc3339(now);
  meta.deletionGracePeriodSeconds = 0;
  return obj;
}

/** Whether the strategy still holds the object back (finalizers, a namespace's spec.finalizers). */
function waits(strategy: Strategy, obj: StoredObject): boolean {
  return strategy.beginDelete(structuredClone(obj)) !== undefined;
}

/**
 * upstream ShouldDeleteDuringUpdate: an update of an object being deleted with no grace period left that leaves
 * it nothing to wait for deletes it instead of storing it.
 */
export function shouldDeleteDuringUpdate(strategy: Strategy, obj: StoredObject, existing: StoredObject): boolean {
  if (obj.metadata?.finalizers?.length) return false;
  if (!existing.metadata?.deletionTimestamp) return false;
  const grace = existing.metadata.deletionGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace !== 0) return false;
  return !waits(strategy, obj);
}

/**
 * What an update keeps of the deletion fields (upstream's BeforeUpdate): a deletionTimestamp once set stays; a
 * grace period left out is kept. Whatever else a client sends is checked by validateObjectMetaUpdate. Mutates `obj`.
 */
export function carryDeletionFields(obj: StoredObject, old: StoredObject): void {
  const meta = (obj.metadata ??= {});
  if (old.metadata?.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
  if (old.metadata?.deletionGracePeriodSeconds !== undefined && (meta.deletionGracePeriodSeconds === undefined || meta.deletionGracePeriodSeconds === null)) {
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  }
  if (meta.deletionTimestamp === null) delete meta.deletionTimestamp;
  if (meta.deletionGracePeriodSeconds === null) delete meta.deletionGracePeriodSeconds;
}

/** Metadata (`meta`, `old`) of an object being deleted may lose finalizers but never gain one. */
export function noNewFinalizers(meta: StoredObject, old: StoredObject): FieldError[] {
  if (!old.deletionTimestamp) return [];
  const before = new Set<string>(old.finalizers ?? []);
  const added = [...new Set<string>(meta.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  return added.length ? [forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goValue(goStrings, added).text}`)] : [];
}

/** The deletion fields are the server's: an update may not set or change them (after carryDeletionFields). */
export function validateDeletionFieldsUpdate(meta: StoredObject, old: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  if ((meta.deletionTimestamp ?? null) !== (old.deletionTimestamp ?? null)) {
    errors.push({ type: 'FieldValueInvalid', field: 'metadata.deletionTimestamp', detail: `${meta.deletionTimestamp ? goTimeString(meta.deletionTimestamp) : 'null'}: field is immutable` });
  }
  if ((meta.deletionGracePeriodSeconds ?? null) !== (old.deletionGracePeriodSeconds ?? null)) {
    errors.push(invalid('metadata.deletionGracePeriodSeconds', meta.deletionGracePeriodSeconds ?? null, 'field is immutable'));
  }
  return errors;
}

/** What the registry store lends the deletion: its storage and how it reports and admits. */
export interface DeletionHost {
  readonly strategy: Strategy;
  readonly storage: ObjectStorage;
  key(namespace: string, name: string): string;
  /** Runs a storage call, turning storage errors into Status errors about the resource. */
  run<T>(name: string, op: () => Promise<T>): Promise<T>;
  /** A storage error as a Status error about the resource. */
  toStatusError(e: unknown, name: string): Error;
  /** Mutating and validating admission of the DELETE of `current`. */
  admit(current: StoredObject, opts: DeleteOptions, dryRun: boolean): Promise<void>;
  /** Whether the garbage collector's finalizers are set (kube-apiserver's --enable-garbage-collector). */
  readonly gcEnabled: boolean;
  /** The request's: no write is started once it is cancelled. */
  readonly cancellation?: Cancellation;
}

export interface DeleteResult {
  /** The deleted object's last state, or the object still waiting (finalizers, grace period). */
  obj: StoredObject;
  /** Whether the object is gone (or would be, in a dry run). */
  deleted: boolean;
}

const alreadyDeleting = new Error('graceful deletion already pending');
const deleteNow = new Error('nothing to wait for: delete now');

type Outcome = { kind: 'pending' } | { kind: 'deleteNow' } | { kind: 'store'; obj: StoredObject; thenDelete: boolean };

/**
 * One attempt of upstream's updateForGracefulDeletionAndFinalizers on the stored object `existing`: what to store
 * (marked, with the GC finalizers), or that the object goes now, or that a graceful deletion is already pending.
 */
function planUpdate(host: DeletionHost, existing: StoredObject, options: DeleteOptions): Outcome {
  const opts = structuredClone(options);
  const { graceful, pending } = beforeDelete(host.strategy, existing, opts);
  if (pending) return { kind: 'pending' };
  const gc = garbageCollectionFinalizers(host.strategy, existing, opts, host.gcEnabled);
  if (gc.changed) existing.metadata.finalizers = gc.finalizers;
  if (existing.metadata.finalizers?.length === 0) delete existing.metadata.finalizers;
  if (!graceful) {
    const kept = host.strategy.beginDelete(existing);
    return kept ? { kind: 'store', obj: kept, thenDelete: false } : { kind: 'deleteNow' };
  }
  const pendingFinalizers = waits(host.strategy, existing);
  return { kind: 'store', obj: existing, thenDelete: !pendingFinalizers && !opts.gracePeriodSeconds };
}

/** Deletes `name` as upstream's Store.Delete does. */
export async function deleteObject(host: DeletionHost, namespace: string, name: string, options: DeleteOptions, ctxDryRun: boolean): Promise<DeleteResult> {
  checkDeleteOptions(options);
  const dryRun = ctxDryRun || Boolean(options.dryRun?.length);
  const key = host.key(namespace, name);
  const { cancellation } = host;
  const current = await host.run(name, () => host.storage.get(key, { cancellation }));
  const preconditions: Preconditions = { ...(options.preconditions ?? {}) };

  const first = beforeDelete(host.strategy, structuredClone(current), structuredClone(options));
  await host.admit(current, options, dryRun);
  // Admission is what waits (webhooks): a request cancelled meanwhile writes nothing, as upstream's etcd client
  // starts no call with a done context.
  throwIfCancelled(host.cancellation);
  // A graceful deletion is under way and this one asks for no shorter one: nothing changes.
  if (first.pending) return { obj: current, deleted: false };
  const needsFinalizerUpdate = garbageCollectionFinalizers(host.strategy, current, options, host.gcEnabled).changed;

  let lastState = current;
  if (first.graceful || waits(host.strategy, current) || needsFinalizerUpdate) {
    let outcome: Outcome = { kind: 'deleteNow' };
    let out: StoredObject | undefined;
    if (dryRun) {
      outcome = planUpdate(host, structuredClone(current), options);
      if (outcome.kind === 'store') out = outcome.obj;
    } else {
      try {
        out = await host.storage.guaranteedUpdate(
          key,
          async (existing) => {
            outcome = planUpdate(host, existing, options);
            if (outcome.kind === 'pending') throw alreadyDeleting;
            if (outcome.kind === 'deleteNow') throw deleteNow;
            return outcome.obj;
          },
          { preconditions, cancellation },
        );
      } catch (e) {
        if (e !== alreadyDeleting && e !== deleteNow) throw host.toStatusError(e, name);
      }
    }
    if (outcome.kind === 'pending') return { obj: current, deleted: false };
    if (outcome.kind === 'store') {
      if (!outcome.thenDelete) return { obj: out!, deleted: false };
      // Stored with no grace period left: it goes now; if someone else deleted it meanwhile, that is fine.
      if (dryRun) return { obj: out!, deleted: true };
      lastState = out!;
      if (preconditions.resourceVersion) preconditions.resourceVersion = out!.metadata.resourceVersion;
      try {
        const gone = await host.storage.delete(key, { preconditions, cancellation });
        await host.strategy.afterDelete?.(gone);
        return { obj: gone, deleted: true };
      } catch (e) {
        if ((e as { code?: string }).code === 'NotFound') return { obj: lastState, deleted: true };
        throw host.toStatusError(e, name);
      }
    }
  }
  if (dryRun) return { obj: lastState, deleted: true };
  const gone = await host.run(name, () => host.storage.delete(key, { preconditions, cancellation }));
  await host.strategy.afterDelete?.(gone);
  return { obj: gone, deleted: true };
}

/**
 * upstream's Store.DeleteCollection: deletes every object a list with `list` returns (one page when it sets a
 * limit), each with its own copy of the options; objects gone meanwhile are skipped, any other failure ends it.
 * Returns the list as it was read.
 */
export async function deleteCollection(store: RegistryStore, ctx: RequestContext, list: ListOptions, opts: DeleteOptions): Promise<{ metadata: Record<string, unknown>; items: StoredObject[] }> {
  const items: StoredObject[] = [];
  const metadata: Record<string, unknown> = {};
  // Warned about once for the request, even when nothing matches (a Job's orphaned pods).
  for (const w of store.strategy.warningsOnDelete?.(opts) ?? []) if (ctx.warnings && !ctx.warnings.includes(w)) ctx.warnings.push(w);
  let page: ListOptions = { ...list };
  for (;;) {
    const listed = await store.list(ctx, page);
    metadata.resourceVersion ??= listed.resourceVersion;
    for (const item of listed.items) {
      items.push(item);
      try {
        // In the request's namespace, as upstream deletes each item with the request's context: a collection read
        // across every namespace (`/namespaces//configmaps`) deletes nothing, its first item refused by the key.
        await store.delete({ ...ctx, collectionRequestNamespace: ctx.namespace }, item.metadata?.name ?? '', structuredClone(opts));
      } catch (e) {
        if (!(e instanceof status.StatusError && e.code === 404)) throw e;
      }
    }
    if (list.limit) {
      if (listed.continue) metadata.continue = listed.continue;
      if (listed.remainingItemCount !== undefined) metadata.remainingItemCount = listed.remainingItemCount;
      break;
    }
    if (!listed.continue) break;
    page = { ...list, continue: listed.continue, resourceVersion: undefined, resourceVersionMatch: undefined };
  }
  return { metadata, items };
}
