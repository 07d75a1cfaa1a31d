/**
 * upstream's `apiserver_flowcontrol_*` metrics (names, labels, buckets). They register into the registry given
 * (the server's shared /metrics registry); without one, into a registry of their own.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface FlowControlMetrics {
  registry: Registry;
  rejected: Counter<'flow_schema' | 'priority_level' | 'reason'>;
  dispatched: Counter<'flow_schema' | 'priority_level'>;
  inQueue: Gauge<'flow_schema' | 'priority_level'>;
  executing: Gauge<'flow_schema' | 'priority_level'>;
  waitDuration: Histogram<'flow_schema' | 'priority_level' | 'execute'>;
  nominalLimitSeats: Gauge<'priority_level'>;
}

/** The series of one FlowSchema and priority level, resolved once (label lookups cost more than the updates). */
export interface FlowSeries {
  rejected(reason: string): void;
  dispatched: { inc(): void };
  inQueue: { inc(): void; dec(): void };
  executing: { inc(): void; dec(): void };
  waited(seconds: number, executed: boolean): void;
}

export function flowSeries(m: FlowControlMetrics, flowSchema: string, priorityLevel: string): FlowSeries {
  const labels = { flow_schema: flowSchema, priority_level: priorityLevel };
  const waitedTrue = m.waitDuration.labels({ ...labels, execute: 'true' });
  const waitedFalse = m.waitDuration.labels({ ...labels, execute: 'false' });
  return {
    rejected: (reason) => m.rejected.inc({ ...labels, reason }),
    dispatched: m.dispatched.labels(labels),
    inQueue: m.inQueue.labels(labels),
    executing: m.executing.labels(labels),
    waited: (seconds, executed) => (executed ? waitedTrue : waitedFalse).observe(seconds),
  };
}

const names = ['rejected_requests_total', 'dispatched_requests_total', 'current_inqueue_requests', 'current_executing_requests', 'request_wait_duration_seconds', 'nominal_limit_seats'];

export function createFlowControlMetrics(registry: Registry = new Registry()): FlowControlMetrics {
  // A second server in the same process (tests) replaces the first one's series.
  for (const name of names) if (registry.getSingleMetric(`apiserver_flowcontrol_${name}`)) registry.removeSingleMetric(`apiserver_flowcontrol_${name}`);
  const registers = [registry];
  const labels = ['flow_schema', 'priority_level'] as const;
  return {
    registry,
    rejected: new Counter({ name: 'apiserver_flowcontrol_rejected_requests_total', help: 'Number of requests rejected by API Priority and Fairness subsystem', labelNames: [...labels, 'reason'], registers }),
    dispatched: new Counter({ name: 'apiserver_flowcontrol_dispatched_requests_total', help: 'Number of requests executed by API Priority and Fairness subsystem', labelNames: labels, registers }),
    inQueue: new Gauge({ name: 'apiserver_flowcontrol_current_inqueue_requests', help: 'Number of requests currently pending in queues of the API Priority and Fairness subsystem', labelNames: labels, registers }),
    executing: new Gauge({ name: 'apiserver_flowcontrol_current_executing_requests', help: 'Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem', labelNames: labels, registers }),
    waitDuration: new Histogram({
      name: 'apiserver_flowcontrol_request_wait_duration_seconds',
      help: 'Length of time a request spent waiting in its queue',
      labelNames: [...labels, 'execute'],
      buckets: [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30],
      registers,
    }),
    nominalLimitSeats: new Gauge({ name: 'apiserver_flowcontrol_nominal_limit_seats', help: 'Nominal number of execution seats configured for each priority level', labelNames: ['priority_level'], registers }),
  };
}
