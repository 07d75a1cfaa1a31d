/**
 * The aggregator's flags, upstream's names: the client certificate it presents to aggregated API servers, and
 * whether it routes to a Service's endpoints rather than its cluster IP (kube-ts has no cluster network, so it
 * always routes to endpoints; the flag is accepted for compatibility).
 */
import type { Command } from 'commander';

export interface AggregatorOptions {
  /** `--proxy-client-cert-file`; absent: a front-proxy client certificate is generated in the data dir. */
  proxyClientCertFile?: string;
  proxyClientKeyFile?: string;
  enableAggregatorRouting: boolean;
}

export function addAggregatorFlags(program: Command, parse: { bool: (text: string) => boolean }): void {
  program
    .option('--proxy-client-cert-file <file>', 'client certificate (PEM) the aggregator presents to aggregated API servers; generated with a front-proxy CA in the data dir when not given')
    .option('--proxy-client-key-file <file>', 'key of --proxy-client-cert-file (PEM)')
    .option('--enable-aggregator-routing [bool]', 'route aggregated requests to Service endpoints instead of cluster IPs (always the case in kube-ts, which has no cluster network)', parse.bool, false);
}

export function aggregatorOptions(o: Record<string, unknown>, errors: string[]): AggregatorOptions {
  const cert = o.proxyClientCertFile as string | undefined;
  const key = o.proxyClientKeyFile as string | undefined;
  if (Boolean(cert) !== Boolean(key)) errors.push('--proxy-client-cert-file and --proxy-client-key-file must be given together');
  return { proxyClientCertFile: cert, proxyClientKeyFile: key, enableAggregatorRouting: o.enableAggregatorRouting === true || o.enableAggregatorRouting === 'true' };
}
