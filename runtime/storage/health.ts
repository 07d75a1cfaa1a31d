/**
 * The storage health check, named `etcd` for both backends as upstream (`/healthz/etcd`, `/readyz/etcd`). It fails
 * fast: a store that does not answer within the timeout (a hung etcd) counts as down.
 */
import type { KV } from './kv.ts';
import { StorageUnavailableError } from './kv.ts';

export interface StorageHealthCheck {
  name: 'etcd';
  check(): Promise<void>;
}

export function storageHealthCheck(kv: KV, timeoutMs = 2000): StorageHealthCheck {
  return {
    name: 'etcd',
    check: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StorageUnavailableError(`the store did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([kv.ping(), timeout]);
      } catch (e) {
        throw e instanceof StorageUnavailableError ? e : new StorageUnavailableError(`the store is unavailable: ${(e as Error).message}`, { cause: e });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
