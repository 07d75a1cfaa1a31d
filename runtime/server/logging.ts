/**
 * Logging options, as kube-apiserver's: `-v`/`--v` (0-10) is the verbosity. The log is pino's structured JSON, one
 * object per line; a line written at verbosity N carries `"v": N`. At the default 0 nothing is written per request;
 * from 3 on the HTTP log (httplog.ts) writes one line per request, as upstream's httplog. `LOG_LEVEL` (pino's level
 * names) still sets the level when `-v` is not given; `-v` of 1 or more shows info lines at least, 5 and more
 * debug lines too. `--vmodule` is not supported.
 */
import { InvalidArgumentError, type Command } from 'commander';
import pino, { type Logger } from 'pino';

export interface LoggingOptions {
  /** `-v`: 0 (default) to 10. */
  verbosity: number;
}

function verbosity(text: string): number {
  const t = text.replace(/^=/, ''); // `-v=3`: commander leaves the `=` on short options
  if (!/^\d+$/.test(t) || Number(t) > 10) throw new InvalidArgumentError(`"${text}" is not a verbosity between 0 and 10`);
  return Number(t);
}

export function addLoggingFlags(program: Command): void {
  program.option('-v, --v <level>', 'number for the log level verbosity (0-10); 3 and more log every request', verbosity, 0);
}

export function loggingOptions(o: Record<string, unknown>): LoggingOptions {
  return { verbosity: (o.v as number | undefined) ?? 0 };
}

const levelOrder = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** The pino level for these options: LOG_LEVEL (default info), lowered to info by `-v` >= 1 and to debug by `-v` >= 5. */
export function logLevel(opts: LoggingOptions, envLevel = process.env.LOG_LEVEL): string {
  const base = envLevel && levelOrder.includes(envLevel) ? envLevel : 'info';
  const wanted = opts.verbosity >= 5 ? 'debug' : opts.verbosity >= 1 ? 'info' : base;
  return levelOrder.indexOf(wanted) < levelOrder.indexOf(base) ? wanted : base;
}

export interface ServerLogger extends Logger {
  /** The `-v` the server runs with: code that logs at verbosity N checks `verbosity >= N` first. */
  readonly verbosity: number;
}

/** The server's logger: JSON lines on stdout at the level and verbosity the options ask for. */
export function createLogger(opts: LoggingOptions = { verbosity: 0 }): ServerLogger {
  const log = pino({ level: logLevel(opts) }) as ServerLogger;
  Object.defineProperty(log, 'verbosity', { value: opts.verbosity, enumerable: false });
  return log;
}
