/**
 * API Priority and Fairness, as kube-apiserver's: the configuration producer writes the built-in FlowSchemas and
 * PriorityLevelConfigurations, the consumer digests whatever is stored (live, from the watch cache), and one
 * filter classifies, queues and limits every request. Wiring: `setUpFlowControl` once at start-up, its `filter`
 * in the handler chain where the max-in-flight filter would be.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { RegistryStore } from '../registry/store.ts';
import type { PostStartHooks } from '../server/poststarthooks.ts';
import type { Env } from '../server/filters.ts';
import { ensureAPFBootstrapConfiguration } from './config-producer.ts';
import { FlowControlController } from './controller.ts';
import { withPriorityAndFairness } from './filter.ts';
import { createFlowControlMetrics, type FlowControlMetrics } from './metrics.ts';
import type { ObjectCounter } from './work-estimator.ts';

export { addFlowControlFlags, flowControlOptions, type FlowControlOptions } from './options.ts';

const group = 'flowcontrol.apiserver.k8s.io';
/** How often the producer checks the built-in objects even without a change (upstream: once a minute). */
const ensurePeriodMs = 60_000;

export interface FlowControl {
  filter: MiddlewareHandler<Env>;
  controller: FlowControlController;
  metrics: FlowControlMetrics;
  stop(): void;
}

export function setUpFlowControl(deps: {
  store: (group: string, version: string, resource: string, subresource?: string) => RegistryStore | undefined;
  hooks: PostStartHooks;
  /** --max-requests-inflight + --max-mutating-requests-inflight. */
  serverConcurrencyLimit: number;
  /** --request-timeout in seconds; a request waits in a queue a quarter of it at most (and a minute at most). */
  requestTimeoutSeconds: number;
  objectCount: ObjectCounter;
  log: Logger;
  /** The server's /metrics registry; absent: a registry of its own. */
  registry?: Registry;
}): FlowControl {
  const stores = {
    flowSchemas: deps.store(group, 'v1', 'flowschemas')!,
    flowSchemaStatus: deps.store(group, 'v1', 'flowschemas', 'status')!,
    priorityLevels: deps.store(group, 'v1', 'prioritylevelconfigurations')!,
  };
  const metrics = createFlowControlMetrics(deps.registry);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  // One round at a time; a change during a round asks for one more.
  const ensure = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = ensureAPFBootstrapConfiguration(stores).finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void ensure().catch((e) => deps.log.warn({ err: e }, 'restoring the built-in flow control configuration failed'));
      }
    });
    return running;
  };
  const controller = new FlowControlController({
    serverConcurrencyLimit: deps.serverConcurrencyLimit,
    // As upstream: a quarter of the request's deadline, never more than a minute.
    requestWaitLimitMs: Math.min((deps.requestTimeoutSeconds * 1000) / 4, 60_000),
    metrics,
    log: deps.log,
    onMandatoryChange: () => {
      if (!stopped && producerStarted) void ensure().catch((e) => deps.log.warn({ err: e }, 'restoring the built-in flow control configuration failed'));
    },
  });
  let producerStarted = false;
  deps.hooks.add('priority-and-fairness-config-consumer', () => controller.start(stores));
  deps.hooks.add('priority-and-fairness-config-producer', async () => {
    await ensure();
    producerStarted = true;
    if (!timer && !stopped) {
      timer = setInterval(() => void ensure().catch((e) => deps.log.warn({ err: e }, 'flow control configuration check failed')), ensurePeriodMs);
      timer.unref();
    }
  });
  return {
    filter: withPriorityAndFairness({ controller, metrics, objectCount: deps.objectCount }),
    controller,
    metrics,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      controller.stop();
    },
  };
}

/**
 * The start-up step: APF for a kube API server when --enable-priority-and-fairness is on (undefined otherwise:
 * the max-in-flight filter limits requests instead, as upstream).
 */
export function flowControlFor(
  opts: { flowControl: { enabled: boolean }; maxRequestsInflight: number; maxMutatingRequestsInflight: number; requestTimeoutSeconds: number },
  deps: {
    kube: { store(group: string, version: string, resource: string, subresource?: string): RegistryStore | undefined };
    caches: { objectCount(prefix: string): number | undefined };
    hooks: PostStartHooks;
    log: Logger;
    registry?: Registry;
  },
): FlowControl | undefined {
  if (!opts.flowControl.enabled) return undefined;
  return setUpFlowControl({
    store: (g, v, r, s) => deps.kube.store(g, v, r, s),
    hooks: deps.hooks,
    serverConcurrencyLimit: opts.maxRequestsInflight + opts.maxMutatingRequestsInflight,
    requestTimeoutSeconds: opts.requestTimeoutSeconds,
    objectCount: (info) => {
      const store = deps.kube.store(info.apiGroup, info.apiVersion, info.resource);
      return store && deps.caches.objectCount(store.keyPrefix);
    },
    log: deps.log,
    registry: deps.registry,
  });
}
