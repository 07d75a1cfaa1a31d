/**
 * The `kubernetes` Service's Endpoints and EndpointSlice in `default` list every API server that is up, as
 * kube-apiserver's lease endpoint reconciler (`--endpoint-reconciler-type=lease`, its default) keeps them:
 * - each server holds a key with a TTL, `<etcd prefix>/masterleases/<its address>` (an Endpoints object naming
 *   the address, as upstream stores it), renewed every 10 s with a 15 s TTL; a server that dies stops renewing
 *   and its key expires;
 * - after each renewal the server writes the sorted addresses of the keys alive into the Endpoints and the
 *   EndpointSlice (only when they differ, so replicas agree without writing back and forth);
 * - at shutdown it deletes its key and writes the list without itself, before it stops serving, so clients inside
 *   the cluster stop being sent to it.
 * Replicas sharing an address share a key, as upstream's do. `none` leaves the objects to someone else.
 *
 * An object validation refuses (a loopback address: what a server advertises when it found no other at start-up,
 * see runtime/server/advertise-address.ts) is not written, and that is logged once: writing it again cannot help,
 * and failing the post-start hook over it would keep the server from ever being ready.
 */
import type { Logger } from 'pino';
import { isIPv6 } from 'node:net';
import { StatusError } from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import { StorageError, type ObjectStorage, type StoredObject } from '../storage/store.ts';

export const endpointReconcilerTypes = ['lease', 'none'] as const;
export type EndpointReconcilerType = (typeof endpointReconcilerTypes)[number];

export interface KubernetesEndpointsConfig {
  /** The store the lease keys live in (no watch cache needed) and their prefix (`<etcd prefix>/masterleases/`). */
  leases: ObjectStorage;
  leasePrefix: string;
  endpoints: RegistryStore;
  /** discovery.k8s.io/v1 endpointslices, when served. */
  endpointSlices?: RegistryStore;
  /** The address other clients reach this server at, and its port. */
  address: string;
  port: number;
  log: Logger;
  /** Upstream's: 15 s TTL, renewed every 10 s. */
  leaseTTLSeconds?: number;
  intervalMs?: number;
}

const serviceName = 'kubernetes';
const portName = 'https';

export class KubernetesEndpointsReconciler {
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private running?: Promise<void>;
  private readonly ttl: number;
  private readonly intervalMs: number;
  /** The kinds whose last write validation refused, so that a refusal is logged when it starts, not every interval. */
  private readonly refused = new Set<string>();

  constructor(private readonly config: KubernetesEndpointsConfig) {
    this.ttl = config.leaseTTLSeconds ?? 15;
    this.intervalMs = config.intervalMs ?? 10_000;
  }

  /**
   * The first renewal and reconciliation, then one every interval. A first one that fails (the `default`
   * namespace not made yet, the store away) fails the post-start hook, which runs it again a second later.
   */
  async start(): Promise<void> {
    await this.renew();
    await this.reconcile();
    const loop = () => {
      this.timer = setTimeout(() => {
        this.running = this.tick().finally(() => {
          this.running = undefined;
          if (!this.stopped) loop();
        });
      }, this.intervalMs);
      this.timer.unref();
    };
    if (!this.stopped) loop();
  }

