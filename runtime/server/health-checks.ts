/**
 * The health checks every server has, named and placed as upstream's: `ping` and `log` on all three endpoints,
 * `etcd` on all three, `etcd-readiness` and `informer-sync` on /readyz only. Post-start hooks add
 * `poststarthook/<name>` after these, and the shutdown lifecycle adds `shutdown` to /readyz last. Each endpoint
 * lists its checks in v1.32 kube-apiserver's order (upstreamCheckOrder), whatever order kube-ts adds them in.
 */
import type { KV } from '../storage/kv.ts';
import { storageHealthCheck } from '../storage/health.ts';
import type { HealthCheck, HealthChecks } from './healthz.ts';

export interface HealthEndpoints {
  healthz: HealthChecks;
  livez: HealthChecks;
  readyz: HealthChecks;
}

export interface DefaultHealthCheckConfig {
  kv: KV;
  /** The logger the `log` check flushes (pino's `flush(cb)`). */
  log: { flush?: (cb?: (err?: Error) => void) => void };
  /** Names of the informers (watch caches) that have not synced yet; empty when all have. */
  unsyncedInformers: () => string[];
  /** `--etcd-healthcheck-timeout` and `--etcd-readycheck-timeout`, in milliseconds (upstream's default: 2 s each). */
  etcdHealthcheckTimeoutMs?: number;
  etcdReadycheckTimeoutMs?: number;
}

/**
 * The checks of v1.32 kube-apiserver (default admission plug-ins, post-start hooks and feature gates), in the order
 * its chain of servers registers them: the generic server's own checks, then the hooks of the apiextensions server,
 * the kube API server and the aggregator (each server's hooks after its delegate's), then readyz's `shutdown`. From
 * a v1.32 server's `/readyz?verbose`. Those kube-ts does not run are never listed (HealthChecks lists only what was
 * added): start-apiserver-admission-initializer (no admission plug-in needs informers started for it),
 * generic-apiserver-start-informers (kube-ts's informers are its watch caches, `informer-sync`),
 * priority-and-fairness-filter and storage-object-count-tracker-hook (those loops start with the server),
 * start-cluster-authentication-info-controller (kube-system/extension-apiserver-authentication is written at
 * start-up), start-legacy-token-tracking-controller, aggregator-reload-proxy-client-cert (the proxy client
 * certificate is read once), apiservice-status-remote-available-controller, apiservice-registration-controller,
 * apiservice-discovery-controller, apiservice-openapi-controller and apiservice-openapiv3-controller (kube-ts
 * starts that work in apiservice-status-local-available-controller).
 */
export const upstreamCheckOrder: readonly string[] = [
  'ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync',
  'poststarthook/start-apiserver-admission-initializer',
  'poststarthook/generic-apiserver-start-informers',
  'poststarthook/priority-and-fairness-config-consumer',
  'poststarthook/priority-and-fairness-filter',
  'poststarthook/storage-object-count-tracker-hook',
  'poststarthook/start-apiextensions-informers',
  'poststarthook/start-apiextensions-controllers',
  'poststarthook/crd-informer-synced',
  'poststarthook/start-system-namespaces-controller',
  'poststarthook/start-cluster-authentication-info-controller',
  'poststarthook/start-kube-apiserver-identity-lease-controller',
  'poststarthook/start-kube-apiserver-identity-lease-garbage-collector',
  'poststarthook/start-legacy-token-tracking-controller',
  'poststarthook/start-service-ip-repair-controllers',
  'poststarthook/rbac/bootstrap-roles',
  'poststarthook/scheduling/bootstrap-system-priority-classes',
  'poststarthook/priority-and-fairness-config-producer',
  'poststarthook/bootstrap-controller',
  'poststarthook/aggregator-reload-proxy-client-cert',
  'poststarthook/start-kube-aggregator-informers',
  'poststarthook/apiservice-status-local-available-controller',
  'poststarthook/apiservice-status-remote-available-controller',
  'poststarthook/apiservice-registration-controller',
  'poststarthook/apiservice-discovery-controller',
  'poststarthook/kube-apiserver-autoregistration',
  'autoregister-completion',
  'poststarthook/apiservice-openapi-controller',
  'poststarthook/apiservice-openapiv3-controller',
];

const upstreamRanks = new Map(upstreamCheckOrder.map((name, i) => [name, i]));

/**
 * A check's place in upstream's list. kube-ts's own hooks (controllers kube-controller-manager runs upstream) come
 * after upstream's, in the order they were added; `shutdown` is last, as upstream adds it when the server runs.
 */
export function upstreamCheckRank(name: string): number {
  if (name === 'shutdown') return upstreamCheckOrder.length + 1;
  return upstreamRanks.get(name) ?? upstreamCheckOrder.length;
}

export function addDefaultHealthChecks(endpoints: HealthEndpoints, cfg: DefaultHealthCheckConfig): void {
  for (const checks of [endpoints.healthz, endpoints.livez, endpoints.readyz]) checks.orderBy(upstreamCheckRank);
  const ping: HealthCheck = async () => {};
  const log = logHealthCheck(cfg.log);
  const etcd = storageHealthCheck(cfg.kv, cfg.etcdHealthcheckTimeoutMs ?? 2000).check;
  for (const checks of [endpoints.healthz, endpoints.livez, endpoints.readyz]) {
    checks.add('ping', ping);
    checks.add('log', log);
    checks.add('etcd', etcd);
  }
  endpoints.readyz.add('etcd-readiness', storageHealthCheck(cfg.kv, cfg.etcdReadycheckTimeoutMs ?? 2000).check);
  endpoints.readyz.add('informer-sync', informerSyncCheck(cfg.unsyncedInformers));
}

/**
 * `log`: fails when the logger has not managed to flush for two minutes (a blocked stdout), as upstream's check of
 * klog. The flush runs once a minute, started by the first check.
 */
export function logHealthCheck(log: DefaultHealthCheckConfig['log']): HealthCheck {
  let lastVerified = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (!log.flush) lastVerified = Date.now();
    else log.flush(() => (lastVerified = Date.now()));
  };
  return async () => {
    if (!timer) {
      lastVerified = Date.now();
      timer = setInterval(flush, 60_000);
      timer.unref();
    }
    if (Date.now() - lastVerified >= 120_000) throw new Error('logging blocked');
  };
}

/** `informer-sync`: fails while any informer (watch cache) has not filled, naming them as upstream does. */
export function informerSyncCheck(unsynced: () => string[]): HealthCheck {
  return async () => {
    const names = unsynced();
    if (names.length) throw new Error(`${names.length} informers not started yet: [${names.join(' ')}]`);
  };
}
