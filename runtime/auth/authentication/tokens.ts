/**
 * Wiring of the token authenticators this folder adds to the union — service-account tokens, OIDC, webhook —
 * and of what shares their keys: TokenRequest (`serviceaccounts/<name>/token`) and service-account issuer
 * discovery. server-chain.ts calls `setUpTokenAuthentication` once; the builders below are its steps.
 */
import type { Logger } from 'pino';
import { StatusError } from '../../machinery/status.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { systemContext } from '../../registry/store.ts';
import { TokenREST, type RequiredObjectGetter } from '../../registry/core/serviceaccount-token.ts';
import type { CreaterREST } from '../../registry/rest.ts';
import { legacyIssuer } from '../serviceaccount/claims.ts';
import { jwtTokenGenerator, type TokenGenerator } from '../serviceaccount/generator.ts';
import { ensureServiceAccountKey, readPublicKeyFiles, readSigningKeyFile, type PublicKey, type SigningKey } from '../serviceaccount/keys.ts';
import { openIDMetadata, type OpenIDMetadata } from '../serviceaccount/openid-metadata.ts';
import { audienceAgnostic } from './audiences.ts';
import { oidcAuthenticator } from './oidc.ts';
import { legacyTokenLastUsedLabel, serviceAccountTokenAuthenticator, type ObjectGetter } from './serviceaccount.ts';
import type { ServiceAccountTokenOptions, TokenAuthenticationOptions } from './token-options.ts';
import type { Authenticator } from './types.ts';
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

export interface TokenAuthenticatorDeps {
  keys: ServiceAccountKeys;
  getObject: ObjectGetter;
  log?: Logger;
  /** Records the day a legacy token was used on its Secret (upstream's legacy token tracking). */
  markLegacyTokenUsed?: (namespace: string, secretName: string, date: string) => Promise<void>;
  /** Receives what must run at shutdown (the OIDC discovery retry). */
  onClose?: (fn: () => void) => void;
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
      legacy: { lookup: sa.lookup, markUsed: deps.markLegacyTokenUsed },
    }),
  ];
  if (opts.oidc) {
    // OIDC tokens are not addressed to this server's audiences: accepted for them only (WrapAudienceAgnosticToken).
    const oidc = oidcAuthenticator(opts.oidc, { log: deps.log });
    deps.onClose?.(() => oidc.close());
    out.push(audienceAgnostic(sa.apiAudiences, oidc));
  }
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


export interface TokenAuthentication {
  /** For the authentication union (buildAuthenticator's tokenAuthenticators). */
  authenticators: Authenticator[];
  /** --api-audiences, defaulted to the issuers. */
  apiAudiences: string[];
  /** Issuer discovery documents to serve, when the issuer is an https URL. */
  discovery?: OpenIDMetadata;
  /** Signs legacy secret-based tokens (the tokens controller), when the server has a signing key. */
  legacyTokenGenerator?: TokenGenerator;
  close(): void;
}

/**
 * Everything token authentication needs at start-up: keys (generated in the data dir when none are given), the
 * authenticators, TokenRequest registered on the kube API server (`serviceaccounts/<name>/token`), and the
 * issuer discovery documents. Lookups go through the kube API server's stores.
 */
export async function setUpTokenAuthentication(
  opts: TokenAuthenticationOptions,
  deps: {
    dataDir: string;
    /** host:port clients reach this server at (the default jwks_uri). */
    externalAddress: string;
    kube: {
      store(group: string, version: string, resource: string): RegistryStore | undefined;
      registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST): void;
    };
    log?: Logger;
  },
): Promise<TokenAuthentication> {
  const sa = opts.serviceAccounts;
  const keys = setUpServiceAccountKeys(sa, deps.dataDir);
  const getters = storeObjectGetters((resource) => deps.kube.store('', 'v1', resource));
  const closers: Array<() => void> = [];
  const markLegacyTokenUsed = async (namespace: string, secretName: string, date: string) => {
    await deps.kube.store('', 'v1', 'secrets')?.guaranteedUpdate(systemContext(namespace), secretName, async (secret) => {
      secret.metadata.labels = { ...(secret.metadata.labels ?? {}), [legacyTokenLastUsedLabel]: date };
      return secret;
    });
  };
  const authenticators = buildTokenAuthenticators(opts, { keys, getObject: getters.optional, log: deps.log, markLegacyTokenUsed, onClose: (fn) => closers.push(fn) });
  const tokenREST = buildTokenREST(sa, keys, getters.required);
  if (tokenREST) deps.kube.registerREST('', 'v1', 'serviceaccounts', 'token', tokenREST);
  const discovery = await buildServiceAccountIssuerDiscovery(sa, keys, deps.externalAddress, deps.log);
  return {
    authenticators,
    apiAudiences: sa.apiAudiences,
    discovery,
    legacyTokenGenerator: keys.signingKey ? jwtTokenGenerator(legacyIssuer, keys.signingKey) : undefined,
    close() {
      for (const fn of closers) fn();
    },
  };
}
