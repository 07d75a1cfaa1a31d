/**
 * Batches "what is the store's current revision?" queries. A reader must get a revision the store reached after
 * the reader arrived: a query already in flight may have been answered before a write the reader saw
 * acknowledged. So readers that arrive while a query is in flight wait for the next one, sent once the one in
 * flight returns: one query in flight at a time, however many readers.
 *
 * A query is sent at the end of the event-loop turn it was first asked in, and so is the one readers waited on while
 * another was in flight: every reader of that turn (the requests read from the sockets in one poll) shares it,
 * rather than the first sending one alone and the rest waiting for the next. Only for stores whose revision is a
 * round trip (etcd): one that knows its own (KV.revisionNow) is asked directly (ObjectStore.currentRevision).
 */
import type { KV } from './kv.ts';

/** A query not yet sent: its readers' promise and how to settle it. */
interface Pending {
  promise: Promise<number>;
  resolve(rev: number): void;
  reject(err: unknown): void;
}

class RevisionBatch {
  /** The query the readers since the last one was sent wait for. */
  private pending?: Pending;
  private inFlight = false;

  constructor(private readonly kv: KV) {}

  get(): Promise<number> {
    if (this.pending) return this.pending.promise;
    const pending = {} as Pending;
    pending.promise = new Promise<number>((resolve, reject) => {
      pending.resolve = resolve;
      pending.reject = reject;
    });
    this.pending = pending;
    if (!this.inFlight) setImmediate(this.send);
    return pending.promise;
  }

  private readonly send = (): void => {
    const readers = this.pending!;
    this.pending = undefined;
    this.inFlight = true;
    this.kv.currentRevision().then(
      (rev) => {
        this.sent();
        readers.resolve(rev);
      },
      (err: unknown) => {
        this.sent();
        readers.reject(err);
      },
    );
  };

  /** The query in flight returned: the readers who came meanwhile get theirs. */
  private sent(): void {
    this.inFlight = false;
    if (this.pending) setImmediate(this.send);
  }
}

const batches = new WeakMap<KV, RevisionBatch>();

/** The revision batch of `kv`, shared by every store on it. */
export function revisionBatch(kv: KV): RevisionBatch {
  let batch = batches.get(kv);
  if (!batch) batches.set(kv, (batch = new RevisionBatch(kv)));
  return batch;
}
