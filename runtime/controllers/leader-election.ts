/**
 * Leader election over a coordination.k8s.io/v1 Lease, as client-go's leaderelection package does it, so that of
 * several servers sharing one store only one runs the controllers. The holder renews the Lease every retry
 * period; the others take it over once it has not changed for a whole lease duration, timed by their own clock
 * (never by the holder's timestamps, so clock skew cannot hand the Lease to two at once). Every write is a
 * compare-and-swap on the Lease's resourceVersion.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { microTime } from '../machinery/micro-time.ts';
import { StatusError } from '../machinery/status.ts';
import type { RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { controllerContext } from './context.ts';

export interface LeaderElectionConfig {
  /** --leader-elect: false runs the controllers in every server. */
  enabled: boolean;
  leaseDurationSeconds: number;
  renewDeadlineSeconds: number;
  retryPeriodSeconds: number;
  /** The Lease: --leader-elect-resource-namespace / --leader-elect-resource-name. */
  namespace: string;
  name: string;
}

export interface LeaderCallbacks {
  onStartedLeading(): void;
  onStoppedLeading(): void;
  /** Another server holds the Lease (called when the holder changes). */
  onNewLeader?(identity: string): void;
}

export class LeaderElector {
  /** `<hostname>_<uuid>`, as kube-controller-manager names its candidates. */
  readonly identity = `${hostname()}_${randomUUID()}`;
  private leading = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;
  /** The Lease as last read, and when (by our clock) its holder or renew time last changed. */
  private observed?: { holder: string; renewTime: string; at: number };
  private lastRenew = 0;
  private lastLeader = '';

  constructor(
    private readonly leases: RegistryStore,
    private readonly config: LeaderElectionConfig,
    private readonly callbacks: LeaderCallbacks,
    private readonly log: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.tryAcquireOrRenew();
      } catch (e) {
        this.log.debug({ err: e, lease: this.config.name }, 'leader election: lease update failed');
      }
      if (this.leading && Date.now() - this.lastRenew > this.config.renewDeadlineSeconds * 1000) this.lose('the lease could not be renewed in time');
      // Until a first answer (the Lease's namespace may not exist yet at start-up), retry quickly.
      const delayMs = this.lastLeader ? this.config.retryPeriodSeconds * 1000 : Math.min(200, this.config.retryPeriodSeconds * 1000);
      if (!this.stopped) this.timer = setTimeout(() => void tick(), delayMs);
      this.timer?.unref();
    };
    void tick();
  }

  /** Stops campaigning; a leader gives the Lease up so another server can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    this.callbacks.onStoppedLeading();
    try {
      await this.leases.guaranteedUpdate(this.ctx(), this.config.name, async (lease) => {
        if (lease.spec?.holderIdentity !== this.identity) return lease;
        lease.spec = { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: microTime(Date.now()) };
        return lease;
      });
    } catch (e) {
      this.log.debug({ err: e }, 'leader election: releasing the lease failed');
    }
  }

  private ctx() {
    return controllerContext(this.config.namespace);
  }

  private async tryAcquireOrRenew(): Promise<void> {
    const now = Date.now();
    const spec = { holderIdentity: this.identity, leaseDurationSeconds: this.config.leaseDurationSeconds, renewTime: microTime(now) };
    let lease: StoredObject;
    try {
      lease = await this.leases.get(this.ctx(), this.config.name);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
      await this.leases.create(this.ctx(), {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.config.name, namespace: this.config.namespace },
        spec: { ...spec, acquireTime: microTime(now), leaseTransitions: 0 },
      });
      this.renewed(now);
      return;
    }
    const holder: string = lease.spec?.holderIdentity ?? '';
    const renewTime: string = lease.spec?.renewTime ?? '';
    if (!this.observed || this.observed.holder !== holder || this.observed.renewTime !== renewTime) this.observed = { holder, renewTime, at: now };
    if (holder !== this.lastLeader) {
      this.lastLeader = holder;
      if (holder && holder !== this.identity) this.callbacks.onNewLeader?.(holder);
    }
    const duration = (lease.spec?.leaseDurationSeconds ?? this.config.leaseDurationSeconds) * 1000;
    if (holder && holder !== this.identity && this.observed.at + duration > now) {
      if (this.leading) this.lose(`the lease is held by ${holder}`);
      return;
    }
    const taking = holder !== this.identity;
    lease.spec = {
      ...lease.spec,
      ...spec,
      ...(taking ? { acquireTime: microTime(now), leaseTransitions: (lease.spec?.leaseTransitions ?? 0) + 1 } : {}),
    };
    await this.leases.update(this.ctx(), this.config.name, lease); // carries the resourceVersion read: a race is a 409
    this.renewed(now);
  }

  private renewed(at: number): void {
    this.lastRenew = at;
    this.observed = undefined;
    this.lastLeader = this.identity;
    if (this.leading) return;
    this.leading = true;
    this.log.info({ lease: `${this.config.namespace}/${this.config.name}`, identity: this.identity }, 'became leader; starting controllers');
    this.callbacks.onStartedLeading();
  }

  private lose(why: string): void {
    this.leading = false;
    this.log.warn({ lease: `${this.config.namespace}/${this.config.name}`, why }, 'lost leadership; stopping controllers');
    this.callbacks.onStoppedLeading();
  }
}
