/**
 * The HTTP log (upstream's httplog, at verbosity 3): one structured line per request once it has been answered
 * (a watch: once it ends), `"msg":"HTTP"` with verb, URI, latency, userAgent, audit-ID, srcIP and resp (the
 * status code). Installed only when `-v` is 3 or more, so it costs nothing otherwise. Filters further down the chain
 * can add fields to the line with `addHTTPLogField` (API Priority and Fairness adds its flow schema and level).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { performance } from 'node:perf_hooks';
import { isLongRunning, type Env } from './filters.ts';

/** The level the HTTP log is written at, as upstream's `withLoggingLevel`. */
export const httpLogVerbosity = 3;

export interface HTTPLogger {
  info(obj: object, msg: string): void;
}

const extraFields = new WeakMap<Request, Record<string, unknown>>();

/** Adds `key: value` to this request's HTTP log line (a no-op when the HTTP log is off). */
export function addHTTPLogField(c: Context, key: string, value: unknown): void {
  const fields = extraFields.get(c.req.raw);
  if (fields) fields[key] = value;
}

/** Go's time.Duration formatting, as upstream's latency field: `350µs`, `1.234567ms`, `2.5s`. */
export function goDuration(ms: number): string {
  const trim = (n: number, digits: number) => n.toFixed(digits).replace(/\.?0+$/, '');
  if (ms < 0.001) return `${Math.round(ms * 1e6)}ns`;
  if (ms < 1) return `${trim(ms * 1000, 3)}µs`;
  if (ms < 1000) return `${trim(ms, 6)}ms`;
  return `${trim(ms / 1000, 9)}s`;
}

export function withHTTPLogging(log: HTTPLogger): MiddlewareHandler<Env> {
  return async function httpLogFilter(c, next) {
    const started = performance.now();
    const fields: Record<string, unknown> = {};
    extraFields.set(c.req.raw, fields);
    await next();
    const incoming = c.env?.incoming as { url?: string; socket?: { remoteAddress?: string; remotePort?: number } } | undefined;
    const write = () => {
      const socket = incoming?.socket;
      log.info(
        {
          v: httpLogVerbosity,
          verb: c.req.method,
          URI: incoming?.url ?? new URL(c.req.url).pathname + new URL(c.req.url).search,
          latency: goDuration(performance.now() - started),
          userAgent: c.req.header('user-agent') ?? '',
          'audit-ID': c.get('audit')?.id ?? '',
          srcIP: socket?.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : '',
          ...fields,
          resp: c.res.status,
        },
        'HTTP',
      );
    };
    const outgoing = (c.env as { outgoing?: { once(ev: 'close', fn: () => void): void } } | undefined)?.outgoing;
    // A watch is logged when it ends, with its whole duration, as upstream logs when the handler returns.
    if (outgoing && c.res.body && isLongRunning(c.get('requestInfo'))) outgoing.once('close', write);
    else write();
  };
}
