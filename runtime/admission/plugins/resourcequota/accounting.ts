/**
 * What the ResourceQuota admission plug-in and the ResourceQuota controller share in this process: one lock per
 * namespace, so a charge and a recount of the same namespace never interleave, and the time of the last charge,
 * so the controller does not recount while admitted objects may still be on their way to storage (a recount then
 * would drop their charge and let more in than the quota allows).
 */
export class QuotaAccounting {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly lastCharge = new Map<string, number>();

  /** Runs `fn` when every earlier holder of `namespace`'s lock has finished. */
  async withNamespaceLock<T>(namespace: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(namespace) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(namespace, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(namespace) === tail) this.tails.delete(namespace);
    }
  }

  private readonly listeners = new Set<(namespace: string) => void>();

  /** Admission charged a quota in `namespace` (listeners: the controller, which recounts once things are quiet). */
  noteCharge(namespace: string): void {
    this.lastCharge.set(namespace, Date.now());
    for (const l of this.listeners) l(namespace);
  }

  /** Calls `listener` after every charge; returns the function that stops it. */
  onCharge(listener: (namespace: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Milliseconds since admission last charged a quota in `namespace` (Infinity: never). */
  sinceLastCharge(namespace: string): number {
    const t = this.lastCharge.get(namespace);
    return t === undefined ? Infinity : Date.now() - t;
  }
}
