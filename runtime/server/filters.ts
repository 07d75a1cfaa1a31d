/**
 * The handler chain around every request, in upstream's order: request info -> timeout -> authentication -> audit ->
 * authorization -> in-flight limits. Each filter is a named Hono middleware factory; admission runs
 * later, inside the registry, because it needs the decoded object.
 */
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user.ts';
import { decodedPath, requestInfo, type RequestInfo } from '../endpoints/request-info.ts';
import { statusSerializer } from '../endpoints/negotiation.ts';
import { encodeBody } from '../endpoints/serialize.ts';
import type { ProtobufCodec } from '../machinery/protobuf.ts';
import type { Status } from '../machinery/status.ts';
import type { Attributes, Authorizer } from '../auth/authorization/types.ts';
import { attributesFromRequestInfo, isPrivileged } from '../auth/authorization/types.ts';
import { unionAuthorizer } from '../auth/authorization/union.ts';
import { forbiddenStatus } from '../auth/authorization/forbidden.ts';
import { badRequest, failure, statusInGoOrder, nestedTooDeep, StatusError, timeout } from '../machinery/status.ts';
import { GoDurationError, parseGoDuration } from '../machinery/go-duration.ts';
import { addAuditAnnotation } from '../audit/context.ts';
import { spentIn } from '../metrics/layers.ts';
import { recordPostTimeout, recordRequestTermination } from '../metrics/request.ts';
import { respond } from './response-headers.ts';
import { requestTarget } from './request-target.ts';
import { RequestDeadlines, type Deadline } from './request-deadlines.ts';
import { RequestCancellation } from './request-cancellation.ts';
import { requestCancelled } from '../machinery/cancellation.ts';

export interface ChainVariables {
  /** The request's RequestInfo, its query with it. */
  requestInfo: RequestInfo;
  user: UserInfo;
  /** The request's audit ID and arrival time, one value (audit-filters.ts). */
  audit: RequestAudit;
  /** The Status a filter before authentication refused the request with (a bad `?timeout=`), for the audit (audit-filters.ts). */
  refused?: Status;
  /** Set when the response is a stream that lasts (a watch, a followed log): it is complete when the stream ends. */
  streaming?: boolean;
  /** Headers every later response carries (response-headers.ts). */
  preparedHeaders?: import('./response-headers.ts').HeaderRecord;
  /** The scheme's protobuf codec: a client that asks for protobuf gets its Status errors in it too. */
  protobuf?: ProtobufCodec;
  /** Set by the timeout filter: cancelled at the request's deadline or when its client goes away. */
  cancellation?: RequestCancellation;
}

/**
 * What the audit ID filter records of every request. One variable rather than two: Hono keeps a request's variables
 * in a Map, whose table doubles (about 0.45 KB per request) at the ninth entry, so the chain keeps to eight.
 */
export interface RequestAudit {
  /** The request's audit ID (the `Audit-Id` response header). */
  readonly id: string;
  /** When the request arrived, in microseconds since the epoch (audit timestamps, request latency). */
  readonly receivedMicros: number;
}

export type Env = { Variables: ChainVariables; Bindings: { incoming?: { socket: unknown } } };

/** A Status error in the representation the client accepts (upstream's ErrorNegotiated): JSON, YAML or protobuf. */
export function writeStatus(c: Context<Env>, st: Status): Response {
  // A refused Accept header (406) is answered in JSON, as upstream does when negotiation itself failed.
  const serializer = st.code === 406 ? 'json' : statusSerializer(c.req.header('accept'));
  const { contentType, body } = encodeBody(statusInGoOrder(st), { serializer, contentType: 'application/json' }, st.code, c.get('protobuf') as ProtobufCodec | undefined);
  const headers: Record<string, string> = { 'Content-Type': contentType };
  // A Status that names a retry delay says it in Retry-After too (429, 504).
  const retry = st.details?.retryAfterSeconds;
  if (retry && retry > 0) headers['Retry-After'] = String(retry);
  return respond(c, body as string, st.code, headers);
}

/** Parses the path into a RequestInfo once, for every later filter and handler. */
export function withRequestInfo(protobuf?: ProtobufCodec): MiddlewareHandler<Env> {
  // Plain, not async: it only prepares the request, so its `next()` goes through as it is (filter-chain.ts).
  return function requestInfoFilter(c, next) {
    const { path: rawPath, query } = requestTarget(c.req.url);
    const path = decodedPath(rawPath);
    // Go's HTTP/1 server refuses a request line whose path has a bad escape, in these words, before any handler (an
    // HTTP/2 stream with one is reset before it gets here: http2-streams.ts).
    if (path === undefined) return Promise.resolve(respond(c, '400 Bad Request', 400, { 'Content-Type': 'text/plain; charset=utf-8' }));
    c.set('requestInfo', requestInfo(c.req.method, path, query));
    if (protobuf) c.set('protobuf', protobuf);
    return next();
  };
}

