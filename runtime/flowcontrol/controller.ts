/**
 * The configuration consumer: keeps the FlowSchemas and PriorityLevelConfigurations from the watch cache
 * (informers), and on every change digests them into a new Classifier and new limits for each priority level,
 * keeping the queues (and the requests in them) of levels that stay. Mandatory objects that are missing are
 * replaced by their built-in versions, so requests are classified before the first list arrives. It also keeps
 * each FlowSchema's `Dangling` condition.
 */
import type { Logger } from 'pino';
import type { FlowSchema, FlowSchemaCondition } from '../../apis/flowcontrol.apiserver.k8s.io/v1/flowschema.ts';
import type { PriorityLevelConfiguration } from '../../apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfiguration.ts';
import type { UserInfo } from '../auth/user.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { Informer, WorkQueue } from '../controllers/informer.ts';
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { mandatoryFlowSchemas, mandatoryPriorityLevels } from './bootstrap.ts';
import { Classifier, type Classification } from './classifier.ts';
import type { FlowControlMetrics } from './metrics.ts';
import { QueueSet } from './queueset.ts';
import { allocateConcurrency, smoothedTarget } from './borrowing.ts';

/** A priority level as requests see it: exempt (no limit) or limited by its queue set. */
export interface PriorityLevelState {
  name: string;
  uid: string;
  exempt: boolean;
  queueSet?: QueueSet;
  /** Seats from the level's nominal shares. */
  nominalCL: number;
  /** Bounds of the level's current limit: what it may not lend, and what it may borrow up to. */
  minCL: number;
  maxCL: number;
  /** Smoothed seat demand (borrowing). */
  smoothedDemand: number;
  /** The queue configuration without the limit, which borrowing changes. */
  shape?: { queues: number; handSize: number; queueLengthLimit: number };
}

export interface Decision extends Classification {
  level: PriorityLevelState;
}

export interface FlowControlStores {
  flowSchemas: RegistryStore;
  flowSchemaStatus: RegistryStore;
  priorityLevels: RegistryStore;
}

export interface ControllerOptions {
  /** --max-requests-inflight + --max-mutating-requests-inflight: the seats all limited levels share. */
  serverConcurrencyLimit: number;
  /** How long a request may wait in a queue before it is rejected. */
  requestWaitLimitMs: number;
  metrics: FlowControlMetrics;
  log: Logger;
  /** Called when a mandatory object changed or went away (the producer restores it). */
  onMandatoryChange?: () => void;
  /** How often limits are adjusted for borrowing (upstream: 10 s); 0 turns borrowing off. */
  borrowingPeriodMs?: number;
}

const danglingCondition = 'Dangling';
/** Who the consumer's status writes are recorded for in managedFields (upstream's ConfigConsumerAsFieldManager). */
const consumerFieldManager = 'api-priority-and-fairness-config-consumer-v1';
const consumerContext = () => ({ ...systemContext(), fieldManager: consumerFieldManager });

export class FlowControlController {
  private readonly flowSchemas = new Map<string, FlowSchema>();
  private readonly priorityLevels = new Map<string, PriorityLevelConfiguration>();
  private readonly levels = new Map<string, PriorityLevelState>();
  private classifier = new Classifier([]);
  /**
   * The decision per classification (which the classifier keeps per user and target): made once, not per request.
   * A rebuild replaces the classifier and the levels together, so its classifications, and their decisions, are new.
   */
  private readonly decisions = new WeakMap<Classification, Decision | null>();
  private informers: Informer[] = [];
  private rebuildScheduled = false;
  private statusQueue?: WorkQueue;
  private stores?: FlowControlStores;
  private borrowingTimer?: NodeJS.Timeout;

  constructor(private readonly opts: ControllerOptions) {
    this.rebuild();
  }

