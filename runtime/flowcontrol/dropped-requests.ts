/**
 * The Retry-After of a priority level's 429s, as upstream's dropped-requests tracker: it starts at 1 s, doubles
 * (up to 32 s) when, within the last Retry-After seconds, the level turned away at least three requests per second
 * of it, and steps back by one second whenever fewer drops than seconds were seen. Updated once per second with
 * drops, so a burst of rejections costs one counter increment each.
 */
const maxRetryAfter = 32;

interface LevelDrops {
  retryAfter: number;
  updatedAt: number;
  /** Drops per whole second, oldest first. */
  history: { second: number; count: number }[];
}

export class DroppedRequests {
  private readonly levels = new Map<string, LevelDrops>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Counts one rejection of `level`. */
  record(level: string): void {
    const second = Math.floor(this.now() / 1000);
    let l = this.levels.get(level);
    if (!l) {
      l = { retryAfter: 1, updatedAt: second, history: [] };
      this.levels.set(level, l);
    }
    const last = l.history[l.history.length - 1];
    if (last?.second === second) {
      last.count++;
      return;
    }
    l.history.push({ second, count: 1 });
    while (l.history.length && second - l.history[0].second > maxRetryAfter) l.history.shift();
    this.update(l, second);
  }

  /** The Retry-After, in seconds, to send with the next 429 of `level`. */
  retryAfter(level: string): number {
    return this.levels.get(level)?.retryAfter ?? 1;
  }

  private update(l: LevelDrops, second: number): void {
    let dropped = 0;
    for (let i = l.history.length - 1; i >= 0; i--) {
      const h = l.history[i];
      if (second - h.second > l.retryAfter) break;
      if (h.second < second) dropped += h.count;
    }
    if (second - l.updatedAt >= l.retryAfter && dropped >= 3 * l.retryAfter) {
      l.retryAfter = Math.min(maxRetryAfter, l.retryAfter * 2);
      l.updatedAt = second;
    } else if (dropped < l.retryAfter && l.retryAfter > 1) {
      l.retryAfter--;
    }
  }
}
