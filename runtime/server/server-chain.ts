/**
 * Start-up step 3, as upstream's `CreateServerChain`: from a completed config, builds the servers of the chain
 * (aggregator -> kube API server -> apiextensions server), the security chain in front of them (authentication,
 * authorization, admission), the health checks, the post-start hooks with the controllers they start, and the
 * HTTP handler. Nothing listens yet; run.ts serves what this returns.
 */
import type { Hono } from 'hono';
import { join } from 'node:path';
import { buildAdmission } from '../admission/setup.ts';
import { policyParamAuthorization } from '../admission/policy/param-authorization.ts';
import { registerPodSecurity } from '../admission/plugins/podsecurity/index.ts';
import { registerResourceQuota } from '../admission/plugins/resourcequota/index.ts';
import { QuotaAccounting } from '../admission/plugins/resourcequota/accounting.ts';
import { registerWebhookAdmission } from '../admission/webhook/index.ts';
import type { ServiceResolver } from '../admission/webhook/client.ts';
import { kubeServiceResolver } from '../admission/webhook/service-resolver.ts';
import type { AdmissionChain } from '../admission/types.ts';
import { AggregatorServer } from '../aggregator/server.ts';
import { newAPIExtensionsServer, type APIExtensionsServer } from '../apiextensions/server.ts';
import { registerWebhookConversion } from '../apiextensions/conversion/index.ts';
import { Authorization } from '../auth/authorization/setup.ts';
import { buildAuthenticator, type ServerAuthentication } from '../auth/authentication/build.ts';
import { registerAuthenticationREST } from '../auth/authentication/reviews.ts';
import { setUpTokenAuthentication, type TokenAuthentication } from '../auth/authentication/tokens.ts';
import { LoopbackToken } from '../auth/authentication/loopback-token.ts';
import { addControllerHooks } from '../controllers/index.ts';
import { garbageCollectorDeps } from '../controllers/garbagecollector/index.ts';
import { garbageCollectorGraphRoute } from '../controllers/garbagecollector/debug.ts';
import { csrSigningConfig } from '../controllers/csrsigning/controller.ts';
import { addAPIExtensionsControllerHooks } from '../apiextensions/controllers/index.ts';
import { policyStatusController } from '../controllers/validating-admission-policy-status/controller.ts';
import { addIdentityLeaseHooks } from '../controlplane/apiserver-identity/index.ts';
import { ensureKubernetesService, ensureSystemNamespaces } from '../controlplane/bootstrap.ts';
import { KubernetesEndpointsReconciler } from '../controlplane/kubernetes-endpoints.ts';
import { KubeAPIServer } from '../controlplane/instance.ts';
import { registerCoreREST } from '../registry/core/register.ts';
import { httpsHealthProbe, storageProbe, type ComponentProbe } from '../registry/core/componentstatus.ts';
import { storageHealthCheck } from '../storage/health.ts';
import { NamespaceController } from '../controlplane/namespace-controller.ts';
import { ServiceRepair } from '../controlplane/service-repair.ts';
import { StatusError } from '../machinery/status.ts';
import { ServiceAllocators } from '../registry/core/service-alloc.ts';
import { ServiceIPAllocator } from '../registry/core/service-ip-allocator.ts';
import { ServiceNodePortAllocator } from '../registry/core/service-node-port-allocator.ts';
import { systemContext } from '../registry/store.ts';
import { buildApp } from './app.ts';
import { flowControlFor } from '../flowcontrol/index.ts';
import { legacyRegistry } from '../metrics/registry.ts';
import type { CompletedConfig } from './config.ts';
import { chain } from './delegate.ts';
import type { Env } from './filters.ts';
import type { HealthChecks } from './healthz.ts';
import { finishHealthChecks, gracefulShutdown, healthEndpoints } from './observability-setup.ts';
import type { GracefulShutdown } from './shutdown.ts';
import { PostStartHooks } from './poststarthooks.ts';
import { servingTLS, type ServingTLS } from './serving-tls.ts';
import { LoopbackCertificate, loopbackCredentials, loopbackServerName, type LoopbackClient } from './loopback-client.ts';
import { protobufMediaType } from '../storage/codec.ts';
import { servingAddress } from './workers.ts';
import { kvRangeAllocationStore, protobufRangeAllocations } from '../registry/core/allocator/range-store.ts';

export interface Health {
  healthz: HealthChecks;
  livez: HealthChecks;
  readyz: HealthChecks;
}

