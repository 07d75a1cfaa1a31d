/**
 * Graceful shutdown in upstream's order (k8s.io/apiserver's lifecycle signals), so a load balancer and clients lose
 * no request:
 *
 *  1. ShutdownInitiated: /readyz fails at once (its `shutdown` check); everything is still served.
 *  2. After `--shutdown-delay-duration`, and once the pre-shutdown hooks (run from step 1 on) have finished:
 *     NotAcceptingNewRequest. Without `--shutdown-send-retry-after` the listener closes (new connections are
 *     refused) and requests still arriving on open connections are served, each answered with `Connection: close`;
 *     with it, the listener stays open and new requests get 429 `Retry-After: 5` ("The apiserver is shutting down,
 *     please try again later.") until the drain is over. Health probes, /metrics and the server's own loopback
 *     requests are never refused.
 *  3. In-flight non-long-running requests drain (bounded by the request timeout); watches are given
 *     `--shutdown-watch-termination-grace-period` (default 0: not waited for), then every remaining watch stream is
 *     ended cleanly (its chunked body terminated, no error event), so clients simply re-watch elsewhere.
 *  4. InFlightRequestsDrained: the listener closes (if still open), idle connections are closed, the audit backend
 *     flushes; then the caller closes the store and the process exits 0.
 */
import type { Context } from 'hono';
import { Server as NetServer, type Socket } from 'node:net';
import { Server as TLSServer } from 'node:tls';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { Http2Session, ServerHttp2Stream } from 'node:http2';
import type { HealthCheck } from './healthz.ts';
import type { Filter } from './filter-chain.ts';
import { isLongRunning, type Env } from './filters.ts';
import { endingOf } from '../machinery/stream-ending.ts';

export interface ShutdownOptions {
  /** `--shutdown-delay-duration`, seconds between /readyz turning red and the server refusing new requests. */
  shutdownDelaySeconds: number;
  /** `--shutdown-send-retry-after`: keep listening while draining and answer new requests 429 with Retry-After. */
  shutdownSendRetryAfter: boolean;
  /** `--shutdown-watch-termination-grace-period`: how long active watches may take to end (0: not waited for). */
  shutdownWatchTerminationGracePeriodSeconds: number;
  /** `--request-timeout`: the longest a non-long-running request may still need. */
  requestTimeoutSeconds: number;
}

export interface ShutdownLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export type PreShutdownHook = () => Promise<void>;

/** What the final steps close, in order, once requests have drained. */
export interface ShutdownSteps {
  /** Flushes the audit backend (events of the requests just drained). */
  flushAudit?: () => Promise<void>;
  /** Closes everything else (controllers, caches, the store). */
  destroy?: () => Promise<void>;
}

/** Paths that are served until the very end, as upstream's retry-after exemptions. */
const exemptPrefixes = ['/readyz', '/livez', '/healthz', '/metrics'];

function isExempt(c: Context<Env>, path: string): boolean {
  return exemptPrefixes.some((p) => path.startsWith(p)) || (c.req.header('user-agent') ?? '').startsWith('kube-apiserver/');
}

/** Whether the request came over HTTP/2, where connection-specific headers are not allowed. */
function overHttp2(c: Context<Env>): boolean {
  return (c.env?.incoming as { httpVersionMajor?: number } | undefined)?.httpVersionMajor === 2;
}

const retryAfterBody = 'The apiserver is shutting down, please try again later.\n';

/** Per connection: when it was accepted, and how many of its requests are being answered (counted from shutdown on). */
const acceptedAt = Symbol('acceptedAt');
const busy = Symbol('busy');
type TrackedSocket = Socket & { [acceptedAt]?: number; [busy]?: number };

/** A fresh connection that has not sent its first request yet is given this long before it counts as idle. */
const newConnectionGraceMs = 1000;

/** A long-running response whose stream the server may end (cleanly) at shutdown. */
interface Terminable {
  terminate(): void;
}

export class GracefulShutdown {
  private initiated = false;
  private notAccepting = false;
  private inFlight = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly longRunning = new Set<Terminable>();
  private watchesEnded = false;
  private readonly preShutdownHooks = new Map<string, PreShutdownHook>();
  private shutdownPromise?: Promise<void>;
  private server?: HttpServer;
  private readonly connections = new Set<TrackedSocket>();
  private readonly sessions = new Set<Http2Session>();

  constructor(
    private readonly opts: ShutdownOptions,
    private readonly log: ShutdownLogger,
  ) {}

  get shuttingDown(): boolean {
    return this.initiated;
  }

