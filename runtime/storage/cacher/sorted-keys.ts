/**
 * The watch cache's keys in order, for lists by prefix: sorted runs of at most `maxRun` keys. A create or delete
 * moves the keys of one run only, where one sorted array moves every key after it (with 50k objects stored that
 * was ~40 µs per create, the largest cost that grew with the store); a list finds its prefix by binary search
 * over the runs' first keys, then within a run.
 */
const maxRun = 512;

function lowerBound(keys: readonly string[], x: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SortedKeys {
  private runs: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Replaces every key with `keys` (any order). */
  reset(keys: string[]): void {
    keys.sort();
    this.runs = [];
    for (let i = 0; i < keys.length; i += maxRun) this.runs.push(keys.slice(i, i + maxRun));
    this.count = keys.length;
  }

  /** The run that holds `key` or would: the last whose first key is not after it. */
  private runOf(key: string): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.runs[mid][0] <= key) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  /** Adds a key not yet held. */
  insert(key: string): void {
    if (this.runs.length === 0) {
      this.runs.push([key]);
      this.count = 1;
      return;
    }
    const r = this.runOf(key);
    const run = this.runs[r];
    run.splice(lowerBound(run, key), 0, key);
    this.count++;
    if (run.length > 2 * maxRun) this.runs.splice(r, 1, run.slice(0, maxRun), run.slice(maxRun));
  }

  /** Removes a key if held. */
  remove(key: string): void {
    if (this.runs.length === 0) return;
    const r = this.runOf(key);
    const run = this.runs[r];
    const i = lowerBound(run, key);
    if (run[i] !== key) return;
    run.splice(i, 1);
    this.count--;
    if (run.length === 0) this.runs.splice(r, 1);
  }

  /** How many keys sort before `key`. */
  rank(key: string): number {
    if (this.runs.length === 0) return 0;
    const r = this.runOf(key);
    let n = 0;
    for (let i = 0; i < r; i++) n += this.runs[i].length;
    return n + lowerBound(this.runs[r], key);
  }

  /** The keys from the first not before `from`, in order, while `visit` returns true. */
  forEachFrom(from: string, visit: (key: string) => boolean): void {
    if (this.runs.length === 0) return;
    let r = this.runOf(from);
    let i = lowerBound(this.runs[r], from);
    for (; r < this.runs.length; r++, i = 0) {
      const run = this.runs[r];
      for (; i < run.length; i++) if (!visit(run[i])) return;
    }
  }
}
