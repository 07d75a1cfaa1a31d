/**
 * Start-up and shutdown: opens the store (SQLite by default, etcd with --etcd-servers), makes or loads the
 * certificates, writes the admin kubeconfig, builds the server chain and serves HTTPS until SIGTERM/SIGINT; then
 * turns readyz red, waits the shutdown delay, stops accepting, drains in-flight requests and closes the store.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createServer } from 'node:https';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { addToScheme } from '../../generated/index.ts';
import { buildAdmission } from '../admission/setup.ts';
import { registerPodSecurity } from '../admission/plugins/podsecurity/index.ts';
import { registerResourceQuota, storeQuotaAccess } from '../admission/plugins/resourcequota/index.ts';
import { QuotaAccounting } from '../admission/plugins/resourcequota/accounting.ts';
import { registerWebhookAdmission } from '../admission/webhook/index.ts';
import { addControllerHooks } from '../controllers/index.ts';
import { AggregatorServer } from '../aggregator/server.ts';
import { APIExtensionsServer } from '../apiextensions/server.ts';
import { KubeAPIServer } from '../controlplane/instance.ts';
import { ensureKubernetesService, ensureSystemNamespaces } from '../controlplane/bootstrap.ts';
import { ServiceIPRepair } from '../controlplane/service-ip-repair.ts';
import { ServiceIPAllocator } from '../registry/core/service-ip-allocator.ts';
import { NamespaceController } from '../controlplane/namespace-controller.ts';
import { policyStatusController } from '../controllers/validating-admission-policy-status/controller.ts';
import { Scheme } from '../machinery/scheme.ts';
import { StatusError } from '../machinery/status.ts';
import { systemContext } from '../registry/store.ts';
import type { KV } from '../storage/kv.ts';
import { EtcdKV } from '../storage/etcd/kv.ts';
import { SqliteKV } from '../storage/sqlite/kv.ts';
import { ObjectStore, type StoredObject } from '../storage/store.ts';
import { CacherProvider } from '../storage/cacher/cacher.ts';
import { startCompactor } from '../storage/compactor.ts';
import { storageHealthCheck } from '../storage/health.ts';
import { withEncryptionAtRest } from '../storage/encryption/index.ts';
import { createAuditor } from '../audit/index.ts';
import { buildApp } from './app.ts';
import { flowControlFor } from '../flowcontrol/index.ts';
import { ensureCertificates, loadCertificates } from './certs.ts';
import { chain } from './delegate.ts';
import { Authorization } from '../auth/authorization/setup.ts';
import { buildAuthenticator } from '../auth/authentication/build.ts';
import { registerAuthenticationREST } from '../auth/authentication/reviews.ts';
import { setUpTokenAuthentication } from '../auth/authentication/tokens.ts';
import { servingTLS } from './serving-tls.ts';
import { HealthChecks } from './healthz.ts';
import { PostStartHooks } from './poststarthooks.ts';
import { kubeconfigServerURL, writeAdminKubeconfig } from './kubeconfig.ts';
import type { ServerOptions } from './options.ts';

export interface RunningServer {
  url: string;
  kubeconfigPath: string;
  /** Graceful shutdown: readyz red, drain, close. */
  shutdown(): Promise<void>;
}

async function openStore(opts: ServerOptions, log: Logger): Promise<KV> {
  if (opts.etcdServers.length) {
    log.info({ endpoints: opts.etcdServers }, 'using etcd');
    return EtcdKV.open({ endpoints: opts.etcdServers });
  }
  const path = join(opts.dataDir, 'kube-ts.db');
  log.info({ path }, 'using the embedded SQLite store');
  return SqliteKV.open(path);
}

/** The KV objects are stored through: encrypted at rest with --encryption-provider-config (a bad file stops start-up). */
function encryptedStore(kv: KV, opts: ServerOptions, scheme: Scheme, log: Logger): KV {
  try {
    return withEncryptionAtRest(kv, { configPath: opts.encryptionProviderConfig, automaticReload: opts.encryptionProviderConfigAutomaticReload, etcdPrefix: opts.etcdPrefix, kinds: () => scheme.allGroupVersions().flatMap((gv) => gv.kinds), log });
  } catch (e) {
    void kv.close();
    throw new Error(`--encryption-provider-config: ${(e as Error).message}`);
  }
}

