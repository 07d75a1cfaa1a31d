// HTTP/2 answers frame by frame, as a client reads them off the connection (runtime/server/http2-streams.ts): a GET
// is one HEADERS frame and one DATA frame that ends the stream; an answer without a body (HEAD, 304) is one HEADERS
// frame that ends it; a large list is sent no faster than the client's small window allows; and a watch the client
// resets is let go by the server.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { connect as connectHttp2, constants } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type TestServer } from '../support/server.ts';
import { adminCredentials } from '../../scripts/watch-clients.ts';

let server: TestServer;

before(async () => {
  server = await startServer({ args: [] });
});
after(async () => {
  await server?.stop();
});

const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const WINDOW_UPDATE = 0x8;
const END_STREAM = 0x1;
const END_HEADERS = 0x4;

interface Frame {
  type: number;
  flags: number;
  stream: number;
  payload: Buffer;
}

function frame(type: number, flags: number, stream: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(stream, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK integer with an n-bit prefix (RFC 7541 section 5.1). */
function hpackInt(value: number, prefixBits: number, first = 0): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [first | value];
  const out = [first | max];
  value -= max;
  while (value >= 128) {
    out.push((value % 128) + 128);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
}

/** A header block of literal fields without indexing, new names (RFC 7541 section 6.2.2). */
function headerBlock(headers: [string, string][]): Buffer {
  const bytes: number[] = [];
  for (const [name, value] of headers) {
    bytes.push(0x00, ...hpackInt(Buffer.byteLength(name), 7), ...Buffer.from(name), ...hpackInt(Buffer.byteLength(value), 7), ...Buffer.from(value));
  }
  return Buffer.from(bytes);
}

/** A raw HTTP/2 connection: every frame the server sends is recorded. */
class RawConnection {
  readonly frames: Frame[] = [];
  #buf = Buffer.alloc(0);
  #waiters: Array<() => void> = [];

  private constructor(readonly socket: TLSSocket) {
    socket.on('data', (chunk: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, chunk]);
      while (this.#buf.length >= 9) {
        const length = this.#buf.readUIntBE(0, 3);
        if (this.#buf.length < 9 + length) break;
        const f = { type: this.#buf[3], flags: this.#buf[4], stream: this.#buf.readUInt32BE(5) & 0x7fffffff, payload: this.#buf.subarray(9, 9 + length) };
        this.#buf = this.#buf.subarray(9 + length);
        this.frames.push(f);
        // The server's SETTINGS are acknowledged, as every client must.
        if (f.type === SETTINGS && !(f.flags & 1)) socket.write(frame(SETTINGS, 1, 0));
      }
      for (const w of this.#waiters.splice(0)) w();
    });
  }

  /** Connects with `settings` (id, value) in the client's SETTINGS frame. */
  static open(settings: [number, number][] = []): Promise<RawConnection> {
    const creds = adminCredentials(server);
    return new Promise((resolve, reject) => {
      const url = new URL(server.url);
      const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ...creds, ALPNProtocols: ['h2'], servername: 'localhost' }, () => {
        assert.equal(socket.alpnProtocol, 'h2');
        const payload = Buffer.alloc(6 * settings.length);
        settings.forEach(([id, value], i) => {
          payload.writeUInt16BE(id, 6 * i);
          payload.writeUInt32BE(value, 6 * i + 2);
        });
        socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), frame(SETTINGS, 0, 0, payload)]));
        resolve(new RawConnection(socket));
      });
      socket.on('error', reject);
    });
  }

  request(stream: number, method: string, path: string, extra: [string, string][] = []): void {
    const block = headerBlock([[':method', method], [':scheme', 'https'], [':path', path], [':authority', 'localhost'], ['accept', 'application/json'], ...extra]);
    this.socket.write(frame(HEADERS, END_HEADERS | END_STREAM, stream, block));
  }

  /** A request whose body is still to come (its HEADERS frame does not end the stream), and `body`'s first bytes. */
  requestWithBody(stream: number, method: string, path: string, body: Buffer): void {
    const block = headerBlock([[':method', method], [':scheme', 'https'], [':path', path], [':authority', 'localhost'], ['content-type', 'application/json']]);
    this.socket.write(Buffer.concat([frame(HEADERS, END_HEADERS, stream, block), frame(DATA, 0, stream, body)]));
  }

  windowUpdate(stream: number, increment: number): void {
    const payload = Buffer.alloc(4);
    payload.writeUInt32BE(increment);
    this.socket.write(frame(WINDOW_UPDATE, 0, stream, payload));
  }

  /** The frames of `stream` so far. */
  of(stream: number): Frame[] {
    return this.frames.filter((f) => f.stream === stream);
  }

  /** Waits until `done` holds of the frames received (or fails after 10 s). */
  async until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames.map((f) => [f.type, f.flags, f.stream, f.payload.length]))}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const ended = (frames: Frame[]) => frames.some((f) => (f.type === DATA || f.type === HEADERS) && f.flags & END_STREAM);
