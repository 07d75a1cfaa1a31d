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
 * An authenticator recognises its kind of credential. undefined: not mine (try the next). Throws
 * AuthenticationError when the credential is its kind but invalid: the request gets 401, never anonymous.
 */
export interface Authenticator {
  readonly name: string;
  authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined>;
}

export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

/**
 * The bearer token of `Authorization: Bearer <token>`, read as upstream's bearertoken authenticator does: the
 * header is trimmed, split on single spaces, the scheme compared case-insensitively, and the token is the second
 * part. So `Bearer  tok` (two spaces) has an empty token and is no bearer token at all, like a missing header.
 * A token given in `req.token` (TokenReview) is taken as it is.
 */
export function bearerToken(req: Pick<AuthenticationRequest, 'header' | 'token'>): string | undefined {
  if (req.token !== undefined) return req.token || undefined;
  const auth = req.header('authorization')?.trim();
  if (!auth) return undefined;
  const parts = auth.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

/** All values of a header, one per header line (falls back to the single combined value). */
export function headerValues(req: Pick<AuthenticationRequest, 'header' | 'headerValues'>, name: string): string[] {
  if (req.headerValues) return req.headerValues(name);
  const v = req.header(name);
  return v === undefined ? [] : [v];
}
