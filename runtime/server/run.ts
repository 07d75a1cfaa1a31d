/**
 * Start-up and shutdown, in upstream's steps: options (parsed and validated by options.ts) -> completed config
 * (config.ts: store, scheme, caches, certificates) -> the server chain (server-chain.ts) -> run: serve HTTPS, start
 * the post-start hooks, and on shutdown turn readyz red, wait the shutdown delay, stop accepting, drain in-flight
 * requests, flush audit and stop everything that was started, store last.
 */
import { getRequestListener, type ServerType } from '@hono/node-server';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { Server as TLSServer } from 'node:tls';
import type { Logger } from 'pino';
import { createLogger } from './logging.ts';
import { completeConfig, type CompletedConfig } from './config.ts';
import type { ServerOptions } from './options.ts';
import { newServerChain, type ServerChain } from './server-chain.ts';
import { feedHttp1ParsersThroughStreams } from './http1-feed.ts';
import { writingBodiesDirectly } from './direct-bodies.ts';
import { http2ServerOptions, openConnectionWindows } from './http2-settings.ts';
import { serveHttp2StreamsDirectly } from './http2-streams.ts';

export interface RunningServer {
  url: string;
  kubeconfigPath: string;
  /** Graceful shutdown: readyz red, drain, close. */
  shutdown(): Promise<void>;
  /** Resolves when the post-start hooks that hold readiness have finished: the start-up's work is done. */
  started: Promise<void>;
}

/**
 * Listens on --bind-address:--secure-port with the chain's TLS settings (certificates reloaded from disk). HTTP/2
 * and HTTP/1.1 are both offered (ALPN `h2`, `http/1.1`), as kube-apiserver: kubectl and client-go multiplex their
 * requests and watches on one HTTP/2 connection.
 */
async function listen(config: CompletedConfig, chain: ServerChain): Promise<ServerType> {
  const { options } = config;
  const listener = getRequestListener(writingBodiesDirectly(chain.app.fetch), { hostname: options.bindAddress });
  // noDelay: TCP_NODELAY on every accepted connection, as Go's net package sets on each. Node's HTTP/2 sessions set it
  // themselves, but the HTTP/1.1 connections this server falls back to kept Nagle's algorithm: a watch event written
  // while the previous one was still unacknowledged waited for the client's delayed ACK (up to 40 ms on Linux), since
  // a watch client sends nothing an ACK could ride on.
  const server = createSecureServer({ ...chain.tls.serverOptions(), allowHTTP1: true, noDelay: true, ...http2ServerOptions }, listener);
  // HTTP/1.1 requests reach the listener as Node's requests; HTTP/2 streams are handed to it without the
  // compatibility layer (http2-streams.ts).
  serveHttp2StreamsDirectly(server, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.securePort, options.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chain.tls.attach(server as unknown as TLSServer);
  feedHttp1ParsersThroughStreams(server as unknown as TLSServer);
  openConnectionWindows(server as unknown as Http2SecureServer);
  // kube-apiserver's http.Server closes a connection after 90 s without a request (IdleTimeout) and gives a client
  // 32 s to send its headers (ReadHeaderTimeout). Node's HTTP/2 server leaves HTTP/1.1 connections open forever
  // unless told (keepAliveTimeout; never while a request or watch is under way, and announced in Keep-Alive).
  Object.assign(server, { keepAliveTimeout: 90_000, headersTimeout: 32_000 });
  return server;
}

export async function run(opts: ServerOptions, log: Logger = createLogger(opts.observability.logging)): Promise<RunningServer> {
  const config = await completeConfig(opts, log);
  const chain = await newServerChain(config);
  const server = await listen(config, chain);
  chain.shutdown.attach(server as unknown as import('node:http').Server);
  const started = chain.hooks.runAll();
  const { url, kubeconfigPath } = config;
  log.info({ url, kubeconfig: kubeconfigPath }, `serving on ${url}; kubectl --kubeconfig ${kubeconfigPath} get namespaces`);

  return {
    url,
    kubeconfigPath,
    started,
    // Upstream's order (runtime/server/shutdown.ts): readyz red, delay, stop accepting, drain, end watches; then
    // the audit events of the drained requests are flushed and everything that was started is stopped, store last.
    shutdown: () => chain.shutdown.shutdown({ flushAudit: async () => config.auditor?.shutdown(), destroy: () => config.lifecycle.stopAll() }),
  };
}
