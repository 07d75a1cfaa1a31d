/**
 * A bitmap allocator whose state lives in the store (upstream's allocator/storage.Etcd): every change reads the
 * stored RangeAllocation, applies itself, and writes back with compare-and-swap, retrying when another server wrote
 * first. Changes from this process are serialised so they do not race each other into retries.
 */
import { AllocationBitmap } from './bitmap.ts';
import type { RangeAllocationStore, StoredRangeSnapshot } from './range-store.ts';

export class RangeAllocator {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: RangeAllocationStore,
    /** The range as stored (`30000-32767`); a stored state for another range is refused until repair rewrites it. */
    readonly rangeSpec: string,
    readonly max: number,
    readonly offset: number,
    /** Upstream's resource name in "cannot allocate resources of type ... at this time". */
    readonly resource: string,
    private readonly mismatchMessage: string,
  ) {}

  /** Takes offset `i`; false when it is already taken. */
  allocate(i: number): Promise<boolean> {
    return this.change((b) => b.allocate(i));
  }

  /** Takes a free offset; undefined when the range is full. */
  async allocateNext(): Promise<number | undefined> {
    let got: number | undefined;
    await this.change((b) => (got = b.allocateNext()) !== undefined);
    return got;
  }

  release(i: number): Promise<boolean> {
    return this.change((b) => {
      if (!b.has(i)) return false;
      b.release(i);
      return true;
    });
  }

  /** Whether `i` is taken now (read from the store). */
  async has(i: number): Promise<boolean> {
    const cur = await this.store.get();
    return cur ? this.bitmapOf(cur).has(i) : false;
  }

  /** The stored state (for repair), or undefined before it was first written. */
  read(): Promise<StoredRangeSnapshot | undefined> {
    return this.store.get();
  }

  /** A bitmap of this range holding `snapshot`'s offsets (for repair). */
  emptyBitmap(): AllocationBitmap {
    return new AllocationBitmap(this.max, this.offset);
  }

  /** Writes a whole bitmap if the stored revision is still `revision` (0: absent); false on conflict. */
  async replace(bitmap: AllocationBitmap, revision: number): Promise<boolean> {
    return (await this.store.write({ range: this.rangeSpec, data: bitmap.snapshot() }, revision)) !== undefined;
  }

  private bitmapOf(cur: StoredRangeSnapshot): AllocationBitmap {
    if (cur.range !== this.rangeSpec) throw new Error(this.mismatchMessage);
    const b = new AllocationBitmap(this.max, this.offset);
    b.restore(cur.data);
    return b;
  }

  /** Applies `fn` to the stored bitmap and writes it back when `fn` says it changed it; returns what `fn` said. */
  private change(fn: (b: AllocationBitmap) => boolean): Promise<boolean> {
    const run = async (): Promise<boolean> => {
      for (;;) {
        const cur = await this.store.get();
        if (!cur) throw new Error(`cannot allocate resources of type ${this.resource} at this time`);
        const b = this.bitmapOf(cur);
        if (!fn(b)) return false;
        if ((await this.store.write({ range: this.rangeSpec, data: b.snapshot() }, cur.revision)) !== undefined) return true;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
