/**
 * Eviction: `POST /api/v1/namespaces/<ns>/pods/<name>/eviction` (upstream's EvictionREST). Deletes the pod unless
 * that would take its PodDisruptionBudget below what it allows:
 * - pods that are Pending, Succeeded, Failed or already being deleted go at once (no budget applies);
 * - more than one matching budget is a 500 Status; none, the pod goes;
 * - an unready pod goes without using the budget when the budget's unhealthyPodEvictionPolicy is AlwaysAllow, or
 *   (IfHealthyBudget, the default) when the application is healthy (currentHealthy >= desiredHealthy > 0);
 * - otherwise the budget must have been observed at its generation and allow a disruption: then disruptionsAllowed
 *   goes down by one and the pod is recorded in status.disruptedPods before the delete, else 429 TooManyRequests.
 * Before the delete the pod gets the `DisruptionTarget` condition (EvictionByEvictionAPI). Success is a Status.
 */
import { Eviction } from '../../../generated/policy/v1/register.ts';
import { labelSelectorFromObject } from '../../machinery/selectors.ts';
import * as status from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import { checkDeleteOptions, type DeleteOptions } from '../deletion.ts';
import { nowTime } from '../objectmeta.ts';
import type { CreaterREST } from '../rest.ts';
import type { RegistryStore, RequestContext } from '../store.ts';
import { setPodCondition } from './pod-conditions.ts';

/** Upstream's MaxDisruptedPodSize: beyond this many unconfirmed evictions a budget refuses more. */
const maxDisruptedPodSize = 2000;
const disruptionBudgetCause = 'DisruptionBudget';
const violationMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

export interface EvictionStores {
  /** The pod store, for the delete (graceful as any pod delete). */
  pods(): RegistryStore | undefined;
  /** The pod store the DisruptionTarget condition is written through (no admission, as upstream). */
  podWrites(): RegistryStore | undefined;
  /** PodDisruptionBudgets and their /status. */
  budgets(): RegistryStore | undefined;
  budgetStatus(): RegistryStore | undefined;
}

/** The budget is still being processed (its status is behind its spec): 429 with a 10 s retry, as upstream. */
function budgetProcessing(name: string): status.StatusError {
  return status.failure(429, 'TooManyRequests', violationMessage, {
    causes: [{ reason: disruptionBudgetCause, message: `The disruption budget ${name} is still being processed by the server.` }],
    retryAfterSeconds: 10,
  });
}

function isPodReady(pod: StoredObject): boolean {
  return (pod.status?.conditions ?? []).some((c: StoredObject) => c.type === 'Ready' && c.status === 'True');
}

function canIgnoreBudget(pod: StoredObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata?.deletionTimestamp);
}

function shouldEnforceResourceVersion(pod: StoredObject): boolean {
  const phase = pod.status?.phase;
  return !(phase === 'Succeeded' || phase === 'Failed' || pod.metadata?.deletionTimestamp);
}

/** Upstream's propagateDryRun: the request's dryRun goes into the eviction's DeleteOptions; both set must agree. */
function deleteOptionsOf(eviction: StoredObject, dryRun: boolean): DeleteOptions {
  const opts: DeleteOptions = structuredClone(eviction.deleteOptions ?? {});
  const requested = dryRun ? ['All'] : [];
  if (!opts.dryRun?.length) opts.dryRun = requested.length ? requested : undefined;
  else if (requested.length && JSON.stringify(opts.dryRun) !== JSON.stringify(requested)) {
    throw status.failure(500, undefined, `Non-matching dry-run options in request and content: [${requested.join(' ')}] and [${opts.dryRun.join(' ')}]`);
  }
  if (!opts.dryRun) delete opts.dryRun;
  return opts;
}

/** Upstream's pdbhelper.UpdateDisruptionAllowedCondition, for a budget whose disruptionsAllowed just changed. */
function updateDisruptionAllowedCondition(pdbStatus: StoredObject): void {
  const allowed = (pdbStatus.disruptionsAllowed ?? 0) > 0;
  const next = { type: 'DisruptionAllowed', status: allowed ? 'True' : 'False', reason: allowed ? 'SufficientPods' : 'InsufficientPods', observedGeneration: pdbStatus.observedGeneration ?? 0 };
  const conditions: StoredObject[] = (pdbStatus.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === next.type);
  if (i < 0) conditions.push({ ...next, message: '', lastTransitionTime: nowTime() });
  else {
    const old = conditions[i];
    conditions[i] = { ...old, ...next, lastTransitionTime: old.status === next.status ? old.lastTransitionTime : nowTime() };
  }
}

export class EvictionREST implements CreaterREST {
  readonly kind = Eviction;
  readonly acceptsAPIVersions = ['policy/v1beta1'];

  constructor(private readonly stores: EvictionStores) {}

  private need(store: RegistryStore | undefined, what: string): RegistryStore {
    if (!store) throw status.internalError(`${what} are not served`);
    return store;
  }

