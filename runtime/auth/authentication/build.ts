/**
 * Builds the API server's authentication from its flags: the order is upstream's (the server's own loopback
 * token, front proxy, client certificates, then bearer tokens: token file, bootstrap tokens, then the token
 * authenticators handed in, such as service-account tokens, OIDC and webhooks), followed by anonymous access when
 * --anonymous-auth allows it.
 */
import type { Logger } from 'pino';
import type { UserInfo } from '../user.ts';
import { audienceAgnostic } from './audiences.ts';
import { bootstrapTokenAuthenticator, type SecretGetter } from './bootstrap-token.ts';
import { fileCABundle, type CABundle } from './ca-bundle.ts';
import { requestHeaderAuthenticator, requestHeaderNames } from './request-header.ts';
import { loopbackTokenAuthenticator, type LoopbackToken } from './loopback-token.ts';
import { loadTokenFile, tokenFileAuthenticator } from './token-file.ts';
import { AuthenticationError, type AuthenticationRequest, type AuthenticationResponse, type Authenticator } from './types.ts';
import { requestAuthenticator, unionAuthenticator } from './union.ts';
import { x509Authenticator } from './x509.ts';

import type { AuthenticationOptions } from './options.ts';

export type { AuthenticationOptions };

export interface AuthenticationDeps {
  log?: Logger;
  /** Secrets for bootstrap tokens, read through the API server's store. */
  getSecret: SecretGetter;
  /** The CA of the generated PKI (certs.ts), trusted for client certificates when --client-ca-file is not given. */
  generatedClientCAFile?: string;
  /** More bearer-token authenticators (service-account tokens, OIDC, webhook), tried after the built-in ones. */
  tokenAuthenticators?: Authenticator[];
  /** --api-audiences: what tokens must be meant for when the request names no audience. */
  apiAudiences?: string[];
  /** The server's own token (loopback-token.ts): recognised before any other credential, as upstream. */
  loopbackToken?: LoopbackToken;
  /** How often CA files are checked for changes (ms). */
  reloadIntervalMs?: number;
}

export interface TokenReviewResult {
  authenticated: boolean;
  user?: UserInfo;
  audiences?: string[];
  error?: string;
}

export interface ServerAuthentication {
  /**
   * The user of a request (system:anonymous when allowed); throws (or rejects with) AuthenticationError for 401.
   * At once when every authenticator asked answers at once (client certificates, static tokens), else a promise.
   */
  authenticate(req: AuthenticationRequest): AuthenticationResponse | Promise<AuthenticationResponse>;
  /** TokenReview: only the bearer-token authenticators, for `audiences` (the API audiences when empty). */
  reviewToken(token: string, audiences?: string[]): Promise<TokenReviewResult>;
  /** CAs whose client certificates are accepted: advertised by TLS so clients send their certificate. */
  clientCAs: CABundle[];
  /** Header names (lower case) and prefixes a front proxy sets: never passed on from a request. */
  proxyHeaders: { names: string[]; prefixes: string[] };
  apiAudiences: string[];
  close(): void;
}

export function buildAuthenticator(opts: AuthenticationOptions, deps: AuthenticationDeps): ServerAuthentication {
  const log = deps.log;
  const apiAudiences = deps.apiAudiences ?? [];
  const bundleOptions = { log, intervalMs: deps.reloadIntervalMs };
  const requestAuthenticators: Authenticator[] = [];
  const clientCAs: CABundle[] = [];

  const requestHeader = {
    usernameHeaders: opts.requestheaderUsernameHeaders,
    groupHeaders: opts.requestheaderGroupHeaders,
    extraHeaderPrefixes: opts.requestheaderExtraHeadersPrefix,
  };
  if (opts.requestheaderClientCaFile) {
    const bundle = fileCABundle(opts.requestheaderClientCaFile, bundleOptions);
    clientCAs.push(bundle);
    requestAuthenticators.push(requestHeaderAuthenticator({ bundle, allowedNames: opts.requestheaderAllowedNames, ...requestHeader }));
  }
  const clientCAFile = opts.clientCaFile ?? deps.generatedClientCAFile;
  if (clientCAFile) {
    const bundle = fileCABundle(clientCAFile, bundleOptions);
    clientCAs.push(bundle);
    requestAuthenticators.push(x509Authenticator(bundle));
  }

  const tokenAuthenticators: Authenticator[] = [];
  const loopback = deps.loopbackToken ? [loopbackTokenAuthenticator(deps.loopbackToken, apiAudiences)] : [];
  if (opts.tokenAuthFile) tokenAuthenticators.push(audienceAgnostic(apiAudiences, tokenFileAuthenticator(loadTokenFile(opts.tokenAuthFile, log))));
  if (opts.enableBootstrapTokenAuth) tokenAuthenticators.push(audienceAgnostic(apiAudiences, bootstrapTokenAuthenticator(deps.getSecret)));
  tokenAuthenticators.push(...(deps.tokenAuthenticators ?? []));

  const union = unionAuthenticator('request', [...loopback, ...requestAuthenticators, ...tokenAuthenticators]);
  const tokens = unionAuthenticator('token', [...loopback, ...tokenAuthenticators], { unknownTokenFails: false });
  const authenticate = requestAuthenticator(union, { anonymous: opts.anonymousAuth });
  // A credential valid only for other audiences does not authenticate requests to this server.
  const forThisServer = (res: AuthenticationResponse): AuthenticationResponse => {
    if (apiAudiences.length && res.audiences?.length && !res.audiences.some((a) => apiAudiences.includes(a))) {
      throw new AuthenticationError(`the credential's audiences ${JSON.stringify(res.audiences)} do not include the API server's`);
    }
    return res;
  };

  return {
    authenticate(req) {
      // The request is for this server: tokens must be meant for its audiences (upstream sets them per request).
      if (apiAudiences.length && !req.audiences) req.audiences = apiAudiences;
      const res = authenticate(req);
      return res instanceof Promise ? res.then(forThisServer) : forThisServer(res);
    },
    async reviewToken(token, audiences) {
      const auds = audiences?.length ? audiences : apiAudiences;
      try {
        const res = await tokens.authenticate({ method: 'POST', path: '', header: () => undefined, token, audiences: auds.length ? auds : undefined });
        if (!res) return { authenticated: false };
        return { authenticated: true, user: res.user, audiences: res.audiences };
      } catch (e) {
        if (e instanceof AuthenticationError) return { authenticated: false, error: e.message };
        throw e;
      }
    },
    clientCAs,
    proxyHeaders: opts.requestheaderClientCaFile ? requestHeaderNames(requestHeader) : { names: [], prefixes: [] },
    apiAudiences,
    close() {
      for (const b of clientCAs) b.close();
    },
  };
}
