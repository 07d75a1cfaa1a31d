/**
 * Start-up and shutdown, in upstream's steps: options (parsed and validated by options.ts) -> completed config
 * (config.ts: store, scheme, caches, certificates) -> the server chain (server-chain.ts) -> run: serve HTTPS, start
 * the post-start hooks, and on shutdown turn readyz red, wait the shutdown delay, stop accepting, drain in-flight
 * requests, flush audit and stop everything that was started, store last.
 */
import { serve, type ServerType } from '@hono/node-server';
import { createServer } from 'node:https';
import type { Server as TLSServer } from 'node:tls';
import pino, { type Logger } from 'pino';
import { completeConfig, type CompletedConfig } from './config.ts';
import type { ServerOptions } from './options.ts';
import { newServerChain, type ServerChain } from './server-chain.ts';

export interface RunningServer {
  url: string;
  kubeconfigPath: string;
  /** Graceful shutdown: readyz red, drain, close. */
  shutdown(): Promise<void>;
}

/** Listens on --bind-address:--secure-port with the chain's TLS settings (certificates reloaded from disk). */
async function listen(config: CompletedConfig, chain: ServerChain): Promise<ServerType> {
  const { options } = config;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      { fetch: chain.app.fetch, port: options.securePort, hostname: options.bindAddress, createServer, serverOptions: chain.tls.serverOptions() },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  chain.tls.attach(server as unknown as TLSServer);
  return server;
}

/** Stops accepting connections and waits for open requests; watches never end on their own, so they are cut. */
function drain(server: ServerType, requestTimeoutSeconds: number): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    const s = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    s.closeIdleConnections?.();
    setTimeout(() => s.closeAllConnections?.(), Math.min(requestTimeoutSeconds, 5) * 1000).unref();
  });
}

export async function run(opts: ServerOptions, log: Logger = pino({ level: process.env.LOG_LEVEL ?? 'info' })): Promise<RunningServer> {
  const config = await completeConfig(opts, log);
  const chain = await newServerChain(config);
  const server = await listen(config, chain);
  chain.hooks.runAll();
  const { url, kubeconfigPath } = config;
  log.info({ url, kubeconfig: kubeconfigPath }, `serving on ${url}; kubectl --kubeconfig ${kubeconfigPath} get namespaces`);

  return {
    url,
    kubeconfigPath,
    async shutdown() {
      chain.markShuttingDown();
      if (opts.shutdownDelaySeconds > 0) await new Promise((r) => setTimeout(r, opts.shutdownDelaySeconds * 1000));
      await drain(server, opts.requestTimeoutSeconds);
      await config.auditor?.shutdown(); // events of the requests just drained
      await config.lifecycle.stopAll();
    },
  };
}