  /** Lists and watches both kinds; resolves once both lists have been digested. */
  async start(stores: FlowControlStores): Promise<void> {
    this.stores = stores;
    this.statusQueue = new WorkQueue((name) => this.syncDangling(name), this.opts.log, 'priority-and-fairness-config-consumer');
    const ctx = systemContext();
    const track = <T>(map: Map<string, T>, mandatory: Set<string>) => (type: string, obj: StoredObject) => {
      const name = obj.metadata.name;
      if (type === 'DELETED') map.delete(name);
      else map.set(name, obj as unknown as T);
      if (mandatory.has(name)) this.opts.onMandatoryChange?.();
      this.scheduleRebuild();
    };
    const mandatoryPLs = new Set(mandatoryPriorityLevels.map((p) => p.metadata!.name!));
    const mandatoryFSs = new Set(mandatoryFlowSchemas.map((f) => f.metadata!.name!));
    this.informers = [
      new Informer(stores.priorityLevels, ctx, track(this.priorityLevels, mandatoryPLs), this.opts.log),
      new Informer(stores.flowSchemas, ctx, track(this.flowSchemas, mandatoryFSs), this.opts.log),
    ];
    await Promise.all(this.informers.map((i) => i.start()));
    this.rebuild();
    const period = this.opts.borrowingPeriodMs ?? 10_000;
    if (period > 0 && !this.borrowingTimer) {
      this.borrowingTimer = setInterval(() => this.adjustLimits(), period);
      this.borrowingTimer.unref();
    }
  }

  /** One borrowing round: every limited level's current limit from the demand it saw since the last round. */
  adjustLimits(): void {
    const limited = [...this.levels.values()].filter((l) => l.queueSet && l.shape);
    const items = limited.map((l) => {
      const stats = l.queueSet!.takeDemandStats();
      // Never below what the level may not lend, nor below its recent peak demand up to its nominal limit.
      const lowerBound = Math.max(l.minCL, Math.min(l.nominalCL, stats.highWatermark));
      l.smoothedDemand = smoothedTarget(l.smoothedDemand, stats);
      return { lowerBound, upperBound: Math.max(lowerBound, l.maxCL), target: Math.max(lowerBound, l.smoothedDemand) };
    });
    const total = limited.reduce((a, l) => a + l.nominalCL, 0);
    const allocations = allocateConcurrency(total, items);
    limited.forEach((l, i) => {
      const limit = Math.round(allocations[i]);
      if (limit !== l.queueSet!.concurrencyLimit) l.queueSet!.reconfigure({ ...l.shape!, concurrencyLimit: limit });
    });
  }

  stop(): void {
    if (this.borrowingTimer) clearInterval(this.borrowingTimer);
    for (const i of this.informers) i.stop();
    this.statusQueue?.stop();
  }

  /** The schema, flow and level of a request; undefined only if nothing matches (the catch-all matches everyone). */
  classify(user: UserInfo, info: RequestInfo): Decision | undefined {
    const c = this.classifier.classify(user, info);
    if (!c) return undefined;
    let decision = this.decisions.get(c);
    if (decision === undefined) {
      const level = this.levels.get(c.schema.priorityLevel);
      decision = level ? { ...c, level } : null;
      this.decisions.set(c, decision);
    }
    return decision ?? undefined;
  }

  private scheduleRebuild(): void {
    if (this.rebuildScheduled) return;
    this.rebuildScheduled = true;
    queueMicrotask(() => {
      this.rebuildScheduled = false;
      this.rebuild();
    });
  }

