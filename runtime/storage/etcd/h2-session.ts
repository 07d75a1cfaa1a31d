/**
 * A client HTTP/2 connection (RFC 9113) over a plain `net` or `tls` socket: what the etcd client's gRPC calls need
 * and no more. Unary calls (unary-channel.ts) send a request whole; a Watch stream (watch-channel.ts) keeps its
 * request open and writes more messages on it as it goes.
 *
 * Why not Node's `http2` client: per call it made a ClientHttp2Stream (a Duplex stream), header objects, nghttp2
 * callbacks into JavaScript and async-hooks bookkeeping, which cost more CPU than the etcd call's own JavaScript.
 * Here a request is one pre-encoded header block and a body, written as HEADERS and DATA frames in one socket
 * write, and a response arrives as decoded header fields, data chunks and an end, through one handler object.
 *
 * What it does: the preface and SETTINGS exchange (no push; a large window, so big responses stream without
 * waiting), flow control on what it sends (the peer's stream and connection windows, frames no bigger than the
 * peer allows) and WINDOW_UPDATEs as it receives, odd increasing stream ids, CONTINUATION, padding, PING both ways,
 * RST_STREAM both ways, GOAWAY (streams the peer did not process end as refused; no new streams after it), and
 * the peer's SETTINGS_MAX_CONCURRENT_STREAMS (further requests wait). What it leaves out: server push, priorities,
 * request trailers, header lists above what the peer sends in practice.
 */
import net from 'node:net';
import tls from 'node:tls';
import {
  ConnectionError, ErrorCode, Flag, FrameReader, FrameType, Setting, connectionPreface, defaultMaxFrameSize,
  errorCodeNames, frame, frameHeaderBytes, maxWindow, rstStreamFrame, settingsFrame, windowUpdateFrame, writeFrameHeader,
} from './h2-frames.ts';
import { HpackDecoder } from './hpack.ts';

/** How a stream ended without its END_STREAM. */
export type StreamAbort =
  /** The connection never came up: nothing was sent. */
  | 'not-connected'
  /** The peer said it did not process the stream (GOAWAY above its last stream id, or REFUSED_STREAM): it may go again. */
  | 'refused'
  /** The peer reset the stream, or the connection went down while it was open: it may or may not have been processed. */
  | 'dropped';

/** What a request's response goes to. Exactly one of `end` and `abort` is called, once. */
export interface StreamHandler {
  /** A field of the response's headers or trailers, in the order they come. */
  field(name: string, value: string): void;
  data(chunk: Buffer): void;
  /** The peer ended the stream (END_STREAM). */
  end(): void;
  /** The stream ended otherwise; `detail` says why, as Node's client words it (absent: the connection closed). */
  abort(how: StreamAbort, detail: string | undefined): void;
}

export interface H2SessionOptions {
  /** Our stream and connection receive windows. */
  windowBytes: number;
  /** https: the CA to trust (absent: the system's) and the client certificate to present. */
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** Called once, when the session takes no more requests (GOAWAY, the socket closed, destroy). */
  onUnusable?: () => void;
}

interface Stream {
  id: number;
  handler: StreamHandler;
  /**
   * Body bytes not yet sent (flow control held them back). Undefined once they went: with END_STREAM, unless the
   * request is `open`.
   */
  unsent?: Buffer;
  /** The request stays open for more body (`write`): no END_STREAM from our side. */
  open: boolean;
  sendWindow: number;
  /** Bytes received since our last WINDOW_UPDATE for this stream. */
  received: number;
}

interface Waiting {
  headerBlock: Buffer;
  body: Buffer;
  handler: StreamHandler;
  open: boolean;
}

const initialWindow = 65535;
const ignoreFields = { field() {} };
/** Stream ids are 31 bits; past this one, the session takes no new streams and the channel opens another. */
const lastStreamId = 0x7fffffff;

export class H2Session {
  /** The socket connected (and TLS agreed): from then on a request may have reached the peer. */
  connected = false;
  /** Takes no new requests: GOAWAY received, ids used up, or closed. */
  unusable = false;
  destroyed = false;
  /** Why the connection could not be made or went down. */
  error?: Error;

