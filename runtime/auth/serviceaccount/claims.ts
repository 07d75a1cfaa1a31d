/**
 * The claims of service-account tokens, as upstream's pkg/serviceaccount writes and reads them, and the user a
 * service account authenticates as. Two generations exist:
 *  - bound tokens (TokenRequest, projected volumes): `iss` one of --service-account-issuer, `aud`, `exp`, `iat`,
 *    `nbf`, `jti`, `sub`, and a `kubernetes.io` claim naming the namespace, the service account and the object the
 *    token is bound to (pod, secret or node), each by name and uid;
 *  - legacy secret-based tokens (`kubernetes.io/service-account-token` Secrets): issuer
 *    `kubernetes/serviceaccount`, no expiry, flat `kubernetes.io/serviceaccount/...` claims.
 */
import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../user.ts';

/** The issuer of legacy secret-based tokens. */
export const legacyIssuer = 'kubernetes/serviceaccount';

export const serviceAccountUsernamePrefix = 'system:serviceaccount:';
export const allServiceAccountsGroup = 'system:serviceaccounts';

/** Keys of the user's extra, as upstream's apiserver/pkg/authentication/serviceaccount. */
export const extraKeys = {
  podName: 'authentication.kubernetes.io/pod-name',
  podUID: 'authentication.kubernetes.io/pod-uid',
  nodeName: 'authentication.kubernetes.io/node-name',
  nodeUID: 'authentication.kubernetes.io/node-uid',
  credentialID: 'authentication.kubernetes.io/credential-id',
} as const;

export interface ObjectRefClaim {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim of bound tokens. */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRefClaim;
  pod?: ObjectRefClaim;
  secret?: ObjectRefClaim;
  node?: ObjectRefClaim;
  /** Seconds since the epoch after which a (time-extended) token is used with a warning. */
  warnafter?: number;
}

export interface BoundTokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss?: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

/** The flat claims of legacy secret-based tokens. */
export const legacyClaimKeys = {
  namespace: 'kubernetes.io/serviceaccount/namespace',
  secretName: 'kubernetes.io/serviceaccount/secret.name',
  serviceAccountName: 'kubernetes.io/serviceaccount/service-account.name',
  serviceAccountUID: 'kubernetes.io/serviceaccount/service-account.uid',
} as const;

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${serviceAccountUsernamePrefix}${namespace}:${name}`;
}

/** Namespace and name of a `system:serviceaccount:<ns>:<name>` user name; undefined for any other name. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(serviceAccountUsernamePrefix)) return undefined;
  const parts = username.slice(serviceAccountUsernamePrefix.length).split(':');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { namespace: parts[0], name: parts[1] };
}

export function serviceAccountGroups(namespace: string): string[] {
  return [allServiceAccountsGroup, `${allServiceAccountsGroup}:${namespace}`];
}

/** What a validated token says about its bearer (upstream's ServiceAccountInfo). */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUID?: string;
  nodeName?: string;
  nodeUID?: string;
  credentialID?: string;
}

/** The user of a service account: its user name, uid, the two service-account groups, and pod/node/credential extras. */
export function serviceAccountUserInfo(sa: ServiceAccountInfo): UserInfo {
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUID) {
    extra[extraKeys.podName] = [sa.podName];
    extra[extraKeys.podUID] = [sa.podUID];
  }
  if (sa.credentialID) extra[extraKeys.credentialID] = [sa.credentialID];
  if (sa.nodeName) {
    extra[extraKeys.nodeName] = [sa.nodeName];
    if (sa.nodeUID) extra[extraKeys.nodeUID] = [sa.nodeUID];
  }
  const user: UserInfo = { name: serviceAccountUsername(sa.namespace, sa.name), uid: sa.uid, groups: serviceAccountGroups(sa.namespace) };
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}

/** Upstream's credential ID of a token with a `jti`: `JTI=<jti>`. */
export function credentialIDForJTI(jti: string | undefined): string | undefined {
  return jti ? `JTI=${jti}` : undefined;
}

interface NamedObject {
  metadata?: { name?: string; namespace?: string; uid?: string };
}

const ref = (o: NamedObject): ObjectRefClaim => ({ name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' });

/**
 * The claims of a new bound token for `serviceAccount`, bound to at most one of pod (with the node it runs on,
 * when known), secret or node. `iss` is added by the generator. `nowSeconds` is the issue time.
 */
export function boundTokenClaims(o: {
  serviceAccount: NamedObject;
  pod?: NamedObject;
  podNode?: NamedObject;
  secret?: NamedObject;
  node?: NamedObject;
  audiences: string[];
  expirationSeconds: number;
  /** Non-zero: the token is extended and `warnafter` is set this many seconds after issue. */
  warnAfterSeconds?: number;
  nowSeconds: number;
}): BoundTokenClaims {
  const namespace = o.serviceAccount.metadata?.namespace ?? '';
  const name = o.serviceAccount.metadata?.name ?? '';
  if (o.secret && (o.pod || o.node)) throw new Error('internal error, token can only be bound to one object type');
  const k8s: KubernetesClaim = { namespace, serviceaccount: ref(o.serviceAccount) };
  if (o.pod) {
    k8s.pod = ref(o.pod);
    if (o.podNode) k8s.node = ref(o.podNode);
  } else if (o.secret) k8s.secret = ref(o.secret);
  else if (o.node) k8s.node = ref(o.node);
  if (o.warnAfterSeconds) k8s.warnafter = o.nowSeconds + o.warnAfterSeconds;
  // Keys in go-jose's (alphabetical) order, so our tokens read like upstream's.
  return {
    aud: [...o.audiences],
    exp: o.nowSeconds + o.expirationSeconds,
    iat: o.nowSeconds,
    jti: randomUUID(),
    'kubernetes.io': k8s,
    nbf: o.nowSeconds,
    sub: serviceAccountUsername(namespace, name),
  };
}
