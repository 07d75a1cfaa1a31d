/**
 * The flags of service-account tokens, OIDC and webhook token authentication, with kube-apiserver's names and
 * defaults. runtime/server/options.ts adds them with one call and reads them back with another, so these flags
 * live in one block beside the code that uses them.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { allowedOIDCSigningAlgs, type OIDCOptions } from './oidc.ts';
import type { WebhookTokenOptions } from './webhook.ts';

export interface ServiceAccountTokenOptions {
  /** --service-account-key-file (repeatable): PEM files of keys that verify tokens. */
  keyFiles: string[];
  /** --service-account-signing-key-file: the private key that signs issued tokens. */
  signingKeyFile?: string;
  /** --service-account-issuer (repeatable): the first issues, all are accepted. */
  issuers: string[];
  /** --service-account-jwks-uri: overrides the jwks_uri of the discovery document. */
  jwksURI?: string;
  /** --api-audiences: default, the issuers. */
  apiAudiences: string[];
  /** --service-account-max-token-expiration in seconds; 0: no limit. */
  maxTokenExpirationSeconds: number;
  /** --service-account-extend-token-expiration. */
  extendTokenExpiration: boolean;
  /** --service-account-lookup: legacy tokens are checked against their Secret and ServiceAccount. */
  lookup: boolean;
}

export interface TokenAuthenticationOptions {
  serviceAccounts: ServiceAccountTokenOptions;
  oidc?: OIDCOptions;
  webhook?: WebhookTokenOptions;
}

