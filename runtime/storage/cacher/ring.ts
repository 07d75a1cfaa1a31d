/** A fixed-capacity ring buffer of events in revision order (upstream's watchCache cyclic buffer). */
export class Ring<T extends { rev: number }> {
  private buf: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.buf = new Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  /** Appends; returns the evicted oldest element when full. */
  push(x: T): T | undefined {
    const cap = this.buf.length;
    if (this.count < cap) {
      this.buf[(this.head + this.count) % cap] = x;
      this.count++;
      return undefined;
    }
    const evicted = this.buf[this.head];
    this.buf[this.head] = x;
    this.head = (this.head + 1) % cap;
    return evicted;
  }

  at(i: number): T {
    return this.buf[(this.head + i) % this.buf.length]!;
  }

  /** Elements with rev > after, oldest first. */
  since(after: number): T[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.at(mid).rev <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  clear(): void {
    this.buf = new Array(this.buf.length);
    this.head = 0;
    this.count = 0;
  }
}