export interface ServerChain {
  app: Hono<Env>;
  /** Serving certificate and client CAs, reloaded from disk while serving. */
  tls: ServingTLS;
  hooks: PostStartHooks;
  health: Health;
  kube: KubeAPIServer;
  /** The graceful shutdown (runtime/server/shutdown.ts): readyz red, delay, drain, watches ended, then stop. */
  shutdown: GracefulShutdown;
}

/**
 * The admission chain: escalation checks always first, then the plug-ins that are on. Plug-ins read other objects
 * through the kube API server's stores, bound once it exists (read only per request).
 */
async function newAdmission(config: CompletedConfig, authorization: Authorization, quotaAccounting: QuotaAccounting, kube: () => KubeAPIServer, serviceResolver: ServiceResolver): Promise<AdmissionChain> {
  const { options, log, scheme } = config;
  const store = (g: string, v: string, r: string, sub?: string) => kube().store(g, v, r, sub);
  return buildAdmission({
    always: [authorization.admissionPlugin, policyParamAuthorization({ authorizer: () => authorization.authorizer, scheme, lookup: (g, v, r) => store(g, v, r) })],
    enabled: options.admissionPlugins,
    lookup: (g, v, r) => store(g, v, r),
    log,
    options: { ...options, authorizer: authorization.authorizer },
    register: (registry) => {
      registerPodSecurity(registry);
      registerResourceQuota(registry, { store: (sub) => store('', 'v1', 'resourcequotas', sub), accounting: quotaAccounting });
      registerWebhookAdmission(registry, { scheme, store: (g, v, r) => store(g, v, r), log, authorize: (a) => authorization.authorizer.authorize(a), serviceResolver });
    },
  });
}

/** Bootstrap objects and the controllers kube-apiserver runs itself, each a post-start hook. */
function addSystemHooks(config: CompletedConfig, hooks: PostStartHooks, shutdown: GracefulShutdown, kube: KubeAPIServer, apiextensions: APIExtensionsServer, serviceAllocators: ServiceAllocators): void {
  const { options, log, lifecycle } = config;
  const store = (g: string, r: string, sub?: string) => kube.store(g, 'v1', r, sub)!;
  hooks.add('start-system-namespaces-controller', () => ensureSystemNamespaces(store('', 'namespaces')));
  const repairServices = new ServiceRepair(serviceAllocators, store('', 'services'), log, { kv: config.kv, etcdPrefix: options.etcdPrefix });
  lifecycle.onStop('service-repair', () => repairServices.stop());
  hooks.add('start-service-ip-repair-controllers', () => repairServices.start());
  hooks.add('bootstrap-controller', async () => {
    // As upstream: the allocators' state exists (first repair pass) before the kubernetes Service claims its IP.
    await repairServices.ready();
    await ensureKubernetesService(store('', 'services'), { clusterIP: serviceAllocators.ips.apiServerIP, port: options.securePort });
  });
  if (options.endpointReconcilerType === 'lease') {
    const endpoints = new KubernetesEndpointsReconciler({
      leases: config.store,
      leasePrefix: `${options.etcdPrefix}/masterleases/`,
      endpoints: store('', 'endpoints'),
      endpointSlices: kube.store('discovery.k8s.io', 'v1', 'endpointslices'),
      address: config.advertiseAddress,
      port: options.securePort,
      log,
    });
    hooks.add('start-kubernetes-endpoints-reconciler', () => endpoints.start());
    // Out of the list before the listener closes, as upstream's pre-shutdown hook.
    shutdown.addPreShutdownHook('stop-kubernetes-endpoints-reconciler', () => endpoints.stop());
  }
  const namespaceController = new NamespaceController({ namespaces: store('', 'namespaces'), finalize: store('', 'namespaces', 'finalize'), status: store('', 'namespaces', 'status'), namespacedStores: () => [...kube.namespacedStores(), ...apiextensions.namespacedStores()], log });
  lifecycle.onStop('namespace-controller', () => namespaceController.stop());
  hooks.add('start-namespace-controller', () => namespaceController.start());
  const identityLeases = addIdentityLeaseHooks(hooks, { leases: kube.store('coordination.k8s.io', 'v1', 'leases'), servingAddress: servingAddress(options), log });
  lifecycle.onStop('apiserver-identity', () => identityLeases.stop());
  // Not when --runtime-config turned admissionregistration.k8s.io/v1 off.
  if (kube.store('admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies')) {
    const policyStatus = policyStatusController((g, v, r, sub) => kube.store(g, v, r, sub), log);
    lifecycle.onStop('validating-admission-policy-status-controller', () => policyStatus.stop());
    hooks.add('start-validating-admission-policy-status-controller', () => policyStatus.start());
  }
  // Naming, establishing, NonStructuralSchema and API approval: always on, as inside upstream's apiextensions server.
  const apiextensionsControllers = addAPIExtensionsControllerHooks(hooks, { kube, log });
  lifecycle.onStop('apiextensions-controllers', () => apiextensionsControllers?.stop());
}

