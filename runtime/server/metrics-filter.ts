/**
 * The request metrics filter (upstream's endpoint instrumentation): after authorization, so, as upstream, requests
 * that fail authentication or authorization are not counted, while those the in-flight limits or the timeout
 * reject are. Each request adds one to apiserver_request_total and one observation to
 * apiserver_request_duration_seconds (from when the request arrived); a watch is recorded when it ends and counted
 * in apiserver_longrunning_requests while it runs. Resource requests for resources nobody serves (404 from the
 * director) are not recorded, so a client cannot grow the label sets at will; of non-resource paths only the health
 * endpoints are, as upstream.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { nowMicros } from '../audit/index.ts';
import { inflight, isMutating, metricsDryRun, metricsScope, metricsVerb, observeRequest, requestSeries, trackLongRunning } from '../metrics/request.ts';
import { isLongRunning, type Env } from './filters.ts';

/** Non-resource paths whose requests are recorded (upstream instruments only the health endpoints' roots). */
const instrumentedPaths = new Set(['/healthz', '/livez', '/readyz']);

export interface RequestMetricsOptions {
  /** Whether some server serves this resource (a 404 for a resource nobody serves is not recorded). */
  isServed(info: RequestInfo): boolean;
}

export function withRequestMetrics(opts: RequestMetricsOptions): MiddlewareHandler<Env> {
  const measured = async (c: Context<Env>, next: Next, info: RequestInfo) => {
    const longRunning = isLongRunning(info);
    const watermark = longRunning ? undefined : isMutating(info) ? inflight.mutating : inflight.readOnly;
    watermark?.inc(Date.now());
    try {
      await next();
    } finally {
      watermark?.dec();
    }
    const code = c.res.status;
    if (code === 404 && info.isResourceRequest && !opts.isServed(info)) return;
    const url = c.req.url;
    const q = url.indexOf('?');
    const contentType = info.verb === 'patch' ? c.req.header('content-type') : undefined; // APPLY or PATCH
    const series = requestSeries(metricsVerb(info, c.req.method, contentType), q < 0 ? '' : metricsDryRun(url.slice(q)), info, metricsScope(info));
    const received = c.get('audit').receivedMicros;
    const outgoing = (c.env as { outgoing?: { once(ev: 'close', fn: () => void): void } } | undefined)?.outgoing;
    if (longRunning && code === 200 && outgoing && c.res.body) {
      const done = trackLongRunning(series);
      outgoing.once('close', () => {
        done();
        observeRequest(series, code, secondsSince(received));
      });
      return;
    }
    observeRequest(series, code, secondsSince(received));
  };
  // Requests that are not recorded pass on at once, without an async frame.
  return function requestMetricsFilter(c, next) {
    const info = c.get('requestInfo');
    return info.isResourceRequest || instrumentedPaths.has(info.path) ? measured(c, next, info) : next();
  };
}

/** Seconds since the request arrived (`receivedMicros`), 0 when unknown. */
function secondsSince(receivedMicros: number | undefined): number {
  return receivedMicros ? (nowMicros() - receivedMicros) / 1e6 : 0;
}
