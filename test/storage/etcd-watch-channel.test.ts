/**
 * etcd Watch streams over our own HTTP/2 client (runtime/storage/etcd/watch-channel.ts) against Node's `http2`
 * server answering as etcd's gRPC server does: the request, responses cut anywhere by DATA frames (and several in
 * one), progress requests written on the open stream, the status that ends it, our cancel, streams sharing one
 * connection, and a member that stops answering pings. Against a real etcd: test/storage/kv-etcd.test.ts.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import protobuf from 'protobufjs/minimal.js';
import { connectionPreface, FrameReader, settingsFrame } from '../../runtime/storage/etcd/h2-frames.ts';
import { encodeWatchRequest, type WatchResponse } from '../../runtime/storage/etcd/messages.ts';
import { WatchChannel, type WatchStreamHandler } from '../../runtime/storage/etcd/watch-channel.ts';

const tag = (n: number, wire: number) => (n << 3) | wire;

/** A WatchResponse with its header revision and one Put event per key (etcd's rpc.proto numbers), gRPC-framed. */
function watchResponse(revision: number, keys: string[]): Buffer {
  const w = protobuf.Writer.create();
  w.uint32(tag(1, 2)).fork().uint32(tag(3, 0)).int64(revision).ldelim();
  keys.forEach((key, i) => {
    w.uint32(tag(11, 2)).fork();
    w.uint32(tag(2, 2)).fork().uint32(tag(1, 2)).bytes(Buffer.from(key)).uint32(tag(3, 0)).int64(revision + i).uint32(tag(5, 2)).bytes(Buffer.from(`v-${key}`)).ldelim();
    w.ldelim();
  });
  const message = Buffer.from(w.finish());
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** What a stream's handler heard: each response as `revision:key,key`, and how the stream ended. */
class Heard implements WatchStreamHandler {
  responses: string[] = [];
  ended?: Error;
  private waiters: (() => void)[] = [];
  response(res: WatchResponse): void {
    this.responses.push(`${res.revision}:${res.events.map((e) => e.kv.key.toString()).join(',')}`);
    this.waiters.splice(0).forEach((r) => r());
  }
  end(err: Error): void {
    this.ended = err;
    this.waiters.splice(0).forEach((r) => r());
  }
  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((r) => this.waiters.push(r));
  }
}

interface WatchServer {
  url: string;
  sessions: number;
  /** The request messages each stream received, in order (the 5-byte prefix cut off). */
  received: Buffer[][];
  headers: http2.IncomingHttpHeaders[];
  streams: http2.ServerHttp2Stream[];
}

const servers: http2.Http2Server[] = [];
const channels: WatchChannel[] = [];
after(() => {
  channels.forEach((c) => c.close());
  servers.forEach((s) => s.close());
});

/** A server that answers every Watch stream's request messages with `answer` (its writes, its trailers). */
async function watchServer(answer: (stream: http2.ServerHttp2Stream, message: Buffer, index: number) => void): Promise<WatchServer> {
  const server = http2.createServer();
  servers.push(server);
  const t: WatchServer = { url: '', sessions: 0, received: [], headers: [], streams: [] };
  server.on('session', () => t.sessions++);
  server.on('stream', (stream, headers) => {
    const received: Buffer[] = [];
    t.received.push(received);
    t.headers.push(headers);
    t.streams.push(stream);
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    let pending = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const message = pending.subarray(5, 5 + pending.readUInt32BE(1));
        pending = pending.subarray(5 + message.length);
        received.push(message);
        answer(stream, message, received.length - 1);
      }
    });
    stream.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return t;
}

function channel(url: string, keepaliveMs = 10_000, pingTimeoutMs = 5000): WatchChannel {
  const c = new WatchChannel(url, { keepaliveMs, pingTimeoutMs });
  channels.push(c);
  return c;
}

const create = encodeWatchRequest({ key: Buffer.from('/a/'), rangeEnd: Buffer.from('/a0'), startRevision: 5, progressNotify: true, prevKv: true });

/** Ends a stream as etcd's gRPC server does: trailers with the status. */
const endWith = (stream: http2.ServerHttp2Stream, status: number, message = '') => {
  stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), 'grpc-message': encodeURIComponent(message) }));
  stream.end();
};

