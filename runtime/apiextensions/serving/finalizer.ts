/**
 * Deleting a CRD deletes its objects first (upstream's CRD finalizer). A CRD is created without finalizers; its
 * first delete (the CRD strategy's beginDelete, upstream's REST.Delete) only marks it, with the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer and the Terminating condition. This controller then sets
 * `InstanceDeletionInProgress`, deletes every object through the storage version's registry store (so admission
 * and the objects' own finalizers apply), waits until none is left, reports the outcome and removes the finalizer,
 * which lets the CRD go. Meanwhile its objects can no longer be created (405). A failed sync is retried with the
 * workqueue's backoff; the controller's own condition writes queue nothing, as upstream's, so it cannot spin.
 */
import type { Logger } from 'pino';
import * as status from '../../machinery/status.ts';
import { jsonText } from '../../machinery/json-text.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { RateLimitedQueue } from '../../controllers/rate-limited-queue.ts';
import type { CustomResourceHandler } from './handler.ts';
import { asCRD, customResourceCleanupFinalizer, isConditionTrue, setCondition, type CRDCondition, type CustomResourceDefinition } from './types.ts';

export interface CRDFinalizerConfig {
  /** The CRD store (reads) and its /status store (conditions; removes the finalizer, as upstream). */
  crds: RegistryStore;
  crdStatus: RegistryStore;
  handler: CustomResourceHandler;
  log: Logger;
  /** How often to look whether every object is gone, and for how long. */
  pollMs?: number;
  waitMs?: number;
}

const terminating = (s: 'True' | 'False', reason: string, message: string): CRDCondition => ({ type: 'Terminating', status: s, reason, message });

function isNotFoundOrConflict(e: unknown): boolean {
  return e instanceof status.StatusError && (e.code === 404 || e.code === 409);
}

/** Whether the finalizer has work on `crd`: it is being deleted and still carries the cleanup finalizer. */
function awaitsCleanup(crd: CustomResourceDefinition): boolean {
  return Boolean(crd.metadata.deletionTimestamp) && Boolean(crd.metadata.finalizers?.includes(customResourceCleanupFinalizer));
}

/** The CRD but for what the finalizer's own writes change: the resourceVersion and the Terminating condition. */
function withoutOwnWrites(crd: CustomResourceDefinition): string {
  const { resourceVersion: _rv, ...metadata } = crd.metadata;
  const conditions = crd.status?.conditions?.filter((c) => c.type !== 'Terminating');
  return jsonText({ ...crd, metadata, status: { ...crd.status, conditions } });
}

export class CRDFinalizer {
  private readonly queue = new RateLimitedQueue('crd_finalizer');

  constructor(private readonly cfg: CRDFinalizerConfig) {
    this.queue.run(1, async (name) => {
      await this.sync(name);
      return 'forget';
    }, cfg.log);
  }

  /**
   * Called with every CRD the informer sees and the state it replaces: queues those awaiting cleanup, except for a
   * change of the Terminating condition alone, which is this controller's own write (queueing it would spin on a
   * failing sync, which the queue retries with backoff instead). A resync (same resourceVersion) always queues.
   */
  observe(obj: StoredObject, old?: StoredObject): void {
    const crd = asCRD(obj);
    if (!crd || !awaitsCleanup(crd)) return;
    const before = old && asCRD(old);
    if (before && before.metadata.resourceVersion !== crd.metadata.resourceVersion && withoutOwnWrites(before) === withoutOwnWrites(crd)) return;
    this.queue.add(crd.metadata.name);
  }

  stop(): void {
    this.queue.stop();
  }

  private async updateStatus(name: string, cond: CRDCondition): Promise<CustomResourceDefinition> {
    return (await this.cfg.crdStatus.guaranteedUpdate(systemContext(), name, async (cur) => {
      setCondition(cur as CustomResourceDefinition, cond);
      return cur;
    })) as CustomResourceDefinition;
  }

  private async sync(name: string): Promise<void> {
    let crd: CustomResourceDefinition;
    try {
      crd = (await this.cfg.crds.get(systemContext(), name)) as CustomResourceDefinition;
      if (!awaitsCleanup(crd)) return;
      crd = await this.updateStatus(name, terminating('True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress'));
    } catch (e) {
      if (isNotFoundOrConflict(e)) return; // gone or changed meanwhile: the informer brings it back if needed
      throw e;
    }
    let outcome: CRDCondition;
    if (isConditionTrue(crd, 'Established')) {
      try {
        await this.deleteInstances(crd);
        outcome = terminating('False', 'InstanceDeletionCompleted', 'removed all instances');
      } catch (e) {
        const failed = (e as { condition?: CRDCondition }).condition ?? terminating('True', 'InstanceDeletionFailed', `could not issue all deletes: ${(e as Error).message}`);
        await this.updateStatus(name, failed).catch(() => {});
        throw e;
      }
    } else {
      outcome = terminating('False', 'NeverEstablished', 'resource was never established');
    }
    // One /status write, as upstream's: the CRD's own update would check the whole CRD again (a status.storedVersions
    // that names a version no longer in spec.versions, which /status may write, would keep it forever).
    try {
      await this.cfg.crdStatus.guaranteedUpdate(systemContext(), name, async (cur) => {
        setCondition(cur as CustomResourceDefinition, outcome);
        cur.metadata.finalizers = (cur.metadata.finalizers ?? []).filter((f: string) => f !== customResourceCleanupFinalizer);
        return cur;
      });
    } catch (e) {
      if (!isNotFoundOrConflict(e)) throw e;
    }
  }

  private async deleteInstances(crd: CustomResourceDefinition): Promise<void> {
    const names = crd.status?.acceptedNames;
    const store = this.cfg.handler.info(crd.metadata.name)?.storageStore;
    const fail = (reason: string, message: string): never => {
      throw Object.assign(new Error(message), { condition: terminating('True', reason, message) });
    };
    if (!store) fail('InstanceDeletionFailed', `could not list instances: unable to find a custom resource client for ${names?.plural}.${crd.spec.group}`);
    const list = async () => {
      try {
        return (await store!.list(systemContext())).items;
      } catch (e) {
        return fail('InstanceDeletionFailed', `could not list instances: ${(e as Error).message}`);
      }
    };
    const errors: string[] = [];
    for (const item of await list()) {
      try {
        await store!.delete(systemContext(item.metadata.namespace ?? ''), item.metadata.name);
      } catch (e) {
        if (!(e instanceof status.StatusError && e.code === 404)) errors.push((e as Error).message);
      }
    }
    if (errors.length) fail('InstanceDeletionFailed', `could not issue all deletes: ${errors.join(', ')}`);
    // Objects with finalizers of their own stay until those are removed: wait for them, then try again later.
    const pollMs = this.cfg.pollMs ?? 500;
    const deadline = Date.now() + (this.cfg.waitMs ?? 60_000);
    for (;;) {
      const left = await list();
      if (left.length === 0) return;
      if (Date.now() >= deadline) fail('InstanceDeletionCheck', `could not confirm zero CustomResources remaining: ${left.length} remaining`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}
