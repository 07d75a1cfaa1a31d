/**
 * The ResourceQuota controller (upstream's pkg/controller/resourcequota, run in-process because a standalone
 * server has no kube-controller-manager): keeps each quota's `status.hard` equal to `spec.hard` and `status.used`
 * equal to what the stored objects of its namespace use. Admission charges writes as they happen; this controller
 * counts from scratch when a quota is created or its hard limits change, when tracked objects change or go away
 * (replenishment), and every sync period.
 *
 * It watches every namespaced resource from the watch cache and recounts only namespaces that have a quota
 * tracking the changed kind (asked of its own informer's copy of the quotas), debounced; it waits for a quiet
 * moment after admission charged a namespace, so an admitted object still on its way to storage is never counted
 * out. As upstream's quota monitor, only changes that can free quota lead to a recount: a delete, or an update
 * the kind's evaluator says can lower usage (its replenish signature changed); a create was charged by admission.
 * Turn it off with
 * `--controllers=*,-resourcequota-controller` when a kube-controller-manager does this job.
 */
import type { Logger } from 'pino';
import { StatusError } from '../../machinery/status.ts';
import type { RegistryStore, RequestContext } from '../../registry/store.ts';
import type { StoredObject, Watch } from '../../storage/store.ts';
import type { QuotaAccounting } from '../../admission/plugins/resourcequota/accounting.ts';
import { evaluatorFor, totalUsage, type Evaluator } from '../../admission/plugins/resourcequota/evaluators.ts';
import { equal, type ResourceList } from '../../admission/plugins/resourcequota/resources.ts';
import { controllerContext } from '../context.ts';
import { SharedInformer } from '../informer.ts';
import { NamespaceIndex } from '../lister.ts';
import { resourceChangesQueue, workqueueAdds } from './metrics.ts';
import { SignatureMemo } from './signatures.ts';

