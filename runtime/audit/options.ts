/**
 * The audit flags, with kube-apiserver's names and defaults. Added to the command as one block and validated with
 * the other options (every problem reported together).
 */
import type { Command } from 'commander';

export interface AuditOptions {
  /** `--audit-policy-file`; without it nothing is audited. */
  policyFile?: string;
  /** `--audit-log-path`; `-` is stdout. */
  logPath?: string;
  logMaxAgeDays: number;
  logMaxBackups: number;
  logMaxSizeMB: number;
  logFormat: 'json';
  logMode: 'batch' | 'blocking' | 'blocking-strict';
  logBufferSize: number;
  webhookConfigFile?: string;
  webhookMode: 'batch' | 'blocking' | 'blocking-strict';
  webhookBufferSize: number;
  webhookBatchMaxSize: number;
  webhookBatchMaxWaitSeconds: number;
  webhookInitialBackoffSeconds: number;
}

const modes = ['batch', 'blocking', 'blocking-strict'];

/** Adds the audit flags; `int` and `duration` are the command's own parsers (non-negative integer, Go duration). */
export function addAuditFlags(cmd: Command, parse: { int: (s: string) => number; duration: (s: string) => number }): Command {
  return cmd
    .option('--audit-policy-file <file>', 'audit.k8s.io/v1 Policy: which requests are audited and at what level')
    .option('--audit-log-path <file>', 'write audit events to this file as JSON lines ("-" is stdout)')
    .option('--audit-log-maxage <days>', 'days to keep rotated audit log files (0: no limit)', parse.int, 0)
    .option('--audit-log-maxbackup <n>', 'rotated audit log files to keep (0: all)', parse.int, 0)
    .option('--audit-log-maxsize <MB>', 'size at which the audit log is rotated, in megabytes (0: 100)', parse.int, 0)
    .option('--audit-log-format <format>', 'audit log format (json)', 'json')
    .option('--audit-log-mode <mode>', 'audit log backend mode: batch (written in the background), blocking (written before the request goes on and before its response) or blocking-strict (and a failed write at RequestReceived fails the request); upstream defaults to blocking, kube-ts to batch so a slow disk never holds requests', 'batch')
    .option('--audit-log-batch-buffer-size <n>', 'audit events buffered for the log before they are dropped', parse.int, 10000)
    .option('--audit-log-version <version>', 'API version of logged events', 'audit.k8s.io/v1')
    .option('--audit-webhook-config-file <file>', 'kubeconfig of the remote server that receives audit events')
    .option('--audit-webhook-mode <mode>', 'audit webhook backend mode: batch, blocking or blocking-strict', 'batch')
    .option('--audit-webhook-batch-buffer-size <n>', 'audit events buffered for the webhook before they are dropped', parse.int, 10000)
    .option('--audit-webhook-batch-max-size <n>', 'most audit events in one webhook request', parse.int, 400)
    .option('--audit-webhook-batch-max-wait <duration>', 'longest an audit event waits for its batch to fill', parse.duration, 30)
    .option('--audit-webhook-initial-backoff <duration>', 'wait before retrying a failed webhook request (grows 1.5x per retry)', parse.duration, 10)
    .option('--audit-webhook-version <version>', 'API version of events sent to the webhook', 'audit.k8s.io/v1');
}

/** Reads the parsed audit flags; problems are appended to `errors`. */
export function auditOptions(o: Record<string, any>, errors: string[]): AuditOptions { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (o.auditLogFormat !== 'json') errors.push(`--audit-log-format "${o.auditLogFormat}" is not supported (json)`);
  if (!modes.includes(o.auditLogMode)) errors.push(`--audit-log-mode "${o.auditLogMode}" must be one of ${modes.join(', ')}`);
  if (!modes.includes(o.auditWebhookMode)) errors.push(`--audit-webhook-mode "${o.auditWebhookMode}" must be one of ${modes.join(', ')}`);
  if (o.auditLogVersion !== 'audit.k8s.io/v1') errors.push(`--audit-log-version "${o.auditLogVersion}" is not supported (audit.k8s.io/v1)`);
  if (o.auditWebhookVersion !== 'audit.k8s.io/v1') errors.push(`--audit-webhook-version "${o.auditWebhookVersion}" is not supported (audit.k8s.io/v1)`);
  if (o.auditWebhookBatchMaxSize < 1) errors.push('--audit-webhook-batch-max-size must be at least 1');
  if (o.auditLogBatchBufferSize < 1 || o.auditWebhookBatchBufferSize < 1) errors.push('audit buffer sizes must be at least 1');
  return {
    policyFile: o.auditPolicyFile,
    logPath: o.auditLogPath,
    logMaxAgeDays: o.auditLogMaxage,
    logMaxBackups: o.auditLogMaxbackup,
    logMaxSizeMB: o.auditLogMaxsize,
    logFormat: 'json',
    logMode: o.auditLogMode,
    logBufferSize: o.auditLogBatchBufferSize,
    webhookConfigFile: o.auditWebhookConfigFile,
    webhookMode: o.auditWebhookMode,
    webhookBufferSize: o.auditWebhookBatchBufferSize,
    webhookBatchMaxSize: o.auditWebhookBatchMaxSize,
    webhookBatchMaxWaitSeconds: o.auditWebhookBatchMaxWait,
    webhookInitialBackoffSeconds: o.auditWebhookInitialBackoff,
  };
}
