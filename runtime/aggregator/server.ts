/**
 * The aggregator: the first in the server chain. It keeps an APIService for every group version this server
 * serves (autoregister.ts), judges each APIService's availability (availability.ts), proxies the group versions
 * other servers serve (proxy.ts), and answers discovery and OpenAPI with theirs merged into ours (discovery.ts,
 * openapi.ts). APIService objects themselves are stored and served like every generated kind; what the aggregator
 * adds sits in one HTTP filter after authentication, authorization and limits, because a proxied request is never
 * decoded here. With no remote APIService the filter only orders `/apis`.
 */
import type { Context, Next } from 'hono';
import type { Filter } from '../server/filter-chain.ts';
import type { Logger } from 'pino';
import type { AuthenticationOptions } from '../auth/authentication/build.ts';
import type { ServiceResolver } from '../admission/webhook/client.ts';
import { wantsAggregatedDiscovery } from '../endpoints/negotiation.ts';
import { swaggerResponse } from '../endpoints/openapi.ts';
import type { CachedDocument } from '../endpoints/discovery.ts';
import type { Scheme } from '../machinery/scheme.ts';
import type { RegistryStore } from '../registry/store.ts';
import type { APIServer, ResourceHandler } from '../server/delegate.ts';
import type { Env } from '../server/filters.ts';
import type { HealthChecks } from '../server/healthz.ts';
import type { PostStartHooks } from '../server/poststarthooks.ts';
import { AggregatedResource } from './aggregated-resource.ts';
import { APIServiceCache, isAvailable } from './apiservice-cache.ts';
import { AutoRegisterController } from './autoregister.ts';
import { AvailabilityController } from './availability.ts';
import { MergedDiscovery } from './discovery.ts';
import { frontProxyClientCN, proxyClientCertificate, type ProxyClientCertificate } from './front-proxy.ts';
import { MergedOpenAPI } from './openapi.ts';
import type { AggregatorOptions } from './options.ts';
import { groupVersionOfPath, proxyRequest, type ProxyEnding } from './proxy.ts';
import { recordRequestAbort, recordRequestTermination } from '../metrics/request.ts';
import { AggregatorTransport } from './transport.ts';

const group = 'apiregistration.k8s.io';
const aggregatedType = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface AggregatorConfig {
  scheme: Scheme;
  /** The kube API server's stores (APIServices, Services, Endpoints, EndpointSlices). */
  store(group: string, version: string, resource: string, subresource?: string): RegistryStore | undefined;
  options: AggregatorOptions;
  /** Where an APIService's Service is served (server-chain.ts's kubeServiceResolver). */
  serviceResolver: ServiceResolver;
  dataDir: string;
  log: Logger;
}

export class AggregatorServer implements APIServer {
  readonly name = 'kube-aggregator';
  readonly proxyClient: ProxyClientCertificate;
  readonly cache: APIServiceCache;
  readonly transport: AggregatorTransport;
  private readonly autoregister: AutoRegisterController;
  private readonly availability: AvailabilityController;
  readonly discovery: MergedDiscovery;
  readonly openapi: MergedOpenAPI;
  private autoregistered = false;

  constructor(readonly config: AggregatorConfig) {
    const { scheme, log } = config;
    this.proxyClient = proxyClientCertificate(config.options, config.dataDir);
    const apiservices = config.store(group, 'v1', 'apiservices');
    if (!apiservices) throw new Error(`the aggregator needs ${group}/v1, which is not served`);
    this.cache = new APIServiceCache(apiservices, log);
    const resolverStores = () => ({ services: config.store('', 'v1', 'services'), endpoints: config.store('', 'v1', 'endpoints'), endpointSlices: config.store('discovery.k8s.io', 'v1', 'endpointslices') });
    this.transport = new AggregatorTransport(config.serviceResolver, this.proxyClient);
    this.autoregister = new AutoRegisterController(scheme, this.cache, log);
    this.availability = new AvailabilityController(this.cache, () => ({ status: config.store(group, 'v1', 'apiservices', 'status')!, ...resolverStores() }), this.transport, log);
    this.discovery = new MergedDiscovery(scheme, this.cache, this.transport, log);
    this.openapi = new MergedOpenAPI(scheme, this.cache, this.transport, log);
    this.availability.onChecked = (s, available) => {
      this.discovery.availabilityChecked(s, available);
      this.openapi.availabilityChecked(s, available);
    };
  }

