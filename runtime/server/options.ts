/**
 * Command-line options, with kube-apiserver's flag names and defaults where the flag exists upstream. All
 * problems are reported together, and positional arguments are refused, as upstream does.
 */
import { Command, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';
import { IPv4Range } from '../registry/core/service-ip-allocator.ts';
import { addAuditFlags, auditOptions, type AuditOptions } from '../audit/options.ts';
import { addTokenAuthenticationFlags, tokenAuthenticationOptions, type TokenAuthenticationOptions } from '../auth/authentication/token-options.ts';
import { enabledAdmissionPlugins } from '../admission/registry.ts';
import { enabledControllers } from '../controllers/index.ts';
import { addAuthorizationFlags, authorizationOptions, type AuthorizationOptions } from '../auth/authorization/options.ts';
import { addFlowControlFlags, flowControlOptions, type FlowControlOptions } from '../flowcontrol/options.ts';

export interface ServerOptions {
  securePort: number;
  bindAddress: string;
  /** Empty: the embedded SQLite store. */
  etcdServers: string[];
  etcdPrefix: string;
  dataDir: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCaFile?: string;
  etcdCompactionIntervalSeconds: number;
  eventTtlSeconds: number;
  defaultWatchCacheSize: number;
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  requestTimeoutSeconds: number;
  shutdownDelaySeconds: number;
  anonymousAuth: boolean;
  serviceClusterIPRange: string;
  // Authentication (runtime/auth/authentication), upstream's flags.
  tokenAuthFile?: string;
  enableBootstrapTokenAuth: boolean;
  requestheaderClientCaFile?: string;
  requestheaderAllowedNames: string[];
  requestheaderUsernameHeaders: string[];
  requestheaderGroupHeaders: string[];
  requestheaderExtraHeadersPrefix: string[];
  /** Service-account tokens, OIDC and webhook token authentication (runtime/auth/authentication/token-options.ts). */
  tokenAuth: TokenAuthenticationOptions;
  /** Admission plug-ins that are on, in upstream's order (defaults + --enable-admission-plugins - --disable-...). */
  admissionPlugins: string[];
  /** DefaultTolerationSeconds' tolerations for the not-ready and unreachable taints. */
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  /** In-process controllers that are on (runtime/controllers/index.ts). */
  controllers: string[];
  /** `--encryption-provider-config`: an EncryptionConfiguration file; absent: nothing is encrypted at rest. */
  encryptionProviderConfig?: string;
  /** `--encryption-provider-config-automatic-reload`: apply changes to that file without a restart. */
  encryptionProviderConfigAutomaticReload: boolean;
  /** The --audit-* flags. */
  audit: AuditOptions;
  authorization: AuthorizationOptions;
  /** Seconds between full recounts of every quota (kube-controller-manager's --resource-quota-sync-period). */
  resourceQuotaSyncPeriodSeconds: number;
  /** An AdmissionConfiguration file: configuration of admission plug-ins by name (runtime/admission/config.ts). */
  admissionControlConfigFile?: string;
  /** API Priority and Fairness (runtime/flowcontrol). */
  flowControl: FlowControlOptions;
}

/** Go-style durations as kube-apiserver takes them: `5m`, `1h`, `30s`, `1h30m`, `0`. */
export function parseDuration(text: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new InvalidArgumentError(`invalid duration "${text}" (examples: 30s, 5m, 1h)`);
  return total;
}

function int(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`"${text}" is not a non-negative integer`);
  return Number(text);
}

/** A string-slice flag as pflag reads it: comma-separated, and repeating the flag adds to the list. */
function list(text: string, previous: string[] = []): string[] {
  return [...previous, ...text.split(',').map((s) => s.trim()).filter(Boolean)];
}

function bool(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new InvalidArgumentError(`"${text}" is not true or false`);
  return text === 'true';
}

