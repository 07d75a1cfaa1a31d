/**
 * A watcher that stops reading must not make the server hold its events without bound. Upstream's watch cache keeps
 * a few events per watcher and terminates one that cannot take the next within a short budget (its client rewatches
 * from the last resourceVersion it saw). A Node connection takes every write, queueing in memory what the client
 * has not read yet; so here a watch whose queued bytes stay above `maxBytes` for `budgetMs` without draining once is
 * ended by destroying its response: a clean end would wait behind the very bytes the client does not read.
 *
 * The budget lets through the bursts a healthy client reads at once: a watch's initial events (a whole collection,
 * written in one go) and a fan-out of large objects.
 */
import type { BodySink } from '../machinery/stream-ending.ts';

export const watchBacklogLimits = { maxBytes: 1 << 20, budgetMs: 5000 };

/**
 * Watches `sink` after each write (`accepted`: what its write returned) and calls `terminate` once its backlog has
 * stayed over the limit for the budget. Checks cost nothing while the sink takes writes (write returns true).
 */
export function backlogGuard(sink: BodySink, terminate: () => void, limits = watchBacklogLimits, now = Date.now): (accepted: boolean) => void {
  /** When the backlog was first seen over the limit since the sink last drained. */
  let since: number | undefined;
  const drained = () => (since = undefined);
  return (accepted) => {
    if (accepted || sink.writableLength <= limits.maxBytes) return;
    const t = now();
    if (since === undefined) {
      since = t;
      sink.once('drain', drained);
    } else if (t - since >= limits.budgetMs) terminate();
  };
}
