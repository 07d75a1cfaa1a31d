/**
 * API server identity, as kube-apiserver's APIServerIdentity feature (on by default since v1.26): each replica
 * keeps a Lease in kube-system named by its ID (identity.ts) and labelled `apiserver.kubernetes.io/identity:
 * kube-apiserver`, so `kubectl get leases -n kube-system -l apiserver.kubernetes.io/identity=kube-apiserver` lists
 * the API servers running on one store; every replica also collects the Leases of replicas gone for good.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import type { PostStartHooks } from '../../server/poststarthooks.ts';
import { apiServerID } from './identity.ts';
import { IdentityLeaseController } from './lease-controller.ts';
import { IdentityLeaseGC } from './lease-gc.ts';

/** Upstream's timings: a Lease lasts an hour, is renewed every 10 s, and expired ones are looked for hourly. */
export const identityLeaseDurationSeconds = 3600;
export const identityLeaseRenewIntervalMs = 10_000;
export const identityLeaseGCPeriodMs = 3600_000;

/**
 * Adds upstream's two post-start hooks; `servingAddress` (`<bind-address>:<secure-port>`) tells replicas on one host
 * apart. Absent `leases` (coordination.k8s.io/v1 turned off), there is nothing to keep.
 */
export function addIdentityLeaseHooks(hooks: PostStartHooks, deps: { leases: RegistryStore | undefined; servingAddress: string; log: Logger }): { stop(): void } {
  const { leases, log } = deps;
  if (!leases) return { stop: () => {} };
  const host = hostname();
  const leaseName = apiServerID(host, deps.servingAddress);
  const controller = new IdentityLeaseController({
    leases,
    leaseName,
    holderIdentity: `${leaseName}_${randomUUID()}`,
    hostname: host,
    leaseDurationSeconds: identityLeaseDurationSeconds,
    renewIntervalMs: identityLeaseRenewIntervalMs,
    log,
  });
  const gc = new IdentityLeaseGC({ leases, periodMs: identityLeaseGCPeriodMs, log });
  // As upstream, the hooks only start the loops: readiness does not wait for a first heartbeat.
  hooks.add('start-kube-apiserver-identity-lease-controller', async () => {
    log.info({ lease: `kube-system/${leaseName}` }, 'API server identity');
    controller.start();
  });
  hooks.add('start-kube-apiserver-identity-lease-garbage-collector', async () => gc.start());
  return {
    stop: () => {
      controller.stop();
      gc.stop();
    },
  };
}
