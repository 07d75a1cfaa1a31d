/**
 * The tokens controller (kube-controller-manager's `serviceaccount-token-controller`, run in-process): a Secret of
 * type `kubernetes.io/service-account-token` naming a ServiceAccount in its `kubernetes.io/service-account.name`
 * annotation gets a legacy (non-expiring) token signed with the server's signing key, the cluster CA as `ca.crt`
 * and its `namespace`, and the account's uid in `kubernetes.io/service-account.uid`. A token Secret whose account
 * is gone (or was recreated with another uid) is deleted, so its token dies with the account.
 */
import type { Logger } from 'pino';
import { StatusError } from '../../machinery/status.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { legacyClaimKeys, serviceAccountUsername } from '../../auth/serviceaccount/claims.ts';
import type { TokenGenerator } from '../../auth/serviceaccount/generator.ts';
import { identityOnly, Informer, WorkQueue } from '../informer.ts';
import { controllerContext } from '../context.ts';

export const serviceAccountTokenSecretType = 'kubernetes.io/service-account-token';
export const serviceAccountNameAnnotation = 'kubernetes.io/service-account.name';
export const serviceAccountUIDAnnotation = 'kubernetes.io/service-account.uid';

/** The claims of a legacy token for `secret` of `serviceAccount` (the generator adds `iss: kubernetes/serviceaccount`). */
export function legacyTokenClaims(serviceAccount: StoredObject, secret: StoredObject): Record<string, unknown> {
  const namespace = serviceAccount.metadata.namespace as string;
  return {
    [legacyClaimKeys.namespace]: namespace,
    [legacyClaimKeys.secretName]: secret.metadata.name,
    [legacyClaimKeys.serviceAccountName]: serviceAccount.metadata.name,
    [legacyClaimKeys.serviceAccountUID]: serviceAccount.metadata.uid,
    sub: serviceAccountUsername(namespace, serviceAccount.metadata.name),
  };
}

/**
 * What the Secret informer's handler reads of each Secret (its transform): the type, the account a token Secret
 * names, and which Secret it is. The sync reads the store, so the informer keeps no copy of every Secret's data.
 */
export function tokenSecretReference(secret: StoredObject): StoredObject {
  const kept = identityOnly(secret);
  kept.type = secret.type;
  const account = secret.metadata?.annotations?.[serviceAccountNameAnnotation];
  if (account !== undefined) kept.metadata.annotations = { [serviceAccountNameAnnotation]: account };
  return kept;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export interface ServiceAccountTokenControllerOptions {
  serviceAccounts: RegistryStore;
  secrets: RegistryStore;
  /** Signs legacy tokens (issuer `kubernetes/serviceaccount`). */
  generator: TokenGenerator;
  caPem: () => string;
  log: Logger;
}

export function newServiceAccountTokenController(o: ServiceAccountTokenControllerOptions) {
  // namespace/serviceaccount -> names of the token Secrets that reference it (from the Secret informer).
  const byAccount = new Map<string, Set<string>>();
  const ref = (secret: StoredObject) => `${secret.metadata.namespace}/${secret.metadata.annotations?.[serviceAccountNameAnnotation] ?? ''}`;

  const get = async (store: RegistryStore, namespace: string, name: string): Promise<StoredObject | undefined> => {
    try {
      return await store.get(controllerContext(namespace), name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };

  const sync = async (key: string): Promise<void> => {
    const [namespace, name] = key.split('/');
    const secret = await get(o.secrets, namespace, name);
    if (!secret || secret.type !== serviceAccountTokenSecretType || secret.metadata.deletionTimestamp) return;
    const annotations = (secret.metadata.annotations ?? {}) as Record<string, string>;
    const saName = annotations[serviceAccountNameAnnotation];
    if (!saName) return;
    const sa = await get(o.serviceAccounts, namespace, saName);
    const wantUID = annotations[serviceAccountUIDAnnotation];
    if (!sa || (wantUID && wantUID !== sa.metadata.uid)) {
      o.log.info({ namespace, secret: name, serviceAccount: saName }, 'deleting the token secret of a service account that no longer exists');
      await o.secrets.delete(controllerContext(namespace), name, { preconditions: { uid: secret.metadata.uid } }).catch((e) => {
        if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
      });
      return;
    }
    const data = (secret.data ?? {}) as Record<string, string>;
    if (data.token && data['ca.crt'] && data.namespace && wantUID) return;
    const token = data.token ? undefined : await o.generator.generateToken(legacyTokenClaims(sa, secret));
    await o.secrets.guaranteedUpdate(controllerContext(namespace), name, async (current) => {
      if (current.metadata.uid !== secret.metadata.uid) return current;
      const d = { ...(current.data ?? {}) } as Record<string, string>;
      if (!d.token && token) d.token = b64(token);
      d['ca.crt'] ||= b64(o.caPem());
      d.namespace ||= b64(namespace);
      current.data = d;
      current.metadata.annotations = { ...(current.metadata.annotations ?? {}), [serviceAccountUIDAnnotation]: sa.metadata.uid };
      return current;
    });
  };

  const queue = new WorkQueue(sync, o.log, 'serviceaccount-token-controller');
  const secrets = new Informer(o.secrets, systemContext(''), (type, secret) => {
    if (secret.type !== serviceAccountTokenSecretType) return;
    const account = ref(secret);
    const key = `${secret.metadata.namespace}/${secret.metadata.name}`;
    if (type === 'DELETED') {
      byAccount.get(account)?.delete(secret.metadata.name);
      return;
    }
    if (!byAccount.has(account)) byAccount.set(account, new Set());
    byAccount.get(account)!.add(secret.metadata.name);
    queue.add(key);
  }, o.log, tokenSecretReference);
  const accounts = new Informer(o.serviceAccounts, systemContext(''), (type, sa) => {
    // A deleted or recreated account: its token Secrets are checked (and deleted).
    if (type === 'MODIFIED') return;
    for (const name of byAccount.get(`${sa.metadata.namespace}/${sa.metadata.name}`) ?? []) queue.add(`${sa.metadata.namespace}/${name}`);
  }, o.log);

  return {
    async start(): Promise<void> {
      await secrets.start();
      await accounts.start();
    },
    stop(): void {
      secrets.stop();
      accounts.stop();
      queue.stop();
    },
  };
}
