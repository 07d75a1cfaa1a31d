/**
 * The audit filters of the handler chain: `withAuditID` (first, for every request) and `withAudit` (after
 * authentication, before impersonation and authorization, as upstream). What is recorded and where it goes lives in
 * runtime/audit; these only describe the request and follow the response.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { TLSSocket } from 'node:tls';
import { nowMicros, runAudited, type Auditor } from '../audit/index.ts';
import { newAuditID } from '../audit/audit-id.ts';
import { responseStatusOf } from '../audit/context.ts';
import { failure, StatusError } from '../machinery/status.ts';
import { isLongRunning, writeStatus, type Env, type RequestAudit } from './filters.ts';
import { endingOf } from '../machinery/stream-ending.ts';
import { prepareHeader } from './response-headers.ts';

/**
 * Every request gets an audit ID, answered in `Audit-Id`: the client's `Audit-ID` header when sent, as upstream. It
 * sits before authentication, so with an auditor it also records requests that failed to authenticate (upstream's
 * failed-authentication audit: one ResponseStarted event, no user, naming the credentials that were tried) and those
 * refused before it (upstream's failed-request audit of a bad `?timeout=`: the same event, with the refusal's message).
 */
export function withAuditID(auditor?: Auditor): MiddlewareHandler<Env> {
  const begin = (c: Context<Env>): RequestAudit => {
    const audit: RequestAudit = { id: c.req.header('audit-id') || newAuditID(), receivedMicros: nowMicros() };
    c.set('audit', audit);
    prepareHeader(c, 'Audit-Id', audit.id);
    return audit;
  };
  // Without an auditor there is nothing to do once the request is answered: no async frame.
  if (!auditor) {
    return function auditIDFilter(c, next) {
      begin(c);
      return next();
    };
  }
  return async function auditIDFilter(c, next) {
    const { id, receivedMicros } = begin(c);
    await next();
    const refused = c.get('refused');
    const failed = refused ? { message: refused.message ?? '', code: refused.code } : c.res.status === 401 && !c.get('user') ? { message: attemptedAuthentication(c), code: 401 } : undefined;
    if (failed) {
      const url = new URL(c.req.url);
      auditor.failedRequest(
        { auditID: id, requestURI: url.pathname + url.search, info: c.get('requestInfo'), sourceIPs: sourceIPs(c), userAgent: c.req.header('user-agent'), receivedMicros },
        failed.message,
        failed.code,
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
 * admission and the REST handlers add to the event through runtime/audit. Installed only with an auditor.
 */
export function withAudit(auditor: Auditor): MiddlewareHandler<Env> {
  return async function auditFilter(c, next) {
    const info = c.get('requestInfo');
    const url = new URL(c.req.url);
    const begun = auditor.begin({
      auditID: c.get('audit').id,
      requestURI: url.pathname + url.search,
      info,
      user: c.get('user'),
      sourceIPs: sourceIPs(c),
      userAgent: c.req.header('user-agent'),
      receivedMicros: c.get('audit').receivedMicros,
    });
    if (!begun) return next();
    const ev = begun.event;
    // Blocking modes: the event is on disk before the request is served; strict mode refuses to serve it otherwise.
    if (begun.written && !(await begun.written)) return writeStatus(c, failure(500, 'InternalError', 'Internal error occurred: failed to store audit event').status);
    await runAudited(ev, next);
    const err = c.error;
    if (err && !(err instanceof StatusError)) {
      ev.responseStatus = { metadata: {}, status: 'Failure', reason: 'InternalError', message: `APIServer panic'd: ${err.message}`, code: 500 };
      await auditor.emit(ev, 'Panic');
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
    if (!isLongRunning(info)) {
      await auditor.emit(ev, 'ResponseComplete');
      return;
    }
    await auditor.emit(ev, 'ResponseStarted');
    if (!res.body || !(res.headers.get('content-type') ?? '').includes('stream=watch') && !c.get('streaming')) {
      await auditor.emit(ev, 'ResponseComplete');
      return;
    }
    // The stream ends when the watch does (timeout, store error) or the client goes away: then it is complete.
    let done = false;
    const complete = () => {
      if (!done) {
        done = true;
        auditor.emit(ev, 'ResponseComplete');
      }
    };
    const ending = endingOf(res.body);
    if (ending) {
      ending.onEnd(complete);
      return;
    }
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