/**
 * The union of authenticators: service-account tokens (with TokenRequest and issuer discovery), OIDC and webhook
 * tokens, client certificates, static and bootstrap tokens, the front proxy. Bootstrap tokens are Secrets read from
 * the kube API server's watch cache.
 */
async function newAuthentication(config: CompletedConfig, kube: KubeAPIServer, aggregator: AggregatorServer, loopback: LoopbackClient): Promise<{ authentication: ServerAuthentication; tokenAuth: TokenAuthentication }> {
  const { options, log, lifecycle } = config;
  const tokenAuth = await setUpTokenAuthentication(options.tokenAuth, { dataDir: options.dataDir, externalAddress: new URL(config.url).host, kube, log });
  lifecycle.onStop('token-authentication', () => tokenAuth.close());
  // The aggregator's generated front-proxy CA is trusted for request headers unless --requestheader-* say otherwise.
  const authentication = buildAuthenticator(aggregator.withFrontProxyDefaults(options), {
    log,
    tokenAuthenticators: tokenAuth.authenticators,
    loopbackToken: loopback.token,
    apiAudiences: tokenAuth.apiAudiences,
    generatedClientCAFile: options.tlsCertFile ? undefined : join(options.dataDir, 'pki', 'ca.crt'),
    getSecret: async (namespace, name) => {
      try {
        return await kube.store('', 'v1', 'secrets')!.get(systemContext(namespace), name, { resourceVersion: '0' });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) return undefined;
        throw e;
      }
    },
  });
  lifecycle.onStop('authentication', () => authentication.close());
  registerAuthenticationREST(kube, authentication);
  return { authentication, tokenAuth };
}

