/**
 * The authentication and impersonation filters: they turn the HTTP request into a plain AuthenticationRequest
 * for runtime/auth/authentication and put the resulting user on the request. Authentication runs first in the
 * chain; impersonation after audit and before authorization, as upstream.
 */
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { Logger } from 'pino';
import type { ServerAuthentication } from '../auth/authentication/build.ts';
import { impersonate, type AuthorizeFn } from '../auth/authentication/impersonation.ts';
import { AuthenticationError, type AuthenticationRequest, type AuthenticationResponse } from '../auth/authentication/types.ts';
import { failure, StatusError } from '../machinery/status.ts';
import { unionAuthorizer } from '../auth/authorization/union.ts';
import type { Authorizer, Env } from './filters.ts';
import { writeStatus } from './filters.ts';
import type { Filter } from './filter-chain.ts';
import { auditImpersonatedUser } from '../audit/context.ts';
import { spentIn } from '../metrics/layers.ts';

/** The client's chain (leaf first) per TLS connection: parsed once, reused by every request on it. */
const chains = new WeakMap<object, X509Certificate[] | null>();

export function peerCertificates(socket: TLSSocket | undefined, connection: object | undefined = socket): X509Certificate[] | undefined {
  if (!socket || !connection || typeof socket.getPeerX509Certificate !== 'function') return undefined;
  let chain = chains.get(connection);
  if (chain === undefined) {
    chain = null;
    try {
      // The X509Certificate form straight from the TLS session: getPeerCertificate(true) builds a plain object of
      // every field of every certificate first (~50 µs), which nothing here reads.
      const out: X509Certificate[] = [];
      let cert: X509Certificate | undefined = socket.getPeerX509Certificate();
      const seen = new Set<string>();
      while (cert && out.length < 10 && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        out.push(cert);
        cert = cert.issuerCertificate;
      }
      if (out.length) chain = out;
    } catch {
      chain = null;
    }
    chains.set(connection, chain);
  }
  return chain ?? undefined;
}

/**
 * A framework-free view of the request. Header lookups are case-insensitive. A class, so that the view made for every
 * request is one small object rather than an object literal with a fresh closure per method.
 */
class ChainAuthenticationRequest implements AuthenticationRequest {
  readonly method: string;
  readonly path: string;
  audiences?: string[];
  readonly #c: Context<Env>;
  readonly #incoming: IncomingMessage | undefined;
  #certs: X509Certificate[] | undefined | null = null;

  constructor(c: Context<Env>) {
    this.#c = c;
    this.#incoming = c.env?.incoming as IncomingMessage | undefined;
    this.method = c.req.method;
    this.path = c.req.path;
  }

  header(name: string): string | undefined {
    return this.#c.req.header(name) ?? undefined;
  }

  headerValues(name: string): string[] {
    const lower = name.toLowerCase();
    const incoming = this.#incoming;
    if (incoming?.headersDistinct) return incoming.headersDistinct[lower] ?? [];
    // HTTP/2 requests have no headersDistinct: their raw headers keep each repeated field apart.
    if (incoming?.rawHeaders) return rawHeaderValues(incoming.rawHeaders, lower);
    const v = this.#c.req.raw.headers.get(lower);
    return v === null ? [] : [v];
  }

  headerNames(): string[] {
    const incoming = this.#incoming;
    return incoming?.headersDistinct ? Object.keys(incoming.headersDistinct) : [...this.#c.req.raw.headers.keys()];
  }

  get peerCertificates(): X509Certificate[] | undefined {
    const incoming = this.#incoming;
    // An HTTP/2 request's socket is a view made for its stream alone: its session is the connection (the request is
    // either the compatibility layer's, with its stream, or the stream itself: http2-streams.ts).
    const h2 = incoming as unknown as (Http2ServerRequest & { session?: object }) | undefined;
    if (this.#certs === null) this.#certs = peerCertificates(incoming?.socket as TLSSocket | undefined, h2?.stream?.session ?? h2?.session ?? incoming?.socket);
    return this.#certs;
  }
}

export function authenticationRequest(c: Context<Env>): AuthenticationRequest {
  return new ChainAuthenticationRequest(c);
}

/** Every value of a header in `[name, value, name, value, ...]`, in the order sent. */
function rawHeaderValues(raw: string[], lower: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === lower) out.push(raw[i + 1]);
  return out;
}

const unauthorized = () => failure(401, 'Unauthorized', 'Unauthorized').status;

export function withAuthentication(authn: ServerAuthentication, log?: Logger): Filter {
  const refused = (c: Context<Env>, e: unknown, started: number): Response => {
    spentIn('authentication', started);
    if (!(e instanceof AuthenticationError)) log?.error({ err: e }, 'authentication failed unexpectedly');
    else log?.debug({ reason: e.message, path: c.req.path }, 'unable to authenticate the request');
    return writeStatus(c, unauthorized());
  };
  const authenticated = (c: Context<Env>, next: Next, res: AuthenticationResponse, started: number): Promise<void> => {
    spentIn('authentication', started);
    c.set('user', res.user);
    return next();
  };
  // Plain, not async: a request whose authenticators answer at once (client certificates, static tokens) passes on
  // with no promise of its own, its `next()` untouched (filter-chain.ts), and the layer's time is then its CPU alone.
  return function authenticationFilter(c, next) {
    const started = performance.now();
    let res;
    try {
      res = authn.authenticate(authenticationRequest(c));
    } catch (e) {
      return refused(c, e, started);
    }
    if (res instanceof Promise) return res.then((r) => authenticated(c, next, r, started), (e) => refused(c, e, started));
    return authenticated(c, next, res, started);
  };
}

export function withImpersonation(authorize: AuthorizeFn, log?: Logger): MiddlewareHandler<Env> {
  const acting = async (c: Context<Env>, next: () => Promise<void>) => {
    const requestor = c.get('user');
    try {
      // A view of its own, not authentication's kept in a context variable: few requests impersonate, and every
      // request would pay for the variable (RequestAudit in filters.ts).
      const acting = await impersonate(requestor, authenticationRequest(c), authorize);
      if (acting) {
        log?.debug({ user: requestor.name, as: acting.name }, 'impersonating');
        c.set('user', acting);
        auditImpersonatedUser(acting); // the audit event keeps the requestor as user
      }
    } catch (e) {
      if (e instanceof StatusError) return writeStatus(c, e.status);
      throw e;
    }
    return next();
  };
  // Most requests carry no Impersonate-* header at all: they pass on at once, without an async frame.
  return function impersonationFilter(c, next) {
    return mayImpersonate(c.env?.incoming as IncomingMessage | undefined) ? acting(c, next) : next();
  };
}

/** Whether the request may ask to impersonate: some header named `Impersonate-*` (unknown without the Node request). */
function mayImpersonate(incoming: IncomingMessage | undefined): boolean {
  const raw = incoming?.rawHeaders;
  if (!raw) return true;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length > impersonatePrefix.length && (name.charCodeAt(0) | 0x20) === 0x69 && name.slice(0, impersonatePrefix.length).toLowerCase() === impersonatePrefix) return true;
  }
  return false;
}

const impersonatePrefix = 'impersonate-';

/** Impersonation asks the server's authorizers together, as the authorization filter does (system:masters may do anything). */
export function authorizeWith(authorizers: Authorizer[]): AuthorizeFn {
  const union = unionAuthorizer(authorizers);
  return (a) => union.authorize(a);
}
