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

export function createFlowControlMetrics(registry: Registry = new Registry()): FlowControlMetrics {
  const existing = registry.getSingleMetric('apiserver_flowcontrol_rejected_requests_total');
  if (existing) registry.removeSingleMetric('apiserver_flowcontrol_rejected_requests_total');
  const registers = [registry];
  const labels = ['flow_schema', 'priority_level'] as const;
  for (const name of ['dispatched_requests_total', 'current_inqueue_requests', 'current_executing_requests', 'request_wait_duration_seconds', 'nominal_limit_seats']) {
    if (registry.getSingleMetric(`apiserver_flowcontrol_${name}`)) registry.removeSingleMetric(`apiserver_flowcontrol_${name}`);
  }
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