export type { Authorizer } from '../auth/authorization/types.ts';

/**
 * Authorization: the configured authorizers in turn (system:masters first, always allowed); anything not allowed
 * is 403 with upstream's wording. The authorizers see plain attributes built from RequestInfo.
 */
export function withAuthorization(authorizers: Authorizer[]): MiddlewareHandler<Env> {
  const authorizer = unionAuthorizer(authorizers);
  const decide = async (c: Context<Env>, next: Next, attrs: Attributes, started: number) => {
    const { decision, reason, error } = await authorizer.authorize(attrs);
    spentIn('authorization', started);
    // The decision goes into the audit event, as upstream's authorization filter records it.
    if (decision === 'allow') return allowed(next, reason);
    if (error) {
      addAuditAnnotation('authorization.k8s.io/reason', 'internal error');
      return writeStatus(c, failure(500, 'InternalError', `Internal error occurred: ${error}`).status);
    }
    addAuditAnnotation('authorization.k8s.io/decision', 'forbid');
    addAuditAnnotation('authorization.k8s.io/reason', reason ?? '');
    return writeStatus(c, forbiddenStatus(attrs, reason ?? ''));
  };
  return function authorizationFilter(c, next) {
    const started = performance.now();
    const user = c.get('user');
    // The privileged group is allowed before any mode runs (as the union decides it): here, with no wait.
    if (isPrivileged(user)) {
      spentIn('authorization', started);
      return allowed(next, undefined);
    }
    return decide(c, next, attributesFromRequestInfo(user, c.get('requestInfo')), started);
  };
}

function allowed(next: Next, reason: string | undefined): Promise<void> {
  addAuditAnnotation('authorization.k8s.io/decision', 'allow');
  addAuditAnnotation('authorization.k8s.io/reason', reason ?? '');
  return next();
}

/** Requests that may stay open indefinitely: they are not timed out and not counted in the in-flight limits. */
export function isLongRunning(info: RequestInfo): boolean {
  return info.verb === 'watch' || ['proxy', 'exec', 'attach', 'log', 'portforward'].includes(info.subresource);
}

/**
 * At most `readonly` read and `mutating` write requests run at once; more get 429 with Retry-After, as
 * upstream's max-in-flight filter. Long-running requests and system:masters are exempt.
 */
export function withMaxInFlight(limits: { readonly: number; mutating: number }): MiddlewareHandler<Env> {
  let reads = 0;
  let writes = 0;
  const mutatingVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);
  const counted = async (next: Next, mutating: boolean) => {
    if (mutating) writes++;
    else reads++;
    try {
      await next();
    } finally {
      if (mutating) writes--;
      else reads--;
    }
  };
  return function maxInFlightFilter(c, next) {
    const info = c.get('requestInfo');
    if (isLongRunning(info) || isPrivileged(c.get('user'))) return next();
    const mutating = mutatingVerbs.has(info.verb);
    const limit = mutating ? limits.mutating : limits.readonly;
    const current = mutating ? writes : reads;
    if (limit > 0 && current >= limit) {
      recordRequestTermination(info, c.req.method, c.req.header('content-type'), 429);
      return Promise.resolve(respond(c, 'Too many requests, please try again later.\n', 429, { 'Retry-After': '1', 'Content-Type': 'text/plain; charset=utf-8' }));
    }
    return counted(next, mutating);
  };
}

/**
 * The request's deadline, and its answer when the deadline passes first: upstream's WithRequestDeadline and
 * WithTimeoutForNonLongRunningRequests, adjacent in its chain and one filter here, outside authentication so a slow
 * authenticator is bound too. The deadline is the server's `--request-timeout`, or the client's `?timeout=` when
 * shorter (kubectl's `--request-timeout`, client-go's per-request timeouts); a timeout of zero or less asks for the
 * server's. One that is not a Go duration is 400. A request still under way at its deadline is answered 504 Timeout,
 * and its cancellation (`c.var.cancellation`) is cancelled, so the layers still at work stop. Long-running requests
 * (watches, exec, ...) have no deadline: a watch ends at its own `timeoutSeconds`.
 *
 * `--request-timeout=0` is no "no deadline": upstream's deadline is the request's start plus that timeout, so it has
 * passed before any handler runs and its timeout filter answers every request that is not long-running with its own
 * 504 at once (a bad `?timeout=` is still 400 first). So does this one.
 */
