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
import type { ClientCredentials, ServiceResolver, WebhookDestination } from './client.ts';

/** The endpoint resolver with the loopback rule: what server-chain.ts gives webhooks, conversion and the aggregator. */
export function kubeServiceResolver(stores: () => ResolverStores, loopbackURL: string, loopbackCredentials: () => Promise<ClientCredentials>): ServiceResolver {
  return loopbackServiceResolver(endpointServiceResolver(stores), loopbackURL, loopbackCredentials);
}

/** Whether a webhook's destination is this server: the Service default/kubernetes on 443, or its in-cluster name. */
function isSelf(d: WebhookDestination): boolean {
  if ('hostPort' in d) return d.hostPort === 'kubernetes.default.svc:443';
  return d.service.namespace === 'default' && d.service.name === 'kubernetes' && d.service.port === 443;
}

/**
 * The Service `default/kubernetes` on port 443 is this server: upstream's loopback resolver sends it to the
 * server's loopback client address rather than to the Service's endpoints, which name the advertised address
 * (the host's, where nothing need listen when the server is bound to loopback). Other Services go to `delegate`.
 * Webhook calls to the server itself carry its loopback credentials (`loopbackCredentials`), as upstream's
 * webhook clients take the loopback client's configuration for that destination.
 */
export function loopbackServiceResolver(delegate: ServiceResolver, loopbackURL: string, loopbackCredentials?: () => Promise<ClientCredentials>): ServiceResolver {
  const url = new URL(loopbackURL);
  const self = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 443) };
  return {
    resolve(namespace, name, port) {
      if (isSelf({ service: { namespace, name, port } })) return Promise.resolve({ ...self });
      return delegate.resolve(namespace, name, port);
    },
    async credentialsFor(destination) {
      if (isSelf(destination)) return loopbackCredentials?.();
      return delegate.credentialsFor?.(destination);
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
