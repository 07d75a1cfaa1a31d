/**
 * One priority level's queues: shuffle sharding and fair queuing for server requests, the algorithm of upstream's
 * `fairqueuing/queueset` told in our words.
 *
 * - A flow (FlowSchema + distinguisher) is dealt a hand of `handSize` queues out of `queues` by a hash of its
 *   key, and each request joins the least loaded queue of its hand, so one flow can fill only a few queues.
 * - The level runs requests up to its concurrency limit in seats. When a seat frees, the queue whose head would
 *   finish first in virtual time is served; virtual time advances at the rate each active queue would be served
 *   if seats were shared equally. A queue that was idle starts at the current virtual time, so a quiet flow is
 *   served at once instead of behind a noisy flow's backlog.
 * - A request whose queue is full, or that waits longer than the queue wait limit, is rejected.
 */

/** How long the scheduler assumes a request runs, in seconds, before it knows (corrected on completion). */
const assumedServiceSeconds = 0.003;

export type Rejection = 'queue-full' | 'time-out' | 'concurrency-limit' | 'cancelled';

export interface QueueSetConfig {
  /** Seats that may be in use at once. */
  concurrencyLimit: number;
  /** 0: no queuing (limitResponse Reject). */
  queues: number;
  handSize: number;
  queueLengthLimit: number;
}

interface WaitingRequest {
  seats: number;
  queue: Queue;
  enqueuedAt: number;
  dispatch: () => void;
  timer?: NodeJS.Timeout;
  done: boolean;
}

interface Queue {
  index: number;
  waiting: WaitingRequest[];
  /** Virtual time at which this queue's next request starts. */
  nextDispatchR: number;
  seatsInUse: number;
  requestsExecuting: number;
  /** Seats of the waiting requests. */
  seatsWaiting: number;
}

/** A granted request: call `finish` exactly once when it has been served. */
export interface Ticket {
  waitedMs: number;
  finish(): void;
}

export class QueueSet {
  private cfg: QueueSetConfig;
  private queues: Queue[] = [];
  private virtualR = 0;
  private lastRealMs = performance.now();
  seatsInUse = 0;
  requestsExecuting = 0;
  requestsWaiting = 0;
  seatsWaiting = 0;
  /** Queues with requests waiting or executing (kept as they change, so virtual time costs no scan). */
  private activeQueues = 0;
  private readonly hands = new Map<string, number[]>();
  // Seat demand (seats in use + seats waiting) integrated over time, for borrowing between levels.
  private demand = 0;
  private demandSince = performance.now();
  private periodStart = performance.now();
  private demandIntegral = 0;
  private demandSquares = 0;
  private demandHigh = 0;

  constructor(cfg: QueueSetConfig, private readonly waitLimitMs: number) {
    this.cfg = cfg;
    this.resizeQueues();
  }

  get concurrencyLimit(): number {
    return this.cfg.concurrencyLimit;
  }

  /** Records a change of seat demand (called after every change of seats in use or waiting). */
  private noteDemand(): void {
    const now = performance.now();
    const dt = now - this.demandSince;
    this.demandIntegral += this.demand * dt;
    this.demandSquares += this.demand * this.demand * dt;
    this.demandSince = now;
    this.demand = this.seatsInUse + this.seatsWaiting;
    if (this.demand > this.demandHigh) this.demandHigh = this.demand;
  }


  /** Mean, standard deviation and high watermark of the seat demand since the last call; starts a new period. */
  takeDemandStats(): { average: number; deviation: number; highWatermark: number } {
    this.noteDemand();
    const span = Math.max(1, this.demandSince - this.periodStart);
    const average = this.demandIntegral / span;
    const deviation = Math.sqrt(Math.max(0, this.demandSquares / span - average * average));
    const stats = { average, deviation, highWatermark: this.demandHigh };
    this.periodStart = this.demandSince;
    this.demandIntegral = 0;
    this.demandSquares = 0;
    this.demandHigh = this.demand;
    return stats;
  }

  /** New limits or queue shape: requests already queued stay queued (in the surviving queues). */
  reconfigure(cfg: QueueSetConfig): void {
    const shapeChanged = cfg.queues !== this.cfg.queues || cfg.handSize !== this.cfg.handSize;
    this.syncTime();
    this.cfg = cfg;
    if (shapeChanged) {
      this.hands.clear();
      this.resizeQueues();
    }
    this.dispatchAsMany();
  }