  /**
   * Authentication options with this server trusting its own front proxy, as kubeadm configures kube-apiserver:
   * when the front-proxy certificate was generated and no --requestheader-client-ca-file was given, its CA, the CN
   * `front-proxy-client` and the `X-Remote-*` headers.
   */
  withFrontProxyDefaults<T extends AuthenticationOptions>(opts: T): T {
    const ca = this.proxyClient.generatedCAFile;
    if (!ca || opts.requestheaderClientCaFile) return opts;
    return {
      ...opts,
      requestheaderClientCaFile: ca,
      requestheaderAllowedNames: opts.requestheaderAllowedNames.length ? opts.requestheaderAllowedNames : [frontProxyClientCN],
      requestheaderUsernameHeaders: opts.requestheaderUsernameHeaders.length ? opts.requestheaderUsernameHeaders : ['X-Remote-User'],
      requestheaderGroupHeaders: opts.requestheaderGroupHeaders.length ? opts.requestheaderGroupHeaders : ['X-Remote-Group'],
      requestheaderExtraHeadersPrefix: opts.requestheaderExtraHeadersPrefix.length ? opts.requestheaderExtraHeadersPrefix : ['X-Remote-Extra-'],
    };
  }

  /**
   * Every resource the servers behind remote APIServices list in discovery, as clients (subresources left out),
   * for controllers that follow every kind, as the garbage collector does.
   */
  aggregatedResources(): AggregatedResource[] {
    return this.discovery.remoteResources().flatMap(({ apiService, list }) => {
      const name = apiService.metadata.name;
      const origin = `${name}/${apiService.metadata.uid ?? ''}`;
      const group = apiService.spec?.group ?? '';
      const version = apiService.spec?.version ?? '';
      return (list.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map((r) => new AggregatedResource({ group, version, kind: r.kind, resource: r.name, verbs: r.verbs ?? [], namespaced: r.namespaced }, () => this.cache.get(name), this.transport, origin));
    });
  }

  /** Calls back when what aggregatedResources() gives may have changed; returns an unsubscribe. */
  onAggregatedResourcesChange(listener: () => void): () => void {
    return this.discovery.onChange(listener);
  }

  /** APIService objects are served by the generic REST code of the kube API server; remote groups by filter(). */
  resourceHandler(): ResourceHandler | undefined {
    return undefined;
  }

  /**
   * Upstream's post-start hooks, and `autoregister-completion` (every local APIService made), a boot-sequence check
   * upstream adds to /healthz, /livez (passing during the grace period) and /readyz.
   */
  addHooks(hooks: PostStartHooks, health: { healthz: HealthChecks; livez: HealthChecks; readyz: HealthChecks }, livezGraceMs: number): void {
    hooks.add('start-kube-aggregator-informers', async () => {
      await this.cache.start();
    });
    hooks.add('apiservice-status-local-available-controller', async () => {
      await this.waitForCache();
      this.availability.start();
      this.discovery.start();
      this.openapi.start();
    });
    hooks.add('kube-apiserver-autoregistration', async () => {
      await this.waitForCache();
      await this.autoregister.start();
      this.autoregistered = true;
    });
    const completion = async () => {
      if (!this.autoregistered) throw new Error('APIServices not registered yet');
      const missing = [...this.autoregister.desired().keys()].filter((n) => {
        const s = this.cache.get(n);
        return !s || (!s.spec?.service && !isAvailable(s));
      });
      if (missing.length) throw new Error(`missing APIService: [${missing.sort().join(' ')}]`);
    };
    health.healthz.add('autoregister-completion', completion);
    health.livez.add('autoregister-completion', completion, { graceMs: livezGraceMs });
    health.readyz.add('autoregister-completion', completion);
  }

  private async waitForCache(): Promise<void> {
    while (!this.cache.synced) await new Promise((r) => setTimeout(r, 20));
  }

  stop(): void {
    this.autoregister.stop();
    this.availability.stop();
    this.discovery.stop();
    this.openapi.stop();
    this.cache.stop();
    this.transport.close();
  }

  /** The aggregator's HTTP filter: proxying, merged discovery and OpenAPI. Everything else passes to `next`. */
  filter(): Filter {
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias
    // Only the OpenAPI documents wait (for the first readings); the rest is plain, so the requests it passes on (every
    // request this server serves itself) go through with their `next()` as it is, no async frame (filter-chain.ts).
    const openapiDocument = async (c: Context<Env>, next: Next, path: string) => {
      await self.openapi.firstReadings();
      if (!self.openapi.active) return next();
      if (path === '/openapi/v3') return document(c, self.openapi.v3Index());
      if (path === '/openapi/v2') return swaggerResponse(self.openapi.v2(), c.req.header('accept'), c.req.header('if-none-match'), c.req.header('accept-encoding'));
      const doc = self.openapi.v3Document(path.slice('/openapi/v3/'.length));
      if (!doc) return next();
      const res = document(c, doc);
      if (new URL(c.req.url).searchParams.get('hash') === doc.hash) res.headers.set('Cache-Control', 'public, immutable');
      return res;
    };
    return function aggregatorFilter(c, next) {
      const path = c.req.path;
      if (path.startsWith('/apis')) {
        if (path === '/apis' || path === '/apis/') {
          if (c.req.method !== 'GET') return next();
          if (wantsAggregatedDiscovery(c.req.header('accept'))) return document(c, self.discovery.aggregated(), aggregatedType);
          return document(c, self.discovery.groupList());
        }
        const gv = groupVersionOfPath(path);
        if (gv) {
          const remote = self.cache.remoteFor(gv.group, gv.version);
          if (remote) return proxyRequest({ cache: self.cache, transport: self.transport, log: self.config.log }, remote, c.req.raw, c.get('user'), proxyEnding(c));
          return next();
        }
        const groupName = path.slice('/apis/'.length).replace(/\/$/, '');
        // Every group, so its preferred version agrees with /apis (autoscaling/v2 before v1, as upstream).
        if (c.req.method === 'GET' && groupName && !groupName.includes('/')) {
          const doc = self.discovery.group(groupName);
          if (doc) return document(c, doc);
        }
        return next();
      }
      if (!path.startsWith('/openapi/') || c.req.method !== 'GET') return next();
      return openapiDocument(c, next, path);
    };
  }
}

function document(c: Context, doc: CachedDocument, contentType = 'application/json'): Response {
  const headers: Record<string, string> = { 'Content-Type': contentType, ETag: doc.etag };
  if (c.req.header('if-none-match') === doc.etag) return c.newResponse(null, 304, headers);
  return c.newResponse(doc.body, 200, headers);
}

/** A proxied request's ending (proxy.ts): its cancellation under a deadline, else its client's going away. */
function proxyEnding(c: Context<Env>): ProxyEnding {
  const cancellation = c.get('cancellation');
  // Upstream's timeout filter counts the termination (504) before the abort its panic is counted as.
  const aborted = () => {
    const info = c.get('requestInfo');
    const contentType = c.req.header('content-type');
    recordRequestTermination(info, c.req.method, contentType, 504);
    recordRequestAbort(info, c.req.method, contentType);
  };
  return cancellation ? { signal: cancellation.signal, deadline: cancellation.deadline, aborted } : { signal: c.req.raw.signal, aborted };
}
