/**
 * Emptying a namespace that is being deleted (upstream's namespaced resources deleter): every namespaced resource
 * that can be deleted is deleted as a collection (or item by item when it has no `deletecollection`) with the
 * Background propagation policy, through its registry store, so admission, graceful deletion and the objects' own
 * finalizers apply. What is left is counted per resource and per finalizer into the namespace's deletion
 * conditions, with upstream's types, reasons and messages.
 */
import * as status from '../machinery/status.ts';
import { deleteCollection } from '../registry/deletion.ts';
import type { RegistryStore, RequestContext } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** The condition types the deleter keeps, in upstream's order, with the reason and message of their "ok" state. */
const conditionTypes: [type: string, okReason: string, okMessage: string][] = [
  ['NamespaceDeletionDiscoveryFailure', 'ResourcesDiscovered', 'All resources successfully discovered'],
  ['NamespaceDeletionGroupVersionParsingFailure', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'],
  ['NamespaceDeletionContentFailure', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'],
  ['NamespaceContentRemaining', 'ContentRemoved', 'All content successfully removed'],
  ['NamespaceFinalizersRemaining', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'],
];

/** How long to wait before looking again at objects that finalizers hold (upstream's default estimate). */
export const finalizerEstimateSeconds = 15;

export interface ContentDeletion {
  /**
   * Seconds to wait before looking again: pods still in their grace period, or objects finalizers hold
   * (0: the namespace is empty).
   */
  estimateSeconds: number;
  /** Failures, one per resource (the content-failure condition lists them). */
  errors: Error[];
  /** Conditions as they should now be (failing ones True, the others False with their "ok" texts). */
  conditions: (now: string) => NamespaceCondition[];
}

function nowTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** How long the namespace's pods may still take: their longest grace period, less the time since deletion. */
async function estimateGracefulTermination(store: RegistryStore, ctx: RequestContext, deletedAt: string): Promise<number> {
  if (store.kind.group !== '' || store.kind.resource !== 'pods') return 0;
  let estimate = 0;
  for (const pod of (await store.list(ctx)).items) {
    // Pods that are already finished have nothing to terminate.
    if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') continue;
    estimate = Math.max(estimate, Number(pod.spec?.terminationGracePeriodSeconds ?? 0));
  }
  const elapsed = Math.floor((Date.now() - Date.parse(deletedAt)) / 1000);
  return Math.max(0, estimate - elapsed);
}

/** `/v1, Resource=pods`: how Go prints a GroupVersionResource. */
function gvrString(store: RegistryStore): string {
  return `${store.kind.group}/${store.kind.version}, Resource=${store.kind.resource}`;
}

/**
 * Deletes what is in `namespace` from every store, then counts what is left. Never throws for one resource's
 * failure: it is reported and the others are still emptied.
 */
export async function deleteNamespaceContent(stores: RegistryStore[], ctx: RequestContext, namespace: string, deletedAt: string): Promise<ContentDeletion> {
  const errors: Error[] = [];
  const remainingByResource = new Map<string, number>();
  const remainingByFinalizer = new Map<string, number>();
  let estimateSeconds = 0;
  for (const store of stores) {
    const verbs = store.kind.verbs as readonly string[];
    if (!verbs.includes('delete')) continue;
    try {
      const estimate = await estimateGracefulTermination(store, ctx, deletedAt);
      const opts = { propagationPolicy: 'Background' };
      if (verbs.includes('deletecollection')) {
        await deleteCollection(store, ctx, {}, opts);
      } else {
        for (const item of (await store.list(ctx)).items) {
          try {
            await store.delete(ctx, item.metadata.name, structuredClone(opts));
          } catch (e) {
            if (!(e instanceof status.StatusError && e.code === 404)) throw e;
          }
        }
      }
      const left: StoredObject[] = (await store.list(ctx)).items;
      if (!left.length) continue;
      // Pods still in their grace period are waited for (the kubelet deletes them).
      estimateSeconds = Math.max(estimateSeconds, estimate);
      remainingByResource.set(`${store.kind.resource}.${store.kind.group}`, left.length);
      let withFinalizers = 0;
      for (const item of left) {
        const finalizers: string[] = item.metadata?.finalizers ?? [];
        if (finalizers.length) withFinalizers++;
        for (const f of finalizers) remainingByFinalizer.set(f, (remainingByFinalizer.get(f) ?? 0) + 1);
      }
      if (estimate === 0 && withFinalizers > 0) estimateSeconds = Math.max(estimateSeconds, finalizerEstimateSeconds);
      // Objects without finalizers outside any grace period should have gone: something is wrong.
      if (estimate === 0 && withFinalizers === 0) {
        throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(store)}`);
      }
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }

  const failing = new Map<string, { reason: string; message: string }>();
  if (remainingByResource.size) {
    const parts = [...remainingByResource].map(([r, n]) => `${r} has ${n} resource instances`).sort();
    failing.set('NamespaceContentRemaining', { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` });
  }
  if (remainingByFinalizer.size) {
    const parts = [...remainingByFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    failing.set('NamespaceFinalizersRemaining', { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` });
  }
  if (errors.length) {
    const msgs = errors.map((e) => e.message).sort();
    failing.set('NamespaceDeletionContentFailure', { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${errors.length} remaining: ${msgs.join(', ')}` });
  }
  return {
    estimateSeconds,
    errors,
    conditions: (now) =>
      conditionTypes.map(([type, okReason, okMessage]) => {
        const bad = failing.get(type);
        return bad ? { type, status: 'True', lastTransitionTime: now, ...bad } : { type, status: 'False', lastTransitionTime: now, reason: okReason, message: okMessage };
      }),
  };
}

/**
 * Merges the deleter's conditions into the namespace's (upstream's updateConditions): a condition keeps its
 * lastTransitionTime unless its status changes. Returns the new list, or undefined when nothing changed.
 */
export function mergeConditions(current: NamespaceCondition[] | undefined, next: NamespaceCondition[]): NamespaceCondition[] | undefined {
  const out = structuredClone(current ?? []);
  let changed = false;
  for (const c of next) {
    const old = out.find((o) => o.type === c.type);
    if (!old) {
      out.push(c);
      changed = true;
    } else if (old.status !== c.status || old.reason !== c.reason || old.message !== c.message) {
      if (old.status !== c.status) old.lastTransitionTime = c.lastTransitionTime;
      Object.assign(old, { status: c.status, reason: c.reason, message: c.message });
      changed = true;
    }
  }
  return changed ? out : undefined;
}

export { nowTime as conditionTime };
