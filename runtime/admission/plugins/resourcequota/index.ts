/**
 * ResourceQuota admission, as upstream's k8s.io/apiserver/pkg/admission/plugin/resourcequota: every create (and
 * the updates that change usage) of a namespaced object is checked against each ResourceQuota of its namespace
 * that limits something the object uses. Over a limit: 403 `exceeded quota: <name>, requested: ..., used: ...,
 * limited: ...`. A quota whose usage the controller has not counted yet refuses (`status unknown for quota`).
 *
 * Admitting charges the quota at once: `status.used` is raised by a compare-and-swap on the quota object, retried
 * on conflict, so concurrent writes (here or on another server sharing etcd) never admit past `status.hard`. A
 * charge for a write that then fails is corrected by the controller's next recount, as upstream.
 */
import { StatusError } from '../../../machinery/status.ts';
import { systemContext, type RegistryStore } from '../../../registry/store.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { AdmissionPluginRegistry } from '../../registry.ts';
import type { WatchedLister } from '../../../controllers/lister.ts';
import { admissionForbidden, type AdmissionAttributes, type AdmissionPlugin } from '../../types.ts';
import { QuotaAccounting } from './accounting.ts';
import { evaluatorFor, quotaMatches, type Evaluator } from './evaluators.ts';
import { add, lessThanOrEqual, mask, negative, prettyPrint, removeZeros, subtractNonNegative, type ResourceList } from './resources.ts';
import { compareStrings } from '../../../machinery/order.ts';

/** How the plug-in reads and writes quotas. */
export interface QuotaAccess {
  /**
   * The quotas of a namespace, as recent as the watch cache's (which quotas concern a write; a charge re-reads
   * each one it writes). Callers must not change the array.
   */
  list(namespace: string): readonly StoredObject[] | Promise<readonly StoredObject[]>;
  /**
   * Replaces a quota's status with what `mutate` makes of the current object, retrying with the newer object
   * when another write got there first. `mutate` returns undefined for no change and may throw to refuse.
   * A quota deleted meanwhile is skipped.
   */
  updateStatus(namespace: string, name: string, mutate: (current: StoredObject) => StoredObject | undefined): Promise<void>;
}

export interface ResourceQuotaDependencies {
  quotas: QuotaAccess;
  accounting: QuotaAccounting;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const nothingToDo = Promise.resolve();

export function resourceQuota(deps: ResourceQuotaDependencies): AdmissionPlugin {
  /**
   * What charging `attrs` does to one quota: the amounts to add, or undefined when the quota is not concerned.
   * Throws the 403 upstream gives when the quota refuses.
   */
  function charge(attrs: AdmissionAttributes, evaluator: Evaluator, quota: Json): ResourceList | undefined {
    const obj = attrs.object!;
    if (!quotaMatches(evaluator, quota, obj)) return undefined;
    const name = String(quota.metadata?.name ?? '');
    const refuse = (message: string) => admissionForbidden(attrs, message);
    const hard: ResourceList = quota.status?.hard ?? {};
    const used: ResourceList = quota.status?.used ?? {};
    const hardNames = Object.keys(hard);
    const restricted = evaluator.matchingResources(hardNames);
    const constraint = evaluator.constraints(restricted, obj);
    if (constraint) throw refuse(`failed quota: ${name}: ${constraint}`);
    if (!restricted.every((r) => r in used)) throw refuse(`status unknown for quota: ${name}, resources: ${[...restricted].sort().join(',')}`);

    const usage = evaluator.usage(obj);
    const bad = negative(usage);
    if (bad.length) throw refuse(`quota usage is negative for resource(s): ${bad.join(',')}`);
    let delta = usage;
    // An update pays only for what it adds, when the old object was charged to this quota too.
    if (attrs.operation === 'UPDATE' && attrs.oldObject && quotaMatches(evaluator, quota, attrs.oldObject)) {
      delta = subtractNonNegative(usage, evaluator.usage(attrs.oldObject));
    }
    const requested = mask(removeZeros(delta), hardNames);
    if (!Object.keys(requested).length) return undefined;
    const next = add(used, requested);
    const check = lessThanOrEqual(mask(next, Object.keys(requested)), hard);
    if (!check.ok) {
      throw refuse(`exceeded quota: ${name}, requested: ${prettyPrint(mask(requested, check.exceeded))}, used: ${prettyPrint(mask(used, check.exceeded))}, limited: ${prettyPrint(mask(hard, check.exceeded))}`);
    }
    return requested;
  }

  function withUsed(quota: StoredObject, used: ResourceList): StoredObject {
    return { ...quota, status: { ...(quota.status ?? {}), used } };
  }

  /** Answered without an async call when nothing can be charged (the usual write: a namespace without quotas). */
  function validate(attrs: AdmissionAttributes): Promise<void> {
    if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || attrs.subresource || !attrs.object) return nothingToDo;
    if (attrs.kind.scope !== 'Namespaced' || !attrs.namespace) return nothingToDo;
    const evaluator = evaluatorFor(attrs.kind.group, attrs.kind.resource);
    if (!evaluator.handles(attrs.operation)) return nothingToDo;
    const listed = deps.quotas.list(attrs.namespace);
    if (!(listed instanceof Promise) && !listed.length) return nothingToDo;
    return chargeQuotas(attrs, evaluator, listed);
  }

