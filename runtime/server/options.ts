/**
 * Command-line options, with kube-apiserver's flag names and defaults where the flag exists upstream. The serving
 * and storage flags are here; every other group of flags lives beside the code it configures (`add<Group>Flags`
 * and `<group>Options`), and this file puts them together. All problems are reported together, and positional
 * arguments are refused, as upstream does.
 */
import { Command } from 'commander';
import { isIP } from 'node:net';
import { IPv4Range } from '../registry/core/service-ip-allocator.ts';
import { addServiceFlags, serviceOptions, type ServiceOptions } from '../registry/core/service-options.ts';
import { addAuditFlags, auditOptions, type AuditOptions } from '../audit/options.ts';
import { addAuthenticationFlags, authenticationOptions, type AuthenticationOptions } from '../auth/authentication/options.ts';
import { addTokenAuthenticationFlags, tokenAuthenticationOptions, type TokenAuthenticationOptions } from '../auth/authentication/token-options.ts';
import { addAdmissionFlags, admissionOptions, type AdmissionOptions } from '../admission/options.ts';
import { addControllerFlags, controllerOptions, type ControllerOptions } from '../controllers/options.ts';
import { addAuthorizationFlags, authorizationOptions, type AuthorizationOptions } from '../auth/authorization/options.ts';
import { addEncryptionFlags, encryptionOptions, type EncryptionOptions } from '../storage/encryption/options.ts';
import { bool, int, parseDuration } from './flag-parsers.ts';
import { jsonMediaType, protobufMediaType, storageMediaTypes, validateStorageMediaType } from '../storage/codec.ts';
import { addAggregatorFlags, aggregatorOptions, type AggregatorOptions } from '../aggregator/options.ts';
import { addAPIEnablementFlags, validateRuntimeConfig, type RuntimeConfig } from './api-enablement.ts';
import { addObservabilityFlags, observabilityOptions, type ObservabilityOptions } from './observability-options.ts';
import { addFlowControlFlags, flowControlOptions, type FlowControlOptions } from '../flowcontrol/options.ts';
import { addVersionFlags, versionOptions, type EffectiveVersion } from './version-options.ts';

import { endpointReconcilerTypes, type EndpointReconcilerType } from '../controlplane/kubernetes-endpoints.ts';

export { parseDuration };

/** Where and how the server listens and stores. */
export interface ServingOptions {
  securePort: number;
  bindAddress: string;
  /** Empty: the embedded SQLite store. */
  etcdServers: string[];
  etcdPrefix: string;
  /** `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`: TLS to etcd (https endpoints), as kube-apiserver's. */
  etcdCaFile?: string;
  etcdCertFile?: string;
  etcdKeyFile?: string;
  /**
   * `--storage-media-type`: how built-in kinds are written (runtime/storage/codec.ts). Default: protobuf on etcd, as
   * kube-apiserver; JSON on the embedded store, which only kube-ts reads and where JSON is faster.
   */
  storageMediaType: string;
  dataDir: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  etcdCompactionIntervalSeconds: number;
  eventTtlSeconds: number;
  defaultWatchCacheSize: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  requestTimeoutSeconds: number;
  shutdownDelaySeconds: number;
  serviceClusterIPRange: string;
  /**
   * --advertise-address as given: the address the `kubernetes` Service's Endpoints name for this server. Unset (or
   * unspecified, as upstream reads 0.0.0.0 and ::), it is chosen at start-up (runtime/server/advertise-address.ts).
   */
  advertiseAddress?: string;
  /** How those Endpoints are kept (controlplane/kubernetes-endpoints.ts): `lease` (every live replica) or `none`. */
  endpointReconcilerType: EndpointReconcilerType;
  /** `--workers`: serving processes on the port (server/workers.ts), on etcd or sharing the SQLite file. */
  workers: number;
  /** `--allow-privileged`: pods and pod templates may have privileged (and Windows hostProcess) containers. */
  allowPrivileged: boolean;
}

