/**
 * What every cluster has, created by post-start hooks if missing, as upstream's bootstrap controllers do: the
 * system namespaces (default, kube-system, kube-public, kube-node-lease) and the `kubernetes` Service in `default`.
 */
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore, type RequestContext } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];


export async function ensureSystemNamespaces(namespaces: RegistryStore): Promise<void> {
  for (const name of systemNamespaces) await createIfMissing(namespaces, systemContext(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** Creates `obj` unless it exists (looked up first: a create can fail for other reasons, e.g. a taken IP). */
async function createIfMissing(store: RegistryStore, ctx: RequestContext, obj: StoredObject): Promise<void> {
  try {
    await store.get(ctx, obj.metadata.name);
    return;
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
  try {
    await store.create(ctx, obj);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 409)) throw e;
  }
}

/** The `kubernetes` Service; its Endpoints are kept by kubernetes-endpoints.ts. */
export async function ensureKubernetesService(services: RegistryStore, opts: { clusterIP: string; port: number }): Promise<void> {
  await createIfMissing(services, systemContext('default'), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: opts.clusterIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: opts.port }], sessionAffinity: 'None' },
  });
}
