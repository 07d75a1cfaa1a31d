/**
 * Request metrics of the API endpoints (upstream's k8s.io/apiserver/pkg/endpoints/metrics): one count and one
 * latency observation per request, in-flight and long-running gauges. Label values come from the RequestInfo the
 * chain has already computed; the per-label-set children are cached, so recording is two map lookups and two
 * increments.
 */
import type { Counter, Histogram } from 'prom-client';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { counter, gauge, histogram, requestLatencyBuckets } from './registry.ts';

const requestTotal = counter(
  'apiserver_request_total',
  'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
  ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component', 'code'],
);

const requestDuration = histogram(
  'apiserver_request_duration_seconds',
  'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
  ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'],
  requestLatencyBuckets,
);

const longRunning = gauge(
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

gauge('apiserver_current_inflight_requests', 'Maximal number of currently used inflight request limit of this apiserver per request kind in last second.', ['request_kind'], {
  collect() {
    const now = Date.now();
    this.set({ request_kind: 'readOnly' }, inflight.readOnly.read(now));
    this.set({ request_kind: 'mutating' }, inflight.mutating.read(now));
  },
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
  readonly duration: ReturnType<Histogram<string>['labels']>;
  readonly codes: Map<number, ReturnType<Counter<string>['labels']>>;
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
    s = { labels, duration: requestDuration.labels(labels), codes: new Map() };
    seriesCache.set(key, s);
  }
  return s;
}

/** Records one finished request: its count by response code and its latency. */
export function observeRequest(series: RequestSeries, code: number, seconds: number): void {
  let c = series.codes.get(code);
  if (!c) {
    c = requestTotal.labels({ ...series.labels, code: String(code) });
    series.codes.set(code, c);
  }
  c.inc();
  series.duration.observe(seconds);
}

/** Counts a long-running request (a watch) while it runs; call the returned function once when it ends. */
export function trackLongRunning(series: RequestSeries): () => void {
  const { verb, group, version, resource, subresource, scope, component } = series.labels;
  const g = longRunning.labels({ verb, group, version, resource, subresource, scope, component });
  g.inc();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    g.dec();
  };
}