  private resizeQueues(): void {
    const old = this.queues;
    this.queues = Array.from({ length: this.cfg.queues }, (_, index) => old[index] ?? { index, waiting: [], nextDispatchR: this.virtualR, seatsInUse: 0, requestsExecuting: 0, seatsWaiting: 0 });
    // Requests in queues that are gone move to the first queue (rare: only a shrinking reconfiguration).
    for (const q of old.slice(this.cfg.queues)) {
      for (const r of q.waiting) {
        r.queue = this.queues[0] ?? q;
        if (this.queues[0]) {
          this.queues[0].waiting.push(r);
          this.queues[0].seatsWaiting += r.seats;
        }
      }
    }
    this.activeQueues = this.queues.filter((q) => q.waiting.length || q.requestsExecuting).length;
  }

  /**
   * Admits a request of `seats` seats from the flow `flowKey`: resolves with a ticket once it may run, or with a
   * rejection. `signal` aborts the wait (the client went away).
   */
  acquire(flowKey: string, seats: number, signal?: AbortSignal): Ticket | Rejection | Promise<Ticket | Rejection> {
    this.syncTime();
    const now = performance.now();
    if (this.cfg.queues === 0) {
      if (!this.fits(seats)) return 'concurrency-limit';
      this.start(undefined, seats);
      return this.ticket(undefined, seats, 0);
    }
    const queue = this.chooseQueue(flowKey);
    // Nothing waits anywhere and the seats are free: run now, as the dispatcher would at once.
    if (this.requestsWaiting === 0 && this.fits(seats)) {
      if (queue.waiting.length === 0 && queue.requestsExecuting === 0) queue.nextDispatchR = Math.max(queue.nextDispatchR, this.virtualR);
      queue.nextDispatchR += seats * assumedServiceSeconds;
      this.start(queue, seats);
      return this.ticket(queue, seats, 0);
    }
    if (queue.waiting.length >= this.cfg.queueLengthLimit) return 'queue-full';
    if (signal?.aborted) return 'cancelled';
    return new Promise<Ticket | Rejection>((resolve) => {
      if (queue.waiting.length === 0 && queue.requestsExecuting === 0) queue.nextDispatchR = Math.max(queue.nextDispatchR, this.virtualR);
      const req: WaitingRequest = {
        seats,
        queue,
        enqueuedAt: now,
        done: false,
        dispatch: () => {
          cleanup();
          resolve(this.ticket(req.queue, seats, performance.now() - now));
        },
      };
      const giveUp = (why: Rejection) => {
        if (req.done) return;
        req.done = true;
        this.remove(req);
        cleanup();
        resolve(why);
        this.dispatchAsMany();
      };
      const onAbort = () => giveUp('cancelled');
      const cleanup = () => {
        if (req.timer) clearTimeout(req.timer);
        signal?.removeEventListener('abort', onAbort);
      };
      req.timer = setTimeout(() => giveUp('time-out'), this.waitLimitMs);
      signal?.addEventListener('abort', onAbort);
      if (queue.waiting.length === 0 && queue.requestsExecuting === 0) this.activeQueues++;
      queue.waiting.push(req);
      queue.seatsWaiting += seats;
      this.seatsWaiting += seats;
      this.requestsWaiting++;
      this.noteDemand();
      this.dispatchAsMany();
    });
  }

  private ticket(queue: Queue | undefined, seats: number, waitedMs: number): Ticket {
    const started = performance.now();
    let finished = false;
    return {
      waitedMs,
      finish: () => {
        if (finished) return;
        finished = true;
        this.syncTime();
        this.seatsInUse -= seats;
        this.requestsExecuting--;
        if (queue) {
          queue.seatsInUse -= seats;
          queue.requestsExecuting--;
          if (queue.waiting.length === 0 && queue.requestsExecuting === 0) this.activeQueues--;
          // Correct the queue's virtual clock by what the request really took.
          const served = (performance.now() - started) / 1000;
          queue.nextDispatchR += (served - assumedServiceSeconds) * seats;
        }
        this.noteDemand();
        this.dispatchAsMany();
      },
    };
  }

