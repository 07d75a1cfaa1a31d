/**
 * A watch over HTTP/1.1 as bytes on the connection: each event one chunk of the chunked transfer coding holding one
 * JSON line, the body closed by the last chunk at timeoutSeconds, and the connection then free for the next request.
 * Also the cases where the server cannot write a watch's chunks to the connection itself: a watch queued behind
 * another response on a pipelined connection, and an HTTP/1.0 client (no chunked coding: the body runs to the close).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let ns: string;

function credentials(s: TestServer) {
  const cfg = readFileSync(s.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

/** A raw HTTP/1.1 connection to the server: what was sent, and every byte received so far. */
async function rawConnection(): Promise<{ socket: TLSSocket; waitFor: (pred: (b: Buffer) => boolean, what: string) => Promise<Buffer> }> {
  const { hostname, port } = new URL(server.url);
  const socket = connect({ host: hostname, port: Number(port), servername: 'localhost', ALPNProtocols: ['http/1.1'], ...credentials(server) });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  let bytes = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  socket.on('data', (d: Buffer) => {
    bytes = Buffer.concat([bytes, d]);
    for (const w of waiters.splice(0)) w();
  });
  socket.on('close', () => {
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = (pred: (b: Buffer) => boolean, what: string) =>
    new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got:\n${bytes.toString('latin1')}`)), 15_000);
      const check = () => {
        if (pred(bytes)) {
          clearTimeout(timer);
          resolve(bytes);
        } else if (socket.destroyed) {
          clearTimeout(timer);
          reject(new Error(`connection closed before ${what}; got:\n${bytes.toString('latin1')}`));
        } else waiters.push(check);
      };
      check();
    });
  return { socket, waitFor };
}

function get(path: string, version = '1.1'): string {
  return `GET ${path} HTTP/${version}\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`;
}

interface RawResponse {
  head: string;
  /** The chunks' data, in order (the last, empty chunk left out); for a body without the chunked coding: one piece. */
  chunks: string[];
  /** Bytes after this response (the next one on the connection). */
  rest: Buffer;
}

/** One complete chunked response from the start of `bytes`, or undefined while it is incomplete. */
function parseChunked(bytes: Buffer): RawResponse | undefined {
  const text = bytes.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const head = text.slice(0, headEnd);
  const chunks: string[] = [];
  let at = headEnd + 4;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(text.slice(at, lineEnd), 16);
    assert.ok(/^[0-9a-f]+$/.test(text.slice(at, lineEnd)), `a chunk-size line, got ${JSON.stringify(text.slice(at, lineEnd))}`);
    const dataEnd = lineEnd + 2 + size;
    if (text.length < dataEnd + 2) return undefined;
    assert.equal(text.slice(dataEnd, dataEnd + 2), '\r\n', 'each chunk ends with CRLF');
    if (size === 0) return { head, chunks, rest: bytes.subarray(Buffer.byteLength(text.slice(0, dataEnd + 2), 'latin1')) };
    chunks.push(bytes.subarray(lineEnd + 2, dataEnd).toString('utf8'));
    at = dataEnd + 2;
  }
}

const configMap = (name: string, n: string) => ({ metadata: { name }, data: { n } });

before(async () => {
  server = await startServer();
  ns = `wire-${process.pid}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
});
after(async () => {
  await server?.stop();
});

test('each watch event is one chunk holding one JSON line; the body ends with the last chunk and the connection serves the next request', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const conn = await rawConnection();
  try {
    conn.socket.write(get(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=2&fieldSelector=metadata.name%3Done`));
    await conn.waitFor((b) => b.includes('\r\n\r\n'), 'the head');
    await server.request('POST', path, configMap('one', '1'));
    await server.request('PUT', `${path}/one`, configMap('one', '2'));
    await server.request('DELETE', `${path}/one`);
    const res = parseChunked(await conn.waitFor((b) => parseChunked(b) !== undefined, 'the end of the watch'))!;
    assert.match(res.head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(res.head, /\r\ntransfer-encoding: chunked/i);
    assert.deepEqual(
      res.chunks.map((c) => {
        assert.ok(c.endsWith('\n') && !c.slice(0, -1).includes('\n'), `one JSON line per chunk, got ${JSON.stringify(c)}`);
        const ev = JSON.parse(c);
        return [ev.type, ev.object.data.n];
      }),
      [['ADDED', '1'], ['MODIFIED', '2'], ['DELETED', '2']],
    );
    // Kept alive: the next request on the same connection is answered.
    conn.socket.write(get(`${path}/one`));
    const next = await conn.waitFor((b) => parseChunked(b)!.rest.includes('"code":404'), 'the answer to the next request');
    assert.match(parseChunked(next)!.rest.toString(), /^HTTP\/1\.1 404 /);
  } finally {
    conn.socket.destroy();
  }
});

test('a watch pipelined behind another watch on one connection gets its events once the first has ended', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const conn = await rawConnection();
  try {
    conn.socket.write(get(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=2&fieldSelector=metadata.name%3Dfirst`) + get(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=3`));
    await conn.waitFor((b) => b.includes('\r\n\r\n'), 'the first head');
    await server.request('POST', path, configMap('first', 'a'));
    await server.request('POST', path, configMap('second', 'b'));
    const first = parseChunked(await conn.waitFor((b) => parseChunked(b) !== undefined, 'the end of the first watch'))!;
    assert.deepEqual(first.chunks.map((c) => JSON.parse(c).object.metadata.name), ['first']);
    const both = await conn.waitFor((b) => parseChunked(parseChunked(b)!.rest) !== undefined, 'the end of the second watch');
    const second = parseChunked(parseChunked(both)!.rest)!;
    assert.match(second.head, /^HTTP\/1\.1 200 OK\r\n/);
    assert.deepEqual(second.chunks.map((c) => JSON.parse(c).object.metadata.name), ['first', 'second']);
  } finally {
    conn.socket.destroy();
  }
});

test('an HTTP/1.0 watch gets its events as a plain body that ends with the connection', async () => {
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const conn = await rawConnection();
  try {
    conn.socket.write(get(`${path}?watch=true&resourceVersion=${rv}&timeoutSeconds=2&fieldSelector=metadata.name%3Dold`, '1.0'));
    await conn.waitFor((b) => b.includes('\r\n\r\n'), 'the head');
    await server.request('POST', path, configMap('old', 'x'));
    const bytes = await conn.waitFor(() => conn.socket.destroyed || conn.socket.readableEnded, 'the close');
    const text = bytes.toString();
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    assert.doesNotMatch(text.slice(0, text.indexOf('\r\n\r\n')), /transfer-encoding/i);
    const ev = JSON.parse(body);
    assert.deepEqual([ev.type, ev.object.metadata.name], ['ADDED', 'old']);
    assert.ok(body.endsWith('}\n'));
  } finally {
    conn.socket.destroy();
  }
});
