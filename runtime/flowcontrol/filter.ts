/**
 * The API Priority and Fairness filter (upstream's WithPriorityAndFairness): every request is classified to a
 * FlowSchema and priority level, answered with the `X-Kubernetes-PF-*-UID` headers, and, unless its level is
 * exempt, waits for seats in that level's queues, or gets 429 with Retry-After. Long-running requests other
 * than watches pass untouched; a watch holds its seat only while it starts (until its response begins).
 */
import type { MiddlewareHandler } from 'hono';
import { isLongRunning, type Env } from '../server/filters.ts';
import type { FlowControlController } from './controller.ts';
import { flowSeries, type FlowControlMetrics, type FlowSeries } from './metrics.ts';
import { estimateSeats, type ObjectCounter } from './work-estimator.ts';
import { DroppedRequests } from './dropped-requests.ts';

export const flowSchemaUIDHeader = 'X-Kubernetes-PF-FlowSchema-UID';
export const priorityLevelUIDHeader = 'X-Kubernetes-PF-PriorityLevel-UID';

export interface PriorityAndFairnessOptions {
  controller: FlowControlController;
  metrics: FlowControlMetrics;
  /** Objects per resource, for the seats of lists (the watch cache's counts). */
  objectCount: ObjectCounter;
}

function tooManyRequests(headers: Record<string, string>, retryAfter: number): Response {
  return new Response('Too many requests, please try again later.\n', {
    status: 429,
    headers: { ...headers, 'Retry-After': String(retryAfter), 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * @example app.use('*', withPriorityAndFairness({ controller, metrics, objectCount }))
 */
export function withPriorityAndFairness(opts: PriorityAndFairnessOptions): MiddlewareHandler<Env> {
  const { controller, metrics } = opts;
  const dropped = new DroppedRequests();
  const series = new Map<string, FlowSeries>();
  const seriesOf = (fs: string, pl: string): FlowSeries => {
    const key = `${fs}\0${pl}`;
    let s = series.get(key);
    if (!s) {
      if (series.size > 10000) series.clear();
      s = flowSeries(metrics, fs, pl);
      series.set(key, s);
    }
    return s;
  };
  return async function priorityAndFairnessFilter(c, next) {
    const info = c.get('requestInfo');
    if (info.verb !== 'watch' && isLongRunning(info)) return next();
    const decision = controller.classify(c.get('user'), info);
    if (!decision) return next();
    const { schema, level } = decision;
    const headers = { [flowSchemaUIDHeader]: schema.uid, [priorityLevelUIDHeader]: level.uid };
    const m = seriesOf(schema.name, level.name);
    const withHeaders = async () => {
      await next();
      for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    };
    if (level.exempt || !level.queueSet) {
      m.dispatched.inc();
      m.executing.inc();
      try {
        return await withHeaders();
      } finally {
        m.executing.dec();
      }
    }
    const seats = estimateSeats(info, info.verb === 'list' ? new URL(c.req.url).searchParams : undefined, opts.objectCount);
    const flowKey = `${schema.name}\0${decision.distinguisher}`;
    const queuedAt = performance.now();
    let granted = level.queueSet.acquire(flowKey, seats, c.req.raw.signal);
    if (granted instanceof Promise) {
      m.inQueue.inc();
      try {
        granted = await granted;
      } finally {
        m.inQueue.dec();
      }
    }
    if (typeof granted === 'string') {
      m.rejected(granted);
      m.waited((performance.now() - queuedAt) / 1000, false);
      dropped.record(level.name);
      return tooManyRequests(headers, dropped.retryAfter(level.name));
    }
    m.dispatched.inc();
    m.waited(granted.waitedMs / 1000, true);
    m.executing.inc();
    try {
      return await withHeaders();
    } finally {
      m.executing.dec();
      granted.finish();
    }
  };
}