/** kubeadm's issuer, used when --service-account-issuer is not given. */
export const defaultServiceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const collectList = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
const collectMap = (value: string, previous: Record<string, string> = {}) => {
  const out = { ...previous };
  for (const pair of value.split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`"${pair}" is not key=value`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
};
const bool = (text: string): boolean => {
  if (text !== 'true' && text !== 'false') throw new InvalidArgumentError(`"${text}" is not true or false`);
  return text === 'true';
};

/** Adds the flags to the server's command. `duration` parses Go durations (options.ts's parser). */
export function addTokenAuthenticationFlags(program: Command, duration: (text: string) => number): void {
  program
    .option('--service-account-key-file <file>', 'PEM file of public (or private) keys that verify service-account tokens; repeatable', collect, [])
    .option('--service-account-signing-key-file <file>', 'private key that signs service-account tokens; generated in the data dir when no key flag is given')
    .option('--service-account-issuer <url>', `issuer of service-account tokens; repeatable, the first issues (default ${defaultServiceAccountIssuer})`, collect, [])
    .option('--service-account-jwks-uri <url>', 'jwks_uri published in the service-account issuer discovery document')
    .option('--api-audiences <list>', 'audiences the API server accepts tokens for (comma-separated; default: the issuers)', collectList, [])
    .option('--service-account-max-token-expiration <duration>', 'longest lifetime of an issued service-account token (0: no limit)', duration, 0)
    .option('--service-account-extend-token-expiration <bool>', 'extend pod-bound tokens that ask for 3607 s to a year, warning after 3607 s', bool, true)
    .option('--service-account-lookup <bool>', 'check that legacy service-account tokens still exist in the store', bool, true)
    .option('--oidc-issuer-url <url>', 'issuer of OpenID Connect ID tokens to accept (https)')
    .option('--oidc-client-id <id>', 'client ID every OIDC token must be issued for')
    .option('--oidc-username-claim <claim>', 'claim to take the user name from', 'sub')
    .option('--oidc-username-prefix <prefix>', "prefix of OIDC user names ('-' for none; default '<issuer>#' unless the claim is email)")
    .option('--oidc-groups-claim <claim>', 'claim to take the groups from (a string or a list of strings)')
    .option('--oidc-groups-prefix <prefix>', 'prefix of OIDC groups')
    .option('--oidc-ca-file <file>', "CA that signs the OIDC issuer's serving certificate (default: system roots)")
    .option('--oidc-required-claim <key=value>', 'a claim every OIDC token must carry with this value; repeatable', collectMap, {})
    .option('--oidc-signing-algs <list>', 'accepted OIDC signing algorithms (comma-separated)', collectList, [])
    .option('--authentication-token-webhook-config-file <file>', 'kubeconfig of the webhook that reviews bearer tokens')
    .option('--authentication-token-webhook-cache-ttl <duration>', 'how long webhook answers are cached', duration, 120)
    .option('--authentication-token-webhook-version <version>', 'TokenReview version sent to the webhook (v1 or v1beta1)', 'v1beta1');
}

/** Reads the parsed flags back; problems are appended to `errors` (reported with all others). */
export function tokenAuthenticationOptions(o: Record<string, unknown>, errors: string[]): TokenAuthenticationOptions {
  const issuers = o.serviceAccountIssuer as string[];
  for (const iss of issuers) {
    if (iss.includes(':')) {
      try {
        new URL(iss);
      } catch {
        errors.push(`--service-account-issuer "${iss}" contained a ':' but was not a valid URL`);
      }
    }
  }
  const maxExp = o.serviceAccountMaxTokenExpiration as number;
  if (maxExp !== 0 && (maxExp < 3600 || maxExp > 2 ** 32)) errors.push('--service-account-max-token-expiration must be between 1 hour and 2^32 seconds');
  const effectiveIssuers = issuers.length ? issuers : [defaultServiceAccountIssuer];
  const apiAudiences = o.apiAudiences as string[];
  const serviceAccounts: ServiceAccountTokenOptions = {
    keyFiles: o.serviceAccountKeyFile as string[],
    signingKeyFile: o.serviceAccountSigningKeyFile as string | undefined,
    issuers: effectiveIssuers,
    jwksURI: o.serviceAccountJwksUri as string | undefined,
    apiAudiences: apiAudiences.length ? apiAudiences : [...effectiveIssuers],
    maxTokenExpirationSeconds: maxExp,
    extendTokenExpiration: o.serviceAccountExtendTokenExpiration as boolean,
    lookup: o.serviceAccountLookup as boolean,
  };

  let oidc: OIDCOptions | undefined;
  const issuerURL = o.oidcIssuerUrl as string | undefined;
  const clientID = o.oidcClientId as string | undefined;
  if (issuerURL || clientID) {
    if (!issuerURL || !clientID) errors.push('--oidc-issuer-url and --oidc-client-id must be given together');
    if (issuerURL) {
      try {
        if (new URL(issuerURL).protocol !== 'https:') errors.push(`--oidc-issuer-url "${issuerURL}" must use the https scheme`);
      } catch {
        errors.push(`--oidc-issuer-url "${issuerURL}" is not a URL`);
      }
    }
    const algs = (o.oidcSigningAlgs as string[]).length ? (o.oidcSigningAlgs as string[]) : ['RS256'];
    for (const alg of algs) if (!allowedOIDCSigningAlgs.includes(alg)) errors.push(`--oidc-signing-algs: unsupported signing alg "${alg}" (supported: ${allowedOIDCSigningAlgs.join(', ')})`);
    oidc = {
      issuerURL: issuerURL ?? '',
      clientID: clientID ?? '',
      usernameClaim: o.oidcUsernameClaim as string,
      usernamePrefix: o.oidcUsernamePrefix as string | undefined,
      groupsClaim: o.oidcGroupsClaim as string | undefined,
      groupsPrefix: o.oidcGroupsPrefix as string | undefined,
      caFile: o.oidcCaFile as string | undefined,
      requiredClaims: o.oidcRequiredClaim as Record<string, string>,
      signingAlgs: algs,
    };
  }

  let webhook: WebhookTokenOptions | undefined;
  const version = o.authenticationTokenWebhookVersion as string;
  if (version !== 'v1' && version !== 'v1beta1') errors.push(`--authentication-token-webhook-version "${version}" must be v1 or v1beta1`);
  if (o.authenticationTokenWebhookConfigFile) {
    webhook = {
      configFile: o.authenticationTokenWebhookConfigFile as string,
      cacheTTLSeconds: o.authenticationTokenWebhookCacheTtl as number,
      version: version as 'v1' | 'v1beta1',
    };
  }
  return { serviceAccounts, oidc, webhook };
}
