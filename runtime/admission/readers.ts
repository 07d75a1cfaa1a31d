/**
 * Readers of built-in objects for admission plug-ins, over the kube API server's registry stores. Reads are
 * served from the watch cache (resourceVersion "0", as upstream's informer listers); a miss is checked once
 * against the store, as upstream's plug-ins fall back to a live lookup for objects created a moment ago.
 */
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import type { ObjectReader } from './registry.ts';
import { WatchedLister } from '../controllers/lister.ts';
import type { Logger } from 'pino';

export type StoreLookup = (group: string, version: string, resource: string) => RegistryStore | undefined;

/** `lookup` is called per read, so readers can be made before the stores exist. */
export function storeReaders(lookup: StoreLookup): (group: string, version: string, resource: string) => ObjectReader {
  return (group, version, resource) => {
    const store = (): RegistryStore => {
      const s = lookup(group, version, resource);
      if (!s) throw new Error(`internal: no store for ${group || 'core'}/${version} ${resource}`);
      return s;
    };
    return {
      async get(namespace, name) {
        const ctx = systemContext(namespace);
        for (const resourceVersion of ['0', undefined]) {
          try {
            return await store().get(ctx, name, { resourceVersion });
          } catch (e) {
            if (!(e instanceof StatusError && e.code === 404)) throw e;
          }
        }
        return undefined;
      },
      async list(namespace): Promise<StoredObject[]> {
        return (await store().list(systemContext(namespace), { resourceVersion: '0' })).items;
      },
    };
  };
}

/**
 * Reads and lists from the watched lister once synced (shared objects: not to be changed), else through `reader`;
 * an object the lister does not hold is looked up through `reader` too (it may have been created a moment ago).
 */
export function watchedReader(lister: WatchedLister, reader: ObjectReader): ObjectReader {
  return {
    ...reader,
    get: async (namespace, name) => lister.get(namespace, name) ?? reader.get(namespace, name),
    list: async (namespace) => (lister.list(namespace) as StoredObject[] | undefined) ?? reader.list(namespace),
  };
}

/** One watched lister per resource over the same stores, made on first request; `stop` ends their watches. */
export function storeListers(lookup: StoreLookup, log?: Logger): { lister(group: string, version: string, resource: string): WatchedLister; stop(): void } {
  const listers = new Map<string, WatchedLister>();
  return {
    lister(group, version, resource) {
      const key = `${group}/${version}/${resource}`;
      let l = listers.get(key);
      if (!l) listers.set(key, (l = new WatchedLister(() => lookup(group, version, resource), log)));
      return l;
    },
    stop() {
      for (const l of listers.values()) l.stop();
    },
  };
}
