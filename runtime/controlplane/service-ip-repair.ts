/**
 * Keeps Service IP claims and Services in step (upstream's service IP repair controller): a pass at start-up and
 * one a minute; see ServiceIPAllocator.repair for what a pass does.
 */
import type { Logger } from 'pino';
import type { ServiceIPAllocator } from '../registry/core/service-ip-allocator.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';


export class ServiceIPRepair {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly allocator: ServiceIPAllocator,
    private readonly services: RegistryStore,
    private readonly log: Logger,
    private readonly intervalMs = 60_000,
  ) {}

  async pass(): Promise<void> {
    const list = await this.services.list(systemContext());
    const held = list.items.flatMap((s) =>
      ((s.spec?.clusterIPs as string[] | undefined) ?? (s.spec?.clusterIP ? [s.spec.clusterIP] : [])).map((ip) => ({ ip, owner: `${s.metadata.namespace}/${s.metadata.name}` })),
    );
    const { claimed, released } = await this.allocator.repair(held);
    if (claimed || released) this.log.info({ claimed, released }, 'service IP claims repaired');
  }

  /** Runs the first pass (a failure fails the post-start hook, which retries), then one every interval. */
  async start(): Promise<void> {
    await this.pass();
    this.timer ??= setInterval(() => {
      this.pass().catch((e) => this.log.warn({ err: e }, 'service IP repair failed'));
    }, this.intervalMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
