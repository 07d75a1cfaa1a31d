/**
 * The API Priority and Fairness filter (upstream's WithPriorityAndFairness): every request is classified to a
 * FlowSchema and priority level, answered with the `X-Kubernetes-PF-*-UID` headers, and, unless its level is
 * exempt, waits for seats in that level's queues, or gets 429 with Retry-After. Long-running requests other
 * than watches pass untouched; a watch holds its seat only while it starts (until its response begins).
 */
import type { MiddlewareHandler } from 'hono';
import { isLongRunning, type Env } from '../server/filters.ts';
import type { FlowControlController } from './controller.ts';
import type { FlowControlMetrics } from './metrics.ts';
import { estimateSeats, type ObjectCounter } from './work-estimator.ts';

export const flowSchemaUIDHeader = 'X-Kubernetes-PF-FlowSchema-UID';
export const priorityLevelUIDHeader = 'X-Kubernetes-PF-PriorityLevel-UID';

export interface PriorityAndFairnessOptions {
  controller: FlowControlController;
  metrics: FlowControlMetrics;
  /** Objects per resource, for the seats of lists (the watch cache's counts). */
  objectCount: ObjectCounter;
}

function tooManyRequests(headers: Record<string, string>): Response {
  return new Response('Too many requests, please try again later.\n', {
    status: 429,
    headers: { ...headers, 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/**
 * @example app.use('*', withPriorityAndFairness({ controller, metrics, objectCount }))
 */
export function withPriorityAndFairness(opts: PriorityAndFairnessOptions): MiddlewareHandler<Env> {
  const { controller, metrics } = opts;
  return async function priorityAndFairnessFilter(c, next) {
    const info = c.get('requestInfo');
    if (info.verb !== 'watch' && isLongRunning(info)) return next();
    const decision = controller.classify(c.get('user'), info);
    if (!decision) return next();
    const { schema, level } = decision;
    const headers = { [flowSchemaUIDHeader]: schema.uid, [priorityLevelUIDHeader]: level.uid };
    const labels = { flow_schema: schema.name, priority_level: level.name };
    const withHeaders = async () => {
      await next();
      for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
    };
    if (level.exempt || !level.queueSet) {
      metrics.dispatched.inc(labels);
      metrics.executing.inc(labels);
      try {
        return await withHeaders();
      } finally {
        metrics.executing.dec(labels);
      }
    }
    const seats = estimateSeats(info, info.verb === 'list' ? new URL(c.req.url).searchParams : undefined, opts.objectCount);
    const flowKey = `${schema.name}\0${decision.distinguisher}`;
    const queuedAt = performance.now();
    let granted = level.queueSet.acquire(flowKey, seats, c.req.raw.signal);
    if (granted instanceof Promise) {
      metrics.inQueue.inc(labels);
      try {
        granted = await granted;
      } finally {
        metrics.inQueue.dec(labels);
      }
    }
    if (typeof granted === 'string') {
      metrics.rejected.inc({ ...labels, reason: granted });
      metrics.waitDuration.observe({ ...labels, execute: 'false' }, (performance.now() - queuedAt) / 1000);
      return tooManyRequests(headers);
    }
    metrics.dispatched.inc(labels);
    metrics.waitDuration.observe({ ...labels, execute: 'true' }, granted.waitedMs / 1000);
    metrics.executing.inc(labels);
    try {
      return await withHeaders();
    } finally {
      metrics.executing.dec(labels);
      granted.finish();
    }
  };
}
