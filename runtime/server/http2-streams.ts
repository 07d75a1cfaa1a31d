/**
 * HTTP/2 requests served from Node's core stream API instead of its compatibility layer. For every stream the
 * compatibility layer makes an Http2ServerRequest, an Http2ServerResponse and proxies for their sockets (~5 KB), and
 * its end() sends the body's last DATA frame and then an empty one to end the stream. Here the stream itself is the
 * request @hono/node-server reads (its method, path and headers set on it: it is already the readable request body),
 * and a small StreamResponse is the response it writes, so a GET is answered with one HEADERS frame and one DATA
 * frame carrying END_STREAM, or a single HEADERS frame when there is no body.
 *
 * The handler chain sees the same `c.env` fields as over the compatibility layer: `incoming` with httpVersionMajor 2,
 * url, rawHeaders, a socket (remote address, peer certificate) and the session; `outgoing` with writeHead, write, end,
 * flushHeaders, 'close'/'drain'/'finish' and writableLength (direct-bodies.ts, the backlog guard, shutdown, metrics).
 *
 * Requests the compatibility layer answers itself (CONNECT, `Expect`) still go to it: they are rare, and what it does
 * with them (405, 100 Continue, 417) is kept as it was.
 */
import { constants, type Http2SecureServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { hasBadPathEscape } from '../machinery/go-url.ts';

type StreamListener = (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]) => void;
/** @hono/node-server's request listener (getRequestListener), which takes any request and response of this shape. */
type RequestListener = (incoming: never, outgoing: never) => unknown;

const ignore = () => {};

/**
 * The connection as a request's filters read it (`c.env.incoming.socket`): its peer, through the session's socket.
 * @hono/node-server drops a request body nobody read by destroying the request's socket; over HTTP/2 that socket is
 * the whole connection, so here only the stream is closed (as the compatibility layer's request does).
 */
class StreamSocket {
  readonly encrypted = true;
  readonly #stream: ServerHttp2Stream;
  readonly #tls: TLSSocket;

  constructor(stream: ServerHttp2Stream, tls: TLSSocket) {
    this.#stream = stream;
    this.#tls = tls;
  }

  get remoteAddress(): string | undefined {
    return this.#tls.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.#tls.remotePort;
  }

  getPeerCertificate(detailed?: boolean) {
    return this.#tls.getPeerCertificate(detailed as true);
  }

  getPeerX509Certificate() {
    return this.#tls.getPeerX509Certificate();
  }

  destroy(): void {
    closeStream(this.#stream);
  }

  destroySoon(): void {
    closeStream(this.#stream);
  }
}

function closeStream(stream: ServerHttp2Stream): void {
  if (!stream.closed && !stream.destroyed) stream.close(constants.NGHTTP2_NO_ERROR);
}

/** The request fields set on a stream, read by @hono/node-server and the filters as Node's request's. */
export interface StreamRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  httpVersionMajor: 2;
  socket: StreamSocket;
}

/**
 * The response of one stream, as @hono/node-server and direct-bodies.ts write it: the head is kept until the body's
 * first bytes (or its end) so both leave together, and an empty body ends the stream with the HEADERS frame.
 */
export class StreamResponse {
  readonly stream: ServerHttp2Stream;
  #status = 200;
  #headers: OutgoingHttpHeaders | undefined;

  constructor(stream: ServerHttp2Stream) {
    this.stream = stream;
  }

  writeHead(status: number, headers?: OutgoingHttpHeaders): this {
    this.#status = status;
    this.#headers = headers;
    return this;
  }

  get headersSent(): boolean {
    return this.stream.headersSent;
  }

  get writable(): boolean {
    return this.stream.writable;
  }

  get writableEnded(): boolean {
    return this.stream.writableEnded;
  }

  /**
   * Not for a stream the client reset: Node ends the writable side of a stream it closes, but the answer never went
   * out. @hono/node-server reads this when the stream closes, to abort the request's signal (a client gone).
   */
  get writableFinished(): boolean {
    return this.stream.writableFinished && !this.stream.aborted;
  }

  get writableLength(): number {
    return this.stream.writableLength;
  }

  get destroyed(): boolean {
    return this.stream.destroyed;
  }