  /** Digests the current objects: levels, their limits, the classifier, and Dangling conditions to write. */
  private rebuild(): void {
    const pls = new Map(this.priorityLevels);
    for (const m of mandatoryPriorityLevels) if (!pls.has(m.metadata!.name!)) pls.set(m.metadata!.name!, m);
    const fss = new Map(this.flowSchemas);
    for (const m of mandatoryFlowSchemas) if (!fss.has(m.metadata!.name!)) fss.set(m.metadata!.name!, m);

    // Every level's nominal shares (the exempt level's too) divide the server's seats.
    let totalShares = 0;
    for (const pl of pls.values()) totalShares += (pl.spec?.type === 'Limited' ? pl.spec.limited?.nominalConcurrencyShares : pl.spec?.exempt?.nominalConcurrencyShares) ?? 0;
    const next = new Map<string, PriorityLevelState>();
    for (const [name, pl] of pls) {
      const uid = pl.metadata?.uid ?? '';
      const old = this.levels.get(name);
      if (pl.spec?.type !== 'Limited') {
        next.set(name, { name, uid, exempt: true, nominalCL: 0, minCL: 0, maxCL: 0, smoothedDemand: 0 });
        continue;
      }
      const limited = pl.spec.limited;
      const shares = limited?.nominalConcurrencyShares ?? 30;
      const nominalCL = totalShares > 0 ? Math.ceil((this.opts.serverConcurrencyLimit * shares) / totalShares) : 0;
      const lendable = Math.round((nominalCL * (limited?.lendablePercent ?? 0)) / 100);
      const borrowable = limited?.borrowingLimitPercent === undefined || limited.borrowingLimitPercent === null ? Infinity : Math.round((nominalCL * limited.borrowingLimitPercent) / 100);
      const lr = limited?.limitResponse;
      const q = lr?.type === 'Queue' ? lr.queuing : undefined;
      const shape = { queues: q?.queues ?? 0, handSize: q?.handSize ?? 0, queueLengthLimit: q?.queueLengthLimit ?? 0 };
      // A level that stays keeps what it has borrowed until the next round, unless its nominal limit changed.
      const keep = old?.queueSet && old.nominalCL === nominalCL;
      const cfg = { ...shape, concurrencyLimit: keep ? old.queueSet!.concurrencyLimit : nominalCL };
      let queueSet = old?.queueSet;
      if (queueSet) queueSet.reconfigure(cfg);
      else queueSet = new QueueSet(cfg, this.opts.requestWaitLimitMs);
      next.set(name, { name, uid, exempt: false, queueSet, nominalCL, minCL: nominalCL - lendable, maxCL: nominalCL + borrowable, smoothedDemand: old?.smoothedDemand ?? 0, shape });
      this.opts.metrics.nominalLimitSeats.set({ priority_level: name }, nominalCL);
    }
    for (const name of this.levels.keys()) if (!next.has(name)) this.opts.metrics.nominalLimitSeats.remove({ priority_level: name });
    // Levels that went away keep serving the requests they hold: those keep a reference to their queue set.
    this.levels.clear();
    for (const [k, v] of next) this.levels.set(k, v);
    this.classifier = new Classifier([...fss.values()].filter((fs) => pls.has(fs.spec?.priorityLevelConfiguration?.name ?? '')));
    for (const [name, fs] of this.flowSchemas) {
      const want = pls.has(fs.spec?.priorityLevelConfiguration?.name ?? '') ? 'False' : 'True';
      if (fs.status?.conditions?.find((c) => c.type === danglingCondition)?.status !== want) this.statusQueue?.add(name);
    }
  }

  /** Writes the Dangling condition of one FlowSchema when it is not what the current levels say. */
  private async syncDangling(name: string): Promise<void> {
    const stores = this.stores;
    if (!stores) return;
    let fs: FlowSchema;
    try {
      fs = (await stores.flowSchemas.get(systemContext(), name)) as unknown as FlowSchema;
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    const pl = fs.spec?.priorityLevelConfiguration?.name ?? '';
    const exists = this.priorityLevels.has(pl) || mandatoryPriorityLevels.some((m) => m.metadata!.name === pl);
    const want: FlowSchemaCondition = exists
      ? { type: danglingCondition, status: 'False', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named "${pl}" and it exists` }
      : { type: danglingCondition, status: 'True', reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named "${pl}" but there is no such object` };
    const conditions = fs.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === danglingCondition);
    if (current && current.status === want.status && current.reason === want.reason && current.message === want.message) return;
    want.lastTransitionTime = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    fs.status = { ...fs.status, conditions: [...conditions.filter((c) => c.type !== danglingCondition), want] };
    try {
      await stores.flowSchemaStatus.update(consumerContext(), name, fs as unknown as StoredObject);
    } catch (e) {
      // Someone else wrote it first: the informer brings the new version and the check runs again.
      if (e instanceof StatusError && (e.code === 409 || e.code === 404)) return;
      throw e;
    }
  }
}
