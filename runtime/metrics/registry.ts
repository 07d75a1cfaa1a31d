/**
 * The server's one metrics registry (upstream's `legacyregistry`), served at `/metrics` in Prometheus text format.
 *
 * Every subsystem defines its metrics here, at module load, with the `counter`/`gauge`/`histogram` helpers below;
 * they return the already registered metric when a name is defined twice (a module loaded through two paths), so
 * defining is idempotent. Names, help texts, labels and buckets are kube-apiserver v1.32's.
 *
 * ```ts
 * import { counter } from '../metrics/registry.ts';
 * const dispatched = counter('apiserver_flowcontrol_dispatched_requests_total', 'Number of requests executed by API Priority and Fairness subsystem', ['flow_schema', 'priority_level']);
 * dispatched.labels('global-default', 'global-default').inc();
 * ```
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

/** The registry `/metrics` serves. Register into it only through the helpers below (or pass `registers: [legacyRegistry]`). */
export const legacyRegistry = new Registry();

// Process and Node.js runtime metrics (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_*), as
// upstream serves process_* and go_* metrics.
collectDefaultMetrics({ register: legacyRegistry });

/** Upstream's request latency buckets (apiserver_request_duration_seconds, etcd_request_duration_seconds). */
export const requestLatencyBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

function existing<T>(name: string): T | undefined {
  return legacyRegistry.getSingleMetric(name) as T | undefined;
}

export function counter<L extends string>(name: string, help: string, labelNames: readonly L[] = [], extra: Partial<CounterConfiguration<L>> = {}): Counter<L> {
  return existing<Counter<L>>(name) ?? new Counter<L>({ name, help, labelNames, registers: [legacyRegistry], ...extra });
}

export function gauge<L extends string>(name: string, help: string, labelNames: readonly L[] = [], extra: Partial<GaugeConfiguration<L>> = {}): Gauge<L> {
  return existing<Gauge<L>>(name) ?? new Gauge<L>({ name, help, labelNames, registers: [legacyRegistry], ...extra });
}

export function histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[], extra: Partial<HistogramConfiguration<L>> = {}): Histogram<L> {
  return existing<Histogram<L>>(name) ?? new Histogram<L>({ name, help, labelNames, buckets, registers: [legacyRegistry], ...extra });
}

/** The `/metrics` response: the text exposition of every registered metric. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  return { body: await legacyRegistry.metrics(), contentType: legacyRegistry.contentType };
}
