/** The authorization flags of kube-apiserver, validated together. */
import type { Command } from 'commander';


export interface AuthorizationOptions {
  /** In order: AlwaysAllow, AlwaysDeny, RBAC, Node, Webhook. */
  modes: string[];
  webhookConfigFile?: string;
  webhookVersion: string;
  webhookCacheAuthorizedTTLSeconds: number;
  webhookCacheUnauthorizedTTLSeconds: number;
  webhookTimeoutSeconds: number;
  /** Runs the ClusterRole aggregation controller in this process (from --controllers, set by server-chain.ts). */
  clusterRoleAggregation?: boolean;
}

export const authorizationModes = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];

/** Adds the flags to `program`; `duration` and `bool` are the parsers the rest of the options use. */
export function addAuthorizationFlags(program: Command, parsers: { duration: (s: string) => number }): Command {
  return program
    .option('--authorization-mode <modes>', 'ordered comma-separated authorizers: AlwaysAllow, AlwaysDeny, RBAC, Node, Webhook', 'Node,RBAC')
    .option('--authorization-webhook-config-file <file>', 'kubeconfig of the remote authorization service (mode Webhook)')
    .option('--authorization-webhook-version <version>', 'authorization.k8s.io version of the SubjectAccessReview sent to the webhook', 'v1')
    .option('--authorization-webhook-cache-authorized-ttl <duration>', 'how long an allowed webhook answer is cached', parsers.duration, 300)
    .option('--authorization-webhook-cache-unauthorized-ttl <duration>', 'how long a not-allowed webhook answer is cached', parsers.duration, 30)
    .option('--authorization-webhook-timeout <duration>', 'per-request timeout of the webhook (kube-ts; upstream sets it in --authorization-config)', parsers.duration, 30);
}

/** Reads the parsed flags; problems are appended to `errors`. */
export function authorizationOptions(o: Record<string, any>, errors: string[]): AuthorizationOptions { // eslint-disable-line @typescript-eslint/no-explicit-any
  const modes = String(o.authorizationMode).split(',').map((m) => m.trim()).filter(Boolean);
  if (!modes.length) errors.push('--authorization-mode: at least one authorization mode must be passed');
  const seen = new Set<string>();
  for (const m of modes) {
    if (!authorizationModes.includes(m)) errors.push(`--authorization-mode: authorization-mode "${m}" is not a valid mode`);
    else if (m === 'ABAC') errors.push('--authorization-mode: ABAC is not supported by kube-ts');
    if (seen.has(m)) errors.push(`--authorization-mode: "${m}" is specified more than once`);
    seen.add(m);
  }
  if (modes.includes('Webhook') && !o.authorizationWebhookConfigFile) errors.push('--authorization-webhook-config-file: authorization-mode Webhook\'s authorization config file not passed');
  if (!modes.includes('Webhook') && o.authorizationWebhookConfigFile) errors.push('--authorization-webhook-config-file: cannot specify --authorization-webhook-config-file without mode Webhook');
  if (!['v1', 'v1beta1'].includes(o.authorizationWebhookVersion)) errors.push(`--authorization-webhook-version: "${o.authorizationWebhookVersion}" must be v1 or v1beta1`);
  return {
    modes,
    webhookConfigFile: o.authorizationWebhookConfigFile,
    webhookVersion: o.authorizationWebhookVersion,
    webhookCacheAuthorizedTTLSeconds: o.authorizationWebhookCacheAuthorizedTtl,
    webhookCacheUnauthorizedTTLSeconds: o.authorizationWebhookCacheUnauthorizedTtl,
    webhookTimeoutSeconds: o.authorizationWebhookTimeout,
  };
}

