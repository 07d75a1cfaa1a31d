/**
 * Deletes the identity Leases of API servers that stopped, as kube-apiserver's
 * `start-kube-apiserver-identity-lease-garbage-collector` (apiserverleasegc): a Lease labelled as a kube-apiserver
 * identity that was not renewed for its whole duration (or lacks a renew time or duration) goes. Every replica
 * runs it, as upstream: a Lease another one deleted first is simply gone. It looks at start and then once a period.
 */
import type { Logger } from 'pino';
import { parseLabelSelector } from '../../machinery/selectors.ts';
import { StatusError } from '../../machinery/status.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { identityLeaseNamespace, identityLeaseSelector } from './identity.ts';

/** Whether nobody renewed `lease` within its duration (`now` in ms). */
export function isIdentityLeaseExpired(lease: StoredObject, now: number): boolean {
  const renewTime = Date.parse(lease.spec?.renewTime ?? '');
  const durationSeconds = lease.spec?.leaseDurationSeconds;
  if (Number.isNaN(renewTime) || typeof durationSeconds !== 'number') return true;
  return renewTime + durationSeconds * 1000 < now;
}

export class IdentityLeaseGC {
  private timer?: NodeJS.Timeout;

  constructor(private readonly opts: { leases: RegistryStore; periodMs: number; log: Logger }) {}

  start(): void {
    const pass = async (): Promise<void> => {
      try {
        await this.collect();
      } catch (e) {
        this.opts.log.warn({ err: e }, 'identity lease garbage collection failed; trying again next period');
      }
    };
    void pass();
    this.timer = setInterval(() => void pass(), this.opts.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One pass; the names of the Leases it deleted. */
  async collect(): Promise<string[]> {
    const ctx = systemContext(identityLeaseNamespace);
    const { items } = await this.opts.leases.list(ctx, { labelSelector: parseLabelSelector(identityLeaseSelector), resourceVersion: '0' });
    const deleted: string[] = [];
    for (const cached of items) {
      if (!isIdentityLeaseExpired(cached, Date.now())) continue;
      const name = cached.metadata.name;
      // The cache may be behind: decide again on the Lease as stored, and delete only that version of it.
      try {
        const lease = await this.opts.leases.get(ctx, name);
        if (!isIdentityLeaseExpired(lease, Date.now())) continue;
        await this.opts.leases.delete(ctx, name, { preconditions: { uid: lease.metadata.uid, resourceVersion: lease.metadata.resourceVersion } });
        deleted.push(name);
        this.opts.log.info({ lease: `${identityLeaseNamespace}/${name}`, holder: lease.spec?.holderIdentity }, 'deleted an expired API server identity lease');
      } catch (e) {
        // 404: another replica's collector was first. 409: renewed meanwhile, so not expired any more.
        if (e instanceof StatusError && (e.code === 404 || e.code === 409)) continue;
        throw e;
      }
    }
    return deleted;
  }
}
