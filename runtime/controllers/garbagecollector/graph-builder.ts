/**
 * The graph builder (upstream's graph_builder.go): one monitor (a shared informer over the registry store, in
 * process) per deletable resource feeds a single queue of changes; processing a change updates the graph and
 * queues what may now be collectable (attemptToDelete) or must have its dependents orphaned (attemptToOrphan).
 *
 * Nothing here survives a restart, and nothing needs to: the first list of every monitor rebuilds the graph, and
 * a terminating object seen for the first time counts as one that just started terminating, so foreground and
 * orphan deletions left half-done are picked up again.
 */
import { Fifo } from '../../machinery/fifo.ts';
import { cloneJson } from '../../machinery/json-value.ts';
import type { Logger } from 'pino';
import type { StoredObject } from '../../storage/store.ts';
import { SharedInformer } from '../informer.ts';
import type { AbsentOwnerCache } from './absent-owner-cache.ts';
import type { EventRecorder } from './events.ts';
import { alternateOwnerIdentity, describe, Graph, GraphNode, ownerIdentity, partitionDependents, referenceMatches, referencesDiff, sameIdentity, type ObjectIdentity, type OwnerReference } from './graph.ts';
import { collectorUser, foregroundFinalizer, orphanFinalizer } from './operations.ts';
import type { RateLimitedQueue } from '../rate-limited-queue.ts';
import { deletableStores, type CollectableResource, type ResourceSource } from './resources.ts';

/** The metadata the graph needs of an object. */
interface Meta {
  ownerReferences: OwnerReference[];
  finalizers: string[];
  deleting: boolean;
}

type GraphChange = { type: 'upsert'; identity: ObjectIdentity; meta: Meta; old?: Meta } | { type: 'delete'; identity: ObjectIdentity; virtual: boolean };

interface Monitor {
  store: CollectableResource;
  informer: SharedInformer;
}

function metaOf(obj: StoredObject): Meta {
  const m = obj.metadata ?? {};
  return { ownerReferences: Array.isArray(m.ownerReferences) ? m.ownerReferences : [], finalizers: Array.isArray(m.finalizers) ? m.finalizers : [], deleting: Boolean(m.deletionTimestamp) };
}

/** What a monitor keeps of each object: its metadata's identity and lifecycle fields (upstream watches metadata only). */
function metadataOnly(obj: StoredObject): StoredObject {
  const { name, namespace, uid, resourceVersion, ownerReferences, finalizers, deletionTimestamp } = obj.metadata ?? {};
  // `obj` may be the watch cache's own (see the informer's transform): the lists kept are copies.
  const metadata = { name, namespace, uid, resourceVersion, ownerReferences: ownerReferences && cloneJson(ownerReferences), finalizers: finalizers && [...finalizers], deletionTimestamp };
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata };
}

function identityOf(store: CollectableResource, obj: StoredObject): ObjectIdentity {
  const { group, version, kind } = store.kind;
  return { apiVersion: group ? `${group}/${version}` : version, kind, name: obj.metadata?.name ?? '', uid: obj.metadata?.uid ?? '', namespace: obj.metadata?.namespace ?? '' };
}

/** Deletion has started with `finalizer` on the object now, and had not (or not with it) before. */
function deletionStartsWith(old: Meta | undefined, now: Meta, finalizer: string): boolean {
  if (!now.deleting || !now.finalizers.includes(finalizer)) return false;
  return !old || !old.deleting || !old.finalizers.includes(finalizer);
}

export interface GraphBuilderOptions {
  source: ResourceSource;
  graph: Graph;
  attemptToDelete: RateLimitedQueue;
  attemptToOrphan: RateLimitedQueue;
  absentOwners: AbsentOwnerCache;
  events: EventRecorder;
  log: Logger;
}

export class GraphBuilder {
  private readonly monitors = new Map<string, Monitor>();
  private readonly changes = new Fifo<GraphChange>();
  private draining = false;
  private stopped = false;
  /** Bumped whenever the monitored set changes (the kind resolver rebuilds on it). */
  generation = 0;

  constructor(private readonly opts: GraphBuilderOptions) {}

