/**
 * The ClusterRole aggregation controller (upstream's clusterroleaggregation controller in kube-controller-manager):
 * a ClusterRole with an aggregationRule gets, as its rules, the rules of every other ClusterRole matching its
 * clusterRoleSelectors: selector by selector, each selector's roles in name order, each rule once. It writes them
 * as upstream does, by a forced server-side apply of the rules alone as `clusterrole-aggregation-controller`. Fed by
 * the ClusterRole informer; any change re-queues every aggregating role.
 * `--controllers=*,-clusterrole-aggregation-controller` leaves the job to a real kube-controller-manager.
 */
import type { Logger } from 'pino';
import type { SharedInformer } from '../informer.ts';
import { labelSelectorFromObject } from '../../machinery/selectors.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { StatusError } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import { controllerContext } from '../context.ts';
import { fieldManagerFor } from '../../fieldmanager/index.ts';
import { semanticEqual } from '../../machinery/semantic-equal.ts';

/** The rules `role` should hold given every ClusterRole in `all`, or undefined when it does not aggregate. */
export function aggregatedRules(role: StoredObject, all: Iterable<StoredObject>): unknown[] | undefined {
  const selectors = role.aggregationRule?.clusterRoleSelectors;
  if (!Array.isArray(selectors)) return undefined;
  const others = [...all].filter((r) => r.metadata?.name !== role.metadata?.name).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const rules: unknown[] = [];
  // Each selector in turn lists its roles; a role two selectors match is visited twice, its rules kept once.
  for (const selector of selectors) {
    const parsed = labelSelectorFromObject(selector);
    for (const r of others) {
      if (!parsed.matches(r.metadata?.labels ?? {})) continue;
      for (const rule of r.rules ?? []) if (!rules.some((have) => semanticEqual(have, rule))) rules.push(rule);
    }
  }
  return rules;
}

/** Upstream's field manager for the aggregated rules. */
const aggregationFieldManager = 'clusterrole-aggregation-controller';

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
    if (!rules || semanticEqual(rules, role.rules ?? [])) return;
    const fm = fieldManagerFor(this.store.kind, '');
    if (!fm) throw new Error('no field manager for clusterroles');
    // The applied configuration names the rules alone (an empty list is left out, as upstream's apply
    // configuration builder leaves it); force takes them over from whoever set them by hand.
    const config: StoredObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, ...(rules.length ? { rules } : {}) };
    const ctx = { ...controllerContext(), managedFieldsApplied: true };
    try {
      await this.store.guaranteedUpdate(ctx, name, async (current) => {
        const { resourceVersion, ...meta } = current.metadata;
        const out = fm.apply({ ...current, metadata: meta }, config, aggregationFieldManager, true) as StoredObject;
        out.metadata.resourceVersion ??= resourceVersion;
        return out;
      });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }
}
