/**
 * Wiring of the token authenticators this folder adds to the union — service-account tokens, OIDC, webhook —
 * and of what shares their keys: TokenRequest (`serviceaccounts/<name>/token`) and service-account issuer
 * discovery. run.ts calls `setUpServiceAccountKeys` once, then hands the result to the other builders.
 */
import type { Logger } from 'pino';
import { StatusError } from '../../machinery/status.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { systemContext } from '../../registry/store.ts';
import { TokenREST, type RequiredObjectGetter } from '../../registry/core/serviceaccount-token.ts';
import { jwtTokenGenerator } from '../serviceaccount/generator.ts';
import { ensureServiceAccountKey, readPublicKeyFiles, readSigningKeyFile, type PublicKey, type SigningKey } from '../serviceaccount/keys.ts';
import { openIDMetadata, type OpenIDMetadata } from '../serviceaccount/openid-metadata.ts';
import { oidcAuthenticator } from './oidc.ts';
import { serviceAccountTokenAuthenticator, type ObjectGetter } from './serviceaccount.ts';
import type { ServiceAccountTokenOptions, TokenAuthenticationOptions } from './token-options.ts';
import type { AuthenticationRequest, Authenticator } from './types.ts';
import { webhookTokenAuthenticator } from './webhook.ts';

export interface ServiceAccountKeys {
  /** Keys that verify tokens (and are published in the JWKS). */
  verifyKeys: PublicKey[];
  /** The key that signs issued tokens; undefined when only verification keys were given. */
  signingKey?: SigningKey;
}

/**
 * Reads the key flags. With neither --service-account-key-file nor --service-account-signing-key-file, the key
 * pair generated in `<dataDir>/pki` signs and verifies (a zero-configuration start). The signing key's public half
 * always verifies, so the server can check every token it issues.
 */
export function setUpServiceAccountKeys(opts: ServiceAccountTokenOptions, dataDir: string): ServiceAccountKeys {
  let signingKeyFile = opts.signingKeyFile;
  const keyFiles = [...opts.keyFiles];
  if (!signingKeyFile && keyFiles.length === 0) {
    const generated = ensureServiceAccountKey(dataDir);
    signingKeyFile = generated.signingKeyFile;
    keyFiles.push(generated.publicKeyFile);
  }
  const signingKey = signingKeyFile ? readSigningKeyFile(signingKeyFile) : undefined;
  const verifyKeys = readPublicKeyFiles(keyFiles);
  if (signingKey && !verifyKeys.some((k) => k.kid === signingKey.kid)) verifyKeys.push({ key: signingKey.key, kid: signingKey.kid, alg: signingKey.alg });
  return { verifyKeys, signingKey };
}

/** Object lookups through the API server's registry stores: the watch cache first, a consistent read on a miss. */
export function storeObjectGetters(store: (resource: string) => RegistryStore | undefined): { optional: ObjectGetter; required: RequiredObjectGetter } {
  const required: RequiredObjectGetter = async (resource, namespace, name) => {
    const s = store(resource);
    if (!s) throw new Error(`no store for ${resource}`);
    return s.get(systemContext(namespace), name);
  };
  const optional: ObjectGetter = async (resource, namespace, name) => {
    const s = store(resource);
    if (!s) throw new Error(`no store for ${resource}`);
    try {
      // resourceVersion 0: served from memory, like upstream's informer listers.
      return await s.get(systemContext(namespace), name, { resourceVersion: '0' });
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
    }
    // Not in the cache yet (just created): ask the store, as upstream's getter falls back to a live lookup.
    try {
      return await s.get(systemContext(namespace), name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return { optional, required };
}

/**
 * Upstream's WrapAudienceAgnosticToken: for authenticators whose tokens carry no audience of ours (OIDC), the
 * request's audiences must include one of the API server's, and the response names that intersection.
 */
function audienceAgnostic(apiAudiences: string[], inner: Authenticator): Authenticator {
  return {
    name: inner.name,
    async authenticate(req: AuthenticationRequest) {
      if (!req.audiences?.length) return inner.authenticate(req);
      const auds = apiAudiences.filter((a) => req.audiences!.includes(a));
      if (auds.length === 0) return undefined;
      const res = await inner.authenticate(req);
      return res ? { user: res.user, audiences: auds } : undefined;
    },
  };
}

export interface TokenAuthenticatorDeps {
  keys: ServiceAccountKeys;
  getObject: ObjectGetter;
  log?: Logger;
}

/** The bearer-token authenticators of this folder, in upstream's order: service accounts, OIDC, webhook. */
export function buildTokenAuthenticators(opts: TokenAuthenticationOptions, deps: TokenAuthenticatorDeps): Authenticator[] {
  const sa = opts.serviceAccounts;
  const out: Authenticator[] = [
    serviceAccountTokenAuthenticator({
      issuers: sa.issuers,
      keys: deps.keys.verifyKeys,
      apiAudiences: sa.apiAudiences,
      getObject: deps.getObject,
      legacy: { lookup: sa.lookup },
    }),
  ];
  if (opts.oidc) out.push(audienceAgnostic(sa.apiAudiences, oidcAuthenticator(opts.oidc, { log: deps.log })));
  if (opts.webhook) out.push(webhookTokenAuthenticator(opts.webhook, { apiAudiences: sa.apiAudiences }));
  return out;
}

/** TokenRequest, when the server has a signing key (upstream serves it only then). */
export function buildTokenREST(opts: ServiceAccountTokenOptions, keys: ServiceAccountKeys, getObject: RequiredObjectGetter): TokenREST | undefined {
  if (!keys.signingKey) return undefined;
  return new TokenREST({
    generator: jwtTokenGenerator(opts.issuers[0], keys.signingKey),
    getObject,
    apiAudiences: opts.apiAudiences,
    maxExpirationSeconds: opts.maxTokenExpirationSeconds,
    extendExpiration: opts.extendTokenExpiration,
  });
}

/**
 * The issuer discovery documents of the first issuer, or undefined (logged) when it is not an https URL — the
 * server then runs without them, as upstream does.
 */
export async function buildServiceAccountIssuerDiscovery(
  opts: ServiceAccountTokenOptions,
  keys: ServiceAccountKeys,
  externalAddress: string,
  log?: Logger,
): Promise<OpenIDMetadata | undefined> {
  try {
    return await openIDMetadata({ issuer: opts.issuers[0], jwksURI: opts.jwksURI, externalAddress, keys: keys.verifyKeys });
  } catch (err) {
    log?.error({ err: (err as Error).message }, 'service account issuer discovery is not served');
    return undefined;
  }
}

