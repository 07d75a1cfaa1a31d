/**
 * Documents read from the servers behind remote APIServices (discovery, OpenAPI): one per APIService, read when it
 * becomes available and again every refresh period, dropped when it goes away or turns local. `generation` grows
 * with every change, so documents merged from these know when to rebuild.
 */
import type { Logger } from 'pino';
import type { Scheme } from '../machinery/scheme.ts';
import { isAvailable, isLocal, type APIServiceCache, type APIServiceObject } from './apiservice-cache.ts';
import type { AggregatorTransport } from './transport.ts';

export abstract class RemoteDocuments<T> {
  protected readonly remote = new Map<string, T>();
  private readonly refreshedAt = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();
  protected generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  /** What is read, for log lines: `discovery`, `OpenAPI`. */
  protected abstract readonly what: string;

  constructor(
    protected readonly scheme: Scheme,
    protected readonly cache: APIServiceCache,
    protected readonly transport: AggregatorTransport,
    protected readonly log: Logger,
    private readonly refreshMs = 60_000,
  ) {}

  /** Reads the APIService's document from its server; throws when it cannot. */
  protected abstract read(s: APIServiceObject): Promise<T>;
  /** Whether two readings are the same document (an unchanged one keeps the merged documents and their ETags). */
  protected abstract same(a: T, b: T): boolean;

  /** Calls back when a document was read anew with other content, or dropped; returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }

  start(): void {
    this.cache.onChange((type, s) => {
      if (type === 'DELETED' || isLocal(s)) {
        if (this.remote.delete(s.metadata.name)) this.changed();
        this.refreshedAt.delete(s.metadata.name);
      }
    });
    this.timer = setInterval(() => {
      for (const s of this.cache.remotes()) if (isAvailable(s)) void this.refresh(s);
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Called when an APIService's availability was judged: read it when it is up and not read lately. */
  availabilityChecked(s: APIServiceObject, available: boolean): void {
    const last = this.refreshedAt.get(s.metadata.name) ?? 0;
    if (available && (!this.remote.has(s.metadata.name) || Date.now() - last > this.refreshMs)) void this.refresh(s);
    else if (!available) this.generation++; // what is merged from it turns stale
  }

  /** Reads the APIService's document now (joining a reading already under way). */
  refresh(s: APIServiceObject): Promise<void> {
    const name = s.metadata.name;
    const running = this.inFlight.get(name);
    if (running) return running;
    const reading = this.readInto(s).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, reading);
    return reading;
  }

  /**
   * Waits, at most `ms`, for first readings still under way: a client that has just found a group in discovery
   * (read at the same moment) asks for its document next, and should find it.
   */
  async firstReadings(ms = 5000): Promise<void> {
    const waiting = [...this.inFlight].filter(([name]) => !this.remote.has(name)).map(([, reading]) => reading);
    if (!waiting.length) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waiting), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  private async readInto(s: APIServiceObject): Promise<void> {
    const name = s.metadata.name;
    this.refreshedAt.set(name, Date.now());
    let next: T;
    try {
      next = await this.read(s);
    } catch (e) {
      this.log.warn({ err: e, apiservice: name }, `reading the ${this.what} of an aggregated API server failed`);
      return;
    }
    const prev = this.remote.get(name);
    if (prev === undefined || !this.same(prev, next)) {
      this.remote.set(name, next);
      this.changed();
    }
  }
}
