/**
 * The `Available` condition of every APIService, as upstream's local and remote availability controllers set it.
 * Local ones are always available (reason `Local`). A remote one is checked in upstream's order: its Service exists
 * (`ServiceNotFound`), a ClusterIP Service listens on the port (`ServicePortError`), has endpoints
 * (`EndpointsNotFound`) with an address for that port (`MissingEndpoints`), then the server answers its discovery
 * path `/apis/<group>/<version>` with 2xx or 3xx within 5 s to one of 5 parallel probes (`FailedDiscoveryCheck`), else
 * `Passed`. Checked on every change to the APIService, every 30 s while available and every 5 s while not (the
 * Service network can change without an event we see). Status is written only when it changed.
 */
import type { Logger } from 'pino';
import { StatusError } from '../machinery/status.ts';
import { parseLabelSelector } from '../machinery/selectors.ts';
import type { RegistryStore } from '../registry/store.ts';
import { getIfExists, systemContext } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { WorkQueue } from '../controllers/informer.ts';
import { isLocal, type APIServiceCache, type APIServiceObject } from './apiservice-cache.ts';
import type { AggregatorTransport } from './transport.ts';

export interface Condition {
  type: 'Available';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export interface AvailabilityStores {
  status: RegistryStore;
  services?: RegistryStore;
  endpoints?: RegistryStore;
  endpointSlices?: RegistryStore;
}


export class AvailabilityController {
  private readonly queue: WorkQueue;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;
  /** Called after a remote APIService's availability is judged (discovery refreshes on it). */
  onChecked: (s: APIServiceObject, available: boolean) => void = () => {};

  constructor(
    private readonly cache: APIServiceCache,
    private readonly stores: () => AvailabilityStores,
    private readonly transport: AggregatorTransport,
    private readonly log: Logger,
    private readonly intervals = { availableMs: 30_000, unavailableMs: 5_000 },
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, 'apiservice-availability', 1000);
  }

  start(): void {
    this.unsubscribe = this.cache.onChange((_type, obj) => this.queue.add(obj.metadata.name));
    for (const s of this.cache.list()) this.queue.add(s.metadata.name);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.queue.stop();
    for (const t of this.timers.values()) clearTimeout(t);
  }

  /** Checks `name` again soon (a Service or its endpoints changed). */
  recheck(name: string): void {
    this.queue.add(name);
  }

