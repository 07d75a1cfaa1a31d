/**
 * What health, metrics, logging and shutdown add to the HTTP surface, in one place: the filters and where they sit
 * in the handler chain, and the `/metrics` route. app.ts asks for them; server-chain.ts builds the graceful shutdown, run.ts the logger.
 */
import type { MiddlewareHandler } from 'hono';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { exposition } from '../metrics/registry.ts';
import type { Env } from './filters.ts';
import type { Filter, Routes } from './filter-chain.ts';
import { httpLogVerbosity, withHTTPLogging, type HTTPLogger } from './httplog.ts';
import { withRequestMetrics } from './metrics-filter.ts';
import type { GracefulShutdown } from './shutdown.ts';

export interface ObservabilityConfig {
  /** The shutdown sequence; its filter drains requests and refuses new ones at the end. */
  shutdown?: GracefulShutdown;
  /** The server's logger and `-v`: from 3 on, one HTTP log line per request. */
  log?: HTTPLogger & { verbosity?: number };
  /** Whether some server in the chain serves this resource (404s for unknown resources are not recorded). */
  isServed(info: RequestInfo): boolean;
}

/** Filters right after request info (outermost, as upstream's WithHTTPLogging, WithRetryAfter and WithWaitGroup). */
export function outerFilters(cfg: ObservabilityConfig | undefined): Filter[] {
  const filters: Filter[] = [];
  if (cfg?.log && (cfg.log.verbosity ?? 0) >= httpLogVerbosity) filters.push(withHTTPLogging(cfg.log));
  if (cfg?.shutdown) filters.push(cfg.shutdown.filter());
  return filters;
}

/** Filters right after authorization (request metrics: what was authorized is counted, limits and timeouts included). */
export function authorizedFilters(cfg: ObservabilityConfig | undefined): MiddlewareHandler<Env>[] {
  return cfg ? [withRequestMetrics({ isServed: cfg.isServed })] : [];
}

/** `GET /metrics`: every registered metric in Prometheus text format (authorized like any non-resource path). */
export function installMetricsRoute(routes: Routes): void {
  routes.get('/metrics', async (c) => {
    const { body, contentType } = await exposition();
    return c.newResponse(body, 200, { 'Content-Type': contentType });
  });
}