  /** Upstream's pre-shutdown hooks: run when shutdown starts, before the server stops accepting requests. */
  addPreShutdownHook(name: string, hook: PreShutdownHook): void {
    if (this.preShutdownHooks.has(name)) throw new Error(`pre-shutdown hook "${name}" is registered twice`);
    this.preShutdownHooks.set(name, hook);
  }

  /** The readyz `shutdown` check: fails from the moment shutdown starts. */
  readinessCheck(): HealthCheck {
    return async () => {
      if (this.initiated) throw new Error('process is shutting down');
    };
  }

  /**
   * The filter (right after request info, as upstream's WithRetryAfter and WithWaitGroup): counts in-flight
   * non-long-running requests for the drain, makes long-running responses endable, and once the server no longer
   * accepts requests answers them as described at the top.
   */
  filter(): Filter {
    const shutdown = this;
    // Plain, not async: a request that is not refused goes on with its next(), and only the little left to do once
    // the response is produced runs in a `then` (no async frame, filter-chain.ts).
    return function gracefulShutdownFilter(c, next) {
      const info = c.get('requestInfo');
      if (shutdown.notAccepting && shutdown.opts.shutdownSendRetryAfter && !isExempt(c, info.path)) {
        const close: Record<string, string> = overHttp2(c) ? {} : { Connection: 'close' };
        return c.newResponse(retryAfterBody, 429, { 'Retry-After': '5', ...close, 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      }
      if (isLongRunning(info)) return next().then(() => shutdown.makeTerminable(c));
      // In flight until the response has been written out (not merely produced), so the drain never cuts one off.
      shutdown.inFlight++;
      const outgoing = (c.env as { outgoing?: { once(ev: 'close', fn: () => void): void } } | undefined)?.outgoing;
      if (outgoing) outgoing.once('close', shutdown.requestDone);
      // `next()` never rejects (filter-chain.ts), so this runs after every response, as a `finally` would.
      return next().then(() => {
        if (!outgoing) shutdown.requestDone();
        // The client should open its next request elsewhere: this connection closes after the response (an HTTP/2
        // connection was already told so with GOAWAY).
        if (shutdown.notAccepting && !overHttp2(c)) c.res.headers.set('Connection', 'close');
      });
    };
  }

  private readonly requestDone = (): void => {
    if (--this.inFlight === 0 && this.drainWaiters.length) for (const w of this.drainWaiters.splice(0)) w();
  };

  /** Wraps a streamed long-running body so shutdown can end it as if it had finished (a clean chunked end). */
  private makeTerminable(c: Context<Env>): void {
    const body = c.res.body;
    if (!body || c.res.status !== 200) return;
    const ending = endingOf(body);
    if (ending) {
      // The body can be ended as it is (a watch): no stream of ours in between.
      const entry: Terminable = { terminate: () => ending.end() };
      this.longRunning.add(entry);
      ending.onEnd(() => this.longRunning.delete(entry));
      if (this.watchesEnded) queueMicrotask(() => entry.terminate());
      return;
    }
    const reader = body.getReader();
    let entry: Terminable | undefined;
    const untrack = () => {
      if (entry) this.longRunning.delete(entry);
    };
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        entry = {
          terminate: () => {
            untrack();
            void reader.cancel().catch(() => {});
            try {
              controller.close();
            } catch {
              // already closed
            }
          },
        };
        this.longRunning.add(entry);
        // A watch that starts after the others were ended (on a connection still open) is ended at once.
        if (this.watchesEnded) queueMicrotask(() => entry!.terminate());
      },
      pull: async (controller) => {
        try {
          const { value, done } = await reader.read();
          if (done) {
            untrack();
            controller.close();
          } else controller.enqueue(value);
        } catch (e) {
          untrack();
          controller.error(e);
        }
      },
      cancel: (reason) => {
        untrack();
        return reader.cancel(reason);
      },
    });
    c.res = new Response(stream, c.res);
  }

  /**
   * The server whose connections shutdown closes: from now on each connection is remembered with the time it was
   * accepted (one set entry per connection; nothing per request until shutdown).
   */
  attach(server: HttpServer): void {
    this.server = server;
    const track = (socket: TrackedSocket) => {
      socket[acceptedAt] = Date.now();
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    };
    // With TLS the connection requests arrive on is the TLS socket ('connection' is the TCP socket under it).
    server.on(server instanceof TLSServer ? 'secureConnection' : 'connection', track);
    server.on('session', (session: Http2Session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
      // A session opened after the server stopped accepting is told at once to take its next requests elsewhere.
      if (this.notAccepting) session.close();
    });
  }

  /** Runs the whole sequence once (on the attached server); later calls return the same promise. */
  shutdown(steps: ShutdownSteps = {}): Promise<void> {
    if (!this.server) throw new Error('shutdown before a server was attached');
    this.shutdownPromise ??= this.run(this.server, steps);
    return this.shutdownPromise;
  }

  private async run(server: HttpServer, steps: ShutdownSteps): Promise<void> {
    const started = Date.now();
    const event = (name: string, extra: object = {}) => this.log.info({ name, afterMs: Date.now() - started, ...extra }, '[graceful-termination] shutdown event');
    this.initiated = true;
    event('ShutdownInitiated');

    const delay = new Promise<void>((r) => setTimeout(r, this.opts.shutdownDelaySeconds * 1000));
    const hooks = this.runPreShutdownHooks().then(() => event('PreShutdownHooksStopped'));
    await delay;
    event('AfterShutdownDelayDuration');
    await hooks;

    this.notAccepting = true;
    // From here on, which connections are answering a request (the final close leaves those alone).
    const answering = (socket: TrackedSocket, response: { once(ev: 'close', fn: () => void): unknown }) => {
      socket[busy] = (socket[busy] ?? 0) + 1;
      response.once('close', () => (socket[busy] = (socket[busy] ?? 1) - 1));
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => answering(req.socket as TrackedSocket, res));
    // HTTP/2 streams are served without 'request' (http2-streams.ts); the session's socket stands for the connection.
    server.on('stream', (stream: ServerHttp2Stream) => {
      if (stream.session) answering(stream.session.socket as TrackedSocket, stream);
    });
    event('NotAcceptingNewRequest');
    if (!this.opts.shutdownSendRetryAfter) {
      stopListening(server);
      // HTTP/2's Connection: close: GOAWAY, after which the streams under way finish and no new one opens.
      for (const session of this.sessions) session.close();
    }

    const [drained] = await Promise.all([this.drainNonLongRunning((this.opts.requestTimeoutSeconds + 1) * 1000), this.drainWatches(this.opts.shutdownWatchTerminationGracePeriodSeconds * 1000)]);
    if (!drained) this.log.warn({ inFlight: this.inFlight }, '[graceful-termination] in-flight requests did not finish within the request timeout');
    event('InFlightRequestsDrained', { activeWatchesEnded: this.endWatches() });

    if (this.opts.shutdownSendRetryAfter) stopListening(server);
    for (const session of this.sessions) session.close();
    await steps.flushAudit?.();
    event('AuditBackendShutdown');
    await this.closeConnections(2000);
    event('HTTPServerStoppedListening');
    await steps.destroy?.();
  }

  private async runPreShutdownHooks(): Promise<void> {
    await Promise.all(
      [...this.preShutdownHooks].map(async ([name, hook]) => {
        try {
          await hook();
        } catch (e) {
          this.log.warn({ hook: name, err: e }, 'pre-shutdown hook failed');
        }
      }),
    );
  }

  /** Resolves true when no non-long-running request is in flight, false after `timeoutMs`. */
  private drainNonLongRunning(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.drainWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * With a grace period, ends the active watches spread over it (at least 200 a second, as upstream's floor), so
   * their clients do not all come back at the same moment; without one, leaves them for `endWatches`.
   */
  private async drainWatches(graceMs: number): Promise<void> {
    if (graceMs <= 0 || this.longRunning.size === 0) return;
    const watches = [...this.longRunning];
    const spacingMs = Math.min(graceMs / watches.length, 5);
    for (const w of watches) {
      w.terminate();
      if (spacingMs >= 1) await new Promise((r) => setTimeout(r, spacingMs));
    }
  }

  /**
   * Closes the connections that are idle: not answering a request and, if accepted only just now, given a moment to
   * send their first request (which is answered with `Connection: close`), as Go's server treats new connections.
   * Busy ones are waited for up to `boundMs`; whatever is still open then is dropped.
   */
  private async closeConnections(boundMs: number): Promise<void> {
    const deadline = Date.now() + boundMs;
    for (;;) {
      const now = Date.now();
      for (const socket of this.connections) {
        const fresh = now - (socket[acceptedAt] ?? 0) < newConnectionGraceMs && socket[busy] === undefined;
        // end(): whatever was written still goes out (a response that has just finished), then the TLS close.
        if (!socket[busy] && !fresh && !socket.writableEnded) socket.end();
      }
      if (this.connections.size === 0 || now >= deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const socket of this.connections) socket.destroy();
  }

  /** Ends every remaining long-running stream cleanly; returns how many there were. */
  private endWatches(): number {
    this.watchesEnded = true;
    const all = [...this.longRunning];
    for (const w of all) w.terminate();
    return all.length;
  }
}

/** Stops accepting connections, leaving open ones alone (Node's server.close() would also drop idle keep-alives). */
function stopListening(server: HttpServer): void {
  if (!server.listening) return;
  NetServer.prototype.close.call(server);
}