  /** Leaves the list: its own key deleted, the objects written without it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    try {
      await this.config.leases.delete(this.leaseKey(this.config.address));
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'NotFound')) throw e;
    }
    await this.reconcile();
  }

  private async tick(): Promise<void> {
    try {
      await this.renew();
      await this.reconcile();
    } catch (e) {
      this.config.log.warn({ err: e }, 'kubernetes endpoints: renewal or reconciliation failed; trying again next interval');
    }
  }

  private leaseKey(address: string): string {
    return this.config.leasePrefix + address;
  }

  /** Writes this server's key with a fresh TTL (generation bumped: a write that changes nothing would not renew it). */
  private async renew(): Promise<void> {
    const { address, port } = this.config;
    const key = this.leaseKey(address);
    const lease = (generation: number): StoredObject => ({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: address, generation },
      subsets: [{ addresses: [{ ip: address }], ports: [{ port, protocol: 'TCP' }] }],
    });
    try {
      await this.config.leases.guaranteedUpdate(key, async (current) => lease((current.metadata.generation ?? 0) + 1), { ttlSeconds: this.ttl });
    } catch (e) {
      if (!(e instanceof StorageError && e.code === 'NotFound')) throw e;
      await this.config.leases.create(key, lease(1), { ttlSeconds: this.ttl });
    }
  }

  /** The addresses whose keys are alive, sorted; this server's own while it is not stopping. */
  private async liveAddresses(): Promise<string[]> {
    const list = await this.config.leases.list(this.config.leasePrefix);
    const addresses = new Set(list.items.map((o) => o.metadata.name as string));
    if (this.stopped) addresses.delete(this.config.address);
    else addresses.add(this.config.address);
    return [...addresses].sort();
  }

  private async reconcile(): Promise<void> {
    const addresses = await this.liveAddresses();
    await this.unlessRefused('Endpoints', () => this.reconcileEndpoints(addresses));
    const slices = this.config.endpointSlices;
    if (slices) await this.unlessRefused('EndpointSlice', () => this.reconcileSlice(slices, addresses));
  }

  /** Runs a write; one validation refuses (422) is skipped, and logged when it is the first of a run of them. */
  private async unlessRefused(kind: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
      this.refused.delete(kind);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 422)) throw e;
      if (!this.refused.has(kind)) this.config.log.warn({ reason: e.message }, `kubernetes endpoints: validation refused the kubernetes ${kind}, which is not written (set --advertise-address to an address other members of the cluster reach this server at)`);
      this.refused.add(kind);
    }
  }

  private async reconcileEndpoints(addresses: string[]): Promise<void> {
    const subsets = addresses.length ? [{ addresses: addresses.map((ip) => ({ ip })), ports: [{ name: portName, port: this.config.port, protocol: 'TCP' }] }] : [];
    await writeIfDifferent(this.config.endpoints, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: serviceName, namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets,
    }, (o) => JSON.stringify(o.subsets ?? []) === JSON.stringify(subsets) && o.metadata.labels?.['endpointslice.kubernetes.io/skip-mirror'] === 'true');
  }

  private async reconcileSlice(slices: RegistryStore, addresses: string[]): Promise<void> {
    const addressType = addresses.some((a) => isIPv6(a)) ? 'IPv6' : 'IPv4';
    const endpoints = addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } }));
    const ports = [{ name: portName, port: this.config.port, protocol: 'TCP' }];
    await writeIfDifferent(slices, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: serviceName, namespace: 'default', labels: { 'kubernetes.io/service-name': serviceName } },
      addressType,
      endpoints,
      ports,
    }, (o) =>
      o.addressType === addressType &&
      JSON.stringify((o.endpoints ?? []).map((e: { addresses: string[] }) => e.addresses)) === JSON.stringify(endpoints.map((e) => e.addresses)) &&
      JSON.stringify((o.ports ?? []).map((p: { port: number }) => p.port)) === JSON.stringify([this.config.port]));
  }
}

/** Creates `desired`, or replaces what is stored with it unless `same` says it already says the same. */
async function writeIfDifferent(store: RegistryStore, desired: StoredObject, same: (current: StoredObject) => boolean): Promise<void> {
  const ctx = systemContext('default');
  const name = desired.metadata.name as string;
  try {
    await store.guaranteedUpdate(ctx, name, async (current) => {
      if (same(current)) return current;
      return { ...desired, metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...desired.metadata.labels } } };
    });
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
    try {
      await store.create(ctx, desired);
    } catch (err) {
      // Another replica made it meanwhile: the next interval compares with theirs.
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
  }
}
