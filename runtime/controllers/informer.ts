/**
 * The two pieces every in-process controller needs, shaped as client-go's: an informer (list, then watch from the
 * list's revision, and list again when the watch ends) feeding handlers, and a work queue of keys that runs one
 * sync at a time per controller, collapses duplicates and retries failures after a delay.
 */
import type { Logger } from 'pino';
import type { RegistryStore, RequestContext } from '../registry/store.ts';
import type { StoredObject, Watch, WatchEventType } from '../storage/store.ts';

export type InformerHandler = (type: WatchEventType, obj: StoredObject) => void;

export class Informer {
  private watch: Watch | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: RegistryStore,
    private readonly ctx: RequestContext,
    private readonly handler: InformerHandler,
    private readonly log: Logger,
  ) {}

  /** Lists (every object is handed over as ADDED) and starts watching; resolves once the first list is done. */
  async start(): Promise<void> {
    const listed = await this.store.list(this.ctx);
    if (this.stopped) return;
    for (const obj of listed.items) this.handler('ADDED', obj);
    this.watch = this.store.watch(this.ctx, { resourceVersion: listed.resourceVersion }, {
      onEvent: (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') this.handler(ev.type, ev.object);
      },
      onError: (err) => {
        if (this.stopped) return;
        this.log.warn({ err, resource: this.store.kind.resource }, 'informer watch ended; listing again');
        this.relistLater();
      },
    });
  }

  private relistLater(): void {
    this.timer = setTimeout(() => {
      this.start().catch((e) => {
        this.log.warn({ err: e, resource: this.store.kind.resource }, 'informer list failed; retrying');
        if (!this.stopped) this.relistLater();
      });
    }, 1000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    if (this.timer) clearTimeout(this.timer);
  }
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly log: Logger,
    private readonly name: string,
    private readonly retryMs = 1000,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.size && !this.stopped) {
        const key: string = this.pending.values().next().value!;
        this.pending.delete(key);
        try {
          await this.sync(key);
        } catch (e) {
          this.log.warn({ err: e, controller: this.name, key }, 'sync failed; retrying');
          this.retryLater(key);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private retryLater(key: string): void {
    if (this.stopped || this.retries.has(key)) return;
    const t = setTimeout(() => {
      this.retries.delete(key);
      this.add(key);
    }, this.retryMs);
    t.unref();
    this.retries.set(key, t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }
}
