/**
 * Unary gRPC calls (Range, Txn) to one etcd member, over our own HTTP/2 connection (h2-session.ts) kept open
 * between calls: a call is a request with the gRPC headers (one header block per path and deadline, encoded once),
 * one length-prefixed message out and one back, and the status from the trailers.
 *
 * Why our own HTTP/2: grpc-js spent 150-400 µs of CPU per call, Node's `http2` client (node-http2-channel.ts)
 * ~145 µs per write, most of it its stream objects and bookkeeping around a message that costs a few µs to code;
 * see scripts/etcd-unary-bench.ts for the figures. ETCD_UNARY_TRANSPORT=node-http2 (read once) brings Node's client
 * back for this release, should ours misbehave against some server.
 *
 * Failures read as grpc-js words them (grpc-status.ts), so the backend's error typing and failover rules (kv.ts)
 * hold: a call on a connection that never came up was never sent; one the member refused unprocessed (GOAWAY above
 * its last stream, REFUSED_STREAM) is sent once more on a new connection, then reported as never sent; one whose
 * connection went down is `Connection dropped`. After a deadline passes, a PING must come back within
 * pingTimeoutMs or the connection is dropped as dead. Watch streams have connections of their own (watch-channel.ts);
 * the rare calls (leases, compaction, status) stay on etcd3's grpc-js channels.
 */
import { installCheapAsyncBind } from './async-bind.ts';
import { type H2Session, MemberConnection, type StreamAbort, type StreamHandler } from './h2-session.ts';
import { NodeHttp2Channel } from './node-http2-channel.ts';
import {
  CANCELLED, DEADLINE_EXCEEDED, decodeGrpcMessage, droppedError, grpcError, grpcFrame, grpcMessageOf, grpcRequestHeaders, httpStatusError, notConnectedError,
  type UnaryChannelOptions,
} from './grpc-status.ts';

export type { UnaryChannelOptions } from './grpc-status.ts';

/** What kv.ts calls a member through, whichever transport carries it. */
export interface UnaryTransport {
  /** Sends one message to `path` (`/etcdserverpb.KV/Range`) and resolves with the answer's message bytes. */
  call(path: string, message: Uint8Array, deadlineMs: number): Promise<Buffer>;
  close(): void;
}

const transport = process.env.ETCD_UNARY_TRANSPORT;

/** The channel to the member at `url` (http or https), on the transport ETCD_UNARY_TRANSPORT names (default ours). */
export function openUnaryChannel(url: string, opts: UnaryChannelOptions): UnaryTransport {
  // Our transport makes no AsyncResource per call, but grpc-js (leases, status) and Node's client still do.
  installCheapAsyncBind();
  return transport === 'node-http2' ? new NodeHttp2Channel(url, opts) : new UnaryChannel(url, opts);
}


export class UnaryChannel implements UnaryTransport {
  private readonly connection: MemberConnection;
  /** Request header blocks by path and grpc-timeout: the same few, every call. */
  private readonly headerBlocks = new Map<string, Buffer>();
  /** Connections with a liveness PING out. */
  private readonly checking = new WeakSet<H2Session>();

  constructor(
    url: string,
    private readonly opts: UnaryChannelOptions,
  ) {
    this.connection = new MemberConnection(new URL(url), opts.tls);
  }

  call(path: string, message: Uint8Array, deadlineMs: number): Promise<Buffer> {
    if (this.connection.closed) return Promise.reject(grpcError(CANCELLED, 'Channel has been shut down'));
    return new Promise<Buffer>((resolve, reject) => {
      const call = new UnaryCall(this, this.headerBlock(path, deadlineMs), grpcFrame(message), resolve, reject);
      call.timer = setTimeout(() => call.deadlinePassed(), deadlineMs);
      this.send(call);
    });
  }

  close(): void {
    this.connection.close();
  }

  /** Sends a call on the open connection (a new one if there is none). */
  send(call: UnaryCall): void {
    if (this.connection.closed) return call.finish(grpcError(CANCELLED, 'Channel has been shut down'));
    const session = this.connection.current();
    call.session = session;
    session.request(call.headerBlock, call.body, call);
  }

  /** A call that ran out of time may mean the member is gone without a word: drop the connection if pings go unanswered. */
  checkAlive(session: H2Session): void {
    // One check at a time: calls that time out together need one answer, and etcd (Go's gRPC server) takes a
    // burst of pings for abuse (GOAWAY too_many_pings).
    if (session.destroyed || this.checking.has(session)) return;
    this.checking.add(session);
    const timer = setTimeout(() => session.destroy(new Error('ping timed out')), this.opts.pingTimeoutMs);
    timer.unref();
    session.ping((ok) => {
      this.checking.delete(session);
      if (ok) clearTimeout(timer);
    });
  }

  private headerBlock(path: string, deadlineMs: number): Buffer {
    const timeout = `${Math.max(1, Math.ceil(deadlineMs))}m`;
    const key = `${timeout} ${path}`;
    let block = this.headerBlocks.get(key);
    if (!block) this.headerBlocks.set(key, (block = grpcRequestHeaders(this.connection.url, path, timeout)));
    return block;
  }
}

/** One call: collects the response's status and message, and settles the call's promise once. */
class UnaryCall implements StreamHandler {
  session?: H2Session;
  timer?: NodeJS.Timeout;
  private status?: number;
  /** The response's `:status`: without a grpc-status, one other than 200 says what went wrong. */
  private httpStatus?: number;
  private details = '';
  private chunks: Buffer[] = [];
  private settled = false;
  private resent = false;

  constructor(
    private readonly channel: UnaryChannel,
    readonly headerBlock: Buffer,
    readonly body: Buffer,
    private readonly resolve: (message: Buffer) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  field(name: string, value: string): void {
    if (name === 'grpc-status') this.status = Number(value);
    else if (name === 'grpc-message') this.details = decodeGrpcMessage(value);
    else if (name === ':status') this.httpStatus = Number(value);
  }

  data(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  end(): void {
    if (this.status === undefined) return this.finish(this.httpStatus !== undefined && this.httpStatus !== 200 ? httpStatusError(this.httpStatus) : droppedError(undefined));
    if (this.status !== 0) return this.finish(grpcError(this.status, this.details));
    this.finish(undefined, grpcMessageOf(this.chunks));
  }

  abort(how: StreamAbort, detail: string | undefined): void {
    if (this.settled) return;
    if (how === 'refused' && !this.resent) {
      // The member did not process it: once more, on a new connection.
      this.resent = true;
      this.status = undefined;
      this.httpStatus = undefined;
      this.details = '';
      this.chunks = [];
      return this.channel.send(this);
    }
    this.finish(how === 'dropped' ? droppedError(detail) : notConnectedError(detail));
  }

  deadlinePassed(): void {
    if (this.settled) return;
    const session = this.session!;
    session.cancel(this);
    this.channel.checkAlive(session);
    this.finish(grpcError(DEADLINE_EXCEEDED, 'Deadline exceeded'));
  }

  finish(err: Error | undefined, message?: Buffer | Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (err) this.reject(err);
    else if (message instanceof Error) this.reject(message);
    else this.resolve(message!);
  }
}
