/**
 * Watch bodies written straight to the Node response. @hono/node-server sends a streamed body by reading it chunk by
 * chunk (a read, two promises and a write per chunk); a watch sends each event to every watcher, so with a thousand
 * watchers that reading is most of what a change costs the server besides the socket writes. A body that can write
 * itself (StreamEnding.writeTo) is given the response instead: its head written here as hono would write it, hono
 * told that the response is already sent.
 *
 * Over HTTP/1.1 the body goes one step further: its chunks are written to the connection itself, each already framed as
 * a chunk of the chunked transfer coding (chunkedConnection). A chunk written through the response costs three
 * buffered writes (size line, data, CRLF), a cork, a tick and a gathered write per watcher per event; the framed
 * chunk is one plain write, and its bytes are made once per event for all the watchers (see BodySink.framing).
 *
 * The filters still see the body as the response's stream (audit and shutdown through endingOf, metrics and the
 * request log through the response's 'close'), so the handler offers it here (offerDirectBody) and it is taken only
 * if the response that leaves the chain still carries that same stream.
 */
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Socket } from 'node:net';
import { endingOf, type BodySink, type WireFraming } from '../machinery/stream-ending.ts';

/** The response a request's handler made, as @hono/node-server hands it to the app (`c.env`). */
interface NodeBindings {
  outgoing?: BodySink & {
    writeHead(status: number, headers: Record<string, string>): unknown;
    writable: boolean;
    flushHeaders?(): void;
    /** HTTP/1.1 only (Node's OutgoingMessage): whether the body goes out in the chunked transfer coding. */
    chunkedEncoding?: boolean;
    /** HTTP/1.1: the connection, set while this response is the one the connection is sending (not queued behind another). */
    socket?: Socket | null;
  };
}

/** A chunk of HTTP/1.1's chunked transfer coding: its size in hex, CRLF, the data, CRLF (RFC 9112 section 7.1). */
export const chunkedFraming: WireFraming = {
  key: 'chunked',
  frame(chunk: Uint8Array): Uint8Array {
    const size = chunk.byteLength.toString(16);
    const framed = Buffer.allocUnsafe(size.length + chunk.byteLength + 4);
    let at = framed.write(size, 0, 'latin1');
    framed[at++] = 13;
    framed[at++] = 10;
    framed.set(chunk, at);
    at += chunk.byteLength;
    framed[at++] = 13;
    framed[at] = 10;
    return framed;
  },
};

/**
 * The connection of an HTTP/1.1 chunked response whose head is sent, as a sink of framed chunks. Its end goes through
 * the response, which writes the last chunk and frees the connection for the next request. A class, not an object
 * literal, for the reason resource-request.ts gives: a literal's getter is a new closure per watch, and V8 keeps it in
 * a hidden class of the watch's own; here the getter is on the prototype.
 */
class ChunkedConnection implements BodySink {
  readonly framing = chunkedFraming;

  constructor(
    private readonly out: NonNullable<NodeBindings['outgoing']>,
    private readonly socket: Socket,
  ) {}

  write(framed: Uint8Array): boolean {
    return !this.socket.destroyed && this.socket.write(framed);
  }

  end(): void {
    this.out.end();
  }

  /** The chunks queue in the connection, not the response: its drain is the connection's. */
  once(event: 'close' | 'drain', fn: () => void): unknown {
    return event === 'drain' ? this.socket.once(event, fn) : this.out.once(event, fn);
  }

  get writableLength(): number {
    return this.socket.writableLength;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * The connection as a sink, or undefined for HTTP/2, a response without the chunked coding (an HTTP/1.0 client) or
 * one queued behind a pipelined response (no socket yet).
 */
function chunkedConnection(out: NonNullable<NodeBindings['outgoing']>): BodySink | undefined {
  const socket = out.socket;
  if (out.chunkedEncoding !== true || !socket) return undefined;
  return new ChunkedConnection(out, socket);
}

const offered = new WeakMap<object, ReadableStream<Uint8Array>>();

/** Marks `body` (a stream with StreamEnding.writeTo) as the one to write directly for the request of `env`. */
export function offerDirectBody(env: unknown, body: ReadableStream<Uint8Array>): void {
  if (env && typeof env === 'object' && (env as NodeBindings).outgoing && endingOf(body)?.writeTo) offered.set(env, body);
}

/** The app's fetch, with offered bodies written straight to the response (see the module doc). */
export function writingBodiesDirectly<E>(fetch: (req: Request, env?: E) => Response | Promise<Response>): (req: Request, env?: E) => Response | Promise<Response> {
  const take = (res: Response, env: unknown): Response => {
    const body = env && typeof env === 'object' ? offered.get(env) : undefined;
    if (!body) return res;
    offered.delete(env as object);
    const out = (env as NodeBindings).outgoing!;
    // A filter may have answered otherwise, or wrapped the body in a stream of its own: then hono sends it.
    if (res.status !== 200 || res.body !== body || !out.writable) return res;
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    out.writeHead(200, headers);
    // A watch with nothing to send yet still answers at once: its client waits for the head before anything else.
    out.flushHeaders?.();
    endingOf(body)!.writeTo!(chunkedConnection(out) ?? out);
    return RESPONSE_ALREADY_SENT;
  };
  return (req: Request, env?: E) => {
    const res = fetch(req, env);
    return res instanceof Promise ? res.then((r) => take(r, env)) : take(res, env);
  };
}
