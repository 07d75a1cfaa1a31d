/**
 * The core group's resources and subresources served without a store of their own (upstream's
 * pkg/registry/core/rest storage_core.go wiring): bindings, evictions, componentstatuses, and the subresources
 * that reach kubelets and backends. Registered once at start-up.
 */
import type { ConnecterREST, CreaterREST, ReaderREST } from '../rest.ts';
import type { RegistryStore } from '../store.ts';
import { BindingREST } from './binding.ts';
import { ComponentStatusREST, type ComponentProbe } from './componentstatus.ts';
import { NodeProxyREST, PodLogREST, PodProxyREST, PodStreamREST, ServiceProxyREST, type ConnectStores } from './connect.ts';
import { EvictionREST } from './eviction.ts';

export interface CoreRESTHost {
  registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST | ReaderREST | ConnecterREST): void;
  store(group: string, version: string, resource: string, subresource?: string): RegistryStore | undefined;
}

export function registerCoreREST(kube: CoreRESTHost, components: () => Array<[string, ComponentProbe]>): void {
  const store = (g: string, r: string, sub = '') => () => kube.store(g, 'v1', r, sub);
  const podBinding = store('', 'pods', 'binding');
  kube.registerREST('', 'v1', 'bindings', '', new BindingREST(podBinding, true));
  kube.registerREST('', 'v1', 'pods', 'binding', new BindingREST(podBinding));
  kube.registerREST('', 'v1', 'pods', 'eviction', new EvictionREST({
    pods: store('', 'pods'),
    podWrites: store('', 'pods', 'eviction'),
    budgets: store('policy', 'poddisruptionbudgets'),
    budgetStatus: store('policy', 'poddisruptionbudgets', 'status'),
  }));
  kube.registerREST('', 'v1', 'componentstatuses', '', new ComponentStatusREST(components));
  const connect: ConnectStores = { pods: store('', 'pods'), nodes: store('', 'nodes'), services: store('', 'services'), endpoints: store('', 'endpoints') };
  kube.registerREST('', 'v1', 'pods', 'log', new PodLogREST(connect));
  for (const sub of ['exec', 'attach', 'portforward'] as const) kube.registerREST('', 'v1', 'pods', sub, new PodStreamREST(connect, sub));
  kube.registerREST('', 'v1', 'pods', 'proxy', new PodProxyREST(connect));
  kube.registerREST('', 'v1', 'nodes', 'proxy', new NodeProxyREST(connect));
  kube.registerREST('', 'v1', 'services', 'proxy', new ServiceProxyREST(connect));
}