  /**
   * Starts monitors for resources that appeared and stops those of resources that are gone; resolves once every
   * new monitor has listed and its objects are in the graph (`synced`), or after `timeoutMs` when some cannot list
   * yet (they keep trying, and their objects join the graph when they do).
   */
  async syncMonitors(timeoutMs: number): Promise<{ added: string[]; removed: string[]; synced: boolean }> {
    const wanted = deletableStores(this.opts.source);
    const added: string[] = [];
    const removed: string[] = [];
    for (const [key, m] of this.monitors) {
      const store = wanted.get(key);
      if (store && store.keyPrefix === m.store.keyPrefix) continue;
      m.informer.stop();
      this.monitors.delete(key);
      removed.push(key);
    }
    const starting: Promise<void>[] = [];
    for (const [key, store] of wanted) {
      if (this.monitors.has(key)) continue;
      const informer = new SharedInformer(store, { ctx: { user: collectorUser, namespace: '', dryRun: false }, log: this.opts.log, transform: metadataOnly, relistDelayMs: store.relistDelayMs });
      const monitor: Monitor = { store, informer };
      informer.addHandler({
        upsert: (obj, old) => this.push({ type: 'upsert', identity: identityOf(store, obj), meta: metaOf(obj), old: old && metaOf(old) }),
        delete: (obj) => this.push({ type: 'delete', identity: identityOf(store, obj), virtual: false }),
      });
      this.monitors.set(key, monitor);
      added.push(key);
      starting.push(informer.start());
    }
    if (added.length || removed.length) {
      this.generation++;
      this.opts.log.info({ added, removed, monitors: this.monitors.size }, 'garbage collector monitors synced');
    }
    let timer: NodeJS.Timeout | undefined;
    const synced = await Promise.race([
      Promise.all(starting).then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    this.drain();
    return { added, removed, synced };
  }

  stop(): void {
    this.stopped = true;
    for (const m of this.monitors.values()) m.informer.stop();
    this.monitors.clear();
  }

  /** Told by a worker that the API has no object with this identity: the node goes as if its deletion was seen. */
  enqueueVirtualDelete(identity: ObjectIdentity): void {
    this.push({ type: 'delete', identity, virtual: true });
  }

  /** Changes are queued and processed soon after, off the watch's (and so the writing request's) call stack. */
  private push(change: GraphChange): void {
    if (this.stopped) return;
    this.changes.push(change);
    if (this.changes.length === 1) setImmediate(() => this.drain(1000));
  }

  /**
   * Processes queued changes: all of them when monitors have synced, a thousand at a time otherwise so that
   * requests are answered between chunks.
   */
  private drain(limit = Infinity): void {
    if (this.draining) return;
    this.draining = true;
    try {
      let change: GraphChange | undefined;
      for (let n = 0; n < limit && (change = this.changes.shift()); n++) {
        try {
          if (change.type === 'upsert') this.processUpsert(change.identity, change.meta, change.old);
          else this.processDelete(change.identity, change.virtual);
        } catch (err) {
          this.opts.log.error({ err, object: describe(change.identity) }, 'garbage collector could not process a change');
        }
      }
    } finally {
      this.draining = false;
      if (this.changes.length && !this.stopped) setImmediate(() => this.drain(1000));
    }
  }

  private get graph(): Graph {
    return this.opts.graph;
  }

  private processUpsert(observed: ObjectIdentity, meta: Meta, old: Meta | undefined): void {
    let node = this.graph.get(observed.uid);
    if (!node) {
      node = new GraphNode(observed, { owners: meta.ownerReferences, beingDeleted: meta.deleting, deletingDependents: meta.deleting && meta.finalizers.includes(foregroundFinalizer) });
      this.graph.set(node);
      this.addDependentToOwners(node, node.owners);
      this.processTransitions(old, meta, node);
      return;
    }
    if (node.virtual) {
      // First sight of an object known so far only from its dependents' references.
      if (!sameIdentity(observed, node.identity)) {
        // Dependents that named it differently are checked again (harmless when their owners turn out solid).
        for (const dep of partitionDependents(node.dependents, observed).nonmatching) {
          if (observed.namespace && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespaceOwnerRef(dep, observed.uid);
          this.opts.attemptToDelete.add(dep.identity.uid);
        }
        this.opts.log.debug({ virtual: describe(node.identity), observed: describe(observed) }, 'replacing virtual item with observed item');
      }
      node.identity = observed;
      node.virtual = false;
    } else if (node.identity.apiVersion !== observed.apiVersion || node.identity.kind !== observed.kind) {
      node.identity = { ...node.identity, apiVersion: observed.apiVersion, kind: observed.kind };
    }
    const { added, removed, changed } = referencesDiff(node.owners, meta.ownerReferences);
    if (added.length || removed.length || changed.length) {
      // An owner waiting in the foreground for this dependent may be free to go now.
      for (const ref of removed) if (ref.blockOwnerDeletion === true) this.enqueueOwner(ref.uid);
      for (const c of changed) if (c.old.blockOwnerDeletion === true && c.new.blockOwnerDeletion !== true) this.enqueueOwner(c.new.uid);
      node.owners = meta.ownerReferences;
      this.addDependentToOwners(node, added);
      this.graph.unlinkFromOwners(node, removed);
    }
    if (meta.deleting) node.beingDeleted = true;
    this.processTransitions(old, meta, node);
  }

  private enqueueOwner(uid: string): void {
    if (this.graph.get(uid)) this.opts.attemptToDelete.add(uid);
  }

  /** An object that just started terminating with the orphan or foreground finalizer gets its dependents handled. */
  private processTransitions(old: Meta | undefined, meta: Meta, node: GraphNode): void {
    if (deletionStartsWith(old, meta, orphanFinalizer)) {
      this.opts.attemptToOrphan.add(node.identity.uid);
      return;
    }
    if (deletionStartsWith(old, meta, foregroundFinalizer)) {
      node.deletingDependents = true;
      for (const dep of node.dependents) this.opts.attemptToDelete.add(dep.identity.uid);
      this.opts.attemptToDelete.add(node.identity.uid);
    }
  }

  /**
   * Links `node` under each owner it names, creating a virtual node (checked against the API by a worker) for owners
   * not seen yet. A reference that disagrees with an observed owner's coordinates or namespace gets the dependent
   * checked: an owner in another namespace is not its owner, and the dependent may be garbage.
   */
  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    let suspicious = false;
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      const known = Boolean(owner);
      if (!owner) {
        owner = new GraphNode(ownerIdentity(ref, node.identity.namespace), { virtual: true });
        this.graph.set(owner);
      }
      owner.dependents.add(node);
      if (!known) {
        this.opts.attemptToDelete.add(owner.identity.uid);
        continue;
      }
      if (suspicious) continue;
      const ownerNamespace = owner.identity.namespace;
      if (ownerNamespace && ownerNamespace !== node.identity.namespace) {
        if (!owner.virtual) this.reportInvalidNamespaceOwnerRef(node, ref.uid);
        suspicious = true;
      } else if (!referenceMatches(ref, owner.identity)) {
        if (!owner.virtual) this.opts.log.debug({ item: describe(node.identity), owner: describe(owner.identity) }, 'item references an owner with coordinates that do not match the observed identity');
        suspicious = true;
      } else if (!ownerNamespace && ownerNamespace !== node.identity.namespace && owner.virtual) {
        // A virtual cluster-scoped owner of a namespaced dependent may really be a namespaced kind named from a
        // cluster-scoped object: verify.
        suspicious = true;
      }
    }
    if (suspicious) this.opts.attemptToDelete.add(node.identity.uid);
  }

  private reportInvalidNamespaceOwnerRef(dep: GraphNode, ownerUid: string): void {
    const ref = dep.owners.find((r) => r.uid === ownerUid);
    if (!ref) return;
    const invalid = ownerIdentity(ref, dep.identity.namespace);
    this.opts.log.info({ item: describe(dep.identity), owner: describe(invalid) }, 'item references an owner but does not match namespaces');
    this.opts.events.warning(dep.identity, 'OwnerRefInvalidNamespace', `ownerRef ${describe(invalid)} does not exist in namespace "${dep.identity.namespace}"`);
  }

  private processDelete(deleted: ObjectIdentity, virtual: boolean): void {
    const node = this.graph.get(deleted.uid);
    if (!node) return;
    let remove = true;
    if (virtual) {
      if (node.virtual) {
        // Not sure of the owner's coordinates: dependents that named it otherwise keep it until those are checked too.
        const { matching, nonmatching } = partitionDependents(node.dependents, deleted);
        if (nonmatching.length) {
          remove = false;
          if (matching.length) {
            this.opts.absentOwners.add(deleted);
            for (const dep of matching) this.opts.attemptToDelete.add(dep.identity.uid);
          }
          if (sameIdentity(node.identity, deleted)) {
            const next = alternateOwnerIdentity(nonmatching, deleted);
            if (next) {
              node.identity = next;
              this.opts.attemptToDelete.addRateLimited(node.identity.uid);
            }
          }
        }
      } else if (!sameIdentity(node.identity, deleted)) {
        // The observed object stays; only references under the coordinates found absent are dangling.
        remove = false;
        const { matching } = partitionDependents(node.dependents, deleted);
        if (matching.length) {
          this.opts.absentOwners.add(deleted);
          for (const dep of matching) this.opts.attemptToDelete.add(dep.identity.uid);
        }
      }
    }
    if (!remove) return;
    this.graph.delete(node.identity.uid);
    this.graph.unlinkFromOwners(node, node.owners);
    if (node.dependents.size) this.opts.absentOwners.add(virtual ? deleted : node.identity);
    for (const dep of node.dependents) this.opts.attemptToDelete.add(dep.identity.uid);
    // An owner deleting in the foreground may have been waiting for this one.
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner?.deletingDependents) this.opts.attemptToDelete.add(owner.identity.uid);
    }
  }
}