  private schedule(name: string, ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(name));
    const t = setTimeout(() => {
      this.timers.delete(name);
      this.queue.add(name);
    }, ms);
    t.unref();
    this.timers.set(name, t);
  }

  private async sync(name: string): Promise<void> {
    const s = this.cache.get(name);
    if (!s) {
      clearTimeout(this.timers.get(name));
      this.timers.delete(name);
      this.transport.forget(name);
      return;
    }
    if (isLocal(s)) {
      await this.write(s, { type: 'Available', status: 'True', reason: 'Local', message: 'Local APIServices are always available' });
      return;
    }
    const condition = await this.check(s);
    await this.write(s, condition);
    this.onChecked(s, condition.status === 'True');
    this.schedule(name, condition.status === 'True' ? this.intervals.availableMs : this.intervals.unavailableMs);
  }

  /** Upstream's checks, in order; the first that fails names the reason. */
  async check(s: APIServiceObject): Promise<Condition> {
    const svcRef = s.spec!.service!;
    const ns = svcRef.namespace ?? '';
    const svcName = svcRef.name ?? '';
    const port = svcRef.port ?? 443;
    const fail = (reason: string, message: string, status: Condition['status'] = 'False'): Condition => ({ type: 'Available', status, reason, message });
    const stores = this.stores();
    let service: StoredObject | undefined;
    try {
      service = await getIfExists(stores.services, systemContext(ns), svcName);
    } catch (e) {
      return fail('ServiceAccessError', `service/${svcName} in ${JSON.stringify(ns)} cannot be checked due to: ${(e as Error).message}`, 'Unknown');
    }
    if (!service) return fail('ServiceNotFound', `service/${svcName} in ${JSON.stringify(ns)} is not present`);
    if ((service.spec?.type ?? 'ClusterIP') === 'ClusterIP') {
      const servicePort = (service.spec?.ports ?? []).find((p: StoredObject) => p.port === port);
      if (!servicePort) return fail('ServicePortError', `service/${svcName} in ${JSON.stringify(ns)} is not listening on port ${port}`);
      const portName = servicePort.name ?? '';
      let ready: boolean | undefined;
      try {
        ready = await this.hasEndpoint(stores, ns, svcName, portName);
      } catch (e) {
        return fail('EndpointsAccessError', `service/${svcName} in ${JSON.stringify(ns)} cannot be checked due to: ${(e as Error).message}`, 'Unknown');
      }
      if (ready === undefined) return fail('EndpointsNotFound', `cannot find endpoints for service/${svcName} in ${JSON.stringify(ns)}`);
      if (!ready) return fail('MissingEndpoints', `endpoints for service/${svcName} in ${JSON.stringify(ns)} have no addresses with port name ${JSON.stringify(portName)}`);
    }
    const error = await this.probe(s);
    if (error) return fail('FailedDiscoveryCheck', error);
    return { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' };
  }

  /** undefined: neither Endpoints nor EndpointSlices exist; else whether one has an address for the port. */
  private async hasEndpoint(stores: AvailabilityStores, ns: string, name: string, portName: string): Promise<boolean | undefined> {
    const eps = await getIfExists(stores.endpoints, systemContext(ns), name);
    let found = eps !== undefined;
    for (const subset of eps?.subsets ?? []) {
      if (!subset.addresses?.length) continue;
      if ((subset.ports ?? []).some((p: StoredObject) => (p.name ?? '') === portName)) return true;
    }
    if (stores.endpointSlices) {
      const { items } = await stores.endpointSlices.list(systemContext(ns), { labelSelector: parseLabelSelector(`kubernetes.io/service-name=${name}`) });
      if (items.length) found = true;
      for (const slice of items) {
        const ready = (slice.endpoints ?? []).some((e: StoredObject) => e.conditions?.ready !== false && e.addresses?.length);
        if (ready && (slice.ports ?? []).some((p: StoredObject) => (p.name ?? '') === portName && p.port)) return true;
      }
    }
    return found ? false : undefined;
  }

  /** Five parallel GETs of the discovery path; undefined when one succeeded, else the last error. */
  private async probe(s: APIServiceObject): Promise<string | undefined> {
    const path = s.metadata.name === 'v1.' ? `/api/${s.spec?.version}` : `/apis/${s.spec?.group}/${s.spec?.version}`;
    const attempt = async (): Promise<string | undefined> => {
      let url = '';
      try {
        const res = await this.transport.get(s, path, { timeoutMs: 5000 });
        url = res.url;
        // Upstream wraps every failed attempt with the URL it tried, a bad status as a transport failure.
        if (res.status < 200 || res.status >= 300) return `failing or missing response from ${url}: bad status from ${url}: ${res.status}`;
        return undefined;
      } catch (e) {
        const message = (e as Error).message;
        // Resolution failures are reported as they are.
        return /^Get "/.test(message) ? `failing or missing response from ${message.slice(5, message.indexOf('"', 5))}: ${message}` : message;
      }
    };
    const results = await Promise.all(Array.from({ length: 5 }, attempt));
    if (results.some((r) => r === undefined)) return undefined;
    return results[results.length - 1];
  }

  private async write(s: APIServiceObject, condition: Condition): Promise<void> {
    const current = s.status?.conditions?.find((c) => c.type === 'Available');
    if (current && current.status === condition.status && current.reason === condition.reason && current.message === condition.message) return;
    try {
      await this.stores().status.guaranteedUpdate(systemContext(), s.metadata.name, async (obj) => {
        const conditions: StoredObject[] = [...(obj.status?.conditions ?? [])];
        const i = conditions.findIndex((c) => c.type === 'Available');
        const old = i >= 0 ? conditions[i] : undefined;
        // lastTransitionTime moves only when the status does, as upstream's SetAPIServiceCondition.
        const lastTransitionTime = old && old.status === condition.status ? old.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const next = { ...condition, lastTransitionTime };
        if (i >= 0) conditions[i] = next;
        else conditions.push(next);
        return { ...obj, status: { ...obj.status, conditions } };
      });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }
}