  async function chargeQuotas(attrs: AdmissionAttributes, evaluator: Evaluator, quotas: readonly StoredObject[] | Promise<readonly StoredObject[]>): Promise<void> {
    const listed = await quotas;
    const concerned = listed.filter((q) => quotaMatches(evaluator, q, attrs.object!)).sort((a, b) => compareStrings(String(a.metadata?.name), String(b.metadata?.name)));
    if (!concerned.length) return;

    if (attrs.dryRun) {
      // A dry run is checked like the real request but charges nothing.
      for (const q of concerned) charge(attrs, evaluator, q);
      return;
    }
    await deps.accounting.withNamespaceLock(attrs.namespace, async () => {
      const charged: Array<[string, ResourceList]> = [];
      try {
        for (const q of concerned) {
          const name = String(q.metadata?.name);
          let requested: ResourceList | undefined;
          await deps.quotas.updateStatus(attrs.namespace, name, (current) => {
            requested = charge(attrs, evaluator, current);
            return requested ? withUsed(current, add(current.status?.used ?? {}, requested)) : undefined;
          });
          if (requested) charged.push([name, requested]);
        }
      } catch (e) {
        // Refused by a later quota: give back what the earlier ones were charged.
        for (const [name, requested] of charged) {
          await deps.quotas
            .updateStatus(attrs.namespace, name, (current) => withUsed(current, { ...(current.status?.used ?? {}), ...mask(subtractNonNegative(current.status?.used ?? {}, requested), Object.keys(requested)) }))
            .catch(() => undefined);
        }
        throw e;
      }
      if (charged.length) deps.accounting.noteCharge(attrs.namespace);
    });
  }

  return { name: 'ResourceQuota', validate };
}

type QuotaStore = (subresource: '' | 'status') => RegistryStore | undefined;

/** Registers ResourceQuota, over the kube API server's quota stores, into the admission plug-in registry. */
export function registerResourceQuota(registry: AdmissionPluginRegistry, deps: { store: QuotaStore; accounting: QuotaAccounting }): void {
  registry.register('ResourceQuota', (d) => resourceQuota({ quotas: storeQuotaAccess(deps.store, d.lister('', 'v1', 'resourcequotas')), accounting: deps.accounting }));
}

/**
 * Quota access over the kube API server's stores: reads from the watched copy (as upstream's quota lister), or from
 * the watch cache until that has synced; status writes by compare-and-swap.
 */
export function storeQuotaAccess(store: QuotaStore, lister?: WatchedLister): QuotaAccess {
  const get = (sub: '' | 'status'): RegistryStore => {
    const s = store(sub);
    if (!s) throw new Error(`internal: no store for resourcequotas${sub ? `/${sub}` : ''}`);
    return s;
  };
  return {
    list(namespace) {
      return lister?.list(namespace) ?? get('').list(systemContext(namespace), { resourceVersion: '0' }).then((l) => l.items);
    },
    async updateStatus(namespace, name, mutate) {
      try {
        await get('status').guaranteedUpdate(systemContext(namespace), name, async (current) => {
          // Unconditional: the store retries with the newer object when another write wins the race. `current` is
          // guaranteedUpdate's own copy, so what mutate returns (current, or a shallow copy of it) may be changed.
          const next = mutate(current) ?? current;
          delete next.metadata.resourceVersion;
          return next;
        });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) return;
        throw e;
      }
    },
  };
}