/** The answer's :status, from the first byte of its header block (Node sends the status as an indexed static entry). */
const statusOf = (headers: Frame) => ({ 0x88: 200, 0x8b: 304 })[headers.payload[0]];

test('an HTTP/2 GET is answered with one HEADERS frame and one DATA frame that ends the stream', async () => {
  const conn = await RawConnection.open();
  try {
    conn.request(1, 'GET', '/api/v1/namespaces/default');
    await conn.until(() => ended(conn.of(1)), 'the answer');
    const frames = conn.of(1);
    assert.deepEqual(
      frames.map((f) => [f.type, f.flags & END_STREAM]),
      [
        [HEADERS, 0],
        [DATA, END_STREAM],
      ],
    );
    assert.equal(statusOf(frames[0]), 200);
    assert.equal(JSON.parse(frames[1].payload.toString()).metadata.name, 'default');
  } finally {
    conn.close();
  }
});

test('an HTTP/2 answer without a body (HEAD, 304 Not Modified) is one HEADERS frame that ends the stream', async () => {
  const etag = (await server.request('GET', '/openapi/v3')).headers.etag as string;
  assert.ok(etag);
  const conn = await RawConnection.open();
  try {
    conn.request(1, 'HEAD', '/api/v1/namespaces/default');
    conn.request(3, 'GET', '/openapi/v3', [['if-none-match', etag]]);
    await conn.until(() => ended(conn.of(1)) && ended(conn.of(3)), 'both answers');
    for (const [stream, status] of [
      [1, 200],
      [3, 304],
    ]) {
      const frames = conn.of(stream);
      assert.deepEqual(
        frames.map((f) => [f.type, f.flags & (END_STREAM | END_HEADERS)]),
        [[HEADERS, END_STREAM | END_HEADERS]],
        `stream ${stream}`,
      );
      assert.equal(statusOf(frames[0]), status);
    }
  } finally {
    conn.close();
  }
});

test("a large list over HTTP/2 is sent no faster than the client's small stream window allows, then whole", async () => {
  const value = 'v'.repeat(20_000);
  for (let i = 0; i < 10; i++) {
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `h2-window-${i}`, labels: { h2window: 'yes' } }, data: { value } });
    assert.equal(res.status, 201);
  }
  const window = 4096;
  const conn = await RawConnection.open([[0x4, window]]); // SETTINGS_INITIAL_WINDOW_SIZE
  try {
    conn.request(1, 'GET', '/api/v1/namespaces/default/configmaps?labelSelector=h2window%3Dyes');
    await conn.until(() => conn.of(1).some((f) => f.type === DATA), 'the first DATA frame');
    await sleep(300);
    const received = () => conn.of(1).reduce((n, f) => n + (f.type === DATA ? f.payload.length : 0), 0);
    assert.equal(received(), window, 'the server stops at the window');
    // The rest arrives as the window opens, a window at a time.
    while (!ended(conn.of(1))) {
      const before = received();
      conn.windowUpdate(1, window);
      conn.windowUpdate(0, window);
      await conn.until(() => received() > before || ended(conn.of(1)), 'more of the list');
      assert.ok(received() <= before + window, 'never more than the window opened');
    }
    const body = Buffer.concat(conn.of(1).filter((f) => f.type === DATA).map((f) => f.payload));
    const list = JSON.parse(body.toString());
    assert.equal(list.items.length, 10);
    assert.ok(body.length > 200_000);
  } finally {
    conn.close();
  }
});

