/**
 * Bootstrap tokens (`--enable-bootstrap-token-auth`): `<id>.<secret>` bearer tokens backed by Secrets of type
 * bootstrap.kubernetes.io/token named bootstrap-token-<id> in kube-system, as kubeadm join uses them. Anything
 * that does not match exactly (no such Secret, wrong secret, expired, not for authentication, being deleted) is
 * simply not recognised, as upstream; only malformed extra groups are an error.
 */
import { timingSafeEqual } from 'node:crypto';
import type { StoredObject } from '../../storage/store.ts';
import { AuthenticationError, bearerToken, type Authenticator } from './types.ts';

const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const EXTRA_GROUP = /^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$/;
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_GROUP = 'system:bootstrappers';

/** Reads a Secret (from the watch cache when possible); undefined when it does not exist. */
export type SecretGetter = (namespace: string, name: string) => Promise<StoredObject | undefined>;

function secretString(secret: StoredObject, key: string): string | undefined {
  const data = (secret as { data?: Record<string, string> }).data;
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function bootstrapTokenAuthenticator(getSecret: SecretGetter): Authenticator {
  return {
    name: 'bootstrap-token',
    async authenticate(req) {
      const token = bearerToken(req);
      const m = token === undefined ? null : TOKEN.exec(token);
      if (!m) return undefined;
      const [, id, secretPart] = m as unknown as [string, string, string];
      const secret = await getSecret('kube-system', `bootstrap-token-${id}`);
      if (!secret || secret.metadata.deletionTimestamp) return undefined;
      if ((secret as { type?: string }).type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
      if (!sameSecret(secretString(secret, 'token-secret') ?? '', secretPart)) return undefined;
      if (secretString(secret, 'token-id') !== id) return undefined;
      const expiration = secretString(secret, 'expiration');
      if (expiration !== undefined) {
        const at = Date.parse(expiration);
        // An expiration that does not parse counts as expired: fail closed.
        if (!/^\d{4}-\d{2}-\d{2}T/.test(expiration) || Number.isNaN(at) || at <= Date.now()) return undefined;
      }
      if (secretString(secret, 'usage-bootstrap-authentication') !== 'true') return undefined;
      const groups = new Set([BOOTSTRAP_GROUP]);
      const extra = secretString(secret, 'auth-extra-groups');
      if (extra) {
        for (const raw of extra.split(',')) {
          const g = raw.trim();
          if (!EXTRA_GROUP.test(g)) throw new AuthenticationError(`bootstrap-token: auth-extra-group "${g}" does not match ${EXTRA_GROUP.source}`);
          groups.add(g);
        }
      }
      return { user: { name: `system:bootstrap:${id}`, groups: [...groups].sort() } };
    },
  };
}
