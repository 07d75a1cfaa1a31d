/**
 * Keeps the Service allocators' stored state and the Services in step, as upstream's cluster IP and node port
 * repair controllers (pkg/registry/core/service/{ipallocator,portallocator}/controller/repair.go): a pass at start
 * (which writes the RangeAllocations the first time, so allocation can begin) and one a minute.
 *
 * A pass reads the stored bitmap, then the Services, and writes a bitmap rebuilt from what the Services hold:
 * values a Service holds without a claim are claimed (a restored store), and claims no Service holds are kept for
 * two more passes (a create may be between its claim and its write) and released on the third. The write is a
 * compare-and-swap: a pass that raced an allocation starts again.
 */
import type { Logger } from 'pino';
import type { KV } from '../storage/kv.ts';
import type { StoredObject } from '../storage/store.ts';
import type { RangeAllocator } from '../registry/core/allocator/range-allocator.ts';
import { serviceClusterIPs, serviceNodePorts, type ServiceAllocators } from '../registry/core/service-alloc.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';

/** Passes a leaked value survives before it is released (upstream's numRepairsBeforeLeakCleanup). */
const repairsBeforeLeakCleanup = 3;

export interface RepairResult {
  /** Values Services held that had no claim. */
  claimed: number;
  /** Claims released as leaked. */
  released: number;
}

/** One allocator's repair: which values a Service holds, and where they sit in the bitmap. */
export class RangeRepair<V extends string | number> {
  private readonly leaks = new Map<number, number>();

  constructor(
    private readonly what: string,
    private readonly allocator: RangeAllocator,
    private readonly held: (svc: StoredObject) => V[],
    private readonly offsetOf: (v: V) => number | undefined,
    private readonly log?: Logger,
  ) {}

  /** One pass over `services` (listed after this call starts); retried when the write loses a race. */
  async pass(listServices: () => Promise<StoredObject[]>): Promise<RepairResult> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.once(listServices);
      if (result) return result;
      if (attempt >= 10) throw new Error(`unable to persist the updated ${this.what} allocations: conflict`);
    }
  }

  private async once(listServices: () => Promise<StoredObject[]>): Promise<RepairResult | undefined> {
    const cur = await this.allocator.read();
    const stored = this.allocator.emptyBitmap();
    if (cur && cur.range === this.allocator.rangeSpec) stored.restore(cur.data);
    else if (cur) this.log?.warn({ stored: cur.range, configured: this.allocator.rangeSpec }, `the ${this.what} range changed; rebuilding the allocations from the Services`);
    const services = await listServices();
    const rebuilt = this.allocator.emptyBitmap();
    let claimed = 0;
    let released = 0;
    for (const svc of services) {
      const who = `${svc.metadata?.namespace}/${svc.metadata?.name}`;
      for (const v of this.held(svc)) {
        const offset = this.offsetOf(v);
        if (offset === undefined) {
          this.log?.warn(`the ${this.what} ${v} for service ${who} is not within the range ${this.allocator.rangeSpec}; please recreate`);
        } else if (!rebuilt.allocate(offset)) {
          this.log?.warn(`the ${this.what} ${v} for service ${who} was assigned to multiple services; please recreate`);
        } else {
          if (stored.has(offset)) stored.release(offset);
          else {
            claimed++;
            this.log?.info(`the ${this.what} ${v} for service ${who} is not allocated; repairing`);
          }
          this.leaks.delete(offset);
        }
      }
    }
    stored.forEach((offset) => {
      const count = this.leaks.get(offset) ?? repairsBeforeLeakCleanup - 1;
      if (count > 0) {
        this.leaks.set(offset, count - 1);
        rebuilt.allocate(offset);
      } else {
        this.leaks.delete(offset);
        released++;
        this.log?.info(`a ${this.what} appears to have leaked: cleaning up`);
      }
    });
    const unchanged = cur && cur.range === this.allocator.rangeSpec && Buffer.compare(Buffer.from(cur.data), Buffer.from(rebuilt.snapshot())) === 0;
    if (unchanged) return { claimed, released };
    return (await this.allocator.replace(rebuilt, cur?.revision ?? 0)) ? { claimed, released } : undefined;
  }
}

export class ServiceRepair {
  private timer: NodeJS.Timeout | undefined;
  readonly clusterIPs: RangeRepair<string>;
  readonly nodePorts: RangeRepair<number>;
  private firstPass: Promise<void> | undefined;

  constructor(
    allocators: ServiceAllocators,
    private readonly services: RegistryStore,
    private readonly log: Logger,
    /** The store and prefix of the keys an earlier kube-ts kept one per claimed IP, removed by the first pass. */
    private readonly legacy?: { kv: KV; etcdPrefix: string },
    private readonly intervalMs = 60_000,
  ) {
    const { ips, nodePorts } = allocators;
    this.clusterIPs = new RangeRepair('cluster IP', ips.ranges, (s) => serviceClusterIPs(s), (ip) => ips.range.offsetOf(ip), log);
    this.nodePorts = new RangeRepair('node port', nodePorts.ranges, (s) => serviceNodePorts(s), (p) => (nodePorts.contains(p) ? p - nodePorts.portRange.base : undefined), log);
  }

  async pass(): Promise<void> {
    const list = async () => (await this.services.list(systemContext())).items;
    const ips = await this.clusterIPs.pass(list);
    const ports = await this.nodePorts.pass(list);
    if (ips.claimed || ips.released || ports.claimed || ports.released) this.log.info({ clusterIPs: ips, nodePorts: ports }, 'service allocations repaired');
  }

  /** Resolves once a first pass wrote the allocators' state (allocation fails until then, as upstream). */
  ready(): Promise<void> {
    return (this.firstPass ??= this.pass());
  }

  /** Runs the first pass (a failure fails the post-start hook, which retries), then one every interval. */
  async start(): Promise<void> {
    try {
      await this.ready();
    } catch (e) {
      this.firstPass = undefined;
      throw e;
    }
    if (this.legacy) {
      const prefix = `${this.legacy.etcdPrefix}/ranges/serviceips/`;
      for (const kv of (await this.legacy.kv.range(prefix)).kvs) await this.legacy.kv.delete(kv.key);
    }
    this.timer ??= setInterval(() => {
      this.pass().catch((e) => this.log.warn({ err: e }, 'service allocation repair failed'));
    }, this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
