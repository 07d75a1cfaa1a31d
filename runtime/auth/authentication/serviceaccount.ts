/**
 * Service-account token authentication (upstream's pkg/serviceaccount JWTTokenAuthenticator with its bound and
 * legacy validators). A bearer token is ours when its unverified `iss` is one of --service-account-issuer (bound
 * tokens) or `kubernetes/serviceaccount` (legacy secret-based tokens); anything else is left to the next
 * authenticator. A token that is ours must then pass, in order: a signature by one of the verification keys,
 * the signed issuer, the audience (the request's audiences, else --api-audiences), exp/nbf/iat with one minute of
 * leeway, and the lookup: its ServiceAccount, and the Pod, Secret or Node it is bound to, must still exist with the
 * uid in the token. Every failure is an AuthenticationError (401), never anonymous.
 *
 * Signature checks are cached by token hash until the token expires, so a busy client pays for one verification;
 * lookups run on every request (from the watch cache) so a deleted service account stops working at once.
 */
import { createHash } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { goQuote } from '../../machinery/gofmt.ts';
import type { StoredObject } from '../../storage/store.ts';
import {
  credentialIDForJTI,
  legacyClaimKeys,
  legacyIssuer,
  serviceAccountUserInfo,
  splitServiceAccountUsername,
  type KubernetesClaim,
  type ServiceAccountInfo,
} from '../serviceaccount/claims.ts';
import type { PublicKey } from '../serviceaccount/keys.ts';
import { AuthenticationError, bearerToken, type AuthenticationRequest, type AuthenticationResponse, type WaitingAuthenticator } from './types.ts';

/** Reads an object the token refers to; undefined when it does not exist. */
export type ObjectGetter = (resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string) => Promise<StoredObject | undefined>;

export interface ServiceAccountAuthenticatorOptions {
  /** Issuers of bound tokens (--service-account-issuer). Empty: bound tokens are not accepted. */
  issuers: string[];
  /** Keys that verify signatures (--service-account-key-file, and the signing key's public half). */
  keys: PublicKey[];
  /** --api-audiences: the audiences of tokens without `aud`, and the default target audiences. */
  apiAudiences: string[];
  getObject: ObjectGetter;
  /**
   * Accept legacy secret-based tokens; `lookup` (--service-account-lookup) checks their Secret and ServiceAccount.
   * `markUsed` records the day a token was last used in the Secret's `kubernetes.io/legacy-token-last-used` label
   * (upstream's legacy token tracking); called at most once a day per Secret, never awaited.
   */
  legacy?: { lookup: boolean; markUsed?: (namespace: string, secretName: string, date: string) => Promise<void> };
  /** Milliseconds since the epoch (tests move the clock). */
  now?: () => number;
}

export const legacyTokenLastUsedLabel = 'kubernetes.io/legacy-token-last-used';
export const legacyTokenInvalidSinceLabel = 'kubernetes.io/legacy-token-invalid-since';

/** go-jose's default leeway for exp, nbf and iat, and the grace upstream gives objects being deleted. */
const leewaySeconds = 60;
/** Signatures upstream's validator accepts. */
const allowedAlgorithms = new Set(['RS256', 'ES256', 'ES384', 'ES512']);
const maxCachedSignatures = 4096;

/** The unverified `iss` of a compact JWT, or undefined when the text is not one. */
export function untrustedIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return typeof claims?.iss === 'string' ? claims.iss : undefined;
  } catch {
    return undefined;
  }
}

/** Go's %q of a []string, as upstream's messages print audiences: ["a" "b"]. */
function quoteList(list: string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;
}

function audiencesOf(aud: unknown): string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/** Deleted before now minus the leeway: upstream lets objects in graceful deletion keep their tokens briefly. */
function deletedBefore(obj: StoredObject, nowSeconds: number): boolean {
  const ts = obj.metadata?.deletionTimestamp as string | undefined;
  return ts !== undefined && Date.parse(ts) / 1000 < nowSeconds - leewaySeconds;
}

function uidOf(obj: StoredObject): string {
  return (obj.metadata?.uid as string | undefined) ?? '';
}

