/**
 * What the server announces to HTTP/2 clients and what a connection may hold, after kube-apiserver (v1.32), which
 * configures Go's HTTP/2 server with 256 KB of request body per stream and per frame (at least 99% of serialized
 * objects are smaller, so a create or update goes up in one frame without waiting for the server's window updates),
 * and a connection window of that times its 100 streams, so every stream can fill its own at once. Node's defaults
 * are 64 KB windows per stream and per connection and 16 KB frames: a 200 KB object went up in 13 frames, with a
 * window update round trip every 64 KB.
 *
 * The limit of 100 concurrent streams is not announced: Node counts a stream the client has reset until the server's
 * JavaScript has let go of it, so a client that ends one of its 100 watches and at once sends another request (as
 * client-go may: it counts the stream free when it sends the reset) was refused with ENHANCE_YOUR_CALM. Without
 * the setting, clients open as many as they need (client-go: up to 1000, then a new connection).
 *
 * Node also caps what a session may hold (maxSessionMemory, 10 MB by default), counting the response bytes queued for
 * its streams, and over the cap refuses every new stream of the connection with ENHANCE_YOUR_CALM. A client that
 * opens its informers' watches on one connection, as client-go does, is sent each watch's initial events at once (a
 * whole collection) and reads them at its pace: 50 watches of 4.5 MB of ConfigMaps made the server refuse the
 * connection's next requests, a GET /version included, where kube-apiserver serves them. What a connection holds is
 * bounded here as upstream bounds it, by flow control and, per watch, by the backlog guard
 * (runtime/endpoints/watch-backlog.ts), which ends a watch that stops reading; so Node's cap is raised to a size
 * only a misbehaving client reaches (kept finite: with no stream limit announced, it is what still bounds one
 * connection).
 */
import type { Http2Session, SecureServerOptions } from 'node:http2';

/** At least 99% of serialized resources in surveyed clusters are smaller (upstream's figure). */
const resourceBody99Percentile = 256 * 1024;
/** kube-apiserver's default streams per connection, which sizes its connection window. */
const upstreamMaxStreams = 100;
/** 1 GiB: hundreds of informers' initial lists of megabytes each, queued at once on one connection. */
const sessionMemoryMB = 1024;

/** createSecureServer's HTTP/2 options. */
export const http2ServerOptions: Pick<SecureServerOptions, 'settings' | 'maxSessionMemory'> = {
  settings: { initialWindowSize: resourceBody99Percentile, maxFrameSize: resourceBody99Percentile },
  maxSessionMemory: sessionMemoryMB,
};

/** Bytes of request bodies a connection may have in flight, over all its streams. */
export const connectionWindowBytes = resourceBody99Percentile * upstreamMaxStreams;

/** Opens each new session's connection window (SETTINGS cannot: a connection's starts at 64 KB, raised by WINDOW_UPDATE). */
export function openConnectionWindows(server: { on(event: 'session', fn: (session: Http2Session) => void): unknown }): void {
  server.on('session', (session) => {
    try {
      session.setLocalWindowSize(connectionWindowBytes);
    } catch {
      // The connection closed before it was set up: there is nothing to open.
    }
  });
}
