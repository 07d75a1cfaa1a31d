/**
 * The ClusterRole aggregation controller (upstream's clusterroleaggregation controller in kube-controller-manager):
 * a ClusterRole with an aggregationRule gets, as its rules, the union of the rules of every other ClusterRole
 * matching one of its clusterRoleSelectors (roles in name order, duplicates dropped). Fed by the ClusterRole
 * informer; any change re-queues every aggregating role. `--controllers=*,-clusterrole-aggregation-controller` leaves the job
 * to a real kube-controller-manager.
 */
import type { Logger } from 'pino';
import type { SharedInformer } from '../informer.ts';
import { labelSelectorFromObject } from '../../machinery/selectors.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { StatusError } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import { controllerContext } from '../context.ts';

/** The rules `role` should hold given every ClusterRole in `all`, or undefined when it does not aggregate. */
export function aggregatedRules(role: StoredObject, all: Iterable<StoredObject>): unknown[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(selectors)) return undefined;
  const parsed = selectors.map((s) => labelSelectorFromObject(s));
  const sources = [...all]
    .filter((r) => r.metadata?.name !== role.metadata?.name)
    .filter((r) => parsed.some((sel) => sel.matches(r.metadata?.labels ?? {})))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const rules: unknown[] = [];
  const seen = new Set<string>();
  for (const r of sources) {
    for (const rule of r.rules ?? []) {
      const key = JSON.stringify(rule);
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push(rule);
    }
  }
  return rules;
}

export class ClusterRoleAggregationController {
  private readonly queue = new Set<string>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly clusterRoles: SharedInformer,
    private readonly store: RegistryStore,
    private readonly log?: Logger,
  ) {}

  start(): void {
    this.clusterRoles.addHandler({
      upsert: () => this.enqueueAll(),
      delete: () => this.enqueueAll(),
    });
  }

  stop(): void {
    this.stopped = true;
  }

  private enqueueAll(): void {
    for (const r of this.clusterRoles.items.values()) if (r.aggregationRule) this.queue.add(r.metadata.name);
    if (!this.running && this.queue.size) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.size && !this.stopped) {
        const name = this.queue.values().next().value!;
        this.queue.delete(name);
        try {
          await this.sync(name);
        } catch (err) {
          // Conflicts and transient failures: the next informer event (or this retry) brings it back.
          this.log?.debug({ err, clusterRole: name }, 'clusterrole aggregation failed; retrying');
          setTimeout(() => {
            this.queue.add(name);
            if (!this.running) void this.drain();
          }, 500).unref();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async sync(name: string): Promise<void> {
    const role = this.clusterRoles.items.get(name);
    if (!role) return;
    const rules = aggregatedRules(role, this.clusterRoles.items.values());
    if (!rules || JSON.stringify(rules) === JSON.stringify(role.rules ?? [])) return;
    try {
      await this.store.update(controllerContext(), name, { ...structuredClone(role), rules });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }
}
