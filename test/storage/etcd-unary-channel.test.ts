/**
 * The etcd client's own HTTP/2 transport (runtime/storage/etcd/unary-channel.ts over h2-session.ts) against Node's
 * `http2` server answering as a gRPC server does: messages and statuses (in trailers, Trailers-Only,
 * percent-encoded), bodies larger than the windows both ways (flow control, frame splitting), padded frames,
 * header blocks continued over CONTINUATION frames, the peer's stream limit, and the failures a caller sees, worded
 * as grpc-js words them: resets, GOAWAY (unprocessed calls go again on a new connection), deadlines, a member that
 * never answers a ping, and one that cannot be reached.
 */
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import net from 'node:net';
import { after, describe, it } from 'node:test';
import { UnaryChannel } from '../../runtime/storage/etcd/unary-channel.ts';
import { FrameReader, Setting, settingsFrame, windowUpdateFrame, frame, connectionPreface } from '../../runtime/storage/etcd/h2-frames.ts';
import { encodeLiterals } from '../../runtime/storage/etcd/hpack.ts';

type Answer = (stream: http2.ServerHttp2Stream, request: Buffer, headers: http2.IncomingHttpHeaders) => void;

/** One uncompressed gRPC message: flag 0, a 4-byte length, the message. */
function grpcFrame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** Answers with the message and status 0, as a gRPC server does: headers, DATA, then trailers. */
const ok = (reply: (request: Buffer) => Buffer): Answer => (stream, request) => {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': '' }));
  stream.end(grpcFrame(reply(request.subarray(5))));
};

interface TestServer {
  url: string;
  sessions: number;
  seen: http2.IncomingHttpHeaders[];
  server: http2.Http2Server;
}

const servers: http2.Http2Server[] = [];
after(() => servers.forEach((s) => s.close()));