  async create(ctx: RequestContext, name: string, eviction: StoredObject): Promise<StoredObject> {
    if (name !== eviction.metadata?.name) throw status.badRequest('name in URL does not match name in Eviction object');
    const original = deleteOptionsOf(eviction, ctx.dryRun);
    // The options are checked as any delete's (422 for DeleteOptions), before anything is read.
    checkDeleteOptions(original);
    const dryRun = Boolean(original.dryRun?.length);
    const pods = this.need(this.stores.pods(), 'pods');

    // Pods no budget protects are deleted at once; a conflict (the pod changed) is retried unless the client
    // named a resourceVersion itself.
    let pod: StoredObject | undefined;
    for (let attempt = 0; ; attempt++) {
      pod = await pods.get(ctx, name);
      if (!canIgnoreBudget(pod)) break;
      const opts = structuredClone(original);
      if (shouldEnforceResourceVersion(pod) && !original.preconditions?.resourceVersion) opts.preconditions = { ...(opts.preconditions ?? {}), resourceVersion: pod.metadata.resourceVersion };
      try {
        await this.addConditionAndDelete(ctx, name, opts);
        return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
      } catch (e) {
        if (!(e instanceof status.StatusError && e.code === 409) || original.preconditions?.resourceVersion || attempt >= 19) throw e;
      }
    }

    const budgets = await this.matchingBudgets(ctx, pod);
    if (budgets.length > 1) {
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 };
    }
    let guardUnready = false;
    const budget = budgets[0];
    if (budget) {
      const spec = budget.spec ?? {};
      const st = budget.status ?? {};
      if (!isPodReady(pod) && (spec.unhealthyPodEvictionPolicy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0))) {
        // An unready pod does not count as healthy: deleting it uses no disruption.
        guardUnready = true;
      } else {
        await this.checkAndDecrement(ctx, budget.metadata.name, name, dryRun);
      }
    }

    const opts = structuredClone(original);
    if (guardUnready) opts.preconditions = { ...(opts.preconditions ?? {}), resourceVersion: pod.metadata.resourceVersion };
    try {
      await this.addConditionAndDelete(ctx, name, opts);
    } catch (e) {
      if (e instanceof status.StatusError && e.code === 409 && guardUnready && !original.preconditions?.resourceVersion) throw budgetProcessing(budget!.metadata.name);
      throw e;
    }
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  }

  /** Budgets of the pod's namespace whose (non-empty, valid) selector matches the pod's labels. */
  private async matchingBudgets(ctx: RequestContext, pod: StoredObject): Promise<StoredObject[]> {
    const budgets = this.need(this.stores.budgets(), 'poddisruptionbudgets');
    const { items } = await budgets.list({ ...ctx, namespace: pod.metadata.namespace });
    return items.filter((pdb) => {
      try {
        const selector = labelSelectorFromObject(pdb.spec?.selector);
        return !selector.empty && selector.matches(pod.metadata.labels ?? {});
      } catch {
        return false; // an invalid selector matches nothing
      }
    });
  }

  /** Upstream's checkAndDecrement, on the budget as stored (a conflicting change is re-read and re-checked). */
  private async checkAndDecrement(ctx: RequestContext, budgetName: string, podName: string, dryRun: boolean): Promise<void> {
    const ref = { group: 'policy', resource: 'poddisruptionbudget' };
    const check = (pdb: StoredObject): StoredObject => {
      const st = pdb.status ?? {};
      if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw budgetProcessing(budgetName);
      if ((st.disruptionsAllowed ?? 0) < 0) throw status.forbidden(ref, budgetName, 'pdb disruptions allowed is negative');
      if (Object.keys(st.disruptedPods ?? {}).length > maxDisruptedPodSize) throw status.forbidden(ref, budgetName, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
      if ((st.disruptionsAllowed ?? 0) === 0) {
        throw status.failure(429, 'TooManyRequests', violationMessage, {
          causes: [{ reason: disruptionBudgetCause, message: `The disruption budget ${budgetName} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently` }],
        });
      }
      const next = { ...st, disruptionsAllowed: st.disruptionsAllowed - 1 };
      if (next.disruptionsAllowed === 0) updateDisruptionAllowedCondition(next);
      next.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: nowTime() };
      return { ...pdb, status: next };
    };
    const budgets = this.need(this.stores.budgets(), 'poddisruptionbudgets');
    const pdbCtx = { ...ctx, dryRun: false, warnings: undefined };
    if (dryRun) {
      check(await budgets.get(pdbCtx, budgetName));
      return;
    }
    // The PDB client upstream uses is the server's loopback client: its own user, its own field manager.
    const statusStore = this.need(this.stores.budgetStatus(), 'poddisruptionbudgets/status');
    await statusStore.guaranteedUpdate({ ...pdbCtx, user: { name: 'system:apiserver', groups: ['system:masters'] }, fieldManager: undefined }, budgetName, async (pdb) => check(pdb));
  }

  /** Upstream's addConditionAndDeletePod: the DisruptionTarget condition (unless a dry run), then the delete. */
  private async addConditionAndDelete(ctx: RequestContext, name: string, opts: DeleteOptions): Promise<void> {
    const pods = this.need(this.stores.pods(), 'pods');
    const deleteCtx = { ...ctx, dryRun: Boolean(opts.dryRun?.length) };
    if (!deleteCtx.dryRun) {
      const writes = this.need(this.stores.podWrites(), 'pods/eviction');
      const pre = opts.preconditions;
      const ref = { group: '', resource: 'Pod' };
      const updated = await writes.guaranteedUpdate({ ...ctx, managedFieldsApplied: true }, name, async (pod) => {
        if (pre?.uid && pre.uid !== pod.metadata.uid) {
          throw status.conflict(ref, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${pod.metadata.uid}). The object might have been deleted and then recreated`);
        }
        if (pre?.resourceVersion && pre.resourceVersion !== pod.metadata.resourceVersion) {
          throw status.conflict(ref, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${pod.metadata.resourceVersion}). The object might have been modified`);
        }
        pod.status ??= {};
        setPodCondition(pod.status, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
        return pod;
      });
      // We changed the pod ourselves: a resourceVersion precondition now names the version we wrote.
      if (pre?.resourceVersion) opts = { ...opts, preconditions: { ...pre, resourceVersion: updated.metadata.resourceVersion } };
    }
    await (this.stores.podWrites() ?? pods).delete(deleteCtx, name, opts);
  }
}

