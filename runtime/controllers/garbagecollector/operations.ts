/**
 * What the collector does to live objects (upstream's operations.go and patch.go), through the registry stores
 * in-process and as the garbage collector's own user, so admission, validation and the watch see each change as
 * they would see kube-controller-manager's requests: get, delete with a propagation policy and a uid precondition,
 * remove owner references, make references non-blocking, and remove a finalizer.
 */
import { StatusError } from '../../machinery/status.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import type { RequestContext } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { ObjectIdentity, OwnerReference } from './graph.ts';
import type { CollectableResource, KindResolver } from './resources.ts';
import { controllerContext } from '../context.ts';

/** kube-controller-manager's garbage collector runs as this service account. */
export const collectorUser = {
  name: 'system:serviceaccount:kube-system:generic-garbage-collector',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'],
};

export const orphanFinalizer = 'orphan';
export const foregroundFinalizer = 'foregroundDeletion';

export type Propagation = 'Orphan' | 'Foreground' | 'Background';

export function isNotFound(e: unknown): boolean {
  return e instanceof StatusError && e.code === 404;
}

export function isConflict(e: unknown): boolean {
  return e instanceof StatusError && e.code === 409;
}

/** A write that found nothing to change. */
const unchanged = Symbol('unchanged');

export class Operations {
  constructor(private readonly resolver: KindResolver) {}

  /** The store and request context for an identity (cluster-scoped kinds ignore its namespace). */
  private target(id: ObjectIdentity): { store: CollectableResource; ctx: RequestContext } {
    const store = this.resolver.resolve(id.apiVersion, id.kind);
    return { store, ctx: controllerContext(store.strategy.namespaced ? id.namespace : '', collectorUser) };
  }

  /** Whether the kind is namespaced (throws RESTMappingError for kinds nothing serves). */
  namespaced(apiVersion: string, kind: string): boolean {
    return this.resolver.resolve(apiVersion, kind).strategy.namespaced;
  }

  /** The live object; a namespaced kind asked without a namespace is not found. */
  async get(id: ObjectIdentity): Promise<StoredObject> {
    const { store, ctx } = this.target(id);
    if (store.strategy.namespaced && !ctx.namespace) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `${id.kind} ${goQuote(id.name)} not found`, code: 404 });
    return store.get(ctx, id.name);
  }

  async delete(id: ObjectIdentity, propagationPolicy: Propagation): Promise<void> {
    const { store, ctx } = this.target(id);
    await store.delete(ctx, id.name, { preconditions: { uid: id.uid }, propagationPolicy });
  }

  /**
   * Changes the object's metadata with `change` (which returns false when there is nothing to do), on the current
   * copy and again on conflicts; a different uid under the same name means ours is gone (404).
   */
  private async updateMetadata(id: ObjectIdentity, change: (meta: Record<string, any>) => boolean): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    const { store, ctx } = this.target(id);
    try {
      await store.guaranteedUpdate(ctx, id.name, async (current) => {
        if (current.metadata.uid !== id.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `${id.kind} ${goQuote(id.name)} with uid ${id.uid} not found`, code: 404 });
        if (!change(current.metadata)) throw unchanged;
        return current;
      });
    } catch (e) {
      if (e === unchanged) return;
      throw e;
    }
  }

  /** Removes the references to `ownerUids` from the object (gone already: nothing to do). */
  async removeOwnerReferences(id: ObjectIdentity, ownerUids: string[]): Promise<void> {
    const drop = new Set(ownerUids);
    await this.updateMetadata(id, (meta) => {
      const refs: OwnerReference[] = meta.ownerReferences ?? [];
      const kept = refs.filter((r) => !drop.has(r.uid));
      if (kept.length === refs.length) return false;
      if (kept.length) meta.ownerReferences = kept;
      else delete meta.ownerReferences;
      return true;
    });
  }

  /** Sets `blockOwnerDeletion: false` on every reference of the object that blocks. */
  async unblockOwnerReferences(id: ObjectIdentity): Promise<void> {
    await this.updateMetadata(id, (meta) => {
      const refs: OwnerReference[] = meta.ownerReferences ?? [];
      if (!refs.some((r) => r.blockOwnerDeletion === true)) return false;
      meta.ownerReferences = refs.map((r) => (r.blockOwnerDeletion === true ? { ...r, blockOwnerDeletion: false } : r));
      return true;
    });
  }

  /** Removes one finalizer; the store deletes the object once no finalizer is left. Gone already: done. */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    try {
      await this.updateMetadata(id, (meta) => {
        const finalizers: string[] = meta.finalizers ?? [];
        if (!finalizers.includes(finalizer)) return false;
        const kept = finalizers.filter((f) => f !== finalizer);
        if (kept.length) meta.finalizers = kept;
        else delete meta.finalizers;
        return true;
      });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
