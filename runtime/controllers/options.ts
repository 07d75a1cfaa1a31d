/** The flags of the controllers the server runs itself, with kube-controller-manager's names. */
import type { Command } from 'commander';
import { bool, list, parseDuration, type ParsedFlags } from '../server/flag-parsers.ts';
import type { LeaderElectionConfig } from './leader-election.ts';
import { enabledControllers, knownControllers } from './index.ts';
import { addGarbageCollectorFlags, controllerName as garbageCollector, garbageCollectorFlags, type GarbageCollectorFlags } from './garbagecollector/options.ts';

export interface ControllerOptions {
  /** In-process controllers that are on (runtime/controllers/index.ts). */
  controllers: string[];
  /** Seconds between full recounts of every quota (kube-controller-manager's --resource-quota-sync-period). */
  resourceQuotaSyncPeriodSeconds: number;
  /** The CA and longest lifetime of certificates the CSR signing controller issues (runtime/controllers/csrsigning). */
  clusterSigning: { certFile?: string; keyFile?: string; durationSeconds: number };
  /** Only the holder of a Lease runs the controllers when several servers share a store. */
  leaderElection: LeaderElectionConfig;
  /** --enable-garbage-collector and --concurrent-gc-syncs (runtime/controllers/garbagecollector). */
  garbageCollector: GarbageCollectorFlags;
}

export function addControllerFlags(program: Command): Command {
  const names = [...new Set(Object.values(knownControllers))].join(', ');
  addGarbageCollectorFlags(program);
  return program
    .option('--controllers <names>', `in-process controllers: * (the default ones), name to add, -name to remove (${names})`, list, [])
    .option('--resource-quota-sync-period <duration>', 'how often every ResourceQuota is recounted in full (0: only on changes)', parseDuration, 300)
    // CertificateSigningRequest signing (runtime/controllers/csrsigning), kube-controller-manager's flags.
    .option('--cluster-signing-cert-file <file>', 'CA certificate (PEM) that signs approved CSRs of the kubernetes.io signers (default: the data dir\'s pki/ca.crt)')
    .option('--cluster-signing-key-file <file>', 'key (PEM) of --cluster-signing-cert-file (default: the data dir\'s pki/ca.key)')
    .option('--cluster-signing-duration <duration>', 'longest lifetime of a signed certificate; CSRs may ask for less with spec.expirationSeconds', parseDuration, 365 * 24 * 3600)
    // Leader election among servers sharing one store, kube-controller-manager's flags and defaults.
    .option('--leader-elect <bool>', 'run the controllers only in the server holding the leader Lease (false: in every server)', bool, true)
    .option('--leader-elect-lease-duration <duration>', 'how long others wait after the last renewal before taking the Lease over', parseDuration, 15)
    .option('--leader-elect-renew-deadline <duration>', 'how long the leader keeps trying to renew before it stops its controllers', parseDuration, 10)
    .option('--leader-elect-retry-period <duration>', 'time between attempts to acquire or renew the Lease', parseDuration, 2)
    .option('--leader-elect-resource-name <name>', 'name of the Lease', 'kube-ts-controllers')
    .option('--leader-elect-resource-namespace <namespace>', 'namespace of the Lease', 'kube-system');
}

export function controllerOptions(o: ParsedFlags, errors: string[]): ControllerOptions {
  const controllers = enabledControllers(o.controllers.length ? o.controllers : ['*']);
  errors.push(...controllers.errors);
  if (Boolean(o.clusterSigningCertFile) !== Boolean(o.clusterSigningKeyFile)) errors.push('--cluster-signing-cert-file and --cluster-signing-key-file must be given together');
  if (o.leaderElectRenewDeadline >= o.leaderElectLeaseDuration) errors.push('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  const garbageCollectorConfig = garbageCollectorFlags(o, errors);
  if (o.leaderElectRetryPeriod <= 0) errors.push('--leader-elect-retry-period must be greater than zero');
  return {
    controllers: garbageCollectorConfig.enabled ? controllers.names : controllers.names.filter((n) => n !== garbageCollector),
    garbageCollector: garbageCollectorConfig,
    resourceQuotaSyncPeriodSeconds: o.resourceQuotaSyncPeriod,
    clusterSigning: { certFile: o.clusterSigningCertFile, keyFile: o.clusterSigningKeyFile, durationSeconds: o.clusterSigningDuration },
    leaderElection: {
      enabled: o.leaderElect,
      leaseDurationSeconds: o.leaderElectLeaseDuration,
      renewDeadlineSeconds: o.leaderElectRenewDeadline,
      retryPeriodSeconds: o.leaderElectRetryPeriod,
      name: o.leaderElectResourceName,
      namespace: o.leaderElectResourceNamespace,
    },
  };
}