export async function run(opts: ServerOptions, log: Logger = pino({ level: process.env.LOG_LEVEL ?? 'info' })): Promise<RunningServer> {
  mkdirSync(opts.dataDir, { recursive: true });
  const auditor = createAuditor(opts.audit, log); // a bad policy file stops start-up before anything is opened
  const kv = await openStore(opts, log);
  const scheme = new Scheme();
  addToScheme(scheme);
  const store = new ObjectStore(encryptedStore(kv, opts, scheme, log), { log });
  // One watch cache per resource, each fed by a single store watch; writes go through to the store.
  const caches = new CacherProvider(store, { capacity: opts.defaultWatchCacheSize, log });
  const compactor = startCompactor(kv, { intervalMs: opts.etcdCompactionIntervalSeconds * 1000, log });

  // Admission reads other objects through the kube API server's own stores (bound below, read only per request).
  const authorization = new Authorization({ ...opts.authorization, clusterRoleAggregation: opts.controllers.includes('clusterrole-aggregation-controller') }, log);
  // ResourceQuota admission and its controller share a per-namespace lock and the time of the last charge.
  const quotaAccounting = new QuotaAccounting();
  const admission = await buildAdmission({
    always: [authorization.admissionPlugin],
    enabled: opts.admissionPlugins,
    lookup: (g, v, r) => kube.store(g, v, r),
    log,
    options: { ...opts, authorizer: authorization.authorizer },
    register: (registry) => {
      registerPodSecurity(registry);
      registerResourceQuota(registry, { quotas: storeQuotaAccess((sub) => kube.store('', 'v1', 'resourcequotas', sub)), accounting: quotaAccounting });
      registerWebhookAdmission(registry, { scheme, store: (g, v, r) => kube.store(g, v, r), log, authorize: (a) => authorization.authorizer.authorize(a) });
    },
  });
  const serviceIPs = new ServiceIPAllocator(kv, opts.etcdPrefix, opts.serviceClusterIPRange);
  const kube: KubeAPIServer = new KubeAPIServer(scheme, caches, admission, { etcdPrefix: opts.etcdPrefix, eventTtlSeconds: opts.eventTtlSeconds, serviceIPs });

  let shuttingDown = false;
  const healthz = new HealthChecks();
  const livez = new HealthChecks();
  const readyz = new HealthChecks();
  const ping = async () => {};
  const storageCheck = storageHealthCheck(kv);
  for (const checks of [healthz, livez, readyz]) {
    checks.add('ping', ping);
    checks.add(storageCheck.name, storageCheck.check);
  }
  const repairServiceIPs = new ServiceIPRepair(serviceIPs, kube.store('', 'v1', 'services')!, log);
  const namespaceController = new NamespaceController({
    namespaces: kube.store('', 'v1', 'namespaces')!,
    finalize: kube.store('', 'v1', 'namespaces', 'finalize')!,
    namespacedStores: () => kube.namespacedStores(),
    log,
  });
  const policyStatus = policyStatusController((g, v, r, sub) => kube.store(g, v, r, sub), log);
  const hooks = new PostStartHooks(log);
  hooks.add('start-system-namespaces-controller', () => ensureSystemNamespaces(kube.store('', 'v1', 'namespaces')!));
  hooks.add('bootstrap-controller', () =>
    ensureKubernetesService(kube.store('', 'v1', 'services')!, kube.store('', 'v1', 'endpoints')!, {
      clusterIP: serviceIPs.apiServerIP,
      address: opts.bindAddress === '0.0.0.0' || opts.bindAddress === '::' ? '127.0.0.1' : opts.bindAddress,
      port: opts.securePort,
    }),
  );
  hooks.add('start-service-ip-repair-controllers', () => repairServiceIPs.start());
  hooks.add('start-namespace-controller', () => namespaceController.start());
  hooks.add('start-validating-admission-policy-status-controller', () => policyStatus.start());
  const builtInControllers = addControllerHooks(hooks, {
    kube,
    enabled: opts.controllers,
    caPem: () => certs.caCertPem,
    log,
    legacyTokenGenerator: () => tokenAuth.legacyTokenGenerator,
    resourceQuota: { accounting: quotaAccounting, resyncMs: opts.resourceQuotaSyncPeriodSeconds * 1000 },
  });
  authorization.start(kube, hooks);
  const flowControl = flowControlFor(opts, { kube, caches, hooks, log });
  hooks.reportTo(healthz, readyz);
  readyz.add('shutdown', async () => {
    if (shuttingDown) throw new Error('the server is shutting down');
  });

  const certs = opts.tlsCertFile
    ? { ...loadCertificates(opts.tlsCertFile, opts.tlsPrivateKeyFile!, opts.clientCaFile), adminCertPem: '', adminKeyPem: '' }
    : await ensureCertificates(opts.dataDir, { bindAddress: opts.bindAddress });
  const url = kubeconfigServerURL(opts.bindAddress, opts.securePort);
  const kubeconfigPath = join(opts.dataDir, 'admin.kubeconfig');
  if (certs.adminCertPem) {
    writeAdminKubeconfig(kubeconfigPath, { server: url, caCertPem: certs.caCertPem, clientCertPem: certs.adminCertPem, clientKeyPem: certs.adminKeyPem });
  }

  // Service-account tokens (and TokenRequest, issuer discovery), OIDC and webhook tokens; keys in the data dir by default.
  const tokenAuth = await setUpTokenAuthentication(opts.tokenAuth, { dataDir: opts.dataDir, externalAddress: new URL(url).host, kube, log });
  // Authentication reads Secrets (bootstrap tokens) from the watch cache of the kube API server's own store.
  const authentication = buildAuthenticator(opts, {
    log,
    tokenAuthenticators: tokenAuth.authenticators,
    apiAudiences: tokenAuth.apiAudiences,
    generatedClientCAFile: opts.tlsCertFile ? undefined : join(opts.dataDir, 'pki', 'ca.crt'),
    getSecret: async (namespace, name) => {
      try {
        return await kube.store('', 'v1', 'secrets')!.get(systemContext(namespace), name, { resourceVersion: '0' });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) return undefined;
        throw e;
      }
    },
  });
  registerAuthenticationREST(kube, authentication);
  const tls = servingTLS({ certPem: certs.certPem, keyPem: certs.keyPem, certFile: opts.tlsCertFile, keyFile: opts.tlsPrivateKeyFile, clientCAs: authentication.clientCAs, log });

  const app = buildApp({
    scheme,
    resolve: chain([new AggregatorServer(), kube, new APIExtensionsServer()]),
    health: { healthz, livez, readyz },
    authentication,
    authorizers: authorization.authorizers,
    maxInFlight: { readonly: opts.maxRequestsInflight, mutating: opts.maxMutatingRequestsInflight },
    flowControlFilter: flowControl?.filter,
    requestTimeoutSeconds: opts.requestTimeoutSeconds,
    serverAddress: `${opts.bindAddress}:${opts.securePort}`,
    serviceAccountIssuerDiscovery: tokenAuth.discovery,
    log,
    auditor,
  });

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: opts.securePort,
        hostname: opts.bindAddress,
        createServer,
        serverOptions: tls.serverOptions(),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  tls.attach(server as unknown as import('node:tls').Server);
  hooks.runAll();
  log.info({ url, kubeconfig: kubeconfigPath }, `serving on ${url}; kubectl --kubeconfig ${kubeconfigPath} get namespaces`);

  return {
    url,
    kubeconfigPath,
    async shutdown() {
      shuttingDown = true;
      if (opts.shutdownDelaySeconds > 0) await new Promise((r) => setTimeout(r, opts.shutdownDelaySeconds * 1000));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Watches never end on their own: drop idle and long-running connections once new ones stop.
        const s = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        s.closeIdleConnections?.();
        setTimeout(() => s.closeAllConnections?.(), Math.min(opts.requestTimeoutSeconds, 5) * 1000).unref();
      });
      await auditor?.shutdown(); // events of the requests just drained
      tls.close();
      authentication.close();
      tokenAuth.close();
      namespaceController.stop();
      policyStatus.stop();
      builtInControllers.stop();
      authorization.stop();
      flowControl?.stop();
      repairServiceIPs.stop();
      compactor.stop();
      caches.stop();
      await kv.close();
    },
  };
}
