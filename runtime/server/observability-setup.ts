/**
 * Start-up of health, metrics and shutdown (called from config.ts and server-chain.ts): the health endpoints with upstream's checks in
 * upstream's order, the store instrumented for etcd_request_duration_seconds, object counts from the watch caches,
 * and the graceful shutdown.
 */
import type { Scheme } from '../machinery/scheme.ts';
import type { KV } from '../storage/kv.ts';
import type { CacherProvider } from '../storage/cacher/cacher.ts';
import { instrumentedKV, resourceOfKey } from '../storage/metrics.ts';
import { addObjectCountSource } from '../metrics/storage.ts';
import { HealthChecks } from './healthz.ts';
import { addDefaultHealthChecks, type HealthEndpoints } from './health-checks.ts';
import type { PostStartHooks } from './poststarthooks.ts';
import { GracefulShutdown, type ShutdownLogger } from './shutdown.ts';
import type { ServerOptions } from './options.ts';

/** The KV the server stores through, timed per operation and resource (`configmaps`, `deployments.apps`). */
export function instrumentStore(kv: KV, etcdPrefix: string, scheme: Scheme): KV {
  return instrumentedKV(kv, storageResourceOf(etcdPrefix, scheme));
}

function storageResourceOf(etcdPrefix: string, scheme: Scheme) {
  return resourceOfKey(etcdPrefix, (resource) => [...new Set(scheme.allGroupVersions().filter((gv) => gv.kinds.some((k) => k.resource === resource)).map((gv) => gv.group))]);
}

/** apiserver_storage_objects from the watch caches: each filled cache reports how many objects it holds. */
export function countObjectsInCaches(caches: CacherProvider, etcdPrefix: string, scheme: Scheme): void {
  const resourceOf = storageResourceOf(etcdPrefix, scheme);
  addObjectCountSource(function* () {
    for (const [prefix, cache] of caches.all()) yield [resourceOf(`${prefix}/`), cache.objectCount] as const;
  });
}

/** The three health endpoints with ping, log, etcd (and on /readyz etcd-readiness and informer-sync). */
export function healthEndpoints(opts: ServerOptions, deps: { kv: KV; caches: CacherProvider; log: ShutdownLogger & { flush?: (cb?: (err?: Error) => void) => void } }): HealthEndpoints {
  const endpoints = { healthz: new HealthChecks(deps.log), livez: new HealthChecks(deps.log), readyz: new HealthChecks(deps.log) };
  addDefaultHealthChecks(endpoints, {
    kv: deps.kv,
    log: deps.log,
    unsyncedInformers: () => [...deps.caches.all()].filter(([, c]) => !c.isReady).map(([prefix]) => prefix),
    etcdHealthcheckTimeoutMs: opts.observability.etcdHealthcheckTimeoutSeconds * 1000,
    etcdReadycheckTimeoutMs: opts.observability.etcdReadycheckTimeoutSeconds * 1000,
  });
  return endpoints;
}

/** The shutdown sequence for these options (see shutdown.ts). */
export function gracefulShutdown(opts: ServerOptions, log: ShutdownLogger): GracefulShutdown {
  return new GracefulShutdown(
    {
      shutdownDelaySeconds: opts.shutdownDelaySeconds,
      shutdownSendRetryAfter: opts.observability.shutdownSendRetryAfter,
      shutdownWatchTerminationGracePeriodSeconds: opts.observability.shutdownWatchTerminationGracePeriodSeconds,
      requestTimeoutSeconds: opts.requestTimeoutSeconds,
    },
    log,
  );
}

/** After every post-start hook is registered: their checks (livez with its grace period), then readyz `shutdown` last. */
export function finishHealthChecks(endpoints: HealthEndpoints, hooks: PostStartHooks, shutdown: GracefulShutdown, opts: ServerOptions): void {
  hooks.reportTo(endpoints.healthz, endpoints.readyz);
  hooks.reportToLivez(endpoints.livez, opts.observability.livezGracePeriodSeconds * 1000);
  endpoints.readyz.add('shutdown', shutdown.readinessCheck());
}
