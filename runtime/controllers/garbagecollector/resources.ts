/**
 * Which resources the garbage collector follows, and how it reaches an object named by apiVersion and kind
 * (upstream's discovery of deletable resources and REST mapper, answered here from the registry stores in-process).
 */
import type { RegistryStore } from '../../registry/store.ts';

/** Where the collector finds the stores: every served kind's storage-version store, built-in and custom. */
export interface ResourceSource {
  /** Built-in and custom resources, each once, in their storage version (asked anew on each resync). */
  stores(): RegistryStore[];
  /** Calls back when served resources may have changed (CRDs established or gone); returns an unsubscribe. */
  onChange?(listener: () => void): () => void;
}

/** Upstream's default ignored resources: events change constantly and are never owners or owned in practice. */
const ignored = new Set(['/events', 'events.k8s.io/events']);

/** `group/resource`: a monitor's key. */
export function resourceKey(store: RegistryStore): string {
  return `${store.kind.group}/${store.kind.resource}`;
}

/** Stores that support list, watch and delete and are not ignored: what the collector monitors. */
export function deletableStores(source: ResourceSource): Map<string, RegistryStore> {
  const out = new Map<string, RegistryStore>();
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
  private byKind = new Map<string, RegistryStore>();
  private stamp = -1;

  constructor(
    private readonly source: ResourceSource,
    /** Bumped when resources change, so lookups rebuild their index only then. */
    private readonly generation: () => number,
  ) {}

  resolve(apiVersion: string, kind: string): RegistryStore {
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
    this.byKind = new Map(this.source.stores().map((s) => [`${s.kind.group}/${s.kind.kind}`, s]));
  }
}
