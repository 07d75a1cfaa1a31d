/**
 * Keeps this API server's identity Lease alive, as kube-apiserver's `start-kube-apiserver-identity-lease-controller`
 * (a component-helpers lease controller): created when missing, its `renewTime` moved forward every renew interval.
 * Other replicas and clients see which API servers are running from these Leases; a Lease nobody renews for its
 * whole duration is removed by the garbage collector (lease-gc.ts) of any replica.
 */
import type { Logger } from 'pino';
import { StatusError } from '../../machinery/status.ts';
import { microTime } from '../../machinery/micro-time.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { identityLeaseComponentLabel, identityLeaseNamespace, kubeAPIServerComponent } from './identity.ts';

export interface IdentityLeaseConfig {
  leases: RegistryStore;
  /** The Lease's name: this server's ID (identity.ts). */
  leaseName: string;
  /** `<lease name>_<uuid>`: tells one run of the server from the next. */
  holderIdentity: string;
  /** Written as the `kubernetes.io/hostname` label, to find the host of a replica. */
  hostname: string;
  /** Upstream's: 3600 s, renewed every 10 s. */
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  log: Logger;
}

/** After a failed create or renewal (e.g. kube-system not made yet, the store away), try again this soon. */
const retryAfterFailureMs = 1000;

export class IdentityLeaseController {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** The Lease as last written: renewed from it without a read, re-read after any failure. */
  private latest?: StoredObject;

  constructor(private readonly config: IdentityLeaseConfig) {}

  start(): void {
    const tick = async (): Promise<void> => {
      let ok = true;
      try {
        await this.sync();
      } catch (e) {
        ok = false;
        this.latest = undefined;
        this.config.log.debug({ err: e, lease: this.config.leaseName }, 'identity lease: renewal failed; retrying');
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => void tick(), ok ? this.config.renewIntervalMs : Math.min(retryAfterFailureMs, this.config.renewIntervalMs));
      this.timer.unref();
    };
    void tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** One heartbeat: the Lease exists, carries the labels and was renewed now. */
  async sync(): Promise<void> {
    const ctx = systemContext(identityLeaseNamespace);
    let lease = this.latest;
    if (!lease) {
      try {
        lease = await this.config.leases.get(ctx, this.config.leaseName);
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
        this.latest = await this.config.leases.create(ctx, this.withHeartbeat(this.newLease()));
        return;
      }
    }
    // The resourceVersion read is carried: a concurrent change is a 409, and the next attempt reads again.
    this.latest = (await this.config.leases.update(ctx, this.config.leaseName, this.withHeartbeat(structuredClone(lease)))).obj;
  }

  private newLease(): StoredObject {
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.config.leaseName, namespace: identityLeaseNamespace },
      spec: { holderIdentity: this.config.holderIdentity, leaseDurationSeconds: this.config.leaseDurationSeconds },
    };
  }

  /**
   * A renewal moves `renewTime` and restores the labels. As upstream, the holder identity written at creation is
   * kept: a restarted server renews the Lease of its name as it finds it.
   */
  private withHeartbeat(lease: StoredObject): StoredObject {
    lease.metadata.labels = { ...lease.metadata.labels, [identityLeaseComponentLabel]: kubeAPIServerComponent, 'kubernetes.io/hostname': this.config.hostname };
    lease.spec = { ...lease.spec, renewTime: microTime(Date.now()) };
    return lease;
  }
}
