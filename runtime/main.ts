/**
 * `npm start -- [flags]`: runs the API server until SIGTERM or SIGINT (a second signal exits at once).
 */
import { CommanderError } from 'commander';
import { parseOptions } from './server/options.ts';
import { run } from './server/run.ts';

async function main(): Promise<void> {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    console.error((e as Error).message);
    process.exit(1);
  }
  const server = await run(opts);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.error(`received ${signal}, shutting down`);
    server.shutdown().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
