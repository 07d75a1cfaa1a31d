/**
 * The health checks every server has, named and placed as upstream's: `ping` and `log` on all three endpoints,
 * `etcd` on all three, `etcd-readiness` and `informer-sync` on /readyz only. Post-start hooks add
 * `poststarthook/<name>` after these, and the shutdown lifecycle adds `shutdown` to /readyz last.
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

export function addDefaultHealthChecks(endpoints: HealthEndpoints, cfg: DefaultHealthCheckConfig): void {
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
