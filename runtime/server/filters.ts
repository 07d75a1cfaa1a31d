/**
 * The handler chain around every request, in upstream's order: request info -> authentication -> audit ->
 * authorization -> in-flight limits -> timeout. Each filter is a named Hono middleware factory; admission runs
 * later, inside the registry, because it needs the decoded object.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user.ts';
import { requestInfo, type RequestInfo } from '../endpoints/request-info.ts';
import type { Status } from '../machinery/status.ts';
import { failure, StatusError, timeout } from '../machinery/status.ts';

export interface ChainVariables {
  requestInfo: RequestInfo;
  user: UserInfo;
}

export type Env = { Variables: ChainVariables; Bindings: { incoming?: { socket: unknown } } };

export function writeStatus(c: Context, st: Status): Response {
  return c.newResponse(JSON.stringify(st), st.code as 200, { 'Content-Type': 'application/json' });
}

/** Parses the path into a RequestInfo once, for every later filter and handler. */
export function withRequestInfo(): MiddlewareHandler<Env> {
  return async function requestInfoFilter(c, next) {
    const url = new URL(c.req.url);
    c.set('requestInfo', requestInfo(c.req.method, url.pathname, url.searchParams));
    await next();
  };
}

export interface Authorizer {
  /** 'allow', 'deny', or 'no-opinion' to let the next authorizer decide. */
  authorize(user: UserInfo, info: RequestInfo): Promise<{ decision: 'allow' | 'deny' | 'no-opinion'; reason?: string }>;
}

export const alwaysAllow: Authorizer = { authorize: async () => ({ decision: 'allow' }) };

export function withAuthorization(authorizers: Authorizer[]): MiddlewareHandler<Env> {
  return async function authorizationFilter(c, next) {
    const user = c.get('user');
    const info = c.get('requestInfo');
    if (user.groups.includes('system:masters')) return next();
    for (const a of authorizers) {
      const { decision, reason } = await a.authorize(user, info);
      if (decision === 'allow') return next();
      if (decision === 'deny') return writeStatus(c, forbiddenStatus(user, info, reason ?? ''));
    }
    return writeStatus(c, forbiddenStatus(user, info, ''));
  };
}

function forbiddenStatus(user: UserInfo, info: RequestInfo, reason: string): Status {
  const what = info.isResourceRequest
    ? `cannot ${info.verb} resource "${info.resource}" in API group "${info.apiGroup}"${info.namespace ? ` in the namespace "${info.namespace}"` : ' at the cluster scope'}`
    : `cannot ${info.verb} path "${info.path}"`;
  return failure(403, 'Forbidden', `${info.resource || info.path} is forbidden: User "${user.name}" ${what}${reason ? `: ${reason}` : ''}`, {
    name: info.name,
    group: info.apiGroup,
    kind: info.resource,
  }).status;
}

/** Requests that may stay open indefinitely: they are not timed out and not counted in the in-flight limits. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || ['proxy', 'exec', 'attach', 'log', 'portforward'].includes(info.subresource);
}

/** Audit: one structured log line per request, written when the response is ready. */
export function withAudit(log: Logger): MiddlewareHandler<Env> {
  return async function auditFilter(c, next) {
    const started = performance.now();
    await next();
    const info = c.get('requestInfo');
    log.debug({ verb: info.verb, path: info.path, user: c.get('user')?.name, code: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  };
}

/**
 * At most `readonly` read and `mutating` write requests run at once; more get 429 with Retry-After, as
 * upstream's max-in-flight filter. Long-running requests and system:masters are exempt.
 */
export function withMaxInFlight(limits: { readonly: number; mutating: number }): MiddlewareHandler<Env> {
  let reads = 0;
  let writes = 0;
  const mutatingVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
  return async function maxInFlightFilter(c, next) {
    const info = c.get('requestInfo');
    if (isLongRunning(info) || c.get('user').groups.includes('system:masters')) return next();
    const mutating = mutatingVerbs.has(info.verb);
    const limit = mutating ? limits.mutating : limits.readonly;
    const current = mutating ? writes : reads;
    if (limit > 0 && current >= limit) {
      return c.newResponse('Too many requests, please try again later.\n', 429, { 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8' });
    }
    if (mutating) writes++;
    else reads++;
    try {
      await next();
    } finally {
      if (mutating) writes--;
      else reads--;
    }
  };
}

/** Non-long-running requests that take longer than the request timeout get 504 Timeout. */
export function withTimeout(seconds: number): MiddlewareHandler<Env> {
  return async function timeoutFilter(c, next) {
    if (isLongRunning(c.get('requestInfo')) || seconds <= 0) return next();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), seconds * 1000);
    });
    try {
      const outcome = await Promise.race([next().then(() => 'done' as const), expired]);
      if (outcome === 'timeout') c.res = writeStatus(c, timeout(`request did not complete within requested timeout - context deadline exceeded`, 0).status);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Any error that escapes a handler becomes a Status: StatusErrors as they are, anything else as 500. */
export function toStatus(err: unknown, log: Logger): Status {
  if (err instanceof StatusError) return err.status;
  log.error({ err }, 'unhandled error');
  return failure(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`).status;
}
