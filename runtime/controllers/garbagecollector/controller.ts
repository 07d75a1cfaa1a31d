/**
 * The garbage collector (upstream's pkg/controller/garbagecollector, run in-process because a standalone server has
 * no kube-controller-manager): objects whose owners are all gone are deleted, owners deleted in the foreground wait
 * for their blocking dependents, and owners deleted with the orphan policy are first taken out of their dependents'
 * owner references. The graph builder keeps the dependency graph; workers here act on what it queues, always
 * checking the live object first, since the graph may lag behind the store.
 *
 * Turned off with `--controllers=*,-garbage-collector-controller` or `--enable-garbage-collector=false`, for a real
 * kube-controller-manager to do the job.
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { AbsentOwnerCache } from './absent-owner-cache.ts';
import { newEventRecorder } from './events.ts';
import { describe, Graph, type GraphNode, type ObjectIdentity, type OwnerReference } from './graph.ts';
import { GraphBuilder } from './graph-builder.ts';
import { resourcesSyncErrors } from './metrics.ts';
import { foregroundFinalizer, isNotFound, Operations, orphanFinalizer, type Propagation } from './operations.ts';
import { RateLimitedQueue, type Outcome } from '../rate-limited-queue.ts';
import { KindResolver, RESTMappingError, type ResourceSource } from './resources.ts';

export interface GarbageCollectorOptions {
  source: ResourceSource;
  /** core/v1 events, for OwnerRefInvalidNamespace warnings. */
  events: () => RegistryStore | undefined;
  log: Logger;
  /** Workers per queue (kube-controller-manager's --concurrent-gc-syncs, 20). */
  workers?: number;
  /** How often served resources are compared with the monitored ones besides change notices (upstream: 30 s). */
  resyncMs?: number;
  /** How long the first start waits for every monitor to list before collecting anyway (upstream: 30 s). */
  initialSyncTimeoutMs?: number;
}

/** A cluster-scoped dependent cannot have a namespaced owner: retrying will not help. */
class NamespacedOwnerOfClusterScopedObject extends Error {}
/** The node was found gone; a virtual delete event was queued to take it out of the graph. */
class VirtualDeleteQueued extends Error {}

export class GarbageCollector {
  readonly graph = new Graph();
  private readonly attemptToDelete = new RateLimitedQueue('garbage_collector_attempt_to_delete');
  private readonly attemptToOrphan = new RateLimitedQueue('garbage_collector_attempt_to_orphan');
  private readonly absentOwners = new AbsentOwnerCache(500);
  private readonly builder: GraphBuilder;
  private readonly ops: Operations;
  private readonly log: Logger;
  private resyncTimer?: NodeJS.Timeout;
  private changeTimer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private resyncing?: Promise<void>;
  private resyncAgain = false;
  private stopped = false;

  constructor(private readonly opts: GarbageCollectorOptions) {
    this.log = opts.log.child({ controller: 'garbagecollector' });
    this.builder = new GraphBuilder({
      source: opts.source,
      graph: this.graph,
      attemptToDelete: this.attemptToDelete,
      attemptToOrphan: this.attemptToOrphan,
      absentOwners: this.absentOwners,
      events: newEventRecorder(opts.events, this.log),
      log: this.log,
    });
    this.ops = new Operations(new KindResolver(opts.source, () => this.builder.generation));
  }

