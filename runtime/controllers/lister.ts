/**
 * Listers over a shared informer's copy, as client-go's listers with their namespace index: requests that ask "the
 * quotas of namespace N" or "every policy binding" on each write read memory kept current by the watch instead of
 * listing the watch cache (which parses every object it returns).
 */
import type { Logger } from 'pino';
import type { StoredObject } from '../storage/store.ts';
import { objectKey, SharedInformer, type InformerHandler, type InformerSource } from './informer.ts';

/**
 * The informer's objects grouped by namespace ('' for cluster-scoped ones). A namespace's array is made again only
 * after one of its objects changed, so reading it allocates nothing; callers must not change it.
 */
export class NamespaceIndex implements InformerHandler {
  private readonly byNamespace = new Map<string, Map<string, StoredObject>>();
  private readonly arrays = new Map<string, readonly StoredObject[]>();
  /** Goes up on every change: callers that keep something made from the objects know when to make it again. */
  generation = 0;

  upsert(obj: StoredObject): void {
    const ns = obj.metadata?.namespace ?? '';
    let objects = this.byNamespace.get(ns);
    if (!objects) this.byNamespace.set(ns, (objects = new Map()));
    objects.set(objectKey(obj), obj);
    this.changed(ns);
  }

  delete(obj: StoredObject): void {
    const ns = obj.metadata?.namespace ?? '';
    const objects = this.byNamespace.get(ns);
    if (!objects?.delete(objectKey(obj))) return;
    if (!objects.size) this.byNamespace.delete(ns);
    this.changed(ns);
  }

  private changed(namespace: string): void {
    this.arrays.delete(namespace);
    this.generation++;
  }

  /** The objects of `namespace` (of a cluster-scoped resource: '', all of them). */
  list(namespace: string): readonly StoredObject[] {
    let hit = this.arrays.get(namespace);
    if (!hit) {
      hit = [...(this.byNamespace.get(namespace)?.values() ?? [])];
      this.arrays.set(namespace, hit);
    }
    return hit;
  }

  /** The object `name` of `namespace` ('' for a cluster-scoped resource), if held. */
  get(namespace: string, name: string): StoredObject | undefined {
    return this.byNamespace.get(namespace)?.get(namespace ? `${namespace}/${name}` : name);
  }

  /** Whether there is no object at all. */
  get empty(): boolean {
    return this.byNamespace.size === 0;
  }

  /** The namespaces that hold at least one object. */
  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }
}

const none: readonly StoredObject[] = Object.freeze([]);

/**
 * A namespace-indexed lister whose informer is made and started on first use, for parts of the server built before
 * the stores exist (admission plug-ins). Until the first list is in `list` answers undefined and the caller reads
 * the watch cache as before, so no request waits for the informer. A resource that is not served (its group turned
 * off) has no objects.
 *
 * Freshness: the informer watches the registry store, which the watch cache feeds in the same step that it applies
 * a change to its own copy, so the lister never lags behind a resourceVersion "0" list of the watch cache.
 */
export class WatchedLister {
  private informer?: SharedInformer;
  private readonly index = new NamespaceIndex();
  private synced = false;
  private stopped = false;
  private unserved = false;

  constructor(
    private readonly source: () => InformerSource | undefined,
    private readonly log?: Logger,
  ) {}

  /** See NamespaceIndex.generation (meaningful once `list` answers). */
  get generation(): number {
    return this.index.generation;
  }

  /** The objects of `namespace` ('' for a cluster-scoped resource), or undefined when not (yet) known. */
  list(namespace: string): readonly StoredObject[] | undefined {
    if (this.synced) return this.index.list(namespace);
    if (!this.informer && !this.stopped && !this.unserved) this.start();
    return this.unserved ? none : undefined;
  }

  /**
   * The object `name` of `namespace` (shared: not to be changed), or undefined when the informer does not hold it
   * or has not listed yet: then read the watch cache, as upstream's plug-ins look up live what a lister misses.
   */
  get(namespace: string, name: string): StoredObject | undefined {
    if (this.synced) return this.index.get(namespace, name);
    if (!this.informer && !this.stopped && !this.unserved) this.start();
    return undefined;
  }

  private start(): void {
    const source = this.source();
    if (!source) {
      this.unserved = true;
      return;
    }
    const informer = (this.informer = new SharedInformer(source, { log: this.log }));
    informer.addHandler(this.index);
    void informer.start().then(() => (this.synced = !this.stopped));
  }

  stop(): void {
    this.stopped = true;
    this.synced = false;
    this.informer?.stop();
  }
}
