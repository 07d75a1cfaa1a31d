/**
 * Post-start hook `start-system-namespaces-controller`: the namespaces every cluster has (default, kube-system,
 * kube-public, kube-node-lease) are created if missing, as upstream's system-namespaces controller does.
 */
import { StatusError } from '../machinery/status.ts';
import type { RegistryStore, RequestContext } from '../registry/store.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const systemContext: RequestContext = { user: { name: 'system:apiserver', groups: ['system:masters'] }, namespace: '', dryRun: false };

export async function ensureSystemNamespaces(namespaces: RegistryStore): Promise<void> {
  for (const name of systemNamespaces) {
    try {
      await namespaces.create(systemContext, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
}