export function parseOptions(argv: string[]): ServerOptions {
  const program = new Command('kube-ts')
    .description('A Kubernetes-compatible API server')
    .allowExcessArguments(false)
    .showHelpAfterError()
    .option('--secure-port <port>', 'port to serve HTTPS on', int, 6443)
    .option('--bind-address <ip>', 'IP address to listen on (0.0.0.0 or :: for all interfaces)', '127.0.0.1')
    .option('--etcd-servers <urls>', 'comma-separated etcd endpoints; when empty, the embedded SQLite store is used', '')
    .option('--etcd-prefix <prefix>', 'key prefix of every object in the store', '/registry')
    .option('--data-dir <dir>', 'directory for the SQLite store, certificates and the admin kubeconfig', './.data')
    .option('--tls-cert-file <file>', 'serving certificate (PEM); generated in the data dir when not given')
    .option('--tls-private-key-file <file>', 'key of the serving certificate (PEM)')
    .option('--client-ca-file <file>', 'CA that signs client certificates (PEM)')
    .option('--etcd-compaction-interval <duration>', 'how often the store history is compacted (0 turns it off)', parseDuration, 300)
    .option('--event-ttl <duration>', 'how long Events are kept', parseDuration, 3600)
    .option('--default-watch-cache-size <n>', 'events kept per resource in the watch cache', int, 100)
    .option('--max-requests-inflight <n>', 'concurrent non-mutating requests allowed (0: no limit)', int, 400)
    .option('--max-mutating-requests-inflight <n>', 'concurrent mutating requests allowed (0: no limit)', int, 200)
    .option('--request-timeout <duration>', 'longest a non-watch request may run', parseDuration, 60)
    .option('--shutdown-delay-duration <duration>', 'time between readyz turning red and the listener closing', parseDuration, 0)
    .option('--service-cluster-ip-range <cidr>', 'IPv4 range Service cluster IPs come from; the first is the kubernetes Service', '10.0.0.0/24')
    .option('--anonymous-auth <bool>', 'whether unauthenticated requests are served as system:anonymous', bool, true)
    // Authentication
    .option('--token-auth-file <file>', 'CSV of static bearer tokens: token,user,uid,"group1,group2"')
    .option('--enable-bootstrap-token-auth [bool]', 'accept bootstrap tokens (Secrets of type bootstrap.kubernetes.io/token in kube-system)', bool, false)
    .option('--requestheader-client-ca-file <file>', 'CA that signs the front proxy client certificates allowed to assert users in request headers')
    .option('--requestheader-allowed-names <names>', 'client certificate CNs allowed to assert users in headers (empty: any signed by the CA)', list, [])
    .option('--requestheader-username-headers <headers>', 'request headers holding the user name, e.g. X-Remote-User', list, [])
    .option('--requestheader-group-headers <headers>', 'request headers holding the groups, e.g. X-Remote-Group', list, [])
    .option('--requestheader-extra-headers-prefix <prefixes>', 'request header prefixes of extra user attributes, e.g. X-Remote-Extra-', list, [])
    // Admission (runtime/admission/registry.ts): names and defaults are kube-apiserver v1.32's.
    .option('--enable-admission-plugins <names>', 'admission plugins to turn on besides the default ones (comma-separated; the order is always the built-in one)', list, [])
    .option('--disable-admission-plugins <names>', 'admission plugins to turn off, even default ones (comma-separated)', list, [])
    .option('--default-not-ready-toleration-seconds <n>', 'tolerationSeconds of the not-ready:NoExecute toleration DefaultTolerationSeconds adds', int, 300)
    .option('--default-unreachable-toleration-seconds <n>', 'tolerationSeconds of the unreachable:NoExecute toleration DefaultTolerationSeconds adds', int, 300)
    .option('--controllers <names>', 'in-process controllers: * (the default ones), name to add, -name to remove (serviceaccount-controller, root-ca-certificate-publisher-controller, serviceaccount-token-controller, resourcequota-controller, clusterrole-aggregation-controller)', list, [])
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration file: how resources are encrypted at rest')
    .option('--encryption-provider-config-automatic-reload <bool>', 'apply changes to the encryption provider config without a restart', bool, false)
    // ResourceQuota usage (runtime/controllers/resourcequota, controller resourcequota-controller).
    .option('--resource-quota-sync-period <duration>', 'how often every ResourceQuota is recounted in full (0: only on changes)', parseDuration, 300)
    .option('--admission-control-config-file <file>', 'AdmissionConfiguration file with the configuration of admission plug-ins (PodSecurity defaults and exemptions)')
    .exitOverride();
  addAuditFlags(program, { int, duration: parseDuration });
  addTokenAuthenticationFlags(program, parseDuration);
  addAuthorizationFlags(program, { duration: parseDuration });
  addFlowControlFlags(program, { bool });
  program.parse(argv, { from: 'user' });
  const o = program.opts();
  const errors: string[] = [];
  if (o.securePort < 1 || o.securePort > 65535) errors.push(`--secure-port ${o.securePort} must be between 1 and 65535`);
  if (!isIP(o.bindAddress)) errors.push(`--bind-address "${o.bindAddress}" is not an IP address`);
  if (Boolean(o.tlsCertFile) !== Boolean(o.tlsPrivateKeyFile)) errors.push('--tls-cert-file and --tls-private-key-file must be given together');
  if (!o.etcdPrefix.startsWith('/')) errors.push(`--etcd-prefix "${o.etcdPrefix}" must start with /`);
  const etcdServers = (o.etcdServers as string).split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of etcdServers) if (!/^https?:\/\/[^/]+$/.test(s)) errors.push(`--etcd-servers entry "${s}" must look like http://127.0.0.1:2379`);
  try {
    new IPv4Range(o.serviceClusterIpRange);
  } catch (e) {
    errors.push(`--service-cluster-ip-range: ${(e as Error).message}`);
  }
  if (o.encryptionProviderConfigAutomaticReload && !o.encryptionProviderConfig) errors.push('--encryption-provider-config-automatic-reload must be set with --encryption-provider-config');
  const audit = auditOptions(o, errors);
  const tokenAuth = tokenAuthenticationOptions(o, errors);
  const admission = enabledAdmissionPlugins(o.enableAdmissionPlugins, o.disableAdmissionPlugins);
  errors.push(...admission.errors);
  const controllers = enabledControllers(o.controllers.length ? o.controllers : ['*']);
  errors.push(...controllers.errors);
  const authorization = authorizationOptions(o, errors);
  if (errors.length) throw new Error(`invalid options:\n  ${errors.join('\n  ')}`);
  return {
    securePort: o.securePort,
    bindAddress: o.bindAddress,
    etcdServers,
    etcdPrefix: o.etcdPrefix.replace(/\/+$/, ''),
    dataDir: o.dataDir,
    tlsCertFile: o.tlsCertFile,
    tlsPrivateKeyFile: o.tlsPrivateKeyFile,
    clientCaFile: o.clientCaFile,
    etcdCompactionIntervalSeconds: o.etcdCompactionInterval,
    eventTtlSeconds: o.eventTtl,
    defaultWatchCacheSize: o.defaultWatchCacheSize,
    maxRequestsInflight: o.maxRequestsInflight,
    maxMutatingRequestsInflight: o.maxMutatingRequestsInflight,
    requestTimeoutSeconds: o.requestTimeout,
    shutdownDelaySeconds: o.shutdownDelayDuration,
    anonymousAuth: o.anonymousAuth,
    serviceClusterIPRange: o.serviceClusterIpRange,
    tokenAuthFile: o.tokenAuthFile,
    enableBootstrapTokenAuth: o.enableBootstrapTokenAuth === true,
    requestheaderClientCaFile: o.requestheaderClientCaFile,
    requestheaderAllowedNames: o.requestheaderAllowedNames,
    requestheaderUsernameHeaders: o.requestheaderUsernameHeaders,
    requestheaderGroupHeaders: o.requestheaderGroupHeaders,
    requestheaderExtraHeadersPrefix: o.requestheaderExtraHeadersPrefix,
    tokenAuth,
    admissionPlugins: admission.names,
    defaultNotReadyTolerationSeconds: o.defaultNotReadyTolerationSeconds,
    defaultUnreachableTolerationSeconds: o.defaultUnreachableTolerationSeconds,
    controllers: controllers.names,
    encryptionProviderConfig: o.encryptionProviderConfig,
    encryptionProviderConfigAutomaticReload: o.encryptionProviderConfigAutomaticReload,
    audit,
    authorization,
    resourceQuotaSyncPeriodSeconds: o.resourceQuotaSyncPeriod,
    admissionControlConfigFile: o.admissionControlConfigFile,
    flowControl: flowControlOptions(o),
  };
}