  private start(queue: Queue | undefined, seats: number): void {
    this.seatsInUse += seats;
    this.requestsExecuting++;
    if (queue) {
      if (queue.waiting.length === 0 && queue.requestsExecuting === 0) this.activeQueues++;
      queue.seatsInUse += seats;
      queue.requestsExecuting++;
    }
    this.noteDemand();
  }

  /** As upstream: a request wider than the whole limit runs alone rather than never. */
  private fits(seats: number): boolean {
    if (seats > this.cfg.concurrencyLimit) return this.requestsExecuting === 0;
    return this.seatsInUse + seats <= this.cfg.concurrencyLimit;
  }

  private remove(req: WaitingRequest): void {
    const q = req.queue;
    const i = q.waiting.indexOf(req);
    if (i >= 0) {
      q.waiting.splice(i, 1);
      if (q.waiting.length === 0 && q.requestsExecuting === 0) this.activeQueues--;
      q.seatsWaiting -= req.seats;
      this.seatsWaiting -= req.seats;
      this.requestsWaiting--;
      this.noteDemand();
    }
  }

  /** Serves waiting requests, fairest first, while their seats fit. */
  private dispatchAsMany(): void {
    while (this.requestsWaiting > 0) {
      let best: Queue | undefined;
      let bestFinish = Infinity;
      for (const q of this.queues) {
        const head = q.waiting[0];
        if (!head) continue;
        const finish = q.nextDispatchR + head.seats * assumedServiceSeconds;
        if (finish < bestFinish) {
          bestFinish = finish;
          best = q;
        }
      }
      if (!best) return;
      const head = best.waiting[0];
      if (!this.fits(head.seats)) return;
      best.waiting.shift();
      if (best.waiting.length === 0 && best.requestsExecuting === 0) this.activeQueues--; // start() counts it again
      best.seatsWaiting -= head.seats;
      this.seatsWaiting -= head.seats;
      this.requestsWaiting--;
      head.done = true;
      best.nextDispatchR += head.seats * assumedServiceSeconds;
      this.start(best, head.seats);
      head.dispatch();
    }
  }

  /** Advances virtual time: each active queue is served at min(demand, limit) / active queues seats per second. */
  private syncTime(): void {
    const now = performance.now();
    const elapsed = (now - this.lastRealMs) / 1000;
    this.lastRealMs = now;
    if (this.activeQueues > 0) this.virtualR += (elapsed * Math.min(this.seatsInUse + this.seatsWaiting, this.cfg.concurrencyLimit)) / this.activeQueues;
  }

  /** The least loaded queue (waiting + executing seats) of the flow's hand. */
  private chooseQueue(flowKey: string): Queue {
    let hand = this.hands.get(flowKey);
    if (!hand) {
      hand = dealHand(hashFlow(flowKey), this.cfg.queues, this.cfg.handSize);
      if (this.hands.size > 10000) this.hands.clear();
      this.hands.set(flowKey, hand);
    }
    let best = this.queues[hand[0]];
    let bestLoad = Infinity;
    for (const i of hand) {
      const q = this.queues[i];
      const load = q.seatsWaiting + q.seatsInUse;
      if (load < bestLoad) {
        bestLoad = load;
        best = q;
      }
    }
    return best;
  }
}

/** A 53-bit hash of the flow key (cyrb53): enough entropy for the hands validation allows (up to 60 bits, rarely). */
export function hashFlow(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const ch = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * Deals `handSize` distinct cards from a deck of `deckSize` by reading the hash as a mixed-radix number
 * (deckSize, deckSize-1, ...), as upstream's shuffle sharding does.
 */
export function dealHand(hash: number, deckSize: number, handSize: number): number[] {
  const hand: number[] = [];
  let rest = hash;
  for (let i = 0; i < handSize && i < deckSize; i++) {
    const radix = deckSize - i;
    let card = rest % radix;
    rest = Math.floor(rest / radix);
    // Map the card onto the cards not yet dealt, in order.
    for (const taken of [...hand].sort((a, b) => a - b)) if (card >= taken) card++;
    hand.push(card);
  }
  return hand;
}