describe('etcd Watch streams over our own HTTP/2 client', () => {
  it('sends the request on an open stream and decodes responses however DATA frames cut them; progress requests follow on it', async () => {
    const s = await watchServer((stream, _message, i) => {
      if (i === 0) {
        // One response cut in three writes (DATA frames), then two in one write.
        const one = watchResponse(5, ['/a/x', '/a/y']);
        stream.write(one.subarray(0, 3));
        stream.write(one.subarray(3, 20));
        stream.write(one.subarray(20));
        stream.write(Buffer.concat([watchResponse(7, ['/a/z']), watchResponse(8, [])]));
      } else if (i === 1) {
        stream.write(watchResponse(9, []));
      } else {
        endWith(stream, 0);
      }
    });
    const heard = new Heard();
    const w = channel(s.url).open(create, heard);
    await heard.until(() => heard.responses.length === 3);
    w.send(encodeWatchRequest());
    await heard.until(() => heard.responses.length === 4);
    assert.deepEqual(heard.responses, ['5:/a/x,/a/y', '7:/a/z', '8:', '9:']);
    assert.deepEqual(s.received[0].map((m) => m.toString('hex')), [Buffer.from(create).toString('hex'), Buffer.from(encodeWatchRequest()).toString('hex')]);
    const h = s.headers[0];
    assert.equal(h[':path'], '/etcdserverpb.Watch/Watch');
    assert.equal(h['content-type'], 'application/grpc');
    assert.equal(h.te, 'trailers');
    assert.equal(h['grpc-timeout'], undefined, 'a watch has no deadline');
    // The server ends the stream with OK (etcd does so only when it shuts down): the watch is over.
    w.send(encodeWatchRequest());
    await heard.until(() => heard.ended !== undefined);
    assert.equal(heard.ended!.message, 'etcd watch stream ended');
  });

  it("a stream ended with etcd's status reports it as grpc-js words it", async () => {
    const s = await watchServer((stream) => endWith(stream, 14, 'etcdserver: no leader'));
    const heard = new Heard();
    channel(s.url).open(create, heard);
    await heard.until(() => heard.ended !== undefined);
    assert.equal(heard.ended!.message, '14 UNAVAILABLE: etcdserver: no leader');
    assert.equal((heard.ended as Error & { code: number }).code, 14);
  });

  it('watches to a member share one connection; a cancelled one is reset (CANCEL) and hears nothing more, the others go on', async () => {
    const s = await watchServer((stream, _m, i) => i === 0 && stream.write(watchResponse(5, ['/a/first'])));
    const c = channel(s.url);
    const heard = [new Heard(), new Heard(), new Heard()];
    const streams = heard.map((h) => c.open(create, h));
    await Promise.all(heard.map((h) => h.until(() => h.responses.length === 1)));
    assert.equal(s.sessions, 1);
    const closed = new Promise<number>((r) => s.streams[1].once('close', () => r(s.streams[1].rstCode)));
    streams[1].cancel();
    assert.equal(await closed, http2.constants.NGHTTP2_CANCEL);
    for (const stream of s.streams) if (!stream.destroyed) stream.write(watchResponse(6, ['/a/second']));
    await Promise.all([heard[0], heard[2]].map((h) => h.until(() => h.responses.length === 2)));
    assert.deepEqual(heard[1].responses, ['5:/a/first']);
    assert.equal(heard[1].ended, undefined);
  });

  it('a member that stops answering pings is dropped: its watches end as a lost connection, and the next watch connects again', async () => {
    let connections = 0;
    let pings = 0;
    const sockets: net.Socket[] = [];
    // A server that takes the connection and the stream and then answers nothing, pings included.
    const hole = net.createServer((socket) => {
      connections++;
      sockets.push(socket);
      socket.write(settingsFrame([]));
      const reader = new FrameReader((type) => type === 0x6 && pings++);
      socket.once('data', (chunk: Buffer) => {
        reader.push(chunk.subarray(connectionPreface.length));
        socket.on('data', (more: Buffer) => reader.push(more));
      });
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    try {
      const c = channel(`http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`, 50, 100);
      const heard = new Heard();
      c.open(create, heard);
      await heard.until(() => heard.ended !== undefined);
      assert.equal(heard.ended!.message, '14 UNAVAILABLE: Connection dropped: keepalive ping timed out');
      assert.ok(pings >= 1);
      const next = new Heard();
      c.open(create, next);
      await next.until(() => next.ended !== undefined);
      assert.equal(connections, 2);
    } finally {
      sockets.forEach((s) => s.destroy());
      hole.close();
    }
  });

  it('a member that cannot be reached: the watch ends as never connected', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const heard = new Heard();
    channel(`http://127.0.0.1:${port}`).open(create, heard);
    await heard.until(() => heard.ended !== undefined);
    assert.equal(heard.ended!.message, `14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});
