/**
 * Request metrics of the API endpoints (upstream's k8s.io/apiserver/pkg/endpoints/metrics): one count and one
 * latency observation per request, in-flight and long-running gauges. Label values come from the RequestInfo the
 * chain has already computed; the per-label-set children are cached, so recording is two map lookups and two
 * increments.
 */
import type { RequestInfo } from '../endpoints/request-info.ts';
import { fastCounter, fastGauge, fastHistogram, type CounterChild, type HistogramChild } from './fast.ts';
import { requestLatencyBuckets } from './registry.ts';

const requestTotal = fastCounter(
  'apiserver_request_total',
  'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
);

const requestDuration = fastHistogram(
  'apiserver_request_duration_seconds',
  'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
  ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
  requestLatencyBuckets,
);

const longRunning = fastGauge(
  'apiserver_longrunning_requests',
  'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.',
  ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
);

/**
 * Requests in flight per kind, reported as upstream: the highest number seen during the last second (a scrape
 * between two bursts still sees them).
 */
class InflightWatermark {
  current = 0;
  private max = 0;
  private windowStart = 0;

  inc(now: number): void {
    this.current++;
    if (now - this.windowStart > 1000) {
      this.windowStart = now;
      this.max = this.current;
    } else if (this.current > this.max) this.max = this.current;
  }

  dec(): void {
    this.current--;
  }

  read(now: number): number {
    if (now - this.windowStart > 1000) {
      this.windowStart = now;
      this.max = this.current;
    }
    return this.max;
  }
}

export const inflight = { readOnly: new InflightWatermark(), mutating: new InflightWatermark() };

fastGauge('apiserver_current_inflight_requests', 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.', ['request_kind'], (g) => {
  const now = Date.now();
  g.child({ request_kind: 'readOnly' }).set(inflight.readOnly.read(now));
  g.child({ request_kind: 'mutating' }).set(inflight.mutating.read(now));
});

const mutatingVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function isMutating(info: RequestInfo): boolean {
  return mutatingVerbs.has(info.verb);
}

const connectSubresources = new Set(['proxy', 'exec', 'attach', 'portforward']);
const verbs: Record<string, string> = { get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETECOLLECTION' };

/**
 * The verb label as upstream reports it: the installer's action verb (GET, LIST, WATCH, POST, PUT, PATCH, DELETE,
 * DELETECOLLECTION, CONNECT), APPLY for server-side apply patches, the HTTP method for non-resource requests.
 */
export function metricsVerb(info: RequestInfo, method: string, contentType: string | undefined): string {
  if (!info.isResourceRequest) return method;
  if (connectSubresources.has(info.subresource)) return 'CONNECT';
  if (info.verb === 'patch' && contentType?.startsWith('application/apply-patch')) return 'APPLY';
  return verbs[info.verb] ?? method;
}

/** The scope label: as upstream's installer, a request naming an object (or creating one) is `resource`. */
export function metricsScope(info: RequestInfo): string {
  if (!info.isResourceRequest) return '';
  if (info.name || info.verb === 'create') return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}

/** The dry_run label: '' without `dryRun`, `All`, or `invalid` for anything else (as upstream's cleanDryRun). */
export function metricsDryRun(search: string): string {
  if (!search.includes('dryRun')) return '';
  const values = [...new Set(new URLSearchParams(search).getAll('dryRun'))].sort();
  if (!values.length) return '';
  return values.every((v) => v === 'All') ? 'All' : 'invalid';
}

/** The labels of one kind of request, resolved once and reused for every request of that kind. */
export interface RequestSeries {
  readonly labels: { verb: string; dry_run: string; group: string; version: string; resource: string; subresource: string; scope: string; component: string };
  readonly duration: HistogramChild;
  readonly codes: Map<number, CounterChild>;
}

const seriesCache = new Map<string, RequestSeries>();

/** The cached series for these labels (upstream's `component` is `apiserver` for resource requests, '' otherwise). */
export function requestSeries(verb: string, dryRun: string, info: RequestInfo, scope: string): RequestSeries {
  const resource = info.isResourceRequest ? info.resource : '';
  // Non-resource requests are reported with the path as subresource (only fixed paths are recorded, see callers).
  const subresource = info.isResourceRequest ? info.subresource : info.path;
  const key = `${verb}\u0000${dryRun}\u0000${info.apiGroup}\u0000${info.apiVersion}\u0000${resource}\u0000${subresource}\u0000${scope}`;
  let s = seriesCache.get(key);
  if (!s) {
    const labels = { verb, dry_run: dryRun, group: info.apiGroup, version: info.apiVersion, resource, subresource, scope, component: info.isResourceRequest ? 'apiserver' : '' };
    s = { labels, duration: requestDuration.child(labels), codes: new Map() };
    seriesCache.set(key, s);
  }
  return s;
}

/** Records one finished request: its count by response code and its latency. */
export function observeRequest(series: RequestSeries, code: number, seconds: number): void {
  let c = series.codes.get(code);
  if (!c) {
    c = requestTotal.child({ ...series.labels, code: String(code) });
    series.codes.set(code, c);
  }
  c.inc();
  series.duration.observe(seconds);
}

/** Counts a long-running request (a watch) while it runs; call the returned function once when it ends. */
export function trackLongRunning(series: RequestSeries): () => void {
  const { verb, group, version, resource, subresource, scope, component } = series.labels;
  const g = longRunning.child({ verb, group, version, resource, subresource, scope, component });
  g.inc();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    g.dec();
  };
}