async function grpcServer(answer: Answer, settings: http2.Settings = {}, options: http2.ServerOptions = {}): Promise<TestServer> {
  const server = http2.createServer({ settings, ...options });
  servers.push(server);
  const t: TestServer = { url: '', sessions: 0, seen: [], server };
  server.on('session', () => t.sessions++);
  server.on('stream', (stream, headers) => {
    t.seen.push(headers);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => answer(stream, Buffer.concat(chunks), headers));
    stream.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return t;
}

const channels: UnaryChannel[] = [];
after(() => channels.forEach((c) => c.close()));
function channel(url: string, pingTimeoutMs = 2000): UnaryChannel {
  const c = new UnaryChannel(url, { pingTimeoutMs });
  channels.push(c);
  return c;
}

const failure = async (p: Promise<unknown>) => {
  const err = (await p.then(() => assert.fail('call succeeded'), (e: unknown) => e)) as Error & { code: number };
  return { message: err.message, code: err.code };
};

describe('etcd unary channel over our own HTTP/2 client', () => {
  it('sends the gRPC request headers and one message, and returns the answer across many calls', async () => {
    const s = await grpcServer(ok((req) => Buffer.concat([Buffer.from('echo:'), req])));
    const c = channel(s.url);
    // Enough calls, in parallel and one after another, that the server's encoder indexes and reuses table entries.
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => c.call('/etcdserverpb.KV/Range', Buffer.from(`m${round}-${i}`), 3000)));
      assert.deepEqual(answers.map(String), Array.from({ length: 20 }, (_, i) => `echo:m${round}-${i}`));
    }
    assert.equal(s.sessions, 1);
    const h = s.seen[0];
    assert.equal(h[':method'], 'POST');
    assert.equal(h[':path'], '/etcdserverpb.KV/Range');
    assert.equal(h[':scheme'], 'http');
    assert.equal(h[':authority'], new URL(s.url).host);
    assert.equal(h['content-type'], 'application/grpc');
    assert.equal(h.te, 'trailers');
    assert.equal(h['grpc-timeout'], '3000m');
  });

  it('sends a body larger than the server windows and frames, and takes one larger than its own window', async () => {
    // The server keeps HTTP/2's default 64 KiB windows: a 3 MiB request must wait for its WINDOW_UPDATEs. The
    // 20 MiB answer is beyond our 16 MiB window: the client must open it again as it reads.
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    big.write('start', 0);
    big.write('end', big.length - 3);
    const s = await grpcServer((stream, req, headers) => {
      if (headers[':path'] === '/big-answer') return ok(() => Buffer.alloc(20 * 1024 * 1024, 9))(stream, req, headers);
      ok((r) => Buffer.from(`${r.length}:${r.subarray(0, 5)}:${r.subarray(r.length - 3)}:${r.every((b, i) => i < 5 || i >= r.length - 3 || b === 7)}`))(stream, req, headers);
    });
    const c = channel(s.url);
    const answers = await Promise.all([c.call('/big', big, 10_000), c.call('/big', big, 10_000), c.call('/big-answer', Buffer.from('x'), 10_000)]);
    assert.equal(String(answers[0]), `${big.length}:start:end:true`);
    assert.equal(String(answers[1]), `${big.length}:start:end:true`);
    assert.equal(answers[2].length, 20 * 1024 * 1024);
    assert.ok(answers[2].every((b) => b === 9));
  });

  it("sends no more than the peer's stream and connection windows allow, in frames no larger than it takes", async () => {
    // A server of a few frames of our own, which opens windows only when the test says: Node's server does not
    // refuse data beyond its windows, so it cannot tell.
    const received = new Map<number, number>();
    let largestFrame = 0;
    let socket!: net.Socket;
    let quiet!: () => void;
    const settled = () => new Promise<void>((r) => (quiet = r));
    let timer: NodeJS.Timeout | undefined;
    const answer = (id: number, message: Buffer) => {
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(message.length, 1);
      socket.write(Buffer.concat([
        frame(0x1, 0x4, id, encodeLiterals([[':status', '200'], ['content-type', 'application/grpc']])),
        frame(0x0, 0, id, Buffer.concat([prefix, message])),
        frame(0x1, 0x5, id, encodeLiterals([['grpc-status', '0']])),
      ]));
    };
    const raw = net.createServer((s) => {
      socket = s;
      let preface = true;
      const reader = new FrameReader((type, flags, id, payload) => {
        if (type !== 0x0) return;
        largestFrame = Math.max(largestFrame, payload.length);
        received.set(id, (received.get(id) ?? 0) + payload.length);
        clearTimeout(timer);
        timer = setTimeout(() => quiet?.(), 150);
        if (flags & 0x1) answer(id, Buffer.from(String(received.get(id))));
      });
      s.on('data', (chunk: Buffer) => {
        if (preface) {
          assert.deepEqual(chunk.subarray(0, connectionPreface.length), connectionPreface);
          chunk = chunk.subarray(connectionPreface.length);
          preface = false;
        }
        reader.push(chunk);
      });
      s.write(settingsFrame([[Setting.INITIAL_WINDOW_SIZE, 1000]]));
    });
    servers.push(raw as unknown as http2.Http2Server);
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const c = channel(`http://127.0.0.1:${(raw.address() as net.AddressInfo).port}`);
    assert.equal(String(await c.call('/warm', Buffer.alloc(10), 3000)), '15'); // our SETTINGS have come
    let idle = settled();
    const big = c.call('/big', Buffer.alloc(200_000), 5000);
    await idle;
    assert.equal(received.get(3), 1000); // the stream window
    idle = settled();
    socket.write(windowUpdateFrame(3, 150_000));
    await idle;
    assert.equal(received.get(3), 65535 - 15); // now the connection's window, less the first call's 15 bytes
    socket.write(Buffer.concat([windowUpdateFrame(0, 1_000_000), windowUpdateFrame(3, 1_000_000)]));
    assert.equal(String(await big), '200005');
    assert.ok(largestFrame <= 16384, `a DATA frame of ${largestFrame} bytes`);
  });

  it('reads padded frames and header blocks continued over CONTINUATION frames', async () => {
    const longMessage = 'a message longer than one frame: '.padEnd(40_000, 'z');
    const s = await grpcServer(
      (stream, req) => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '9', 'grpc-message': encodeURIComponent(longMessage), 'x-pad': 'p'.repeat(100) }));
        stream.end(grpcFrame(req.subarray(5)));
      },
      { maxHeaderListSize: 100_000 },
      { paddingStrategy: http2.constants.PADDING_STRATEGY_MAX, maxSendHeaderBlockLength: 100_000 },
    );
    const c = channel(s.url);
    assert.deepEqual(await failure(c.call('/p', Buffer.from('x'), 3000)), { code: 9, message: `9 FAILED_PRECONDITION: ${longMessage}` });
    // The connection is still good after it.
    assert.deepEqual(await failure(c.call('/p', Buffer.from('y'), 3000)), { code: 9, message: `9 FAILED_PRECONDITION: ${longMessage}` });
  });

  it("reports etcd's status and percent-decoded message, from trailers or a Trailers-Only answer", async () => {
    const s = await grpcServer((stream, _req, headers) => {
      if (headers[':path'] === '/only') {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '3', 'grpc-message': 'etcdserver%3A%20mvcc%3A%20required%20revision%20has%20been%20compacted' }, { endStream: true });
        return;
      }
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '8', 'grpc-message': 'etcdserver: request is too large %E2%9C%93 %zz' }));
      stream.end();
    });
    const c = channel(s.url);
    assert.deepEqual(await failure(c.call('/only', Buffer.from('x'), 3000)), { code: 3, message: '3 INVALID_ARGUMENT: etcdserver: mvcc: required revision has been compacted' });
    // A message that does not percent-decode as a whole is kept as sent.
    assert.deepEqual(await failure(c.call('/trailers', Buffer.from('x'), 3000)), { code: 8, message: '8 RESOURCE_EXHAUSTED: etcdserver: request is too large %E2%9C%93 %zz' });
  });

  it('an answer without a gRPC status reads as its HTTP status maps by the gRPC spec (a proxy in the way), worded as grpc-js', async () => {
    const s = await grpcServer((stream, _req, headers) => {
      const status = Number(String(headers[':path']).slice(1));
      stream.respond({ ':status': status, 'content-type': 'text/html' });
      stream.end('<html>proxy error</html>');
    });
    const c = channel(s.url);
    const expected: [number, number, string][] = [
      [400, 13, 'INTERNAL'], [401, 16, 'UNAUTHENTICATED'], [403, 7, 'PERMISSION_DENIED'], [404, 12, 'UNIMPLEMENTED'],
      [429, 14, 'UNAVAILABLE'], [502, 14, 'UNAVAILABLE'], [503, 14, 'UNAVAILABLE'], [504, 14, 'UNAVAILABLE'], [500, 2, 'UNKNOWN'], [302, 2, 'UNKNOWN'],
    ];
    for (const [http, code, name] of expected) {
      assert.deepEqual(await failure(c.call(`/${http}`, Buffer.from('x'), 3000)), { code, message: `${code} ${name}: Received HTTP status code ${http}` });
    }
  });

  it('waits for a free stream when the server allows few at once', async () => {
    let open = 0;
    let most = 0;
    const s = await grpcServer(
      (stream, req, headers) => {
        most = Math.max(most, ++open);
        setTimeout(() => {
          open--;
          ok((r) => r)(stream, req, headers);
        }, 20);
      },
      { maxConcurrentStreams: 2 },
    );
    const c = channel(s.url);
    await c.call('/warm', Buffer.from('w'), 3000); // the server's SETTINGS have come
    const answers = await Promise.all(Array.from({ length: 7 }, (_, i) => c.call('/x', Buffer.from(String(i)), 3000)));
    assert.deepEqual(answers.map(String), ['0', '1', '2', '3', '4', '5', '6']);
    assert.ok(most <= 2, `${most} streams at once`);
  });

  it('a reset stream fails as a dropped connection; the connection stays for the next call', async () => {
    const s = await grpcServer((stream, req, headers) => {
      if (headers[':path'] === '/reset') return stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      ok((r) => r)(stream, req, headers);
    });
    const c = channel(s.url);
    assert.deepEqual(await failure(c.call('/reset', Buffer.from('x'), 3000)), { code: 14, message: '14 UNAVAILABLE: Connection dropped: Stream closed with error code NGHTTP2_INTERNAL_ERROR' });
    assert.equal(String(await c.call('/ok', Buffer.from('fine'), 3000)), 'fine');
    assert.equal(s.sessions, 1);
  });

  it('calls a GOAWAY says were not processed go again on a new connection', async () => {
    const s = await grpcServer(ok((r) => r));
    // The first connection goes away at once, having processed none of the streams (last stream id 0): Node's
    // server would name the last stream it received, so a few bytes of our own play the server here.
    let connections = 0;
    const front = net.createServer((socket) => {
      if (++connections > 1) return s.server.emit('connection', socket);
      socket.once('data', () => {
        const goaway = Buffer.alloc(9 + 8);
        goaway.writeUIntBE(8, 0, 3);
        goaway[3] = 0x7; // GOAWAY, stream 0, last stream 0, NO_ERROR
        socket.end(Buffer.concat([Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0]), goaway]));
      });
    });
    servers.push(front as unknown as http2.Http2Server);
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const c = channel(`http://127.0.0.1:${(front.address() as net.AddressInfo).port}`);
    assert.equal(String(await c.call('/x', Buffer.from('again'), 3000)), 'again');
    assert.equal(connections, 2);
  });

  it('a call refused unprocessed twice is reported as never sent, so the backend may send it elsewhere', async () => {
    const front = net.createServer((socket) => {
      socket.once('data', () => {
        const goaway = Buffer.alloc(9 + 8);
        goaway.writeUIntBE(8, 0, 3);
        goaway[3] = 0x7;
        goaway.writeUInt32BE(0xb, 13); // ENHANCE_YOUR_CALM
        socket.end(Buffer.concat([Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0]), goaway]));
      });
    });
    servers.push(front as unknown as http2.Http2Server);
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const c = channel(`http://127.0.0.1:${(front.address() as net.AddressInfo).port}`);
    assert.deepEqual(await failure(c.call('/x', Buffer.from('x'), 3000)), {
      code: 14,
      message: '14 UNAVAILABLE: No connection established. Last error: GOAWAY NGHTTP2_ENHANCE_YOUR_CALM',
    });
  });

  it('a call past its deadline fails with DEADLINE_EXCEEDED; a connection that answers the ping is kept', async () => {
    const s = await grpcServer((stream, req, headers) => {
      if (headers[':path'] === '/slow') return; // never answers
      ok((r) => r)(stream, req, headers);
    });
    const c = channel(s.url, 500);
    assert.deepEqual(await failure(c.call('/slow', Buffer.from('x'), 100)), { code: 4, message: '4 DEADLINE_EXCEEDED: Deadline exceeded' });
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(String(await c.call('/ok', Buffer.from('still'), 3000)), 'still');
    assert.equal(s.sessions, 1);
  });

  it('a member that never answers, not even a ping, is dropped after a deadline: the next call connects again', async () => {
    let connections = 0;
    let pings = 0;
    const sockets: net.Socket[] = [];
    const hole = net.createServer((socket) => {
      connections++;
      sockets.push(socket);
      const reader = new FrameReader((type) => type === 0x6 && pings++);
      socket.once('data', (chunk: Buffer) => {
        reader.push(chunk.subarray(connectionPreface.length));
        socket.on('data', (more: Buffer) => reader.push(more));
      });
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    try {
      const c = channel(`http://127.0.0.1:${(hole.address() as net.AddressInfo).port}`, 200);
      // Calls that time out together send one PING between them (etcd takes a burst of them for abuse).
      const timedOut = await Promise.all(Array.from({ length: 5 }, () => failure(c.call('/x', Buffer.from('x'), 100))));
      assert.deepEqual(timedOut, Array(5).fill({ code: 4, message: '4 DEADLINE_EXCEEDED: Deadline exceeded' }));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(pings, 1);
      assert.deepEqual(await failure(c.call('/x', Buffer.from('x'), 100)), { code: 4, message: '4 DEADLINE_EXCEEDED: Deadline exceeded' });
      assert.equal(connections, 2);
    } finally {
      sockets.forEach((s) => s.destroy());
      hole.close();
    }
  });

  it('a member that cannot be reached: the call was never sent', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const c = channel(`http://127.0.0.1:${port}`);
    assert.deepEqual(await failure(c.call('/x', Buffer.from('x'), 3000)), {
      code: 14,
      message: `14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('a connection that goes down under a call: Connection dropped; a closed channel refuses calls', async () => {
    const s = await grpcServer((stream) => stream.session!.destroy());
    const c = channel(s.url);
    const { code, message } = await failure(c.call('/x', Buffer.from('x'), 3000));
    assert.equal(code, 14);
    assert.match(message, /^14 UNAVAILABLE: Connection dropped/);
    c.close();
    assert.deepEqual(await failure(c.call('/x', Buffer.from('x'), 3000)), { code: 1, message: '1 CANCELLED: Channel has been shut down' });
  });
});