const controllerUser = { name: 'system:serviceaccount:kube-system:resourcequota-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] };

export interface ResourceQuotaControllerOptions {
  /** resourcequotas (reads) and resourcequotas/status (writes). */
  quotas: RegistryStore;
  quotaStatus: RegistryStore;
  /** Every namespaced resource's store in its storage version (what can be counted). */
  namespacedStores: () => RegistryStore[];
  accounting: QuotaAccounting;
  log: Logger;
  /** Full recount period (upstream's --resource-quota-sync-period, 5m). 0: only on changes. */
  resyncMs?: number;
  /** How long a namespace must go without admission charges before it is recounted. */
  quietMs?: number;
  /** Debounce of recounts after changes. */
  debounceMs?: number;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Legacy quota names that count a core kind. */
const legacyKinds: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
  secrets: 'secrets',
  configmaps: 'configmaps',
  persistentvolumeclaims: 'persistentvolumeclaims',
};

export class ResourceQuotaController {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly watches: Watch[] = [];
  /** The quotas, by namespace: asked on every change of a counted kind. */
  private readonly quotaIndex = new NamespaceIndex();
  /** Replenish signatures of the watched kinds whose evaluator has them, by evaluator. */
  private readonly memos = new Map<Evaluator, SignatureMemo>();
  private quotaInformer?: SharedInformer;
  private resyncTimer: NodeJS.Timeout | undefined;
  private stopCharges: (() => void) | undefined;
  private stopped = false;
  private readonly quietMs: number;
  private readonly debounceMs: number;

  constructor(private readonly opts: ResourceQuotaControllerOptions) {
    this.quietMs = opts.quietMs ?? 1000;
    this.debounceMs = opts.debounceMs ?? 50;
  }

  private context(namespace: string): RequestContext {
    return controllerContext(namespace, controllerUser);
  }

  /** Counts every quota once, then follows changes. Resolves when the first count is done. */
  async start(): Promise<void> {
    const informer = (this.quotaInformer = new SharedInformer(this.opts.quotas, { ctx: this.context(''), log: this.opts.log }));
    informer.addHandler(this.quotaIndex);
    informer.addHandler({
      // Our own status writes come back here; only a change of the wanted limits needs a recount.
      upsert: (q: Json) => {
        if (equal(q.spec?.hard, q.status?.hard)) return;
        this.schedule(q.metadata?.namespace ?? '');
        this.forgetUntracked(q.metadata?.namespace ?? '');
      },
      delete: (q: Json) => this.forgetUntracked(q.metadata?.namespace ?? ''),
    });
    await informer.start();
    for (const store of this.opts.namespacedStores()) {
      if (store.kind.group === '' && store.kind.resource === 'resourcequotas') continue;
      await this.watchKind(store);
    }
    // A charge for a write that then failed (AlreadyExists, a later plug-in) is given back by a recount soon after.
    this.stopCharges = this.opts.accounting.onCharge((ns) => this.schedule(ns, this.quietMs));
    await Promise.all(this.quotaIndex.namespaces().map((ns) => this.sync(ns)));
    if (this.opts.resyncMs) {
      this.resyncTimer = setInterval(() => this.resyncAll(), this.opts.resyncMs);
      this.resyncTimer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopCharges?.();
    this.quotaInformer?.stop();
    for (const w of this.watches.splice(0)) w.stop();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  private resyncAll(): void {
    for (const ns of this.quotaIndex.namespaces()) this.schedule(ns);
  }

  private async watchKind(store: RegistryStore): Promise<void> {
    const { resourceVersion } = await store.list(this.context(''), { limit: 1 });
    const evaluator = evaluatorFor(store.kind.group, store.kind.resource);
    let memo = this.memos.get(evaluator);
    if (!memo && evaluator.replenishSignature) this.memos.set(evaluator, (memo = new SignatureMemo(evaluator.replenishSignature)));
    const w = store.watch(this.context(''), { resourceVersion }, {
      onEvent: (ev) => {
        // Without any quota the event's object is never read (nor made: watch cache events are made on reading);
        // nor are creates and updates of kinds whose updates never free quota.
        if (this.quotaIndex.empty) return;
        if (ev.type === 'DELETED' || (memo && (ev.type === 'ADDED' || ev.type === 'MODIFIED'))) this.changed(evaluator, memo, ev.type, ev.object);
      },
      onError: (err) => this.rewatch(store.kind.resource, err, () => this.watchKind(store)),
    });
    this.watches.push(w);
  }

  private rewatch(what: string, err: Error, again: () => Promise<void>): void {
    if (this.stopped) return;
    this.opts.log.warn({ err, resource: what }, 'resource quota controller watch ended; watching again');
    const t = setTimeout(() => {
      if (this.stopped) return;
      again().catch((e) => this.opts.log.warn({ err: e }, 'resource quota controller could not watch again'));
      // A missed event is made up by recounting everything.
      this.resyncAll();
    }, 1000);
    t.unref();
  }

  /**
   * Schedules a recount of the object's namespace when a quota there tracks its kind and the change can free
   * quota: a delete, or an update that changed the object's replenish signature (unknown counts as changed).
   */
  private changed(evaluator: Evaluator, memo: SignatureMemo | undefined, type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: StoredObject): void {
    const ns = obj.metadata?.namespace;
    if (!ns) return;
    if (!this.tracks(ns, evaluator)) return;
    if (type === 'DELETED') {
      memo?.forget(ns, obj.metadata?.name ?? '');
    } else {
      const differs = memo?.remember(ns, obj) ?? false;
      if (type === 'ADDED' || !differs) return;
    }
    workqueueAdds.inc({ name: resourceChangesQueue });
    this.schedule(ns);
  }

  private tracks(namespace: string, evaluator: Evaluator): boolean {
    return this.quotaIndex.list(namespace).some((q) => evaluator.matchingResources(Object.keys((q as Json).spec?.hard ?? {})).length);
  }

  /** Drops the signatures of kinds no quota of the namespace tracks anymore. */
  private forgetUntracked(namespace: string): void {
    for (const [evaluator, memo] of this.memos) if (!this.tracks(namespace, evaluator)) memo.forgetNamespace(namespace);
  }

  private schedule(namespace: string, delayMs = this.debounceMs): void {
    if (this.stopped || this.timers.has(namespace)) return;
    const t = setTimeout(() => {
      this.timers.delete(namespace);
      this.sync(namespace).catch((err) => {
        this.opts.log.warn({ err, namespace }, 'resource quota recount failed; retrying');
        this.schedule(namespace, 1000);
      });
    }, delayMs);
    t.unref();
    this.timers.set(namespace, t);
  }

  /** Recounts every quota of a namespace and writes the statuses that differ. */
  async sync(namespace: string): Promise<void> {
    await this.opts.accounting.withNamespaceLock(namespace, async () => {
      const since = this.opts.accounting.sinceLastCharge(namespace);
      if (since < this.quietMs) {
        this.schedule(namespace, this.quietMs - since + 10);
        return;
      }
      const quotas = (await this.opts.quotas.list(this.context(namespace))).items;
      const stores = new Map(this.opts.namespacedStores().map((s) => [`${s.kind.group}/${s.kind.resource}`, s]));
      const listed = new Map<string, StoredObject[]>();
      const objects = async (store: RegistryStore): Promise<StoredObject[]> => {
        const key = `${store.kind.group}/${store.kind.resource}`;
        let items = listed.get(key);
        if (!items) {
          items = (await store.list(this.context(namespace))).items;
          listed.set(key, items);
        }
        return items;
      };
      for (const quota of quotas as Json[]) {
        const hard: ResourceList = quota.spec?.hard ?? {};
        const names = Object.keys(hard);
        const current: ResourceList = quota.status?.used ?? {};
        const used: ResourceList = {};
        // Which kinds the limits name: the dedicated evaluators, count/<resource>[.<group>], legacy names.
        const kinds = new Set<string>();
        for (const name of names) {
          const key = kindOf(name);
          if (key) kinds.add(key);
        }
        for (const key of kinds) {
          const store = stores.get(key);
          const [group, resource] = key.split('/');
          const evaluator = evaluatorFor(group, resource);
          const tracked = evaluator.matchingResources(names);
          if (!store) {
            // Not served here (a custom resource): keep what admission charged.
            for (const n of tracked) used[n] = current[n] ?? '0';
            continue;
          }
          Object.assign(used, totalUsage(evaluator, quota, await objects(store), tracked));
        }
        if (equal(quota.status?.hard, hard) && equal(current, used)) continue;
        await this.writeStatus(namespace, quota.metadata.name, hard, used);
      }
    });
  }

  private async writeStatus(namespace: string, name: string, hard: ResourceList, used: ResourceList): Promise<void> {
    try {
      // guaranteedUpdate hands over a copy of its own: changed in place, never the watch cache's object.
      await this.opts.quotaStatus.guaranteedUpdate(this.context(namespace), name, async (current) => {
        const next = current as Json;
        delete next.metadata.resourceVersion;
        // The limits may have changed since the count: only the ones counted are written.
        if (!equal(next.spec?.hard, hard)) return next;
        next.status = { ...(next.status ?? {}), hard, used };
        return next;
      });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }
}

/** `<group>/<resource>` of the kind a quota resource name counts, if any. */
function kindOf(name: string): string | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    return dot < 0 ? `/${rest}` : `${rest.slice(dot + 1)}/${rest.slice(0, dot)}`;
  }
  if (legacyKinds[name]) return `/${legacyKinds[name]}`;
  if (evaluatorFor('', 'pods').matchingResources([name]).length) return '/pods';
  if (evaluatorFor('', 'services').matchingResources([name]).length) return '/services';
  if (evaluatorFor('', 'persistentvolumeclaims').matchingResources([name]).length) return '/persistentvolumeclaims';
  return undefined;
}
