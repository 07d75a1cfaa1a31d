/**
 * A set of offsets `0..max-1`, as upstream's allocator.AllocationBitmap: what a RangeAllocation's `data` holds, a
 * big-endian integer whose bit `i` says offset `i` is taken (Go's big.Int.Bytes(), no leading zero bytes).
 */

export class AllocationBitmap {
  /** Bit `i` is byte `i >> 3`, bit `i & 7` (little-endian within the local array; converted on snapshot). */
  private bits: Uint8Array;
  private used = 0;

  /**
   * `offset` splits the range as upstream's dynamic allocation does: free offsets at or above it are handed out
   * first, so the lower band stays for values clients ask for by number.
   */
  constructor(
    readonly max: number,
    readonly offset = 0,
  ) {
    this.bits = new Uint8Array(Math.ceil(max / 8));
  }

  has(i: number): boolean {
    return i >= 0 && i < this.max && (this.bits[i >> 3] & (1 << (i & 7))) !== 0;
  }

  /** Takes `i`; false when it is out of range or already taken. */
  allocate(i: number): boolean {
    if (i < 0 || i >= this.max || this.has(i)) return false;
    this.bits[i >> 3] |= 1 << (i & 7);
    this.used++;
    return true;
  }

  release(i: number): void {
    if (!this.has(i)) return;
    this.bits[i >> 3] &= ~(1 << (i & 7));
    this.used--;
  }

  get free(): number {
    return this.max - this.used;
  }

  /**
   * Takes a free offset, scanning from a random start in the upper band `[offset, max)`, then the lower band
   * (upstream's randomScanStrategyWithOffset); undefined when the range is full.
   */
  allocateNext(): number | undefined {
    const bands: Array<[number, number]> = this.offset > 0 && this.offset < this.max ? [[this.offset, this.max], [0, this.offset]] : [[0, this.max]];
    for (const [lo, hi] of bands) {
      const size = hi - lo;
      const start = Math.floor(Math.random() * size);
      for (let k = 0; k < size; k++) {
        const i = lo + ((start + k) % size);
        if (this.allocate(i)) return i;
      }
    }
    return undefined;
  }

  forEach(fn: (i: number) => void): void {
    for (let i = 0; i < this.max; i++) if (this.has(i)) fn(i);
  }

  /** The stored form: big-endian, without leading zero bytes (empty when nothing is taken). */
  snapshot(): Uint8Array {
    let top = this.bits.length - 1;
    while (top >= 0 && this.bits[top] === 0) top--;
    const out = new Uint8Array(top + 1);
    for (let b = 0; b <= top; b++) out[top - b] = this.bits[b];
    return out;
  }

  /** Replaces the state with a stored one; bits beyond `max` (a range that shrank) are dropped. */
  restore(data: Uint8Array): void {
    this.bits = new Uint8Array(Math.ceil(this.max / 8));
    const n = Math.min(data.length, this.bits.length);
    for (let b = 0; b < n; b++) this.bits[b] = data[data.length - 1 - b];
    if (this.max % 8 && this.bits.length) this.bits[this.bits.length - 1] &= (1 << (this.max % 8)) - 1;
    this.used = 0;
    for (const byte of this.bits) for (let v = byte; v; v &= v - 1) this.used++;
  }
}
