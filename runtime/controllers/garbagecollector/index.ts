/**
 * The garbage collector as the controller manager (runtime/controllers/index.ts) runs it: what it needs from the
 * servers of the chain, and its definition (post-start hook, fresh instance per leadership term).
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import { newGarbageCollector } from './controller.ts';
import type { ResourceSource } from './resources.ts';

export interface GarbageCollectorDeps {
  source: ResourceSource;
  events: () => RegistryStore | undefined;
  workers: number;
}

/** Built-in resources from the kube API server, custom ones from the apiextensions server, changes from the Scheme. */
export function garbageCollectorDeps(servers: {
  kube: { storageStores(): RegistryStore[]; store(group: string, version: string, resource: string): RegistryStore | undefined };
  customResources: { storageStores(): RegistryStore[] };
  scheme: { onChange(listener: () => void): () => void };
  workers: number;
}): GarbageCollectorDeps {
  return {
    source: {
      stores: () => [...servers.kube.storageStores(), ...servers.customResources.storageStores()],
      onChange: (listener) => servers.scheme.onChange(listener),
    },
    events: () => servers.kube.store('', 'v1', 'events'),
    workers: servers.workers,
  };
}

/**
 * The controller definition. It does not hold readiness: it waits for every resource to be listed before it
 * collects, and a resource that cannot be listed (a Secret that no key decrypts) must not keep the server unready.
 */
export function garbageCollectorDefinition(deps: GarbageCollectorDeps, log: Logger) {
  return {
    hook: 'start-garbage-collector-controller',
    create: () => newGarbageCollector({ source: deps.source, events: deps.events, workers: deps.workers, log }),
    holdsReadiness: false,
  };
}