  /**
   * Starts the monitors and, once each has listed (or the initial timeout passed), the workers. Resolves when
   * collection has begun; the graph is complete by then, so no owner is judged on a partial picture.
   */
  async start(): Promise<void> {
    this.log.info('starting garbage collector');
    // Custom resources come and go: follow change notices (debounced) and check periodically as upstream does
    // (a resync while the first sync runs only adds what that one has not).
    this.unsubscribe = this.opts.source.onChange?.(() => {
      if (this.changeTimer) return;
      this.changeTimer = setTimeout(() => {
        this.changeTimer = undefined;
        this.resync();
      }, 100);
      this.changeTimer.unref();
    });
    this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs ?? 30_000);
    this.resyncTimer.unref();
    const { synced } = await this.builder.syncMonitors(this.opts.initialSyncTimeoutMs ?? 30_000);
    if (this.stopped) return;
    if (!synced) this.log.info('garbage collector: not all resource monitors could be synced, proceeding anyways');
    else this.log.info('garbage collector: all resource monitors have synced');
    const workers = this.opts.workers ?? 20;
    this.attemptToDelete.run(workers, (uid) => this.attemptToDeleteWorker(uid), this.log);
    this.attemptToOrphan.run(workers, (uid) => this.attemptToOrphanWorker(uid), this.log);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.attemptToDelete.stop();
    this.attemptToOrphan.stop();
    this.builder.stop();
  }

  private resync(): void {
    if (this.stopped) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = this.builder
      .syncMonitors(this.opts.resyncMs ?? 30_000)
      .then(({ synced }) => {
        if (synced) return;
        resourcesSyncErrors.inc();
        this.log.warn('timed out waiting for dependency graph builder sync during GC sync');
      })
      .catch((err) => {
        resourcesSyncErrors.inc();
        this.log.warn({ err }, 'failed to sync resource monitors');
      })
      .finally(() => {
        this.resyncing = undefined;
        if (this.resyncAgain) {
          this.resyncAgain = false;
          this.resync();
        }
      });
  }

  private async attemptToDeleteWorker(uid: string): Promise<Outcome> {
    const node = this.graph.get(uid);
    // Gone from the graph meanwhile (its deletion was observed): nothing to do.
    if (!node) return 'forget';
    try {
      await this.attemptToDeleteItem(node);
    } catch (e) {
      if (e instanceof VirtualDeleteQueued || e instanceof NamespacedOwnerOfClusterScopedObject) return 'forget';
      // A kind nothing serves may be a CRD not established yet: retried, with growing delays.
      this.log.warn({ err: e instanceof RESTMappingError ? e.message : e, item: describe(node.identity) }, 'error syncing item');
      return 'requeue';
    }
    // A virtual node that exists is checked again until its object is observed: an object created and deleted while
    // a watch was being re-established would otherwise leave the node behind.
    return node.virtual && this.graph.get(uid) === node ? 'requeue' : 'forget';
  }

  /**
   * Looks the object up, and deletes it when every owner is gone; drops references to gone owners when some owner
   * remains; finishes the foreground deletion of an owner whose blocking dependents are all gone.
   */
  private async attemptToDeleteItem(item: GraphNode): Promise<void> {
    // Terminating without waiting for dependents: its dependents are handled once it is gone.
    if (item.beingDeleted && !item.deletingDependents) return;
    const id = item.identity;
    let latest: StoredObject;
    try {
      latest = await this.ops.get(id);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.builder.enqueueVirtualDelete(id);
      throw new VirtualDeleteQueued();
    }
    if (latest.metadata.uid !== id.uid) {
      this.builder.enqueueVirtualDelete(id);
      throw new VirtualDeleteQueued();
    }
    if (item.deletingDependents) return this.processDeletingDependents(item);
    const refs: OwnerReference[] = latest.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const { solid, dangling, waiting } = await this.classifyReferences(item, refs);
    this.log.debug({ item: describe(id), solid: solid.length, dangling: dangling.length, waiting: waiting.length }, 'classified item references');
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      // References to owners waiting for their dependents must go too, or those owners would wait forever.
      this.log.info({ item: describe(id) }, 'removing dangling and waiting references of item with an existing owner');
      await this.ops.removeOwnerReferences(id, [...dangling, ...waiting].map((r) => r.uid));
      return;
    }
    if (waiting.length && item.dependents.size) {
      // Deleted in the foreground itself, so its own dependents go first; a dependent also deleting in the
      // foreground may point back at it (a cycle), so its blocking references are dropped first.
      if ([...item.dependents].some((d) => d.deletingDependents)) await this.ops.unblockOwnerReferences(id);
      return this.deleteItem(id, 'Foreground');
    }
    const finalizers: string[] = latest.metadata.finalizers ?? [];
    // Honour a policy already on the object; otherwise delete in the background.
    const policy: Propagation = finalizers.includes(orphanFinalizer) ? 'Orphan' : finalizers.includes(foregroundFinalizer) ? 'Foreground' : 'Background';
    return this.deleteItem(id, policy);
  }

  private async deleteItem(id: ObjectIdentity, policy: Propagation): Promise<void> {
    this.log.info({ item: describe(id), propagationPolicy: policy }, 'deleting item');
    try {
      await this.ops.delete(id, policy);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.builder.enqueueVirtualDelete(id);
      throw new VirtualDeleteQueued();
    }
  }

  /** The item's owner waits in the foreground: its finalizer goes once no dependent blocks; until then they are pushed. */
  private async processDeletingDependents(item: GraphNode): Promise<void> {
    const blocking = item.blockingDependents();
    if (!blocking.length) {
      this.log.info({ item: describe(item.identity) }, 'removing foregroundDeletion finalizer of item');
      return this.ops.removeFinalizer(item.identity, foregroundFinalizer);
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.attemptToDelete.add(dep.identity.uid);
  }

  /**
   * Sorts the references: dangling (the owner does not exist, or has another uid), waiting (the owner is deleting
   * in the foreground) and solid (any other existing owner).
   */
  private async classifyReferences(item: GraphNode, refs: OwnerReference[]): Promise<{ solid: OwnerReference[]; dangling: OwnerReference[]; waiting: OwnerReference[] }> {
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.lookUpOwner(ref, item);
      if (!owner) dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(foregroundFinalizer)) waiting.push(ref);
      else solid.push(ref);
    }
    return { solid, dangling, waiting };
  }

  /** The live owner a reference names, or undefined when it is absent (not found, or found with another uid). */
  private async lookUpOwner(ref: OwnerReference, item: GraphNode): Promise<StoredObject | undefined> {
    const clusterKey: ObjectIdentity = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace: '' };
    if (this.absentOwners.has(clusterKey)) return undefined;
    const namespacedKey = { ...clusterKey, namespace: item.identity.namespace };
    if (this.absentOwners.has(namespacedKey)) return undefined;
    const namespaced = this.ops.namespaced(ref.apiVersion, ref.kind);
    if (namespaced && !item.identity.namespace) {
      this.log.info({ item: describe(item.identity), owner: ref }, 'item is cluster-scoped, but refers to a namespaced owner');
      throw new NamespacedOwnerOfClusterScopedObject();
    }
    const key = namespaced ? namespacedKey : clusterKey;
    let owner: StoredObject;
    try {
      owner = await this.ops.get(key);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.absentOwners.add(key);
      return undefined;
    }
    if (owner.metadata.uid !== ref.uid) {
      this.absentOwners.add(key);
      return undefined;
    }
    return owner;
  }

  /** Removes the owner from each dependent's references, then the orphan finalizer, and so lets the owner go. */
  private async attemptToOrphanWorker(uid: string): Promise<Outcome> {
    const owner = this.graph.get(uid);
    if (!owner) return 'forget';
    const dependents = [...owner.dependents];
    const results = await Promise.allSettled(dependents.map((d) => this.ops.removeOwnerReferences(d.identity, [uid])));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' && !isNotFound(r.reason) ? [`orphaning ${describe(dependents[i].identity)} failed, ${(r.reason as Error).message}`] : []));
    if (failed.length) {
      this.log.warn({ owner: describe(owner.identity), errors: failed }, 'failed to orphan dependents of owner');
      return 'requeue';
    }
    try {
      await this.ops.removeFinalizer(owner.identity, orphanFinalizer);
    } catch (err) {
      this.log.warn({ err, owner: describe(owner.identity) }, 'removing the orphan finalizer failed');
      return 'requeue';
    }
    return 'forget';
  }
}

export function newGarbageCollector(opts: GarbageCollectorOptions): GarbageCollector {
  return new GarbageCollector(opts);
}