export type ServerOptions = ServingOptions &
  AuthenticationOptions &
  AdmissionOptions &
  ControllerOptions &
  EncryptionOptions &
  ServiceOptions & {
    /** Service-account tokens, OIDC and webhook token authentication (runtime/auth/authentication/token-options.ts). */
    tokenAuth: TokenAuthenticationOptions;
    /** The --audit-* flags. */
    audit: AuditOptions;
    authorization: AuthorizationOptions;
    /** `--runtime-config`: group versions turned on or off (runtime/server/api-enablement.ts). */
    runtimeConfig: RuntimeConfig;
    /** The aggregator's flags (runtime/aggregator/options.ts). */
    aggregator: AggregatorOptions;
    /** Logging (`-v`), health check timeouts and graceful shutdown (runtime/server/observability-options.ts). */
    observability: ObservabilityOptions;
    /** API Priority and Fairness (runtime/flowcontrol). */
    flowControl: FlowControlOptions;
    /** `--emulated-version` and the compatibility version that follows from it (runtime/server/version-options.ts). */
    version: EffectiveVersion;
  };

export function parseOptions(argv: string[]): ServerOptions {
  const program = new Command('kube-ts')
    .description('A Kubernetes-compatible API server')
    .allowExcessArguments(false)
    .showHelpAfterError()
    .option('--secure-port <port>', 'port to serve HTTPS on', int, 6443)
    .option('--bind-address <ip>', 'IP address to listen on (0.0.0.0 or :: for all interfaces)', '127.0.0.1')
    .option('--advertise-address <ip>', 'IP address other members of the cluster reach this server at, listed in the kubernetes Service\'s Endpoints (default: --bind-address, or when that is unspecified or loopback the address of the interface holding the default route)')
    .option('--endpoint-reconciler-type <type>', `how the kubernetes Service's Endpoints are kept: ${endpointReconcilerTypes.join(', ')} (lease: every API server that is up)`, 'lease')
    .option('--etcd-servers <urls>', 'comma-separated etcd endpoints; when empty, the embedded SQLite store is used', '')
    .option('--etcd-prefix <prefix>', 'key prefix of every object in the store', '/registry')
    .option('--etcd-cafile <file>', 'CA bundle (PEM) that signs the etcd members\' serving certificates (https endpoints; default: the system\'s roots)')
    .option('--etcd-certfile <file>', 'client certificate (PEM) presented to etcd')
    .option('--etcd-keyfile <file>', 'key of --etcd-certfile (PEM)')
    .option('--storage-media-type <type>', `media type objects are stored in: ${storageMediaTypes.join(', ')} (default: ${protobufMediaType} with etcd, ${jsonMediaType} on the embedded store)`)
    .option('--data-dir <dir>', 'directory for the SQLite store, certificates and the admin kubeconfig', './.data')
    .option('--tls-cert-file <file>', 'serving certificate (PEM); generated in the data dir when not given')
    .option('--tls-private-key-file <file>', 'key of the serving certificate (PEM)')
    .option('--etcd-compaction-interval <duration>', 'how often the store history is compacted (0 turns it off)', parseDuration, 300)
    .option('--event-ttl <duration>', 'how long Events are kept', parseDuration, 3600)
    .option('--default-watch-cache-size <n>', 'events kept per resource in the watch cache', int, 100)
    .option('--max-requests-inflight <n>', 'concurrent non-mutating requests allowed (0: no limit)', int, 400)
    .option('--max-mutating-requests-inflight <n>', 'concurrent mutating requests allowed (0: no limit)', int, 200)
    .option('--request-timeout <duration>', 'longest a non-watch request may run', parseDuration, 60)
    .option('--shutdown-delay-duration <duration>', 'time between readyz turning red and the listener closing', parseDuration, 0)
    .option('--allow-privileged [bool]', 'if true, allow privileged containers (and Windows hostProcess containers) in pods and pod templates', bool, false)
    .option('--workers <n>', 'serving processes sharing the port, each a replica with its own watch cache, on etcd or the embedded store', int, 1)
    .option('--service-cluster-ip-range <cidr>', 'IPv4 range Service cluster IPs come from; the first is the kubernetes Service', '10.0.0.0/24')
    .exitOverride();
  // Each group of flags lives beside the code it configures.
  addAuthenticationFlags(program);
  addAdmissionFlags(program);
  addControllerFlags(program);
  addEncryptionFlags(program);
  addAuditFlags(program, { int, duration: parseDuration });
  addTokenAuthenticationFlags(program, parseDuration);
  addAuthorizationFlags(program, { duration: parseDuration });
  addAPIEnablementFlags(program);
  addAggregatorFlags(program, { bool });
  addObservabilityFlags(program, { duration: parseDuration });
  addFlowControlFlags(program);
  addServiceFlags(program);
  addVersionFlags(program);
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  const errors: string[] = [];
  if (o.securePort < 1 || o.securePort > 65535) errors.push(`--secure-port ${o.securePort} must be between 1 and 65535`);
  if (!isIP(o.bindAddress)) errors.push(`--bind-address "${o.bindAddress}" is not an IP address`);
  if (o.advertiseAddress !== undefined && !isIP(o.advertiseAddress)) errors.push(`--advertise-address "${o.advertiseAddress}" is not an IP address`);
  if (!(endpointReconcilerTypes as readonly string[]).includes(o.endpointReconcilerType)) errors.push(`--endpoint-reconciler-type "${o.endpointReconcilerType}" is not one of ${endpointReconcilerTypes.join(', ')}`);
  if (Boolean(o.tlsCertFile) !== Boolean(o.tlsPrivateKeyFile)) errors.push('--tls-cert-file and --tls-private-key-file must be given together');
  if (!o.etcdPrefix.startsWith('/')) errors.push(`--etcd-prefix "${o.etcdPrefix}" must start with /`);
  const etcdServers = (o.etcdServers as string).split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of etcdServers) if (!/^https?:\/\/[^/]+$/.test(s)) errors.push(`--etcd-servers entry "${s}" must look like http://127.0.0.1:2379`);
  if (Boolean(o.etcdCertfile) !== Boolean(o.etcdKeyfile)) errors.push('--etcd-certfile and --etcd-keyfile must be given together');
  if ((o.etcdCafile || o.etcdCertfile) && !etcdServers.some((s) => s.startsWith('https://'))) errors.push('--etcd-cafile and --etcd-certfile are for https --etcd-servers');
  if (!(o.workers >= 1)) errors.push(`--workers ${o.workers} must be at least 1`);
  const mediaTypeError = o.storageMediaType === undefined ? undefined : validateStorageMediaType(o.storageMediaType);
  if (mediaTypeError) errors.push(mediaTypeError);
  try {
    new IPv4Range(o.serviceClusterIpRange);
  } catch (e) {
    errors.push(`--service-cluster-ip-range: ${(e as Error).message}`);
  }
  const groups = {
    ...authenticationOptions(o),
    ...admissionOptions(o, errors),
    ...controllerOptions(o, errors),
    ...encryptionOptions(o, errors),
    tokenAuth: tokenAuthenticationOptions(o, errors),
    audit: auditOptions(o, errors),
    authorization: authorizationOptions(o, errors),
    runtimeConfig: validateRuntimeConfig(o.runtimeConfig, errors),
    aggregator: aggregatorOptions(o, errors),
    observability: observabilityOptions(o, errors),
    ...flowControlOptions(o),
    ...serviceOptions(o, errors),
    version: versionOptions(o, errors),
  };
  if (errors.length) throw new Error(`invalid options:\n  ${errors.join('\n  ')}`);
  return {
    securePort: o.securePort,
    bindAddress: o.bindAddress,
    etcdServers,
    etcdPrefix: o.etcdPrefix.replace(/\/+$/, ''),
    etcdCaFile: o.etcdCafile,
    etcdCertFile: o.etcdCertfile,
    etcdKeyFile: o.etcdKeyfile,
    storageMediaType: o.storageMediaType ?? (etcdServers.length ? protobufMediaType : jsonMediaType),
    dataDir: o.dataDir,
    tlsCertFile: o.tlsCertFile,
    tlsPrivateKeyFile: o.tlsPrivateKeyFile,
    etcdCompactionIntervalSeconds: o.etcdCompactionInterval,
    eventTtlSeconds: o.eventTtl,
    defaultWatchCacheSize: o.defaultWatchCacheSize,
    maxRequestsInflight: o.maxRequestsInflight,
    maxMutatingRequestsInflight: o.maxMutatingRequestsInflight,
    requestTimeoutSeconds: o.requestTimeout,
    shutdownDelaySeconds: o.shutdownDelayDuration,
    serviceClusterIPRange: o.serviceClusterIpRange,
    advertiseAddress: o.advertiseAddress,
    endpointReconcilerType: o.endpointReconcilerType,
    workers: o.workers,
    allowPrivileged: o.allowPrivileged === true,
    ...groups,
  };
}