export function serviceAccountTokenAuthenticator(o: ServiceAccountAuthenticatorOptions): WaitingAuthenticator {
  const boundIssuers = new Set(o.issuers);
  const now = o.now ?? Date.now;
  // token hash -> verified payload, with the time (ms) the entry stops being trusted.
  const verified = new Map<string, { payload: Record<string, unknown>; until: number }>();
  // namespace/secret -> the day its legacy token was last recorded as used.
  const markedUsed = new Map<string, string>();

  async function verifySignature(token: string): Promise<Record<string, unknown>> {
    const hash = createHash('sha256').update(token).digest('base64url');
    const hit = verified.get(hash);
    if (hit && hit.until > now()) return hit.payload;
    if (hit) verified.delete(hash);

    let header;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw new AuthenticationError('invalid bearer token: malformed JWT header');
    }
    if (typeof header.alg !== 'string' || !allowedAlgorithms.has(header.alg)) {
      throw new AuthenticationError(`invalid bearer token: unexpected signature algorithm "${String(header.alg)}"`);
    }
    // The kid is a hint: keys named by it first, all keys when none match (upstream's static key getter).
    const hinted = header.kid ? o.keys.filter((k) => k.kid === header.kid) : [];
    const candidates = (hinted.length ? hinted : o.keys).filter((k) => k.alg === header.alg);
    const errors: string[] = [];
    for (const key of candidates) {
      try {
        const { payload } = await compactVerify(token, key.key, { algorithms: [key.alg] });
        const claims = JSON.parse(new TextDecoder().decode(payload));
        if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new Error('claims are not a JSON object');
        const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : Infinity;
        if (verified.size >= maxCachedSignatures) verified.delete(verified.keys().next().value!);
        verified.set(hash, { payload: claims, until: Math.min(exp + leewaySeconds * 1000, now() + 10 * 60 * 1000) });
        return claims;
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    throw new AuthenticationError(errors.length ? errors.join(', ') : 'invalid bearer token: no key can verify it');
  }

  function checkTimes(claims: Record<string, unknown>, nowSeconds: number): void {
    for (const name of ['exp', 'nbf', 'iat'] as const) {
      if (claims[name] !== undefined && typeof claims[name] !== 'number') {
        throw new AuthenticationError(`service account token claims could not be validated: ${name} is not a number`);
      }
    }
    const { exp, nbf, iat } = claims as { exp?: number; nbf?: number; iat?: number };
    if (nbf !== undefined && nowSeconds + leewaySeconds < nbf) throw new AuthenticationError('service account token is not valid yet');
    if (exp !== undefined && nowSeconds - leewaySeconds > exp) throw new AuthenticationError('service account token has expired');
    if (iat !== undefined && nowSeconds + leewaySeconds < iat) throw new AuthenticationError('service account token is issued in the future');
  }

  async function mustGet(resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string): Promise<StoredObject | undefined> {
    try {
      return await o.getObject(resource, namespace, name);
    } catch (err) {
      throw new AuthenticationError(`could not look up ${resource} ${namespace ? `${namespace}/` : ''}${name}: ${(err as Error).message}`);
    }
  }

  async function validateBound(claims: Record<string, unknown>, nowSeconds: number): Promise<ServiceAccountInfo> {
    const k8s = claims['kubernetes.io'] as KubernetesClaim | undefined;
    if (!k8s || typeof k8s !== 'object' || typeof k8s.namespace !== 'string' || typeof k8s.serviceaccount?.name !== 'string') {
      throw new AuthenticationError('service account token claims could not be validated: the kubernetes.io claim is missing or malformed');
    }
    const namespace = k8s.namespace;
    const saRef = k8s.serviceaccount;
    const sa = await mustGet('serviceaccounts', namespace, saRef.name);
    if (!sa) throw new AuthenticationError(`serviceaccounts ${goQuote(saRef.name)} not found`);
    if (deletedBefore(sa, nowSeconds)) throw new AuthenticationError(`service account ${namespace}/${saRef.name} has been deleted`);
    if (uidOf(sa) !== saRef.uid) throw new AuthenticationError(`service account UID (${uidOf(sa)}) does not match claim (${saRef.uid})`);

    if (k8s.secret) {
      const secret = await mustGet('secrets', namespace, k8s.secret.name);
      if (!secret || deletedBefore(secret, nowSeconds)) throw new AuthenticationError('service account token has been invalidated');
      if (uidOf(secret) !== k8s.secret.uid) throw new AuthenticationError(`secret UID (${uidOf(secret)}) does not match service account secret ref claim (${k8s.secret.uid})`);
    }
    const info: ServiceAccountInfo = { namespace, name: saRef.name, uid: saRef.uid };
    if (k8s.pod) {
      const pod = await mustGet('pods', namespace, k8s.pod.name);
      if (!pod || deletedBefore(pod, nowSeconds)) throw new AuthenticationError('service account token has been invalidated');
      if (uidOf(pod) !== k8s.pod.uid) throw new AuthenticationError(`pod UID (${uidOf(pod)}) does not match service account pod ref claim (${k8s.pod.uid})`);
      info.podName = k8s.pod.name;
      info.podUID = k8s.pod.uid;
    }
    if (k8s.node) {
      if (k8s.pod) {
        // A pod-bound token names the node its pod ran on; the pod lookup above already binds its lifetime.
        info.nodeName = k8s.node.name;
        info.nodeUID = k8s.node.uid;
      } else {
        const node = await mustGet('nodes', '', k8s.node.name);
        if (!node) throw new AuthenticationError('service account token has been invalidated');
        if (uidOf(node) !== k8s.node.uid) throw new AuthenticationError(`node UID (${uidOf(node)}) does not match service account node ref claim (${k8s.node.uid})`);
        info.nodeName = k8s.node.name;
        info.nodeUID = k8s.node.uid;
      }
    }
    info.credentialID = credentialIDForJTI(typeof claims.jti === 'string' ? claims.jti : undefined);
    return info;
  }

  async function validateLegacy(token: string, claims: Record<string, unknown>, lookup: boolean): Promise<ServiceAccountInfo> {
    const str = (key: string) => (typeof claims[key] === 'string' ? (claims[key] as string) : '');
    const sub = str('sub');
    if (!sub) throw new AuthenticationError('sub claim is missing');
    const namespace = str(legacyClaimKeys.namespace);
    if (!namespace) throw new AuthenticationError('namespace claim is missing');
    const secretName = str(legacyClaimKeys.secretName);
    if (!secretName) throw new AuthenticationError('secretName claim is missing');
    const name = str(legacyClaimKeys.serviceAccountName);
    if (!name) throw new AuthenticationError('serviceAccountName claim is missing');
    const uid = str(legacyClaimKeys.serviceAccountUID);
    if (!uid) throw new AuthenticationError('serviceAccountUID claim is missing');
    const subject = splitServiceAccountUsername(sub);
    if (!subject || subject.namespace !== namespace || subject.name !== name) throw new AuthenticationError('sub claim is invalid');
    if (lookup) {
      const secret = await mustGet('secrets', namespace, secretName);
      if (!secret || secret.metadata?.deletionTimestamp) throw new AuthenticationError('token has been invalidated');
      const stored = (secret.data as Record<string, string> | undefined)?.token;
      if (!stored || Buffer.from(stored, 'base64').toString('utf8') !== token) throw new AuthenticationError("token does not match server's copy");
      const sa = await mustGet('serviceaccounts', namespace, name);
      if (!sa) throw new AuthenticationError(`serviceaccounts ${goQuote(name)} not found`);
      if (sa.metadata?.deletionTimestamp) throw new AuthenticationError(`service account ${namespace}/${name} has been deleted`);
      if (uidOf(sa) !== uid) throw new AuthenticationError(`service account UID (${uidOf(sa)}) does not match claim (${uid})`);
      const labels = (secret.metadata?.labels ?? {}) as Record<string, string>;
      if (labels[legacyTokenInvalidSinceLabel]) {
        throw new AuthenticationError(
          `the token in secret ${namespace}/${secretName} for service account ${namespace}/${name} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${legacyTokenInvalidSinceLabel}' label from the secret to re-enable it`,
        );
      }
      const today = new Date(now()).toISOString().slice(0, 10);
      const markKey = `${namespace}/${secretName}`;
      if (o.legacy?.markUsed && labels[legacyTokenLastUsedLabel] !== today && markedUsed.get(markKey) !== today) {
        // Once per Secret and day from this server, whatever the request rate until the label is seen.
        if (markedUsed.size >= maxCachedSignatures) markedUsed.clear();
        markedUsed.set(markKey, today);
        o.legacy.markUsed(namespace, secretName, today).catch(() => markedUsed.delete(markKey));
      }
    }
    return { namespace, name, uid };
  }

  return {
    name: 'serviceaccount',
    async authenticate(req: AuthenticationRequest): Promise<AuthenticationResponse | undefined> {
      const token = bearerToken(req);
      if (!token) return undefined;
      const iss = untrustedIssuer(token);
      if (iss === undefined) return undefined;
      const isLegacy = iss === legacyIssuer && o.legacy !== undefined;
      if (!isLegacy && !boundIssuers.has(iss)) return undefined;

      const claims = await verifySignature(token);
      if (claims.iss !== iss) throw new AuthenticationError(`token issuer "${String(claims.iss)}" is invalid`);

      let tokenAudiences = audiencesOf(claims.aud);
      if (tokenAudiences.length === 0) tokenAudiences = o.apiAudiences; // only API server audiences for tokens without aud
      const requested = req.audiences?.length ? req.audiences : o.apiAudiences;
      const audiences = tokenAudiences.filter((a) => requested.includes(a));
      if (audiences.length === 0 && o.apiAudiences.length !== 0) {
        throw new AuthenticationError(`token audiences ${quoteList(tokenAudiences)} is invalid for the target audiences ${quoteList(requested)}`);
      }

      const nowSeconds = now() / 1000;
      checkTimes(claims, nowSeconds);
      const info = isLegacy ? await validateLegacy(token, claims, o.legacy!.lookup) : await validateBound(claims, nowSeconds);
      return { user: serviceAccountUserInfo(info), audiences };
    },
  };
}