export function withTimeout(seconds: number): MiddlewareHandler<Env> {
  const serverMs = seconds * 1000;
  const deadlines = deadlinesByTick(serverMs);
  return function timeoutFilter(c, next) {
    const info = c.get('requestInfo');
    if (isLongRunning(info)) return next();
    const asked = info.query.get('timeout');
    let ms = serverMs;
    if (asked) {
      let nanos: bigint;
      try {
        nanos = parseGoDuration(asked);
      } catch (err) {
        if (!(err instanceof GoDurationError)) throw err;
        const refused = badRequest(`invalid timeout specified in the request URL - ${err.message}`).status;
        c.set('refused', refused);
        return Promise.resolve(writeStatus(c, refused));
      }
      if (nanos > 0n && nanos < BigInt(serverMs) * 1_000_000n) ms = Number(nanos) / 1e6;
    }
    if (ms <= 0) return Promise.resolve(writeStatus(c, timeout('request did not complete within the allotted timeout', 0).status));
    return new TimedRequest(c, performance.now() + ms, deadlines(ms)).run(next);
  };
}

/**
 * The shared timers for deadlines `ms` away, one per tick length: a deadline is checked ten times over its
 * timeout, at most once a second (at most a tenth late; a second at 60s), so a client's short `?timeout=` is not
 * answered a whole server-sized tick late. Ticks are powers of two, so there are only a few timers.
 */
function deadlinesByTick(serverMs: number): (ms: number) => RequestDeadlines {
  const tickFor = (ms: number) => Math.min(1024, Math.max(8, 2 ** Math.floor(Math.log2(Math.max(1, ms / 10)))));
  const serverTick = tickFor(serverMs);
  const byTick = new Map<number, RequestDeadlines>([[serverTick, new RequestDeadlines(serverTick)]]);
  const serverDeadlines = byTick.get(serverTick)!;
  return (ms) => {
    if (ms === serverMs) return serverDeadlines;
    const tick = tickFor(ms);
    let d = byTick.get(tick);
    if (!d) byTick.set(tick, (d = new RequestDeadlines(tick)));
    return d;
  };
}

/** The resolve function of the promise just made (its executor runs at once): no closure per request to keep it. */
let madeResolve: () => void = () => {};
const keepResolve = (resolve: () => void) => void (madeResolve = resolve);

/**
 * A request under the timeout: one promise, settled by whichever comes first, the response (the deadline is
 * dropped) or the deadline (the response is the 504, the handler's later answer is not used, and the request's
 * cancellation tells the layers still at work to stop). `next()` never rejects (filter-chain.ts). The request's
 * Cancellation itself, so a timed request makes one object for both.
 */
class TimedRequest extends RequestCancellation implements Deadline {
  readonly #resolve: () => void;
  readonly #promise: Promise<void>;
  #expired = false;

  constructor(
    c: Context<Env>,
    readonly at: number,
    private readonly deadlines: RequestDeadlines,
  ) {
    super(c, at);
    this.#promise = new Promise<void>(keepResolve);
    this.#resolve = madeResolve;
  }

  run(next: Next): Promise<void> {
    this.deadlines.add(this);
    this.c.set('cancellation', this);
    next().then(this.done);
    return this.#promise;
  }

  expire(): void {
    const c = this.c;
    this.#expired = true;
    c.res = writeStatus(c, requestCancelled('context deadline exceeded').status);
    this.#resolve();
    this.cancel('context deadline exceeded');
    recordRequestTermination(c.get('requestInfo'), c.req.method, c.req.header('content-type'), 504);
  }

  readonly done = (): void => {
    this.deadlines.delete(this);
    // The handler came back after its request was answered 504 (its deadline is the only reason it is cancelled).
    if (this.#expired) recordPostTimeout('ok');
    this.#resolve();
  };
}

/** Any error that escapes a handler becomes a Status: StatusErrors as they are, anything else as 500. */
export function toStatus(err: unknown, log: Logger): Status {
  if (err instanceof StatusError) return err.status;
  const tooDeep = nestedTooDeep(err);
  if (tooDeep) return tooDeep.status;
  log.error({ err }, 'unhandled error');
  return failure(500, 'InternalError', `Internal error occurred: ${(err as Error)?.message ?? String(err)}`).status;
}