/** A deleted Service's Endpoints go with it (upstream's Service storage deletes them; a 404 is fine). */
async function deleteEndpoints(kube: KubeAPIServer, namespace: string, name: string): Promise<void> {
  try {
    await kube.store('', 'v1', 'endpoints')?.delete(systemContext(namespace), name);
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

export async function newServerChain(config: CompletedConfig): Promise<ServerChain> {
  const { options, log, scheme, lifecycle } = config;
  const authorization = new Authorization({ ...options.authorization, clusterRoleAggregation: options.controllers.includes('clusterrole-aggregation-controller') }, log);
  // ResourceQuota admission and its controller share a per-namespace lock and the time of the last charge.
  const quotaAccounting = new QuotaAccounting();
  let kubeRef: KubeAPIServer | undefined;
  // The server's own client: a token and a certificate made for this run only.
  const loopback: LoopbackClient = { url: config.url, token: new LoopbackToken(), certificate: new LoopbackCertificate() };
  // One resolver for admission webhooks, conversion webhooks and APIServices; default/kubernetes is this server,
  // which webhooks call with the loopback credentials.
  const serviceResolver = kubeServiceResolver(
    () => ({ services: kubeRef?.store('', 'v1', 'services'), endpoints: kubeRef?.store('', 'v1', 'endpoints'), endpointSlices: kubeRef?.store('discovery.k8s.io', 'v1', 'endpointslices') }),
    config.url,
    () => loopbackCredentials(loopback),
  );
  const admission = await newAdmission(config, authorization, quotaAccounting, () => kubeRef!, serviceResolver);
  lifecycle.onStop('admission', () => admission.stop());
  // The allocators' RangeAllocations are written in the store's media type, as kube-apiserver writes them.
  const ranges = options.storageMediaType === protobufMediaType ? protobufRangeAllocations(scheme.protobuf) : undefined;
  const rangeStore = (name: string) => kvRangeAllocationStore(config.kv, `${options.etcdPrefix}/ranges/${name}`, ranges);
  const serviceAllocators = new ServiceAllocators(
    new ServiceIPAllocator(config.kv, options.etcdPrefix, options.serviceClusterIPRange, rangeStore('serviceips')),
    new ServiceNodePortAllocator(config.kv, options.etcdPrefix, options.serviceNodePortRange, rangeStore('servicenodeports')),
  );
  const kube = (kubeRef = new KubeAPIServer(scheme, config.caches, admission, {
    etcdPrefix: options.etcdPrefix,
    eventTtlSeconds: options.eventTtlSeconds,
    allowPrivileged: options.allowPrivileged,
    serviceAllocators,
    deleteServiceEndpoints: (namespace, name) => deleteEndpoints(kubeRef!, namespace, name),
    enableGarbageCollection: options.garbageCollector.enabled,
  }));

  registerCoreREST(kube, () => controlPlaneComponents(options.etcdServers, storageHealthCheck(config.kv).check));

  const aggregator = new AggregatorServer({ scheme, store: (g, v, r, sub) => kube.store(g, v, r, sub), options: options.aggregator, serviceResolver, dataDir: options.dataDir, log });
  lifecycle.onStop('kube-aggregator', () => aggregator.stop());

  const health = healthEndpoints(options, config);
  const shutdown = gracefulShutdown(options, log);
  const hooks = new PostStartHooks(log);
  // Custom resources: served from the CRDs the kube API server's CRD store holds.
  const apiextensions = newAPIExtensionsServer({ scheme, storage: config.caches, admission, etcdPrefix: options.etcdPrefix, log, kube, enableGarbageCollection: options.garbageCollector.enabled });
  apiextensions.addPostStartHooks(hooks);
  registerWebhookConversion({ serviceResolver });
  lifecycle.onStop('apiextensions', () => apiextensions.stop());
  addSystemHooks(config, hooks, shutdown, kube, apiextensions, serviceAllocators);
  const { authentication, tokenAuth } = await newAuthentication(config, kube, aggregator, loopback);
  const gcDeps = garbageCollectorDeps({ kube, customResources: apiextensions, aggregated: aggregator, scheme, workers: options.garbageCollector.workers });
  const controllers = addControllerHooks(hooks, {
    kube,
    enabled: options.controllers,
    caPem: () => config.certs.caCertPem,
    log,
    legacyTokenGenerator: () => tokenAuth.legacyTokenGenerator,
    resourceQuota: { accounting: quotaAccounting, resyncMs: options.resourceQuotaSyncPeriodSeconds * 1000 },
    csrSigning: csrSigningConfig({ dataDir: options.dataDir, ...options.clusterSigning }),
    leaderElection: options.leaderElection,
    garbageCollector: gcDeps,
  });
  lifecycle.onStop('controllers', () => controllers.stop());
  authorization.start(kube, hooks);
  lifecycle.onStop('authorization', () => authorization.stop());
  aggregator.addHooks(hooks, health, options.observability.livezGracePeriodSeconds * 1000);
  const flowControl = flowControlFor(options, { kube, caches: config.caches, hooks, log, registry: legacyRegistry });
  if (flowControl) lifecycle.onStop('priority-and-fairness', () => flowControl.stop());
  // Hooks added after this line would not be reported in /healthz and /readyz.
  finishHealthChecks(health, hooks, shutdown, options);

  const tls = servingTLS({ certPem: config.certs.certPem, keyPem: config.certs.keyPem, certFile: options.tlsCertFile, keyFile: options.tlsPrivateKeyFile, clientCAs: authentication.clientCAs, named: { serverName: loopbackServerName, pair: () => loopback.certificate.get() }, log });
  lifecycle.onStop('serving-tls', () => tls.close());
  const resolve = chain([aggregator, kube, apiextensions]);
  const app = buildApp({
    scheme,
    resolve,
    filters: [aggregator.filter()],
    health,
    authentication,
    authorizers: authorization.authorizers,
    maxInFlight: { readonly: options.maxRequestsInflight, mutating: options.maxMutatingRequestsInflight },
    flowControlFilter: flowControl?.filter,
    requestTimeoutSeconds: options.requestTimeoutSeconds,
    serverAddress: `${options.bindAddress}:${options.securePort}`,
    serviceAccountIssuerDiscovery: tokenAuth.discovery,
    log,
    auditor: config.auditor,
    observability: { shutdown, log, isServed: (info) => resolve(info) !== undefined },
    routes: [garbageCollectorGraphRoute(gcDeps.running)],
  });
  return { app, tls, hooks, health, kube, shutdown };
}

/**
 * What `kubectl get componentstatuses` reports, as kube-apiserver probes it: the scheduler and controller manager
 * at their default secure ports on this host, and each storage server (one `etcd-0` for the embedded store).
 */
function controlPlaneComponents(etcdServers: string[], storageCheck: () => Promise<void>): Array<[string, ComponentProbe]> {
  const storage = storageProbe(storageCheck);
  return [
    ['scheduler', httpsHealthProbe('127.0.0.1', 10259, '/healthz')],
    ['controller-manager', httpsHealthProbe('127.0.0.1', 10257, '/healthz')],
    ...(etcdServers.length ? etcdServers : ['']).map((_, i): [string, ComponentProbe] => [`etcd-${i}`, storage]),
  ];
}
