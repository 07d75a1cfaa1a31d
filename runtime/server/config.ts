/**
 * Start-up step 2, as upstream's `Config` -> `Complete()`: turns validated options into the things every server of
 * the chain shares — the store (SQLite by default, etcd with --etcd-servers, encrypted at rest when configured),
 * the Scheme, the watch caches, the audit backend, the certificates and the admin kubeconfig. Nothing serves yet.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { addToScheme } from '../../generated/index.ts';
import { createAuditor, type Auditor } from '../audit/index.ts';
import { Scheme, parseApiVersion } from '../machinery/scheme.ts';
import { CacherProvider } from '../storage/cacher/cacher.ts';
import { startCompactor } from '../storage/compactor.ts';
import { withEncryptionAtRest } from '../storage/encryption/index.ts';
import type { KV } from '../storage/kv.ts';
import type { EtcdTLS } from '../storage/etcd/kv.ts';
import { SqliteKV } from '../storage/sqlite/kv.ts';
import { ObjectStore } from '../storage/store.ts';
import { newStorageCodec, type StorageCodec } from '../storage/codec.ts';
import { rawJsonFieldsOf } from './raw-json-fields.ts';
import { jsonOnlyGroups } from '../storage/resource-prefixes.ts';
import { hasInt64Form } from '../machinery/json-int64.ts';
import { countObjectsInCaches, instrumentStore } from './observability-setup.ts';
import { ensureCertificates, loadCertificates, type GeneratedCertificates } from './certs.ts';
import { kubeconfigServerURL, writeAdminKubeconfig } from './kubeconfig.ts';
import { Lifecycle } from './lifecycle.ts';
import type { ServerOptions } from './options.ts';
import { announceStoreCommit, onStoreCommit } from './workers.ts';
import { chooseAdvertiseAddress, readHostNetwork } from './advertise-address.ts';
import { IPv4Range } from '../registry/core/service-ip-allocator.ts';
import { applyRuntimeConfig } from './api-enablement.ts';
import { useScheme } from '../fieldmanager/index.ts';
import { useCompatibilityVersion } from '../cel/index.ts';
import { useEmulationVersion } from '../endpoints/openapi.ts';

export interface CompletedConfig {
  options: ServerOptions;
  log: Logger;
  /** The raw store: health checks and the Service IP allocator use it directly. */
  kv: KV;
  scheme: Scheme;
  /** One watch cache per resource, each fed by a single store watch; writes go through to the store. */
  caches: CacherProvider;
  /** The store under the caches (encrypted, instrumented), for keys no resource serves (the masterleases). */
  store: ObjectStore;
  /** Audits requests (--audit-policy-file with a backend); absent: nothing is audited. */
  auditor?: Auditor;
  /** Serving and client-CA material; the admin pair is empty with --tls-cert-file (no kubeconfig is written). */
  certs: GeneratedCertificates;
  /** The address the `kubernetes` Service's Endpoints name for this server (--advertise-address, or chosen). */
  advertiseAddress: string;
  /** The URL clients use, as written into the admin kubeconfig. */
  url: string;
  kubeconfigPath: string;
  /** What must be stopped at shutdown, in reverse order of start. */
  lifecycle: Lifecycle;
}

async function openStore(opts: ServerOptions, log: Logger): Promise<KV> {
  if (opts.etcdServers.length) {
    log.info({ endpoints: opts.etcdServers }, 'using etcd');
    // Loaded only for etcd: the gRPC client and its protocol definitions cost a tenth of a second at start-up.
    const { EtcdKV } = await import('../storage/etcd/kv.ts');
    return EtcdKV.open({ endpoints: opts.etcdServers, tls: etcdTLS(opts) });
  }
  const path = join(opts.dataDir, 'kube-ts.db');
  log.info({ path }, 'using the embedded SQLite store');
  if (opts.workers === 1) return SqliteKV.open(path);
  // --workers: every worker opens the file; each commit is relayed so the others publish it at once.
  const kv = await SqliteKV.open(path, { shared: true, onCommit: announceStoreCommit });
  onStoreCommit(() => kv.refresh());
  return kv;
}

/** The PEM files of --etcd-cafile, --etcd-certfile and --etcd-keyfile; one that cannot be read stops start-up. */
function etcdTLS(opts: ServerOptions): EtcdTLS | undefined {
  if (!opts.etcdCaFile && !opts.etcdCertFile) return undefined;
  const read = (flag: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      return readFileSync(file);
    } catch (e) {
      throw new Error(`${flag}: ${(e as Error).message}`);
    }
  };
  return { ca: read('--etcd-cafile', opts.etcdCaFile), cert: read('--etcd-certfile', opts.etcdCertFile), key: read('--etcd-keyfile', opts.etcdKeyFile) };
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

