/**
 * Batches "what is the store's current revision?" queries. A reader must get a revision the store reached after
 * the reader arrived: a query already in flight may have been answered before a write the reader saw
 * acknowledged. So late arrivals wait for the next query, sent once the one in flight returns; any number of
 * concurrent readers cost at most two queries in flight.
 */
import type { KV } from './kv.ts';

class RevisionBatch {
  private inFlight?: Promise<number>;
  private next?: Promise<number>;

  constructor(private readonly kv: KV) {}

  get(): Promise<number> {
    if (!this.inFlight) {
      const query = this.kv.currentRevision();
      this.inFlight = query;
      const clear = () => {
        if (this.inFlight === query) this.inFlight = undefined;
      };
      query.then(clear, clear);
      return query;
    }
    this.next ??= this.inFlight.then(
      () => this.takeNext(),
      () => this.takeNext(),
    );
    return this.next;
  }

  private takeNext(): Promise<number> {
    this.next = undefined;
    return this.get();
  }
}

const batches = new WeakMap<KV, RevisionBatch>();

/** The revision batch of `kv`, shared by every store on it. */
export function revisionBatch(kv: KV): RevisionBatch {
  let batch = batches.get(kv);
  if (!batch) batches.set(kv, (batch = new RevisionBatch(kv)));
  return batch;
}
