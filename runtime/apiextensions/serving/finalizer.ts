/**
 * Deleting a CRD deletes its objects first (upstream's CRD finalizer). Every CRD carries the
 * `customresourcecleanup.apiextensions.k8s.io` finalizer from its creation on (this controller adds it, and its
 * objects are served only once it is there), so deleting a CRD only marks it. The controller then sets the
 * `Terminating` condition (`InstanceDeletionInProgress`), deletes every object through the storage version's
 * registry store (so admission and the objects' own finalizers apply), waits until none is left, reports the
 * outcome and removes the finalizer, which lets the CRD go. Meanwhile its objects can no longer be created (405).
 *
 * `beginCRDDelete` is upstream's exact first-delete behaviour (finalizer and `InstanceDeletionPending` set by the
 * delete itself) for a CRD strategy that wants it as its `beginDelete`.
 */
import type { Logger } from 'pino';
import * as status from '../../machinery/status.ts';
import { markDeleting } from '../../registry/strategy.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { WorkQueue } from '../../controllers/informer.ts';
import type { CustomResourceHandler } from './handler.ts';
import { asCRD, customResourceCleanupFinalizer, isConditionTrue, setCondition, type CRDCondition, type CustomResourceDefinition } from './types.ts';

/**
 * The CRD strategy's `beginDelete`: on the first delete, keeps the CRD with the cleanup finalizer and the Terminating
 * condition instead of deleting it; afterwards (deletion timestamp set) it goes once no finalizer is left. Mutates
 * and returns `obj`, or returns undefined when the CRD can go now.
 */
export function beginCRDDelete(obj: StoredObject): StoredObject | undefined {
  const crd = obj as CustomResourceDefinition;
  if (!crd.metadata.deletionTimestamp) {
    const finalizers = (crd.metadata.finalizers ??= []);
    if (!finalizers.includes(customResourceCleanupFinalizer)) finalizers.push(customResourceCleanupFinalizer);
    setCondition(crd, { type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon' });
    return markDeleting(crd);
  }
  return crd.metadata.finalizers?.length ? crd : undefined;
}

export interface CRDFinalizerConfig {
  /** The CRD store (adds the finalizer) and its /status store (conditions; removes the finalizer, as upstream). */
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

export class CRDFinalizer {
  private readonly queue: WorkQueue;

  constructor(private readonly cfg: CRDFinalizerConfig) {
    this.queue = new WorkQueue((name) => this.sync(name), cfg.log, 'crd_finalizer');
  }

  /** Called with every CRD the informer sees: queues those lacking the finalizer and those being deleted with it. */
  observe(obj: StoredObject): void {
    const crd = asCRD(obj);
    if (!crd) return;
    const has = crd.metadata.finalizers?.includes(customResourceCleanupFinalizer);
    if (crd.metadata.deletionTimestamp ? has : !has) this.queue.add(crd.metadata.name);
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
      if (!crd.metadata.deletionTimestamp) {
        if (!crd.metadata.finalizers?.includes(customResourceCleanupFinalizer)) await this.ensureFinalizer(name);
        return;
      }
      if (!crd.metadata.finalizers?.includes(customResourceCleanupFinalizer)) return;
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

  private async ensureFinalizer(name: string): Promise<void> {
    // Returning the object as it is writes nothing (the store's no-op update): it changed meanwhile.
    await this.cfg.crds.guaranteedUpdate(systemContext(), name, async (cur) => {
      const finalizers: string[] = cur.metadata.finalizers ?? [];
      if (cur.metadata.deletionTimestamp || finalizers.includes(customResourceCleanupFinalizer)) return cur;
      cur.metadata.finalizers = [...finalizers, customResourceCleanupFinalizer];
      return cur;
    });
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
