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
import type { Authorizer } from '../auth/authorization/types.ts';
import { attributesFromRequestInfo } from '../auth/authorization/types.ts';
import { unionAuthorizer } from '../auth/authorization/union.ts';
import { forbiddenStatus } from '../auth/authorization/forbidden.ts';
import { failure, StatusError, timeout } from '../machinery/status.ts';
import type { TLSSocket } from 'node:tls';
import { randomUUID } from 'node:crypto';
import { addAuditAnnotation, nowMicros, runAudited, type Auditor } from '../audit/index.ts';
import { responseStatusOf } from '../audit/context.ts';

export interface ChainVariables {
  requestInfo: RequestInfo;
  user: UserInfo;
  /** The request's audit ID (the `Audit-Id` response header). */
  auditID: string;
  /** When the request arrived, in microseconds since the epoch (audit timestamps). */
  receivedMicros: number;
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

export type { Authorizer } from '../auth/authorization/types.ts';

/**
 * Authorization: the configured authorizers in turn (system:masters first, always allowed); anything not allowed
 * is 403 with upstream's wording. The authorizers see plain attributes built from RequestInfo.
 */
export function withAuthorization(authorizers: Authorizer[]): MiddlewareHandler<Env> {
  const authorizer = unionAuthorizer(authorizers);
  return async function authorizationFilter(c, next) {
    const attrs = attributesFromRequestInfo(c.get('user'), c.get('requestInfo'));
    const { decision, reason, error } = await authorizer.authorize(attrs);
    // The decision goes into the audit event, as upstream's authorization filter records it.
    if (decision === 'allow') {
      addAuditAnnotation('authorization.k8s.io/decision', 'allow');
      addAuditAnnotation('authorization.k8s.io/reason', reason ?? '');
      return next();
    }
    if (error) {
      addAuditAnnotation('authorization.k8s.io/reason', 'internal error');
      return writeStatus(c, failure(500, 'InternalError', `Internal error occurred: ${error}`).status);
    }
    addAuditAnnotation('authorization.k8s.io/decision', 'forbid');
    addAuditAnnotation('authorization.k8s.io/reason', reason ?? '');
    return writeStatus(c, forbiddenStatus(attrs, reason ?? ''));
  };
}

/** Requests that may stay open indefinitely: they are not timed out and not counted in the in-flight limits. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || ['proxy', 'exec', 'attach', 'log', 'portforward'].includes(info.subresource);
}

/**
 * Every request gets an audit ID, answered in `Audit-Id`: the client's `Audit-ID` header when sent, as upstream. It
 * sits before authentication, so with an auditor it also records requests that failed to authenticate (upstream's
 * failed-authentication audit: one ResponseStarted event, no user, naming the credentials that were tried).
 */
export function withAuditID(auditor?: Auditor): MiddlewareHandler<Env> {
  return async function auditIDFilter(c, next) {
    const id = c.req.header('audit-id') || randomUUID();
    const received = nowMicros();
    c.set('auditID', id);
    c.set('receivedMicros', received);
    c.header('Audit-Id', id);
    await next();
    if (auditor && c.res.status === 401 && !c.get('user')) {
      const url = new URL(c.req.url);
      auditor.failedAuthentication(
        { auditID: id, requestURI: url.pathname + url.search, info: c.get('requestInfo'), sourceIPs: sourceIPs(c), userAgent: c.req.header('user-agent'), receivedMicros: received },
        attemptedAuthentication(c),
      );
    }
  };
}

/** What credentials a request that failed to authenticate carried, in upstream's words. */
function attemptedAuthentication(c: Context<Env>): string {
  const methods: string[] = [];
  const auth = (c.req.header('authorization') ?? '').trim();
  if (/^basic\s/i.test(auth)) methods.push('basic');
  const parts = auth.split(' ');
  if (parts.length > 1 && parts[0].toLowerCase() === 'bearer') methods.push('bearer');
  if (new URL(c.req.url).searchParams.get('access_token')?.trim()) methods.push('access_token');
  const socket = c.env?.incoming?.socket as TLSSocket | undefined;
  if (socket && typeof socket.getPeerCertificate === 'function' && Object.keys(socket.getPeerCertificate() ?? {}).length) methods.push('x509');
  return methods.length ? `Authentication failed, attempted: ${methods.join(', ')}` : 'Authentication failed, no credentials provided';
}

/** Upstream's SourceIPs: X-Forwarded-For entries, then X-Real-Ip, then the peer address (when not already last). */
function sourceIPs(c: Context<Env>): string[] {
  const ips = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const real = c.req.header('x-real-ip')?.trim();
  if (real && !ips.includes(real)) ips.push(real);
  const peer = (c.env?.incoming?.socket as { remoteAddress?: string } | undefined)?.remoteAddress?.replace(/^::ffff:/, '');
  if (peer && ips[ips.length - 1] !== peer) ips.push(peer);
  return ips;
}

/**
 * Audit (after authentication, before authorization, as upstream): the policy decides the level; the event is written
 * at RequestReceived, at ResponseStarted for long-running requests (watches), and at ResponseComplete when the
 * response (or the watch stream) ends, or at Panic when the request failed with an unexpected error. Authorization,
 * admission and the REST handlers add to the event through runtime/audit. Without an auditor this does nothing.
 */
export function withAudit(auditor: Auditor | undefined): MiddlewareHandler<Env> {
  if (!auditor) {
    return async function auditFilter(_c, next) {
      await next();
    };
  }
  return async function auditFilter(c, next) {
    const info = c.get('requestInfo');
    const url = new URL(c.req.url);
    const ev = auditor.begin({
      auditID: c.get('auditID'),
      requestURI: url.pathname + url.search,
      info,
      user: c.get('user'),
      sourceIPs: sourceIPs(c),
      userAgent: c.req.header('user-agent'),
      receivedMicros: c.get('receivedMicros') ?? nowMicros(),
    });
    if (!ev) return next();
    await runAudited(ev, next);
    const err = c.error;
    if (err && !(err instanceof StatusError)) {
      ev.responseStatus = { metadata: {}, status: 'Failure', reason: 'InternalError', message: `APIServer panic'd: ${err.message}`, code: 500 };
      auditor.emit(ev, 'Panic');
      return;
    }
    const res = c.res;
    if (ev.responseStatus?.code !== res.status) {
      let st: Record<string, unknown> | undefined;
      if (err instanceof StatusError) st = err.status as unknown as Record<string, unknown>;
      else if (res.status >= 400 && (res.headers.get('content-type') ?? '').startsWith('application/json')) {
        try {
          st = JSON.parse(await res.clone().text());
        } catch {
          st = undefined;
        }
      }
      ev.responseStatus = st?.kind === 'Status' ? responseStatusOf(st, res.status) : { metadata: {}, code: res.status };
      if (st?.kind === 'Status' && ev.responseObject === undefined && ev.level === 'RequestResponse') ev.responseObject = JSON.stringify(st);
    }
    if (!isLongRunning(info)) return auditor.emit(ev, 'ResponseComplete');
    auditor.emit(ev, 'ResponseStarted');
    if (!res.body || !(res.headers.get('content-type') ?? '').includes('stream=watch') && !res.headers.get('transfer-encoding')) {
      return auditor.emit(ev, 'ResponseComplete');
    }
    // The stream ends when the watch does (timeout, store error) or the client goes away: then it is complete.
    let done = false;
    const complete = () => {
      if (!done) {
        done = true;
        auditor.emit(ev, 'ResponseComplete');
      }
    };
    const reader = res.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done: end, value } = await reader.read();
          if (end) {
            controller.close();
            complete();
          } else controller.enqueue(value);
        } catch (e) {
          complete();
          controller.error(e);
        }
      },
      cancel(reason) {
        complete();
        return reader.cancel(reason);
      },
    });
    c.res = new Response(body, { status: res.status, headers: res.headers });
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