/** The server's count of long-running requests (watches) under way, from /metrics. */
async function watchesUnderWay(): Promise<number> {
  const text = (await server.request('GET', '/metrics')).text;
  let n = 0;
  for (const line of text.split('\n')) if (line.startsWith('apiserver_longrunning_requests{') && line.includes('verb="WATCH"')) n += Number(line.split(' ').pop());
  return n;
}

test('a watch the client resets over HTTP/2 is let go by the server, and the connection serves on', async () => {
  const base = await watchesUnderWay();
  const session = connectHttp2(server.url, adminCredentials(server));
  try {
    const watch = session.request({ ':path': '/api/v1/namespaces/default/configmaps?watch=true' });
    await new Promise((resolve) => watch.once('response', resolve));
    watch.resume();
    assert.equal(await watchesUnderWay(), base + 1);
    watch.close(constants.NGHTTP2_CANCEL);
    const deadline = Date.now() + 5000;
    while ((await watchesUnderWay()) !== base && Date.now() < deadline) await sleep(50);
    assert.equal(await watchesUnderWay(), base);
    const status = await new Promise<number>((resolve, reject) => {
      const req = session.request({ ':path': '/version' });
      req.on('response', (h) => resolve(Number(h[':status'])));
      req.on('error', reject);
      req.resume();
    });
    assert.equal(status, 200);
  } finally {
    session.close();
  }
});

test('an HTTP/2 request body over 3 MiB is refused with 413 and upstream\'s message; a body under it is created; the connection serves on', async () => {
  const session = connectHttp2(server.url, adminCredentials(server));
  const send = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; json: { code?: number; message?: string; metadata?: { name?: string } } }>((resolve, reject) => {
      const req = session.request({ ':method': method, ':path': path, ...(body ? { 'content-type': 'application/json' } : {}) });
      let status = 0;
      const chunks: Buffer[] = [];
      req.on('response', (h) => (status = Number(h[':status'])));
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => resolve({ status, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      req.on('error', reject);
      req.end(body);
    });
  try {
    const big = JSON.stringify({ metadata: { name: 'h2-too-large' }, data: { v: 'x'.repeat(4 << 20) } });
    const refused = await send('POST', '/api/v1/namespaces/default/configmaps', big);
    assert.equal(refused.status, 413);
    assert.equal(refused.json.message, 'Request entity too large: limit is 3145728');
    const fits = JSON.stringify({ metadata: { name: 'h2-fits' }, data: { v: 'x'.repeat(1 << 20) } });
    const created = await send('POST', '/api/v1/namespaces/default/configmaps', fits);
    assert.equal(created.status, 201);
    assert.equal(created.json.metadata?.name, 'h2-fits');
    assert.equal((await send('GET', '/version')).status, 200);
  } finally {
    session.close();
  }
});

test('a request refused before its body was read is answered, then its stream reset with NO_ERROR so the client stops sending the body', async () => {
  const conn = await RawConnection.open();
  try {
    // Nobody serves this group: the 404 is answered without reading the body, whose end never comes. (Node's stream
    // closes itself so when its body was never read: a stream served directly keeps that.)
    conn.requestWithBody(1, 'POST', '/apis/nobody.example.com/v1/things', Buffer.from('{"metadata":'));
    await conn.until(() => conn.of(1).some((f) => f.type === RST_STREAM), 'the reset');
    const frames = conn.of(1);
    assert.deepEqual(
      frames.map((f) => [f.type, f.flags & END_STREAM]),
      [
        [HEADERS, 0],
        [DATA, END_STREAM],
        [RST_STREAM, 0],
      ],
    );
    assert.equal(frames[2].payload.readUInt32BE(0), 0, 'NO_ERROR');
    assert.equal(JSON.parse(frames[1].payload.toString()).code, 404);
  } finally {
    conn.close();
  }
});
