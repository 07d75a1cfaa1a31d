/**
 * The garbage collector as the controller manager (runtime/controllers/index.ts) runs it: what it needs from the
 * servers of the chain, and its definition (post-start hook, fresh instance per leadership term).
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import { newGarbageCollector, type GarbageCollector } from './controller.ts';
import type { CollectableResource, ResourceSource } from './resources.ts';

export interface GarbageCollectorDeps {
  source: ResourceSource;
  events: () => RegistryStore | undefined;
  workers: number;
  /** The collector running now (this server leads, or there is no election), for the debug graph. */
  running: { current?: GarbageCollector };
}

/**
 * Built-in resources from the kube API server, custom ones from the apiextensions server, changes from the Scheme;
 * and the resources of aggregated API servers from the aggregator's discovery of them. A group version served here
 * comes first, so an APIService cannot take over a resource this server stores.
 */
export function garbageCollectorDeps(servers: {
  kube: { storageStores(): RegistryStore[]; store(group: string, version: string, resource: string): RegistryStore | undefined };
  customResources: { storageStores(): RegistryStore[] };
  aggregated?: { aggregatedResources(): CollectableResource[]; onAggregatedResourcesChange(listener: () => void): () => void };
  scheme: { onChange(listener: () => void): () => void };
  workers: number;
}): GarbageCollectorDeps {
  const { aggregated } = servers;
  return {
    source: {
      stores: () => [...servers.kube.storageStores(), ...servers.customResources.storageStores(), ...(aggregated?.aggregatedResources() ?? [])],
      onChange: (listener) => {
        const unsubscribe = [servers.scheme.onChange(listener), aggregated?.onAggregatedResourcesChange(listener)];
        return () => unsubscribe.forEach((u) => u?.());
      },
    },
    events: () => servers.kube.store('', 'v1', 'events'),
    workers: servers.workers,
    running: {},
  };
}

/**
 * The controller definition. It does not hold readiness: it waits for every resource to be listed before it
 * collects, and a resource that cannot be listed (a Secret that no key decrypts) must not keep the server unready.
 */
export function garbageCollectorDefinition(deps: GarbageCollectorDeps, log: Logger) {
  return {
    hook: 'start-garbage-collector-controller',
    create: () => {
      const gc = newGarbageCollector({ source: deps.source, events: deps.events, workers: deps.workers, log });
      return {
        start: () => {
          deps.running.current = gc;
          return gc.start();
        },
        stop: () => {
          if (deps.running.current === gc) deps.running.current = undefined;
          gc.stop();
        },
      };
    },
    holdsReadiness: false,
  };
}
