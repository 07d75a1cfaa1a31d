/**
 * Counters, gauges and histograms for the request path. prom-client hashes and validates the label values on every
 * increment, even through `labels(...)`; these resolve a label set once into a child whose `inc`/`observe` is a
 * field update, and build the exposition only when scraped. They register into the same registry and print the
 * same text format.
 *
 * ```ts
 * const total = fastCounter('apiserver_flowcontrol_dispatched_requests_total', 'Number of requests executed by API Priority and Fairness subsystem', ['flow_schema', 'priority_level']);
 * const child = total.child({ flow_schema: 'global-default', priority_level: 'global-default' }); // once per label set
 * child.inc(); // per request
 * ```
 */
import { legacyRegistry } from './registry.ts';

type LabelValues<L extends string> = Record<L, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** What prom-client's registry reads from a metric. */
interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  values: MetricValue[];
  aggregator: 'sum';
}

abstract class FastMetric<L extends string, C> {
  protected readonly children = new Map<string, { labels: LabelValues<L>; child: C }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  /** The child of this label set (made on first use). Keep it where the label set is known, to skip the lookup. */
  child(labels: LabelValues<L>): C {
    const key = this.labelNames.length === 1 ? labels[this.labelNames[0]] : this.labelNames.map((l) => labels[l]).join('\u0000');
    let entry = this.children.get(key);
    if (!entry) {
      const copy = {} as LabelValues<L>;
      for (const l of this.labelNames) copy[l] = labels[l] ?? '';
      entry = { labels: copy, child: this.newChild() };
      this.children.set(key, entry);
    }
    return entry.child;
  }

  /** Forgets every label set (for gauges rebuilt at scrape time). */
  reset(): void {
    this.children.clear();
  }

  protected abstract newChild(): C;
  abstract get(): Promise<CollectedMetric>;
}

export interface CounterChild {
  inc(n?: number): void;
}

class CounterValue implements CounterChild {
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
}

export class FastCounter<L extends string = never> extends FastMetric<L, CounterValue> {
  protected newChild(): CounterValue {
    return new CounterValue();
  }

  /** Increments the child without labels (a counter declared with no label names). */
  inc(n = 1): void {
    this.child({} as LabelValues<L>).inc(n);
  }

  async get(): Promise<CollectedMetric> {
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum', values: [...this.children.values()].map(({ labels, child }) => ({ labels, value: child.value })) };
  }
}

export interface GaugeChild {
  inc(n?: number): void;
  dec(n?: number): void;
  set(v: number): void;
}

class GaugeValue implements GaugeChild {
  value = 0;
  inc(n = 1): void {
    this.value += n;
  }
  dec(n = 1): void {
    this.value -= n;
  }
  set(v: number): void {
    this.value = v;
  }
}

export class FastGauge<L extends string = never> extends FastMetric<L, GaugeValue> {
  /** `collect` runs before each scrape (to set values computed on demand). */
  constructor(name: string, help: string, labelNames: readonly L[], private readonly collect?: (gauge: FastGauge<L>) => void) {
    super(name, help, labelNames);
  }

  protected newChild(): GaugeValue {
    return new GaugeValue();
  }

  async get(): Promise<CollectedMetric> {
    this.collect?.(this);
    return { name: this.name, help: this.help, type: 'gauge', aggregator: 'sum', values: [...this.children.values()].map(({ labels, child }) => ({ labels, value: child.value })) };
  }
}

export interface HistogramChild {
  observe(v: number): void;
}

class HistogramValue implements HistogramChild {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    this.counts[i]++;
    this.sum += v;
    this.count++;
  }
}

export class FastHistogram<L extends string> extends FastMetric<L, HistogramValue> {
  constructor(name: string, help: string, labelNames: readonly L[], readonly buckets: readonly number[]) {
    super(name, help, labelNames);
  }

  protected newChild(): HistogramValue {
    return new HistogramValue(this.buckets);
  }

  async get(): Promise<CollectedMetric> {
    const values: MetricValue[] = [];
    for (const { labels, child } of this.children.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.buckets.length; i++) {
        cumulative += child.counts[i];
        values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: this.buckets[i] }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_bucket`, labels: { ...labels, le: '+Inf' }, value: child.count });
      values.push({ metricName: `${this.name}_sum`, labels, value: child.sum });
      values.push({ metricName: `${this.name}_count`, labels, value: child.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}

function registered<T>(name: string, make: () => T): T {
  const existing = legacyRegistry.getSingleMetric(name) as T | undefined;
  if (existing) return existing;
  const metric = make();
  legacyRegistry.registerMetric(metric as unknown as Parameters<typeof legacyRegistry.registerMetric>[0]);
  return metric;
}

export function fastCounter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): FastCounter<L> {
  return registered(name, () => new FastCounter<L>(name, help, labelNames));
}

export function fastGauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = [], collect?: (gauge: FastGauge<L>) => void): FastGauge<L> {
  return registered(name, () => new FastGauge<L>(name, help, labelNames, collect));
}

export function fastHistogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): FastHistogram<L> {
  return registered(name, () => new FastHistogram<L>(name, help, labelNames, buckets));
}
