/**
 * The flags of health checks, logging and graceful shutdown, with kube-apiserver's names and defaults (the generic
 * `--shutdown-delay-duration` and `--request-timeout` are in options.ts).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { addLoggingFlags, loggingOptions, type LoggingOptions } from './logging.ts';

export interface ObservabilityOptions {
  logging: LoggingOptions;
  /** `--shutdown-send-retry-after`: while draining, keep listening and answer new requests 429 with Retry-After. */
  shutdownSendRetryAfter: boolean;
  /** `--shutdown-watch-termination-grace-period`: how long active watches may take to end at shutdown (0: not waited for). */
  shutdownWatchTerminationGracePeriodSeconds: number;
  /** `--livez-grace-period`: how long after start /livez passes while post-start hooks have not finished. */
  livezGracePeriodSeconds: number;
  /** `--etcd-healthcheck-timeout`, `--etcd-readycheck-timeout`: how long the `etcd` and `etcd-readiness` checks wait. */
  etcdHealthcheckTimeoutSeconds: number;
  etcdReadycheckTimeoutSeconds: number;
}

function bool(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new InvalidArgumentError(`"${text}" is not true or false`);
  return text === 'true';
}

export function addObservabilityFlags(program: Command, parse: { duration: (text: string) => number }): void {
  addLoggingFlags(program);
  program
    .option('--shutdown-send-retry-after [bool]', 'while draining at shutdown, keep listening and answer new requests 429 with Retry-After instead of closing the listener', bool, false)
    .option('--shutdown-watch-termination-grace-period <duration>', 'how long active watches may take to end at shutdown (0: not waited for; they are ended once other requests have drained)', parse.duration, 0)
    .option('--livez-grace-period <duration>', 'how long after start /livez passes while post-start hooks are still running', parse.duration, 0)
    .option('--etcd-healthcheck-timeout <duration>', 'how long the etcd health check waits for the store', parse.duration, 2)
    .option('--etcd-readycheck-timeout <duration>', 'how long the etcd-readiness check waits for the store', parse.duration, 2);
}

export function observabilityOptions(o: Record<string, unknown>, errors: string[]): ObservabilityOptions {
  const healthcheck = o.etcdHealthcheckTimeout as number;
  const readycheck = o.etcdReadycheckTimeout as number;
  if (healthcheck <= 0) errors.push('--etcd-healthcheck-timeout must be greater than 0');
  if (readycheck <= 0) errors.push('--etcd-readycheck-timeout must be greater than 0');
  return {
    logging: loggingOptions(o),
    shutdownSendRetryAfter: o.shutdownSendRetryAfter === true,
    shutdownWatchTerminationGracePeriodSeconds: o.shutdownWatchTerminationGracePeriod as number,
    livezGracePeriodSeconds: o.livezGracePeriod as number,
    etcdHealthcheckTimeoutSeconds: healthcheck,
    etcdReadycheckTimeoutSeconds: readycheck,
  };
}