const requestTerminations = fastCounter(
  'apiserver_request_terminations_total',
  'Number of requests which apiserver terminated in self-defense.',
  ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
);

const requestAborts = fastCounter(
  'apiserver_request_aborts_total',
  'Number of requests which apiserver aborted possibly due to a timeout, for each group, version, verb, resource, subresource and scope',
  ['verb', 'group', 'version', 'resource', 'subresource', 'scope'],
);

const requestPostTimeout = fastCounter(
  'apiserver_request_post_timeout_total',
  'Tracks the activity of the request handlers after the associated requests have been timed out by the apiserver',
  ['source', 'status'],
);

/** The labels upstream's termination and abort counters share: a non-resource request is named by its path. */
function requestLabels(info: RequestInfo, method: string, contentType: string | undefined) {
  const resource = info.isResourceRequest;
  return {
    verb: metricsVerb(info, method, contentType),
    group: resource ? info.apiGroup : '',
    version: resource ? info.apiVersion : '',
    resource: resource ? info.resource : '',
    subresource: resource ? info.subresource : info.path,
    scope: metricsScope(info),
  };
}

/**
 * Counts a request the server ended early to protect itself (upstream's RecordRequestTermination): 504 at its
 * deadline (the timeout filter), 429 from the in-flight limits or API Priority and Fairness. At most once a request.
 */
export function recordRequestTermination(info: RequestInfo, method: string, contentType: string | undefined, code: number): void {
  requestTerminations.child({ ...requestLabels(info, method, contentType), component: 'apiserver', code: String(code) }).inc();
}

/**
 * Counts a request whose answer had begun and was cut off, its stream reset (upstream's RecordRequestAbort, for its
 * handlers' http.ErrAbortHandler): its deadline passed, or its backend failed, while the body was still being sent.
 */
export function recordRequestAbort(info: RequestInfo, method: string, contentType: string | undefined): void {
  requestAborts.child(requestLabels(info, method, contentType)).inc();
}

/**
 * Counts a handler that came back after its request had been answered 504 (upstream's RecordRequestPostTimeout from
 * its timeout filter, source `timeout-handler`): how often, and whether, timed-out work still ends.
 */
export function recordPostTimeout(status: 'ok' | 'panic'): void {
  requestPostTimeout.child({ source: 'timeout-handler', status }).inc();
}
