/**
 * `npm start -- [flags]`: runs the API server until SIGTERM or SIGINT (a second signal exits at once). With
 * `--workers N` (N > 1) this process supervises N serving processes instead (server/workers.ts).
 */
import cluster from 'node:cluster';
import { CommanderError } from 'commander';
import { createLogger } from './server/logging.ts';
import { parseOptions } from './server/options.ts';
import { run } from './server/run.ts';
import { onShutdownRequest, reportServing, superviseWorkers } from './server/workers.ts';

/**
 * Resolves when this process's start-up work is done: its server serves and the post-start hooks that hold readiness
 * have finished (a --workers supervisor: its workers serve). The built server's scripts/start.mjs waits on it to
 * give the heap back what start-up took and to write V8's code cache.
 */
let markStarted = (): void => {};
export const started = new Promise<void>((resolve) => (markStarted = resolve));

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    console.error((e as Error).message);
    process.exit(1);
  }
  if (opts.workers > 1 && cluster.isPrimary) return superviseWorkers(opts.workers, createLogger(opts.observability.logging)).then(markStarted);
  // A worker may be asked to stop while it is still starting: the request waits for the server to exist.
  let stopRequested = false;
  let shutdown = () => void (stopRequested = true);
  onShutdownRequest(() => shutdown());
  const server = await run(opts);
  void server.started.then(markStarted);
  let stopping = false;
  shutdown = () => {
    if (stopping) return;
    stopping = true;
    server.shutdown().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string) => {
    if (stopping) process.exit(1);
    console.error(`received ${signal}, shutting down`);
    shutdown();
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  if (stopRequested) shutdown();
  reportServing();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
