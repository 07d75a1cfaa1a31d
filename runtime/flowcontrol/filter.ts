/**
 * The API Priority and Fairness filter (upstream's WithPriorityAndFairness): every request is classified to a
 * FlowSchema and priority level, answered with the `X-Kubernetes-PF-*-UID` headers, and, unless its level is
 * exempt, waits for seats in that level's queues, or gets 429 with Retry-After. Long-running requests other
 * than watches pass untouched; a watch holds its seat only while it starts (until its response begins).
 */
import type { MiddlewareHandler } from 'hono';
import { isLongRunning, type Env } from '../server/filters.ts';
import { prepareHeader } from '../server/response-headers.ts';
import type { Decision, FlowControlController } from './controller.ts';
import { flowSeries, type FlowControlMetrics, type FlowSeries } from './metrics.ts';
import { estimateSeats, type ObjectCounter } from './work-estimator.ts';
import { DroppedRequests } from './dropped-requests.ts';
import { recordRequestTermination } from '../metrics/request.ts';

export const flowSchemaUIDHeader = 'X-Kubernetes-PF-FlowSchema-UID';
export const priorityLevelUIDHeader = 'X-Kubernetes-PF-PriorityLevel-UID';

export interface PriorityAndFairnessOptions {
  controller: FlowControlController;
  metrics: FlowControlMetrics;
  /** Objects per resource, for the seats of lists (the watch cache's counts). */
  objectCount: ObjectCounter;
}

/**
 * @example app.use('*', withPriorityAndFairness({ controller, metrics, objectCount }))
 */
export function withPriorityAndFairness(opts: PriorityAndFairnessOptions): MiddlewareHandler<Env> {
  const { controller, metrics } = opts;
  const dropped = new DroppedRequests();
  const series = new Map<string, FlowSeries>();
  const seriesNamed = (fs: string, pl: string): FlowSeries => {
    const key = `${fs}\0${pl}`;
    let s = series.get(key);
    if (!s) {
      if (series.size > 10000) series.clear();
      s = flowSeries(metrics, fs, pl);
      series.set(key, s);
    }
    return s;
  };
  // Per decision (the controller keeps one per classification): no key to build per request.
  const byDecision = new WeakMap<Decision, FlowSeries>();
  const seriesOf = (d: Decision): FlowSeries => {
    let s = byDecision.get(d);
    if (!s) byDecision.set(d, (s = seriesNamed(d.schema.name, d.level.name)));
    return s;
  };
  return async function priorityAndFairnessFilter(c, next) {
    const info = c.get('requestInfo');
    if (info.verb !== 'watch' && isLongRunning(info)) return next();
    const decision = controller.classify(c.get('user'), info);
    if (!decision) return next();
    const { schema, level } = decision;
    // Prepared for the request (server/response-headers.ts), so every response carries them (touching a built response's
    // headers would cost the server its fast path for writing it).
    prepareHeader(c, flowSchemaUIDHeader, schema.uid);
    prepareHeader(c, priorityLevelUIDHeader, level.uid);
    const m = seriesOf(decision);
    if (level.exempt || !level.queueSet) {
      m.dispatched.inc();
      m.executing.inc();
      try {
        return await next();
      } finally {
        m.executing.dec();
      }
    }
    const seats = estimateSeats(info, info.verb === 'list' ? new URL(c.req.url).searchParams : undefined, opts.objectCount);
    const flowKey = `${schema.name}\0${decision.distinguisher}`;
    const queuedAt = performance.now();
    let granted = level.queueSet.acquire(flowKey, seats, () => c.req.raw.signal);
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
      recordRequestTermination(info, c.req.method, c.req.header('content-type'), 429);
      return c.newResponse('Too many requests, please try again later.\n', 429, {
        'Retry-After': String(dropped.retryAfter(level.name)),
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      });
    }
    m.dispatched.inc();
    m.waited(granted.waitedMs / 1000, true);
    m.executing.inc();
    try {
      return await next();
    } finally {
      m.executing.dec();
      granted.finish();
    }
  };
}
