/**
 * The deadlines of the requests under way, checked by one shared timer instead of a timer per request: a request
 * costs an entry in a set, added and deleted, while Node's setTimeout/clearTimeout per request made a Timeout object
 * each time and, whenever no other request was pending, unlinked its timer list and re-armed libuv's timer. The
 * timer ticks only while some request is pending, so an idle server does not wake for it; a request times out
 * within one tick after its deadline (upstream's timeout filter: a context deadline, exact).
 */

/** A request's deadline: `expire` runs once if the request is still under way when a tick finds it past `at`. */
export interface Deadline {
  /** performance.now() by which the request must be done. */
  readonly at: number;
  expire(): void;
}

export class RequestDeadlines {
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;

  /** `tickMs`: how often pending requests are checked (and so how late past its deadline one may time out). */
  constructor(private readonly tickMs: number) {}

  add(d: Deadline): void {
    this.#pending.add(d);
    if (this.#timer === undefined) {
      this.#timer = setInterval(this.#sweep, this.tickMs);
      // A pending request keeps the process alive anyway; the timer alone must not.
      this.#timer.unref();
    }
  }

  /** The request is done (answered or timed out): it is no longer checked. */
  delete(d: Deadline): void {
    this.#pending.delete(d);
  }

  readonly #sweep = (): void => {
    if (this.#pending.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      return;
    }
    const now = performance.now();
    for (const d of this.#pending) {
      if (d.at > now) continue;
      this.#pending.delete(d);
      d.expire();
    }
  };
}
