/**
 * OpenID Connect ID tokens (`--oidc-*` flags; upstream's oidc token authenticator). A bearer token is ours when
 * its unverified `iss` equals --oidc-issuer-url. The issuer's discovery document
 * (`<issuer>/.well-known/openid-configuration`) is fetched in the background at start-up, retried every 10 s
 * until it answers, and names the JWKS that verifies signatures (jose's remote key set: cached, refetched when an
 * unknown `kid` shows up). Until then tokens of this issuer get 401 "authenticator not initialized".
 *
 * A token must be signed with one of --oidc-signing-algs (default RS256), carry the issuer, the client ID in `aud`,
 * an `exp` in the future, and every --oidc-required-claim. The user name is --oidc-username-claim (default `sub`),
 * prefixed by --oidc-username-prefix — by default `<issuer>#` for any claim but `email`, `-` for none; an `email`
 * user name requires `email_verified` to be true when present. Groups come from --oidc-groups-claim (a string or
 * a list of strings), prefixed by --oidc-groups-prefix.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { compactVerify, createRemoteJWKSet, customFetch, type FetchImplementation } from 'jose';
import type { Logger } from 'pino';
import type { UserInfo } from '../user.ts';
import { untrustedIssuer } from './serviceaccount.ts';
import { AuthenticationError, bearerToken, type AuthenticationRequest, type AuthenticationResponse, type WaitingAuthenticator } from './types.ts';

export interface OIDCOptions {
  issuerURL: string;
  clientID: string;
  usernameClaim: string;
  /** The flag as given: undefined or '' for the default prefix, '-' for none. */
  usernamePrefix?: string;
  groupsClaim?: string;
  groupsPrefix?: string;
  /** PEM bundle that signs the issuer's serving certificate; the system roots when absent. */
  caFile?: string;
  requiredClaims: Record<string, string>;
  signingAlgs: string[];
}

/** Signing algorithms upstream lets --oidc-signing-algs name. */
export const allowedOIDCSigningAlgs = ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'];

export interface OIDCAuthenticator extends WaitingAuthenticator {
  /** Resolves once the discovery document and key set location are known (tests; the server does not wait). */
  ready(): Promise<void>;
  close(): void;
}

/** go-oidc's leeway for `nbf` (an issuer's clock may run ahead). */
const notBeforeLeewaySeconds = 5 * 60;
const httpTimeoutMs = 30_000;

/** The user-name prefix the flags mean (upstream's legacy flag behaviour). */
export function effectiveUsernamePrefix(o: Pick<OIDCOptions, 'issuerURL' | 'usernameClaim' | 'usernamePrefix'>): string {
  if (o.usernamePrefix === '-') return '';
  if (!o.usernamePrefix && o.usernameClaim !== 'email') return `${o.issuerURL}#`;
  return o.usernamePrefix ?? '';
}

