/**
 * Borrowing between priority levels (upstream's periodic concurrency adjustment): each level may lend
 * `lendablePercent` of its nominal seats and borrow up to `borrowingLimitPercent` (no bound when unset). Every
 * period, a level's seat demand (mean + standard deviation, smoothed so it decays slowly) is its target, and the
 * sum of nominal limits is shared out in proportion to the targets, each level held between its bounds.
 */

export interface AllocationItem {
  lowerBound: number;
  upperBound: number;
  target: number;
}

/**
 * Finds the allocations `clamp(p * target, lower, upper)` whose sum is `total` (by bisection on p). When the
 * bounds alone decide (their sums do not straddle `total`), each level gets its lower or upper bound.
 */
export function allocateConcurrency(total: number, items: AllocationItem[]): number[] {
  const at = (p: number) => items.map((it) => Math.min(it.upperBound, Math.max(it.lowerBound, p * it.target)));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const lowers = sum(items.map((it) => it.lowerBound));
  if (lowers >= total) return items.map((it) => it.lowerBound);
  if (items.every((it) => it.target <= 0)) {
    // No demand anywhere: everyone keeps its lower bound plus a share of the rest in proportion to its nominal.
    return items.map((it) => it.lowerBound);
  }
  let lo = 0;
  let hi = 1;
  while (sum(at(hi)) < total && hi < 1e12) hi *= 2;
  if (sum(at(hi)) < total) return at(hi); // every level is at its upper bound
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (sum(at(mid)) < total) lo = mid;
    else hi = mid;
  }
  return at(hi);
}

/** The smoothing of upstream: a target that rises is taken at once, one that falls decays by this factor a period. */
const envelope = 0.977;

export function smoothedTarget(previous: number, stats: { average: number; deviation: number; highWatermark: number }): number {
  const target = Math.min(stats.average + stats.deviation, stats.highWatermark);
  return Math.max(target, envelope * previous + (1 - envelope) * target);
}
