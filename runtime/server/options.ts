/**
 * Command-line options, with kube-apiserver's flag names and defaults where the flag exists upstream. All
 * problems are reported together, and positional arguments are refused, as upstream does.
 */
import { Command, InvalidArgumentError } from 'commander';
import { isIP } from 'node:net';
import { IPv4Range } from '../registry/core/service-ip-allocator.ts';
import { enabledAdmissionPlugins } from '../admission/registry.ts';

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
  /** Admission plug-ins that are on, in upstream's order (defaults + --enable-admission-plugins - --disable-...). */
  admissionPlugins: string[];
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

/** A comma-separated list; repeating the flag adds to it. */
function list(text: string, previous: string[]): string[] {
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
    // Admission (runtime/admission/registry.ts): names and defaults are kube-apiserver v1.32's.
    .option('--enable-admission-plugins <names>', 'admission plugins to turn on besides the default ones (comma-separated; the order is always the built-in one)', list, [])
    .option('--disable-admission-plugins <names>', 'admission plugins to turn off, even default ones (comma-separated)', list, [])
    .exitOverride();
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
  const admission = enabledAdmissionPlugins(o.enableAdmissionPlugins, o.disableAdmissionPlugins);
  errors.push(...admission.errors);
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
    admissionPlugins: admission.names,
  };
}
