/**
 * Which resources the garbage collector follows, and how it reaches an object named by apiVersion and kind
 * (upstream's discovery of deletable resources and REST mapper, answered here from the registry stores in-process,
 * and from the aggregator's discovery of aggregated servers for the kinds they serve).
 */
import type { DeleteOptions, RequestContext } from '../../registry/store.ts';
import type { StoredObject, Watch, WatchSink } from '../../storage/store.ts';

/**
 * What the collector needs of a resource: list and watch for its monitor, get, delete and update for its workers.
 * A registry store of this server is one; a client of a resource an aggregated server serves is another.
 */
export interface CollectableResource {
  kind: { group: string; version: string; kind: string; resource: string; verbs: readonly string[] };
  strategy: { namespaced: boolean };
  /** Where the objects live: a monitor whose resource moved elsewhere (another store, APIService) starts over. */
  keyPrefix: string;
  /** How long the monitor waits to list again after its watch ended or a list failed (default: the informer's). */
  relistDelayMs?: number;
  list(ctx: RequestContext): Promise<{ items: StoredObject[]; resourceVersion: string }>;
  watch(ctx: RequestContext, opts: { resourceVersion?: string; allowWatchBookmarks?: boolean }, sink: WatchSink): Watch;
  get(ctx: RequestContext, name: string): Promise<StoredObject>;
  delete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<unknown>;
  /** Applies `mutate` to the current object and writes the result, again on conflicts. */
  guaranteedUpdate(ctx: RequestContext, name: string, mutate: (current: StoredObject) => Promise<StoredObject>): Promise<StoredObject>;
}

/** Where the collector finds resources: every served kind's storage-version store, and aggregated servers' kinds. */
export interface ResourceSource {
  /** Built-in, custom and aggregated resources, each once (asked anew on each resync). */
  stores(): CollectableResource[];
  /** Calls back when served resources may have changed (CRDs established or gone); returns an unsubscribe. */
  onChange?(listener: () => void): () => void;
}

/** Upstream's default ignored resources: events change constantly and are never owners or owned in practice. */
const ignored = new Set(['/events', 'events.k8s.io/events']);

/** `group/resource`: a monitor's key. */
export function resourceKey(store: CollectableResource): string {
  return `${store.kind.group}/${store.kind.resource}`;
}

/** Stores that support list, watch and delete and are not ignored: what the collector monitors. */
export function deletableStores(source: ResourceSource): Map<string, CollectableResource> {
  const out = new Map<string, CollectableResource>();
  for (const store of source.stores()) {
    const verbs = store.kind.verbs;
    if (!verbs.includes('list') || !verbs.includes('watch') || !verbs.includes('delete')) continue;
    const key = resourceKey(store);
    if (ignored.has(key) || out.has(key)) continue;
    out.set(key, store);
  }
  return out;
}

/** The group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ''). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export class RESTMappingError extends Error {
  constructor(apiVersion: string, kind: string) {
    super(`unable to get REST mapping for ${kind}.${apiVersion}`);
  }
}

/**
 * Finds the store of a kind by group and kind. Objects are the same whatever version names them (metadata does not
 * change between versions), so any served version of the kind resolves; an unknown group or kind is an error that
 * may go away (a CRD not established yet).
 */
export class KindResolver {
  private byKind = new Map<string, CollectableResource>();
  private stamp = -1;

  constructor(
    private readonly source: ResourceSource,
    /** Bumped when resources change, so lookups rebuild their index only then. */
    private readonly generation: () => number,
  ) {}

  resolve(apiVersion: string, kind: string): CollectableResource {
    if (this.stamp !== this.generation()) this.rebuild();
    let store = this.byKind.get(`${groupOf(apiVersion)}/${kind}`);
    if (!store) {
      // Maybe newer than the last change notice: look once more before failing.
      this.rebuild();
      store = this.byKind.get(`${groupOf(apiVersion)}/${kind}`);
    }
    if (!store) throw new RESTMappingError(apiVersion, kind);
    return store;
  }

  private rebuild(): void {
    this.stamp = this.generation();
    // The first store of a kind wins, as in deletableStores: this server's own before an aggregated server's.
    this.byKind = new Map();
    for (const s of this.source.stores()) {
      const key = `${s.kind.group}/${s.kind.kind}`;
      if (!this.byKind.has(key)) this.byKind.set(key, s);
    }
  }
}
