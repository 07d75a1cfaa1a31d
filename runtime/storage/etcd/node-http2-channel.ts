/**
 * Unary gRPC calls to one etcd member over Node's own HTTP/2 client, the transport before our own (unary-channel.ts),
 * kept for one release behind ETCD_UNARY_TRANSPORT=node-http2: one request stream per call on a session kept
 * open between calls. grpc-js spent 150-400 µs of CPU on each Range or Txn (call objects, filters, metadata,
 * timers) around a message that costs a few µs to code; here a call is a request with the gRPC headers, one
 * length-prefixed message out and one back, and the status from the trailers.
 *
 * Failures read as grpc-js words them (`14 UNAVAILABLE: No connection established ...`, `4 DEADLINE_EXCEEDED: ...`,
 * then etcd's own status and message), with the gRPC code in `code`, so the backend's error typing and failover
 * rules (kv.ts) hold whichever transport carried the call. Watch streams go over our own client (watch-channel.ts);
 * the rare calls (leases, compaction, status) stay on etcd3's grpc-js channels.
 */
import http2, { type ClientHttp2Session } from 'node:http2';
import { installCheapAsyncBind } from './async-bind.ts';
import { DEADLINE_EXCEEDED, UNAVAILABLE, decodeGrpcMessage, grpcError, grpcFrame, grpcMessageOf, type UnaryChannelOptions } from './grpc-status.ts';

/** Big enough that a page of a large list arrives without waiting for window updates. */
const windowBytes = 16 * 1024 * 1024;

export class NodeHttp2Channel {
  private session?: ClientHttp2Session;
  /** Whether the current session ever connected: a call on a session that never did was never sent. */
  private connected = false;
  private lastConnectError?: Error;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly opts: UnaryChannelOptions,
  ) {
    installCheapAsyncBind();
  }

  /** Sends one message to `path` (`/etcdserverpb.KV/Range`) and resolves with the answer's message bytes. */
  call(path: string, message: Uint8Array, deadlineMs: number): Promise<Buffer> {
    if (this.closed) return Promise.reject(grpcError(1, 'Channel has been shut down'));
    const session = this.open();
    return new Promise<Buffer>((resolve, reject) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let status: number | undefined;
      let details = '';
      const finish = (err: Error | undefined, body?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(body!);
      };
      const stream = session.request({
        ':method': 'POST',
        ':path': path,
        'content-type': 'application/grpc',
        te: 'trailers',
        'grpc-timeout': `${Math.max(1, Math.ceil(deadlineMs))}m`,
      });
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        this.checkAlive(session);
        finish(grpcError(DEADLINE_EXCEEDED, 'Deadline exceeded'));
      }, deadlineMs);
      const readStatus = (headers: http2.IncomingHttpHeaders) => {
        const s = headers['grpc-status'];
        if (s === undefined) return;
        status = Number(s);
        const m = headers['grpc-message'];
        if (typeof m === 'string') details = decodeGrpcMessage(m);
      };
      stream.on('response', readStatus);
      stream.on('trailers', readStatus);
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (status === undefined) return finish(grpcError(UNAVAILABLE, 'Connection dropped'));
        if (status !== 0) return finish(grpcError(status, details));
        const message = grpcMessageOf(chunks);
        if (message instanceof Error) finish(message);
        else finish(undefined, message);
      });
      stream.on('error', (err: Error) => finish(this.connected ? grpcError(UNAVAILABLE, `Connection dropped: ${err.message}`) : this.notConnected(err)));
      stream.on('close', () => {
        if (!settled) finish(this.connected ? grpcError(UNAVAILABLE, 'Connection dropped') : this.notConnected(this.lastConnectError));
      });
      stream.end(grpcFrame(message));
    });
  }

  close(): void {
    this.closed = true;
    this.session?.destroy();
    this.session = undefined;
  }

  /** Words a failure to connect as grpc-js does, which the backend takes for a call that was never sent. */
  private notConnected(err: Error | undefined): Error {
    return grpcError(UNAVAILABLE, `No connection established. Last error: ${err?.message ?? 'connection closed'}`);
  }

  private open(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    this.connected = false;
    const { ca, cert, key } = this.opts.tls ?? {};
    const session = http2.connect(this.url, { settings: { initialWindowSize: windowBytes }, ca, cert, key });
    this.session = session;
    session.on('connect', () => {
      if (this.session !== session) return;
      this.connected = true;
      this.lastConnectError = undefined;
      session.setLocalWindowSize(windowBytes);
    });
    session.on('error', (err: Error) => {
      if (this.session === session && !this.connected) this.lastConnectError = err;
    });
    // A closing session (GOAWAY, reset, ours) takes no more calls: the next call opens a new one.
    const drop = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('close', drop);
    session.on('goaway', drop);
    // An idle session must not keep the process alive.
    session.unref();
    return session;
  }

  /** A call that ran out of time may mean the member is gone without a word: drop the session if pings go unanswered. */
  private checkAlive(session: ClientHttp2Session): void {
    if (session.destroyed || session.closed) return;
    const timer = setTimeout(() => session.destroy(), this.opts.pingTimeoutMs);
    timer.unref();
    try {
      session.ping((err) => {
        if (!err) clearTimeout(timer);
      });
    } catch {
      clearTimeout(timer);
      session.destroy();
    }
  }
}
