/** The flags of the controllers the server runs itself, with kube-controller-manager's names. */
import type { Command } from 'commander';
import { list, parseDuration, type ParsedFlags } from '../server/flag-parsers.ts';
import { enabledControllers, knownControllers } from './index.ts';

export interface ControllerOptions {
  /** In-process controllers that are on (runtime/controllers/index.ts). */
  controllers: string[];
  /** Seconds between full recounts of every quota (kube-controller-manager's --resource-quota-sync-period). */
  resourceQuotaSyncPeriodSeconds: number;
  /** The CA and longest lifetime of certificates the CSR signing controller issues (runtime/controllers/csrsigning). */
  clusterSigning: { certFile?: string; keyFile?: string; durationSeconds: number };
}

export function addControllerFlags(program: Command): Command {
  const names = [...new Set(Object.values(knownControllers))].join(', ');
  return program
    .option('--controllers <names>', `in-process controllers: * (the default ones), name to add, -name to remove (${names})`, list, [])
    .option('--resource-quota-sync-period <duration>', 'how often every ResourceQuota is recounted in full (0: only on changes)', parseDuration, 300)
    // CertificateSigningRequest signing (runtime/controllers/csrsigning), kube-controller-manager's flags.
    .option('--cluster-signing-cert-file <file>', 'CA certificate (PEM) that signs approved CSRs of the kubernetes.io signers (default: the data dir\'s pki/ca.crt)')
    .option('--cluster-signing-key-file <file>', 'key (PEM) of --cluster-signing-cert-file (default: the data dir\'s pki/ca.key)')
    .option('--cluster-signing-duration <duration>', 'longest lifetime of a signed certificate; CSRs may ask for less with spec.expirationSeconds', parseDuration, 365 * 24 * 3600);
}

export function controllerOptions(o: ParsedFlags, errors: string[]): ControllerOptions {
  const controllers = enabledControllers(o.controllers.length ? o.controllers : ['*']);
  errors.push(...controllers.errors);
  if (Boolean(o.clusterSigningCertFile) !== Boolean(o.clusterSigningKeyFile)) errors.push('--cluster-signing-cert-file and --cluster-signing-key-file must be given together');
  return {
    controllers: controllers.names,
    resourceQuotaSyncPeriodSeconds: o.resourceQuotaSyncPeriod,
    clusterSigning: { certFile: o.clusterSigningCertFile, keyFile: o.clusterSigningKeyFile, durationSeconds: o.clusterSigningDuration },
  };
}