/** A fetch for jose and discovery that trusts `ca` (or the system roots), over node:https. */
function httpsFetch(ca: string | undefined): FetchImplementation {
  return (url, options) =>
    new Promise<Response>((resolve, reject) => {
      const headers: Record<string, string> = {};
      options.headers.forEach((v, k) => (headers[k] = v));
      const req = request(url, { method: 'GET', headers, ca, signal: options.signal, timeout: httpTimeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 0, headers: h }));
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout after ${httpTimeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
}

function claimString(claims: Record<string, unknown>, name: string, what: string): string {
  if (!(name in claims)) throw new AuthenticationError(`oidc: parse ${what} ${JSON.stringify(name)}: claim not present`);
  const v = claims[name];
  if (typeof v !== 'string') throw new AuthenticationError(`oidc: parse ${what} ${JSON.stringify(name)}: the claim is not a string`);
  return v;
}

export function oidcAuthenticator(o: OIDCOptions, deps: { log?: Logger; retryIntervalMs?: number; now?: () => number } = {}): OIDCAuthenticator {
  const now = deps.now ?? Date.now;
  const ca = o.caFile ? readFileSync(o.caFile, 'utf8') : undefined;
  const fetchImpl = httpsFetch(ca);
  const usernamePrefix = effectiveUsernamePrefix(o);
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void;
  const readyPromise = new Promise<void>((r) => (markReady = r));

  const discover = async (): Promise<void> => {
    const discoveryURL = `${o.issuerURL.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const res = await fetchImpl(discoveryURL, { headers: new Headers({ accept: 'application/json' }), method: 'GET', redirect: 'manual', signal: AbortSignal.timeout(httpTimeoutMs) });
    if (res.status !== 200) throw new Error(`${discoveryURL}: ${res.status} ${await res.text().catch(() => '')}`.trim());
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
    if (doc.issuer !== o.issuerURL) {
      throw new Error(`oidc: issuer did not match the issuer returned by provider, expected ${JSON.stringify(o.issuerURL)} got ${JSON.stringify(doc.issuer)}`);
    }
    if (typeof doc.jwks_uri !== 'string') throw new Error(`${discoveryURL}: the discovery document has no jwks_uri`);
    jwks = createRemoteJWKSet(new URL(doc.jwks_uri), { [customFetch]: fetchImpl, timeoutDuration: httpTimeoutMs });
  };
  const attempt = () => {
    discover().then(
      () => {
        deps.log?.info({ issuer: o.issuerURL }, 'oidc authenticator initialized');
        markReady();
      },
      (err) => {
        deps.log?.error({ issuer: o.issuerURL, err: (err as Error).message }, 'oidc authenticator: initializing plugin');
        if (!closed) timer = setTimeout(attempt, deps.retryIntervalMs ?? 10_000);
        timer?.unref();
      },
    );
  };
  attempt();

  function groupsOf(claims: Record<string, unknown>): string[] {
    if (!o.groupsClaim || !(o.groupsClaim in claims)) return [];
    const v = claims[o.groupsClaim];
    let groups: string[];
    if (typeof v === 'string') groups = [v];
    else if (Array.isArray(v) && v.every((g) => typeof g === 'string')) groups = v as string[];
    else throw new AuthenticationError(`oidc: parse groups claim ${JSON.stringify(o.groupsClaim)}: the claim is neither a string nor a list of strings`);
    return o.groupsPrefix ? groups.map((g) => o.groupsPrefix + g) : [...groups];
  }

  return {
    name: 'oidc',
    ready: () => readyPromise,
    close() {
      closed = true;
      clearTimeout(timer);
    },
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined> {
      const token = bearerToken(req);
      if (!token || token.trimStart().startsWith('{')) return undefined;
      if (untrustedIssuer(token) !== o.issuerURL) return undefined;
      if (!jwks) throw new AuthenticationError('oidc: authenticator not initialized');

      let claims: Record<string, unknown>;
      try {
        const { payload } = await compactVerify(token, jwks, { algorithms: o.signingAlgs });
        claims = JSON.parse(new TextDecoder().decode(payload));
      } catch (err) {
        throw new AuthenticationError(`oidc: verify token: ${(err as Error).message}`);
      }
      if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new AuthenticationError('oidc: verify token: the payload is not a JSON object');
      if (claims.iss !== o.issuerURL) {
        throw new AuthenticationError(`oidc: verify token: oidc: id token issued by a different provider, expected ${JSON.stringify(o.issuerURL)} got ${JSON.stringify(claims.iss)}`);
      }
      const aud = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
      if (!aud.includes(o.clientID)) {
        throw new AuthenticationError(`oidc: verify token: oidc: expected audience ${JSON.stringify(o.clientID)} got ${JSON.stringify(aud)}`);
      }
      const nowSeconds = now() / 1000;
      if (typeof claims.exp !== 'number' || claims.exp < nowSeconds) {
        const when = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : 'none';
        throw new AuthenticationError(`oidc: verify token: oidc: token is expired (Token Expiry: ${when})`);
      }
      if (typeof claims.nbf === 'number' && nowSeconds + notBeforeLeewaySeconds < claims.nbf) {
        throw new AuthenticationError('oidc: verify token: oidc: current time is before the nbf (not before) time');
      }

      const username = claimString(claims, o.usernameClaim, 'username claims');
      if (o.usernameClaim === 'email' && 'email_verified' in claims) {
        if (typeof claims.email_verified !== 'boolean') throw new AuthenticationError("oidc: parse 'email_verified' claim: not a boolean");
        if (!claims.email_verified) throw new AuthenticationError('oidc: email not verified');
      }
      const user: UserInfo = { name: usernamePrefix + username, groups: groupsOf(claims) };
      for (const [claim, want] of Object.entries(o.requiredClaims)) {
        if (!(claim in claims)) throw new AuthenticationError(`oidc: required claim ${claim} not present in ID token`);
        const got = claims[claim];
        if (typeof got !== 'string') throw new AuthenticationError(`oidc: parse claim ${claim}: not a string`);
        if (got !== want) throw new AuthenticationError(`oidc: required claim ${claim} value does not match. Got = ${got}, want = ${want}`);
      }
      return { user };
    },
  };
}
