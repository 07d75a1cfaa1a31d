/**
 * Periodic history compaction (upstream's storage/etcd3/compact.go), the same for both backends because it only
 * uses the KV contract.
 *
 * Every interval, compact to the revision seen at the previous tick, so watches and continue tokens from the last
 * interval still work. With several API servers on one store, only one compacts per interval: each tick is a
 * compare-and-swap on the `compact_rev_key` key (outside every resource prefix). Upstream compares the key's
 * version; our KV exposes modRevision, which serves the same purpose: a server may compact only if the key is
 * unchanged since its own previous tick, i.e. nobody else compacted in between. The loser learns the new
 * modRevision and the current revision, and tries again next interval.
 */
import type { KV } from './kv.ts';
import type { StorageLogger } from './store.ts';
import { stderrLogger } from './store.ts';

export const compactRevKey = 'compact_rev_key';

export interface CompactorOptions {
  /** Milliseconds between ticks; 0 turns compaction off. Upstream default: 5 minutes. */
  intervalMs: number;
  log?: StorageLogger;
}

export interface Compactor {
  /** One compaction round (exposed for tests). Resolves with the revision compacted to, or 0 if none. */
  tick(): Promise<number>;
  stop(): void;
}

/** The compaction state one API server keeps between ticks. */
export class CompactionRound {
  /** modRevision of compact_rev_key as of our last tick (0: absent / unknown). */
  private seenMod = 0;
  /** Store revision observed at our last tick: the target of the next compaction. */
  private lastRev = 0;

  constructor(private readonly kv: KV) {}

  async tick(): Promise<number> {
    const target = this.lastRev;
    const value = new TextEncoder().encode(String(target));
    const res = this.seenMod === 0 ? await this.kv.create(compactRevKey, value) : await this.kv.update(compactRevKey, value, this.seenMod);
    if (!res.succeeded) {
      // Another server ticked (or this is our first tick against an existing key): learn its state, retry later.
      this.seenMod = res.current?.modRevision ?? 0;
      this.lastRev = res.revision;
      return 0;
    }
    this.seenMod = res.kv.modRevision;
    this.lastRev = res.revision;
    if (target === 0) return 0; // no compaction on bootstrap
    await this.kv.compact(target);
    return target;
  }
}

export function startCompactor(kv: KV, opts: CompactorOptions): Compactor {
  const log = opts.log ?? stderrLogger;
  const round = new CompactionRound(kv);
  let running: Promise<number> | undefined;
  const tick = async () => {
    if (running) return running;
    running = round.tick().finally(() => {
      running = undefined;
    });
    return running;
  };
  let timer: NodeJS.Timeout | undefined;
  if (opts.intervalMs > 0) {
    timer = setInterval(() => {
      tick().catch((err) => log.warn({ err: (err as Error).message }, 'compaction failed'));
    }, opts.intervalMs);
    timer.unref();
  }
  return {
    tick,
    stop: () => {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