/**
 * `--storage-media-type` for the kinds compiled in; custom resources have no protobuf form, and the apiextensions
 * and aggregator groups are stored as JSON whatever the flag says, as upstream's servers of those groups do.
 */
function storageCodec(mediaType: string, scheme: Scheme, etcd: boolean): StorageCodec {
  return newStorageCodec({
    mediaType,
    protobuf: scheme.protobuf,
    protobufFor: (apiVersion, kind) => {
      const gv = parseApiVersion(apiVersion);
      const k = scheme.kindFor(gv.group, gv.version, kind);
      return k !== undefined && k.builtIn && k.protobuf && !jsonOnlyGroups.has(gv.group);
    },
    defaultDecoded: (obj) => {
      const gv = parseApiVersion(String(obj.apiVersion));
      scheme.kindFor(gv.group, gv.version, String(obj.kind))?.default(obj);
    },
    rawJsonFields: rawJsonFieldsOf(scheme),
    // Custom resources are unstructured upstream: their int64s stay exact, as a CRD's schema values do. (A CRD or
    // APIService is built in, whether or not the scheme holds its group.)
    exactIntegers: (apiVersion, kind) => {
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
      if (hasInt64Form(apiVersion, kind)) return true;
      const gv = parseApiVersion(apiVersion);
      return !jsonOnlyGroups.has(gv.group) && scheme.kindFor(gv.group, gv.version, kind)?.builtIn !== true;
    },
    // etcd's values may be read and written by kube-apiserver too; only kube-ts reads the embedded store.
    compactRawJson: etcd,
  });
}

/**
 * The generated certificates, or those of --tls-cert-file; the admin kubeconfig is written only for generated ones.
 * A generated serving certificate also names the advertised address and the kubernetes Service's cluster IP, as
 * kube-apiserver's self-signed one does (MaybeDefaultWithSelfSignedCerts with the public address and the service
 * IP), so that clients reaching the server through its Endpoints or Service verify it.
 */
async function servingCertificates(opts: ServerOptions, advertiseAddress: string): Promise<GeneratedCertificates> {
  return opts.tlsCertFile
    ? { ...loadCertificates(opts.tlsCertFile, opts.tlsPrivateKeyFile!, opts.clientCaFile), adminCertPem: '', adminKeyPem: '' }
    : ensureCertificates(opts.dataDir, { bindAddress: opts.bindAddress, extraSANs: [advertiseAddress, new IPv4Range(opts.serviceClusterIPRange).ip(0)] });
}

export async function completeConfig(options: ServerOptions, log: Logger): Promise<CompletedConfig> {
  mkdirSync(options.dataDir, { recursive: true });
  const auditor = createAuditor(options.audit, log); // a bad policy file stops start-up before anything is opened
  const lifecycle = new Lifecycle(log);
  const kv = await openStore(options, log);
  lifecycle.onStop('store', () => kv.close());
  const scheme = new Scheme();
  addToScheme(scheme);
  useScheme(scheme); // field management reads each kind's structure from the published schemas
  // CEL expressions written from now on may use the libraries of the effective version's compatibility version.
  useCompatibilityVersion(options.version.minCompatibility.minor);
  useEmulationVersion(options.version.emulation); // the OpenAPI documents' info.version
  // --runtime-config: group versions that are off leave the Scheme before any server is built (RBAC needs its own).
  applyRuntimeConfig(scheme, options.runtimeConfig, options.authorization.modes.includes('RBAC') ? [{ group: 'rbac.authorization.k8s.io', version: 'v1' }] : []);
  const codec = storageCodec(options.storageMediaType, scheme, options.etcdServers.length > 0);
  const store = new ObjectStore(encryptedStore(instrumentStore(kv, options.etcdPrefix, scheme), options, scheme, log), { log, codec });
  const caches = new CacherProvider(store, { capacity: options.defaultWatchCacheSize, log });
  countObjectsInCaches(caches, options.etcdPrefix, scheme);
  lifecycle.onStop('watch-caches', () => caches.stop());
  const compactor = startCompactor(kv, { intervalMs: options.etcdCompactionIntervalSeconds * 1000, log });
  lifecycle.onStop('compactor', () => compactor.stop());

  const advertised = chooseAdvertiseAddress(options, readHostNetwork);
  if (advertised.warning) log.warn({ advertiseAddress: advertised.address }, advertised.warning);
  const certs = await servingCertificates(options, advertised.address);
  const url = kubeconfigServerURL(options.bindAddress, options.securePort);
  const kubeconfigPath = join(options.dataDir, 'admin.kubeconfig');
  if (certs.adminCertPem) {
    writeAdminKubeconfig(kubeconfigPath, { server: url, caCertPem: certs.caCertPem, clientCertPem: certs.adminCertPem, clientKeyPem: certs.adminKeyPem });
  }
  return { options, log, kv, scheme, caches, store, auditor, certs, advertiseAddress: advertised.address, url, kubeconfigPath, lifecycle };
}