  flushHeaders(): void {
    this.#respond(false);
  }

  write(chunk: Uint8Array | string): boolean {
    this.#respond(false);
    // A HEAD request, a 204 or a 304 was ended with its head: a body is dropped, as HTTP/1.1 drops it.
    if (this.stream.writableEnded || this.stream.destroyed) return true;
    return this.stream.write(chunk);
  }

  end(chunk?: Uint8Array | string): this {
    const stream = this.stream;
    const empty = chunk === undefined || chunk.length === 0;
    this.#respond(empty);
    if (!stream.writableEnded && !stream.destroyed) {
      // One write and the end in the same tick: Node sends the last DATA frame with END_STREAM.
      if (empty) stream.end();
      else stream.end(chunk);
    }
    return this;
  }

  destroy(err?: Error): void {
    this.stream.destroy(err);
  }

  on(event: string, fn: (...args: unknown[]) => void): this {
    this.stream.on(event, fn);
    return this;
  }

  once(event: string, fn: (...args: unknown[]) => void): this {
    this.stream.once(event, fn);
    return this;
  }

  off(event: string, fn: (...args: unknown[]) => void): this {
    this.stream.off(event, fn);
    return this;
  }

  /** Sends the head (once); `endStream` when there is no body, so the HEADERS frame ends the stream. */
  #respond(endStream: boolean): void {
    const stream = this.stream;
    if (stream.headersSent || stream.destroyed || stream.closed) return;
    const headers: OutgoingHttpHeaders = { ...this.#headers, ':status': this.#status };
    // HTTP/2 has no Connection header (RFC 9113 section 8.2.2): dropped, as the compatibility layer drops it.
    delete headers.connection;
    delete headers.Connection;
    stream.respond(headers, { endStream });
  }
}

/**
 * A path Go cannot parse (a bad escape: `/foo%zz`) never reaches kube-apiserver's handlers: its HTTP/2 server resets
 * the stream with PROTOCOL_ERROR, where its HTTP/1 server answers 400 (the request-info filter's answer). A CONNECT
 * names no path.
 */
function isUnparsablePath(headers: IncomingHttpHeaders): boolean {
  return headers[':method'] !== 'CONNECT' && hasBadPathEscape((headers[':path'] as string | undefined) ?? '');
}

/** Closing a stream with an error code makes it emit that error, which nobody else listens for here. */
function resetStream(stream: ServerHttp2Stream, code: number): void {
  stream.on('error', ignore);
  stream.close(code);
}

/** Requests the compatibility layer answers itself before any 'request' (see the module doc). */
function needsCompatibility(headers: IncomingHttpHeaders): boolean {
  return headers[':method'] === 'CONNECT' || headers.expect !== undefined;
}

/**
 * Serves the HTTP/2 streams of `server` (made with `listener` as its request listener, so HTTP/1.1 connections keep
 * going to it) through `listener` directly, in place of the compatibility layer's stream listener.
 */
export function serveHttp2StreamsDirectly(server: Http2SecureServer, listener: RequestListener): void {
  const compat = server.listeners('stream') as StreamListener[];
  if (compat.length !== 1) throw new Error(`expected the HTTP/2 compatibility layer's one stream listener, found ${compat.length}`);
  server.removeListener('stream', compat[0]);
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, rawHeaders: string[]) => {
    if (isUnparsablePath(headers)) return resetStream(stream, constants.NGHTTP2_PROTOCOL_ERROR);
    if (needsCompatibility(headers)) return compat[0].call(server, stream, headers, flags, rawHeaders);
    // A stream the client resets emits an error; the request's abort signal and 'close' already tell the handlers
    // (StreamResponse.writableFinished).
    stream.on('error', ignore);
    const request = stream as ServerHttp2Stream & StreamRequest;
    request.method = headers[':method'] as string;
    request.url = headers[':path'] as string;
    // @hono/node-server builds the request's URL from Host; an HTTP/2 request names its host in :authority.
    headers.host ??= headers[':authority'];
    request.headers = headers;
    request.rawHeaders = rawHeaders;
    request.httpVersionMajor = 2;
    request.socket = new StreamSocket(stream, stream.session!.socket as TLSSocket);
    void listener(request as never, new StreamResponse(stream) as never);
  });
}