  private readonly socket: net.Socket;
  private readonly reader: FrameReader;
  private readonly decoder = new HpackDecoder();
  private readonly streams = new Map<number, Stream>();
  private readonly waiting: Waiting[] = [];
  private readonly blocked = new Set<Stream>();
  private nextStreamId = 1;
  private peerMaxConcurrent = Infinity;
  private peerInitialWindow = initialWindow;
  private peerMaxFrameSize = defaultMaxFrameSize;
  private connectionSendWindow = initialWindow;
  private connectionReceived = 0;
  /** A header block being continued: its stream, its END_STREAM, its fragments so far. */
  private continuing?: { streamId: number; endStream: boolean; fragments: Buffer[] };
  private readonly pings = new Map<bigint, (ok: boolean) => void>();
  private pingCount = 0n;
  private out: Buffer[] = [];
  private flushScheduled = false;
  private readonly flush = () => this.flushOut();

  constructor(
    url: URL,
    private readonly opts: H2SessionOptions,
  ) {
    const secure = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (secure ? 443 : 80);
    this.socket = secure
      ? tls.connect({ host, port, ALPNProtocols: ['h2'], servername: net.isIP(host) ? undefined : host, ...opts.tls })
      : net.connect({ host, port });
    this.socket.setNoDelay(true);
    // An idle connection must not keep the process alive (calls in flight have their own timers).
    this.socket.unref();
    this.socket.once(secure ? 'secureConnect' : 'connect', () => {
      if (secure && (this.socket as tls.TLSSocket).alpnProtocol !== 'h2') return this.destroy(new Error(`the server did not agree to HTTP/2 (ALPN ${String((this.socket as tls.TLSSocket).alpnProtocol)})`));
      this.connected = true;
    });
    this.reader = new FrameReader((type, flags, streamId, payload) => this.onFrame(type, flags, streamId, payload));
    this.socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (err) {
        this.fail(err as Error);
      }
    });
    this.socket.on('error', (err) => this.destroy(err));
    this.socket.on('close', () => this.destroy());
    // Written before the socket connects: it queues them.
    this.queue(connectionPreface);
    this.queue(settingsFrame([[Setting.ENABLE_PUSH, 0], [Setting.INITIAL_WINDOW_SIZE, opts.windowBytes]]));
    if (opts.windowBytes > initialWindow) this.queue(windowUpdateFrame(0, opts.windowBytes - initialWindow));
  }

  /**
   * Sends a request: its HPACK-encoded header block and a body (the body after the headers). `open`: the request
   * stays open, and `write` sends more of its body; otherwise the body is all of it.
   */
  request(headerBlock: Buffer, body: Buffer, handler: StreamHandler, open = false): void {
    if (this.unusable) return handler.abort(this.connected ? 'refused' : 'not-connected', this.error?.message);
    if (this.streams.size >= this.peerMaxConcurrent) {
      this.waiting.push({ headerBlock, body, handler, open });
      return;
    }
    const id = this.nextStreamId;
    this.nextStreamId += 2;
    if (this.nextStreamId > lastStreamId) this.becomeUnusable();
    const stream: Stream = { id, handler, unsent: body, open, sendWindow: this.peerInitialWindow, received: 0 };
    this.streams.set(id, stream);
    // HEADERS (one frame: our blocks are far below the peer's frame size) and as much body as the windows allow.
    const bodyNow = this.sendable(stream);
    const all = bodyNow === body.length;
    // An empty DATA frame only to end the request.
    const data = bodyNow > 0 || (all && !open);
    const buf = Buffer.allocUnsafe(frameHeaderBytes + headerBlock.length + (data ? frameHeaderBytes + bodyNow : 0));
    writeFrameHeader(buf, 0, headerBlock.length, FrameType.HEADERS, Flag.END_HEADERS, id);
    buf.set(headerBlock, frameHeaderBytes);
    if (data) {
      const at = frameHeaderBytes + headerBlock.length;
      writeFrameHeader(buf, at, bodyNow, FrameType.DATA, all && !open ? Flag.END_STREAM : 0, id);
      buf.set(body.subarray(0, bodyNow), at + frameHeaderBytes);
      this.spend(stream, bodyNow);
    }
    this.queue(buf);
    if (!all) this.sendBody(stream);
  }

  /** More body for a request sent `open`, after what it has sent; false if the stream is over (or the request not open). */
  write(handler: StreamHandler, data: Buffer): boolean {
    const stream = this.streamOf(handler);
    if (!stream) {
      const w = this.waiting.find((x) => x.handler === handler);
      if (w?.open) w.body = Buffer.concat([w.body, data]);
      return !!w?.open;
    }
    if (!stream.open) return false;
    if (data.length === 0) return true;
    stream.unsent = stream.unsent ? Buffer.concat([stream.unsent, data]) : data;
    // A blocked stream's bytes go when the peer opens its window.
    if (!this.blocked.has(stream)) this.sendBody(stream);
    return true;
  }

  /** Gives up a stream (RST_STREAM CANCEL); its handler hears nothing more. */
  cancel(handler: StreamHandler): void {
    const stream = this.streamOf(handler);
    if (stream) {
      this.forget(stream);
      this.queue(rstStreamFrame(stream.id, ErrorCode.CANCEL));
      return;
    }
    const i = this.waiting.findIndex((w) => w.handler === handler);
    if (i >= 0) this.waiting.splice(i, 1);
  }

  /** Streams open now: what a keepalive asks about (a peer like etcd takes pings without one for abuse). */
  get openStreams(): number {
    return this.streams.size;
  }

  private streamOf(handler: StreamHandler): Stream | undefined {
    for (const stream of this.streams.values()) if (stream.handler === handler) return stream;
    return undefined;
  }

  /** Sends a PING; `done(true)` when its ACK comes back, `done(false)` if the session ends first. */
  ping(done: (ok: boolean) => void): void {
    if (this.destroyed) return done(false);
    const payload = Buffer.allocUnsafe(8);
    const n = ++this.pingCount;
    payload.writeBigUInt64BE(n);
    this.pings.set(n, done);
    this.queue(frame(FrameType.PING, 0, 0, payload));
  }

  /** Closes the connection at once; open streams end as `dropped` (`not-connected` if it never connected). */
  destroy(err?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (err && !this.error) this.error = err;
    this.becomeUnusable();
    this.socket.destroy();
    const how: StreamAbort = this.connected ? 'dropped' : 'not-connected';
    const streams = [...this.streams.values()];
    this.streams.clear();
    const waiting = this.waiting.splice(0);
    for (const s of streams) s.handler.abort(how, this.error?.message);
    for (const w of waiting) w.handler.abort(this.connected ? 'refused' : how, this.error?.message);
    for (const done of this.pings.values()) done(false);
    this.pings.clear();
  }

  private becomeUnusable(): void {
    if (this.unusable) return;
    this.unusable = true;
    this.opts.onUnusable?.();
  }

  /** The peer broke the protocol: say so (GOAWAY) and close. */
  private fail(err: Error): void {
    const code = err instanceof ConnectionError ? err.code : ErrorCode.PROTOCOL_ERROR;
    const goaway = frame(FrameType.GOAWAY, 0, 0, undefined, 8);
    goaway.writeUInt32BE(0, frameHeaderBytes); // the last stream the peer opened: a server opens none
    goaway.writeUInt32BE(code, frameHeaderBytes + 4);
    this.socket.write(Buffer.concat([...this.out.splice(0), goaway]));
    this.destroy(new Error(`Protocol error: ${err.message}`));
  }

  // ---- sending ----

  private queue(buf: Buffer): void {
    this.out.push(buf);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Everything queued in one turn of the event loop goes out in one write: after the loop has run every callback
    // of the I/O it polled (setImmediate), not after the current one (nextTick), so the calls of all the requests a
    // poll delivered, and the frames the answers it read call for (PING ACKs, WINDOW_UPDATEs), share a write. A
    // loopback write costs tens of µs of kernel time (the receiver's wake-up included) whatever its size: with 8
    // concurrent writers there were 1.27 writes to etcd per create or update, now about 0.5. No call waits beyond
    // the loop's current turn (pending immediates keep its poll from blocking).
    setImmediate(this.flush);
  }

  private flushOut(): void {
    this.flushScheduled = false;
    if (this.destroyed || this.out.length === 0) return;
    const out = this.out;
    this.out = [];
    this.socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
  }

  /** How much of a stream's unsent body may go now. */
  private sendable(stream: Stream): number {
    const unsent = stream.unsent!.length;
    if (unsent === 0) return 0;
    return Math.max(0, Math.min(unsent, this.peerMaxFrameSize, stream.sendWindow, this.connectionSendWindow));
  }

  private spend(stream: Stream, n: number): void {
    stream.sendWindow -= n;
    this.connectionSendWindow -= n;
    stream.unsent = n === stream.unsent!.length ? undefined : stream.unsent!.subarray(n);
  }

  /** DATA frames for a stream's unsent body while the windows allow; what is left waits for a WINDOW_UPDATE. */
  private sendBody(stream: Stream): void {
    while (stream.unsent) {
      const n = this.sendable(stream);
      if (n === 0 && stream.unsent.length > 0) {
        this.blocked.add(stream);
        return;
      }
      const last = n === stream.unsent.length;
      this.queue(frame(FrameType.DATA, last && !stream.open ? Flag.END_STREAM : 0, stream.id, stream.unsent.subarray(0, n)));
      this.spend(stream, n);
    }
    this.blocked.delete(stream);
  }

  private unblock(): void {
    for (const stream of this.blocked) {
      if (this.connectionSendWindow <= 0) return;
      this.sendBody(stream);
    }
  }

  private forget(stream: Stream): void {
    this.streams.delete(stream.id);
    this.blocked.delete(stream);
    const next = this.waiting.shift();
    if (next) this.request(next.headerBlock, next.body, next.handler, next.open);
    else if (this.unusable && this.streams.size === 0 && !this.destroyed) this.destroy();
  }

  // ---- receiving ----

  private onFrame(type: number, flags: number, streamId: number, payload: Buffer): void {
    if (this.continuing && type !== FrameType.CONTINUATION) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'header block not continued');
    switch (type) {
      case FrameType.DATA:
        return this.onData(flags, streamId, payload);
      case FrameType.HEADERS:
        return this.onHeaders(flags, streamId, payload);
      case FrameType.CONTINUATION:
        return this.onContinuation(flags, streamId, payload);
      case FrameType.RST_STREAM:
        return this.onReset(streamId, payload);
      case FrameType.SETTINGS:
        return this.onSettings(flags, streamId, payload);
      case FrameType.PING:
        return this.onPing(flags, payload);
      case FrameType.GOAWAY:
        return this.onGoaway(payload);
      case FrameType.WINDOW_UPDATE:
        return this.onWindowUpdate(streamId, payload);
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE with push disabled');
      default:
        return; // PRIORITY and unknown types: nothing to do
    }
  }

  /** A frame's payload without its padding (PADDED flag), and past `skip` more bytes. */
  private unpadded(flags: number, payload: Buffer, skip = 0): Buffer {
    if (!(flags & Flag.PADDED)) return skip ? payload.subarray(skip) : payload;
    const pad = payload[0];
    if (payload.length < 1 + skip + pad) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'padding longer than the frame');
    return payload.subarray(1 + skip, payload.length - pad);
  }

  private onData(flags: number, streamId: number, payload: Buffer): void {
    const endStream = (flags & Flag.END_STREAM) !== 0;
    // Flow control counts the whole payload, padding included, whether or not the stream is still ours.
    this.connectionReceived += payload.length;
    if (this.connectionReceived >= this.opts.windowBytes / 2) {
      this.queue(windowUpdateFrame(0, this.connectionReceived));
      this.connectionReceived = 0;
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.received += payload.length;
    if (!endStream && stream.received >= this.opts.windowBytes / 2) {
      this.queue(windowUpdateFrame(streamId, stream.received));
      stream.received = 0;
    }
    const data = this.unpadded(flags, payload);
    if (data.length) stream.handler.data(data);
    if (endStream) this.ended(stream);
  }

  private onHeaders(flags: number, streamId: number, payload: Buffer): void {
    const fragment = this.unpadded(flags, payload, flags & Flag.PRIORITY ? 5 : 0);
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (flags & Flag.END_HEADERS) this.headerBlock(streamId, endStream, fragment);
    else this.continuing = { streamId, endStream, fragments: [fragment] };
  }

  private onContinuation(flags: number, streamId: number, payload: Buffer): void {
    const c = this.continuing;
    if (!c || c.streamId !== streamId) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'CONTINUATION without a header block');
    c.fragments.push(payload);
    if (!(flags & Flag.END_HEADERS)) return;
    this.continuing = undefined;
    this.headerBlock(streamId, c.endStream, Buffer.concat(c.fragments));
  }

  private headerBlock(streamId: number, endStream: boolean, block: Buffer): void {
    const stream = this.streams.get(streamId);
    // Decoded even for a stream we dropped: the block may change the connection's dynamic table.
    try {
      this.decoder.decode(block, stream ? stream.handler : ignoreFields);
    } catch (err) {
      throw new ConnectionError(ErrorCode.COMPRESSION_ERROR, (err as Error).message);
    }
    if (stream && endStream) this.ended(stream);
  }

  private ended(stream: Stream): void {
    this.forget(stream);
    // Our side may still be sending (a response before the whole request): the peer needs no more of it.
    if (stream.unsent || stream.open) this.queue(rstStreamFrame(stream.id, ErrorCode.NO_ERROR));
    stream.handler.end();
  }

  private onReset(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'RST_STREAM of the wrong size');
    const stream = this.streams.get(streamId);
    if (!stream) return;
    this.forget(stream);
    const code = payload.readUInt32BE(0);
    stream.handler.abort(code === ErrorCode.REFUSED_STREAM ? 'refused' : 'dropped', `Stream closed with error code ${errorCodeNames[code] ?? code}`);
  }

  private onSettings(flags: number, streamId: number, payload: Buffer): void {
    if (streamId !== 0 || payload.length % 6 !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'malformed SETTINGS');
    if (flags & Flag.ACK) return;
    for (let i = 0; i < payload.length; i += 6) {
      const value = payload.readUInt32BE(i + 2);
      switch (payload.readUInt16BE(i)) {
        case Setting.MAX_CONCURRENT_STREAMS:
          this.peerMaxConcurrent = value;
          break;
        case Setting.INITIAL_WINDOW_SIZE: {
          if (value > maxWindow) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'initial window too large');
          // A change applies to every open stream's window, and may leave one below zero (RFC 9113 6.9.2).
          const delta = value - this.peerInitialWindow;
          this.peerInitialWindow = value;
          for (const s of this.streams.values()) s.sendWindow += delta;
          break;
        }
        case Setting.MAX_FRAME_SIZE:
          if (value < defaultMaxFrameSize || value > 0xffffff) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'invalid max frame size');
          this.peerMaxFrameSize = value;
          break;
        default:
          // HEADER_TABLE_SIZE bounds the peer's table for what we send: we add nothing to it. Others are not ours.
          break;
      }
    }
    this.queue(frame(FrameType.SETTINGS, Flag.ACK, 0));
    this.unblock();
    while (this.waiting.length && this.streams.size < this.peerMaxConcurrent) {
      const w = this.waiting.shift()!;
      this.request(w.headerBlock, w.body, w.handler, w.open);
    }
  }

  private onPing(flags: number, payload: Buffer): void {
    if (payload.length !== 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'PING of the wrong size');
    if (!(flags & Flag.ACK)) return this.queue(frame(FrameType.PING, Flag.ACK, 0, payload));
    const n = payload.readBigUInt64BE(0);
    const done = this.pings.get(n);
    this.pings.delete(n);
    done?.(true);
  }

  private onGoaway(payload: Buffer): void {
    if (payload.length < 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'GOAWAY too short');
    const last = payload.readUInt32BE(0) & 0x7fffffff;
    const code = payload.readUInt32BE(4);
    const debug = payload.subarray(8).toString('latin1');
    this.error ??= new Error(`GOAWAY ${errorCodeNames[code] ?? code}${debug ? ` (${debug})` : ''}`);
    this.becomeUnusable();
    // Streams above the last one the peer processed were not: they may go again on another connection.
    for (const stream of [...this.streams.values()]) {
      if (stream.id <= last) continue;
      this.streams.delete(stream.id);
      this.blocked.delete(stream);
      stream.handler.abort('refused', this.error.message);
    }
    for (const w of this.waiting.splice(0)) w.handler.abort('refused', this.error.message);
    if (this.streams.size === 0) this.destroy();
  }

  private onWindowUpdate(streamId: number, payload: Buffer): void {
    if (payload.length !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'WINDOW_UPDATE of the wrong size');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (streamId === 0) {
      this.connectionSendWindow += increment;
      if (this.connectionSendWindow > maxWindow) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'connection window above 2^31-1');
      return this.unblock();
    }
    const stream = this.streams.get(streamId);
    if (!stream) return;
    stream.sendWindow += increment;
    if (this.blocked.has(stream)) this.sendBody(stream);
  }
}

/** Big enough that a page of a large list (or a watch's replay) arrives without waiting for window updates. */
export const sessionWindowBytes = 16 * 1024 * 1024;

/**
 * The connection a channel sends on to one member: kept while it takes requests, and once it takes no more (GOAWAY,
 * the socket gone, destroyed) the next request opens another, while the old one's open streams go on until they end.
 */
export class MemberConnection {
  private session?: H2Session;
  closed = false;

  constructor(
    readonly url: URL,
    private readonly tls: H2SessionOptions['tls'],
    /** Called with each connection opened (e.g. to keep it alive while it has streams). */
    private readonly onOpen?: (session: H2Session) => void,
  ) {}

  /** The open connection, or a new one. */
  current(): H2Session {
    if (this.session && !this.session.unusable) return this.session;
    const session: H2Session = new H2Session(this.url, {
      windowBytes: sessionWindowBytes,
      tls: this.tls,
      onUnusable: () => {
        if (this.session === session) this.session = undefined;
      },
    });
    this.session = session;
    this.onOpen?.(session);
    return session;
  }

  /** Ends the connection for good: no request is sent after this. */
  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.session = undefined;
  }
}
