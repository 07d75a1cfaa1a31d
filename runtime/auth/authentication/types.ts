/**
 * The authentication contract: every authenticator (client certificates, front proxy, static and bootstrap tokens,
 * service-account tokens, OIDC, webhooks) takes a plain description of the request, never the HTTP framework's
 * context, so TokenReview and tests can call it as the filter does.
 */
import type { X509Certificate } from 'node:crypto';
import type { UserInfo } from '../user.ts';

export interface AuthenticationRequest {
  method: string;
  path: string;
  /** Header lookup, case-insensitive (HTTP headers). */
  header(name: string): string | undefined;
  /** The client's certificate chain as the TLS layer saw it (leaf first), unverified; undefined without one. */
  peerCertificates?: X509Certificate[];
  /**
   * The audiences the credential must be valid for: TokenReview's spec.audiences, else the API server's own
   * (--api-audiences). Undefined or empty: the authenticator's default audiences.
   */
  audiences?: string[];
  /**
   * All values of a header that may repeat (Impersonate-Group, X-Remote-Group), one per header line, as HTTP
   * received them. Without it, `header(name)` is the only value.
   */
  headerValues?(name: string): string[];
  /** The names of all headers of the request (for prefixed headers such as X-Remote-Extra-*). */
  headerNames?(): string[];
  /** A bearer token handed over directly (TokenReview): token authenticators use it instead of the header. */
  token?: string;
}

export interface AuthenticationResponse {
  user: UserInfo;
  /** audiences the credential was valid for */
  audiences?: string[];
}

/**
 * An authenticator's verdict: the response; undefined: not mine (try the next); an AuthenticationError: my kind of
 * credential but invalid (the request gets 401 unless another authenticator accepts it, never anonymous). The
 * refusal may also be thrown, or be a rejection of the promise: returning it as a value saves the throw (V8 records
 * where each throw happened, microseconds each) where refusing is common, as the front proxy's refusal of every other
 * client certificate.
 */
export type AuthenticationVerdict = AuthenticationResponse | AuthenticationError | undefined;

/**
 * An authenticator recognises its kind of credential. One that needs no I/O (a client certificate, a static token)
 * answers at once, without a promise: a request that authenticates so costs no microtask and no promise, and the
 * authentication layer's time is its CPU (runtime/metrics/layers.ts); one that must wait returns a promise.
 */
export interface Authenticator {
  readonly name: string;
  authenticate(req: AuthenticationRequest): AuthenticationVerdict | Promise<AuthenticationVerdict>;
}

/** An authenticator that always waits (a webhook, OIDC, service-account tokens): a promise, rejected for a refusal. */
export interface WaitingAuthenticator extends Authenticator {
  authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined>;
}

/**
 * No stack trace: this error is how an authenticator says "my kind of credential, but not valid", which the
 * union expects on most requests (a client certificate that is not the front proxy's), and only its message is
 * ever read. Capturing a stack costs tens of microseconds per request.
 */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  constructor(message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

const WEBSOCKET_TOKEN_PREFIX = 'base64url.bearer.authorization.k8s.io.';

/**
 * The bearer token of `Authorization: Bearer <token>`, read as upstream's bearertoken authenticator does: the
 * header is trimmed, split on single spaces, the scheme compared case-insensitively, and the token is the second
 * part. So `Bearer  tok` (two spaces) has an empty token and is no bearer token at all, like a missing header.
 * A token given in `req.token` (TokenReview) is taken as it is. Without an Authorization bearer token, a WebSocket
 * upgrade may carry one as a `base64url.bearer.authorization.k8s.io.<token>` subprotocol (browsers cannot set
 * headers on WebSockets), as upstream's websocket protocol authenticator; a malformed one throws
 * AuthenticationError.
 */
export function bearerToken(req: Pick<AuthenticationRequest, 'header' | 'token' | 'headerValues'>): string | undefined {
  if (req.token !== undefined) return req.token || undefined;
  const auth = req.header('authorization')?.trim();
  if (auth) {
    const parts = auth.split(' ');
    if (parts.length >= 2 && parts[0].toLowerCase() === 'bearer' && parts[1]) return parts[1];
  }
  return websocketToken(req);
}

function websocketToken(req: Pick<AuthenticationRequest, 'header' | 'headerValues'>): string | undefined {
  const connection = req.header('connection')?.toLowerCase() ?? '';
  if (!connection.split(',').some((t) => t.trim() === 'upgrade') || req.header('upgrade')?.toLowerCase() !== 'websocket') return undefined;
  let token: string | undefined;
  let others = 0;
  for (const line of headerValues(req, 'sec-websocket-protocol')) {
    for (const raw of line.split(',')) {
      const protocol = raw.trim();
      if (!protocol.startsWith(WEBSOCKET_TOKEN_PREFIX)) {
        others++;
        continue;
      }
      if (token !== undefined) throw new AuthenticationError('multiple base64.bearer.authorization tokens specified');
      const encoded = protocol.slice(WEBSOCKET_TOKEN_PREFIX.length);
      if (!/^[A-Za-z0-9_-]*$/.test(encoded) || encoded.length % 4 === 1) throw new AuthenticationError('invalid base64.bearer.authorization token encoding');
      const bytes = Buffer.from(encoded, 'base64url');
      const text = bytes.toString('utf8');
      if (!Buffer.from(text, 'utf8').equals(bytes)) throw new AuthenticationError('invalid base64.bearer.authorization token');
      token = text;
    }
  }
  if (!token) return undefined;
  // Another subprotocol must remain for the server to echo back once the token's is dropped.
  if (others === 0) throw new AuthenticationError('missing additional subprotocol');
  return token;
}

/** All values of a header, one per header line (falls back to the single combined value). */
export function headerValues(req: Pick<AuthenticationRequest, 'header' | 'headerValues'>, name: string): string[] {
  if (req.headerValues) return req.headerValues(name);
  const v = req.header(name);
  return v === undefined ? [] : [v];
}
