/**
 * A rate-limited work queue with several workers, shaped as client-go's: a key queued while it waits is queued
 * once; a key being processed is not handed to a second worker, but queued again for after; `addRateLimited`
 * waits longer after each failure of the same key (5 ms doubling, up to 1000 s), and `forget` resets that count.
 */
import { Fifo } from '../../machinery/fifo.ts';
import type { Logger } from 'pino';
import { workqueueAdds, workqueueDepth, workqueueRetries } from './metrics.ts';

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
    this.addAfter(key, Math.min(this.baseDelayMs * 2 ** n, this.maxDelayMs));
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
        log.warn({ err, queue: this.name, key }, 'garbage collector item failed; retrying');
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
