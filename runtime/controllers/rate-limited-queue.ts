/**
 * A rate-limited work queue with several workers, shaped as client-go's with its default controller rate limiter:
 * a key queued while it waits is queued once; a key being processed is not handed to a second worker, but queued
 * again for after; `addRateLimited` waits the longer of the key's own backoff (5 ms doubling after each failure of
 * the same key, up to 1000 s; `forget` resets it) and the whole queue's token bucket (10 retries a second, bursts
 * of 100), so failing keys neither spin nor, together, flood the server.
 */
import { Fifo } from '../machinery/fifo.ts';
import type { Logger } from 'pino';
import { counter, gauge } from '../metrics/registry.ts';

// client-go's workqueue metrics (kube-controller-manager serves them for its queues; here, the server).
const workqueueDepth = gauge('workqueue_depth', 'Current depth of workqueue', ['name']);
const workqueueAdds = counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
const workqueueRetries = counter('workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']);

/**
 * A token bucket as Go's rate.Limiter used through Reserve: every call takes a token, the delay is how long until
 * that token will have been refilled (tokens may run below zero: later calls queue up behind earlier ones).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token; returns the milliseconds to wait for it. */
  reserve(now = Date.now()): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.perSecond) * 1000;
  }
}

export type Outcome = 'forget' | 'requeue';

export class RateLimitedQueue {
  private readonly queue = new Fifo<string>();
  /** The keys in `queue` (a key is queued at most once). */
  private readonly queued = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private waiting: (() => void)[] = [];
  private stopped = false;
  private readonly bucket = new TokenBucket(10, 100);

  constructor(
    readonly name: string,
    private readonly baseDelayMs = 5,
    private readonly maxDelayMs = 1_000_000,
  ) {}

  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    workqueueAdds.inc({ name: this.name });
    if (this.processing.has(key)) return;
    this.push(key);
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.add(key);
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.add(key);
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  addRateLimited(key: string): void {
    workqueueRetries.inc({ name: this.name });
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.max(Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs), this.bucket.reserve()));
  }

  private push(key: string): void {
    this.queue.push(key);
    this.queued.add(key);
    workqueueDepth.set({ name: this.name }, this.queue.length);
    this.waiting.shift()?.();
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Runs `workers` loops handing keys to `process`; a thrown error counts as 'requeue'. */
  run(workers: number, process: (key: string) => Promise<Outcome>, log: Logger): void {
    for (let i = 0; i < workers; i++) void this.worker(process, log);
  }

  private async worker(process: (key: string) => Promise<Outcome>, log: Logger): Promise<void> {
    while (!this.stopped) {
      const key = this.queue.shift();
      if (key === undefined) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      this.queued.delete(key);
      workqueueDepth.set({ name: this.name }, this.queue.length);
      this.dirty.delete(key);
      this.processing.add(key);
      let outcome: Outcome;
      try {
        outcome = await process(key);
      } catch (err) {
        log.warn({ err, queue: this.name, key }, 'work item failed; retrying');
        outcome = 'requeue';
      }
      this.processing.delete(key);
      if (outcome === 'forget') this.forget(key);
      else this.addRateLimited(key);
      // Queued again while it was being processed: now it may go.
      if (this.dirty.has(key) && !this.queued.has(key)) this.push(key);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of this.waiting.splice(0)) w();
  }
}
