/**
 * Where a Service that a webhook (admission or CRD conversion) or an APIService names is served; one resolver,
 * built by server-chain.ts, serves all three, as kube-apiserver's does.
 *
 * kube-apiserver dials the Service's cluster IP through the cluster network;
 * this server has none, so it resolves the Service port to one of its endpoints instead (as upstream does with
 * --enable-aggregator-routing): the Endpoints object first, else the Service's EndpointSlices. An ExternalName
 * Service resolves to its external name.
 */
import { parseLabelSelector } from '../../machinery/selectors.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { getIfExists, systemContext } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { ServiceResolver } from './client.ts';

/** The endpoint resolver with the loopback rule: what server-chain.ts gives webhooks, conversion and the aggregator. */
export function kubeServiceResolver(stores: () => ResolverStores, loopbackURL: string): ServiceResolver {
  return loopbackServiceResolver(endpointServiceResolver(stores), loopbackURL);
}

/**
 * The Service `default/kubernetes` on port 443 is this server: upstream's loopback resolver sends it to the
 * server's loopback client address rather than to the Service's endpoints, which name the advertised address
 * (the host's, where nothing need listen when the server is bound to loopback). Other Services go to `delegate`.
 */
export function loopbackServiceResolver(delegate: ServiceResolver, loopbackURL: string): ServiceResolver {
  const url = new URL(loopbackURL);
  const self = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 443) };
  return {
    resolve(namespace, name, port) {
      if (namespace === 'default' && name === 'kubernetes' && port === 443) return Promise.resolve({ ...self });
      return delegate.resolve(namespace, name, port);
    },
  };
}

export interface ResolverStores {
  services?: RegistryStore;
  endpoints?: RegistryStore;
  endpointSlices?: RegistryStore;
}


const pick = (items: StoredObject[]): StoredObject => items[Math.floor(Math.random() * items.length)];

export function endpointServiceResolver(stores: () => ResolverStores): ServiceResolver {
  return {
    async resolve(namespace, name, port) {
      const { services, endpoints, endpointSlices } = stores();
      const svc = await getIfExists(services, systemContext(namespace), name);
      if (!svc) throw new Error(`service "${name}" not found`);
      const type = svc.spec?.type ?? 'ClusterIP';
      if (type === 'ExternalName') return { host: String(svc.spec?.externalName ?? ''), port };
      if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type)) throw new Error(`unsupported service type "${type}"`);
      const svcPort = (svc.spec?.ports ?? []).find((p: StoredObject) => p.port === port);
      if (!svcPort) throw new Error(`no service port ${port} found for service "${name}"`);
      const portName = svcPort.name ?? '';

      const eps = await getIfExists(endpoints, systemContext(namespace), name);
      for (const subset of eps?.subsets ?? []) {
        const addresses = (subset.addresses ?? []).filter((a: StoredObject) => a?.ip);
        const p = (subset.ports ?? []).find((x: StoredObject) => (x.name ?? '') === portName);
        if (addresses.length && p?.port) return { host: pick(addresses).ip, port: p.port };
      }
      if (endpointSlices) {
        const { items } = await endpointSlices.list(systemContext(namespace), { labelSelector: parseLabelSelector(`kubernetes.io/service-name=${name}`) });
        for (const slice of items) {
          const p = (slice.ports ?? []).find((x: StoredObject) => (x.name ?? '') === portName);
          const ready = (slice.endpoints ?? []).filter((e: StoredObject) => e.conditions?.ready !== false && e.addresses?.length);
          if (p?.port && ready.length) return { host: pick(ready).addresses[0], port: p.port };
        }
      }
      throw new Error(`no endpoints available for service "${name}"`);
    },
  };
}
