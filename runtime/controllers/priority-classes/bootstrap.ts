/**
 * The built-in PriorityClasses every cluster has (upstream's `scheduling/bootstrap-system-priority-classes`
 * post-start hook): system-node-critical and system-cluster-critical, created when missing and otherwise left
 * alone.
 */
import { StatusError } from '../../machinery/status.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';

export const systemPriorityClasses = [
  { name: 'system-node-critical', value: 2000001000, description: 'Used for system critical pods that must not be moved from their current node.' },
  { name: 'system-cluster-critical', value: 2000000000, description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.' },
];

export async function ensureSystemPriorityClasses(store: RegistryStore): Promise<void> {
  const ctx = systemContext();
  for (const pc of systemPriorityClasses) {
    try {
      await store.get(ctx, pc.name);
      continue;
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
    try {
      await store.create(ctx, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }
}
