/**
 * etcd's Watch streams to one member over our own HTTP/2 connection (h2-session.ts), in place of grpc-js'
 * bidirectional streams: per event received, grpc-js spent ~20-28 µs of CPU (a Duplex stream, nghttp2 callbacks
 * into JavaScript, async hooks) on a message that costs a few µs to decode. Here a stream's response bytes are cut
 * into gRPC messages and decoded (messages.ts) as its DATA frames arrive, straight into its handler.
 *
 * The watches to a member share one connection of their own, not the one its Range and Txn calls use (unary-
 * channel.ts): a stream stays open for as long as its watch, so on one connection watches would take up the
 * member's concurrent streams (calls beyond its limit wait for one to end), a replay of a long history would queue
 * in front of the calls' answers, and a connection that dies under a watch has its own keepalive to find out.
 *
 * Keepalive: while streams are open a PING goes every `keepaliveMs`; one unanswered after `pingTimeoutMs` drops the
 * connection, and its streams end as dropped (etcd takes pings on a connection without streams, or more often than
 * every 5 s, for abuse: GOAWAY too_many_pings). Failures are worded as grpc-js words them (grpc-status.ts), so the
 * backend's error typing and member failover (kv.ts) hold as with grpc-js.
 */
import { type H2Session, MemberConnection, type StreamAbort, type StreamHandler } from './h2-session.ts';
import { decodeWatchResponse, type WatchResponse } from './messages.ts';
import { INTERNAL, decodeGrpcMessage, droppedError, grpcError, grpcFrame, grpcRequestHeaders, httpStatusError, notConnectedError } from './grpc-status.ts';

export interface WatchChannelOptions {
  /** How often a connection with open streams is pinged. */
  keepaliveMs: number;
  /** A ping must come back within this time or the connection is dropped as dead. */
  pingTimeoutMs: number;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
}

/** What a Watch stream's responses go to. */
export interface WatchStreamHandler {
  response(res: WatchResponse): void;
  /** The stream ended, never by our cancel: `err` says how (etcd's status, a lost connection, an ended stream). Called once. */
  end(err: Error): void;
}

const watchPath = '/etcdserverpb.Watch/Watch';

export class WatchChannel {
  private readonly connection: MemberConnection;
  private readonly headerBlock: Buffer;

  constructor(
    url: string,
    private readonly opts: WatchChannelOptions,
  ) {
    this.connection = new MemberConnection(new URL(url), opts.tls, (session) => this.keepAliveWhileOpen(session));
    this.headerBlock = grpcRequestHeaders(this.connection.url, watchPath);
  }

  /** Opens a Watch stream with `first` (a WatchRequest) as its first message. */
  open(first: Uint8Array, handler: WatchStreamHandler): WatchStream {
    const stream = new WatchStream(this, grpcFrame(first), handler);
    this.send(stream);
    return stream;
  }

  close(): void {
    this.connection.close();
  }

  /** Sends a stream's request on the open connection (a new one if there is none). */
  send(stream: WatchStream): void {
    if (this.connection.closed) return stream.abort('not-connected', 'Channel has been shut down');
    const session = this.connection.current();
    stream.session = session;
    session.request(this.headerBlock, stream.body, stream, true);
  }

  private keepAliveWhileOpen(session: H2Session): void {
    const keepalive = setInterval(() => (session.destroyed ? clearInterval(keepalive) : this.keepAlive(session)), this.opts.keepaliveMs);
    keepalive.unref();
  }

  private keepAlive(session: H2Session): void {
    if (session.openStreams === 0) return;
    const timer = setTimeout(() => session.destroy(new Error('keepalive ping timed out')), this.opts.pingTimeoutMs);
    timer.unref();
    session.ping((ok) => ok && clearTimeout(timer));
  }
}

/** One Watch call: its request messages out, its responses decoded as they come, its status at the end. */
export class WatchStream implements StreamHandler {
  session?: H2Session;
  private status?: number;
  private httpStatus?: number;
  private details = '';
  private readonly messages = new MessageReader();
  private finished = false;
  private resent = false;
  /** One closure for every chunk's messages. */
  private readonly onMessage = (message: Buffer) => this.deliver(message);

  constructor(
    private readonly channel: WatchChannel,
    /** The first request message, framed: sent again if the member did not process the stream. */
    readonly body: Buffer,
    private readonly handler: WatchStreamHandler,
  ) {}

  /** Another request message (a progress request). */
  send(message: Uint8Array): void {
    if (!this.finished) this.session?.write(this, grpcFrame(message));
  }

  /** Ends the stream from our side (RST_STREAM CANCEL): the handler hears nothing more. */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.session?.cancel(this);
  }

  field(name: string, value: string): void {
    if (name === 'grpc-status') this.status = Number(value);
    else if (name === 'grpc-message') this.details = decodeGrpcMessage(value);
    else if (name === ':status') this.httpStatus = Number(value);
  }

  data(chunk: Buffer): void {
    if (this.finished) return;
    try {
      this.messages.push(chunk, this.onMessage);
    } catch (err) {
      this.cancel();
      this.handler.end(grpcError(INTERNAL, (err as Error).message));
    }
  }

  end(): void {
    if (this.status === undefined) return this.finish(this.httpStatus !== undefined && this.httpStatus !== 200 ? httpStatusError(this.httpStatus) : droppedError(undefined));
    // etcd ends a watch stream with OK only when it shuts down: the watch is over all the same.
    this.finish(this.status === 0 ? new Error('etcd watch stream ended') : grpcError(this.status, this.details));
  }

  abort(how: StreamAbort, detail: string | undefined): void {
    if (this.finished) return;
    if (how === 'refused' && !this.resent) {
      // The member did not process it (nothing came back): once more, on a new connection.
      this.resent = true;
      return this.channel.send(this);
    }
    this.finish(how === 'not-connected' ? notConnectedError(detail) : droppedError(detail));
  }

  private deliver(message: Buffer): void {
    // The handler may cancel the stream while a chunk still holds messages.
    if (!this.finished) this.handler.response(decodeWatchResponse(message));
  }

  private finish(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.handler.end(err);
  }
}

/**
 * Cuts a stream's body into gRPC messages (a flag byte, a 4-byte length, the message), whatever the DATA frames'
 * bounds. A message within one chunk is a view of it; one spread over several is joined once, when it is whole.
 */
export class MessageReader {
  private parts: Buffer[] = [];
  private buffered = 0;
  /** Bytes needed before the next message can be read: its prefix, or all of it once the prefix is known. */
  private needed = 5;

  push(chunk: Buffer, onMessage: (message: Buffer) => void): void {
    this.parts.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return;
    const buf = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.buffered);
    let pos = 0;
    this.needed = 5;
    while (buf.length - pos >= 5) {
      if (buf[pos] !== 0) throw new Error(`compressed gRPC message (flag ${buf[pos]}) without a grpc-encoding asked for`);
      const end = pos + 5 + buf.readUInt32BE(pos + 1);
      if (end > buf.length) {
        this.needed = end - pos;
        break;
      }
      onMessage(buf.subarray(pos + 5, end));
      pos = end;
    }
    this.parts = pos === buf.length ? [] : [buf.subarray(pos)];
    this.buffered = buf.length - pos;
  }
}
