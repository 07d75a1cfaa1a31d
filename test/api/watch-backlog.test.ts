/**
 * A watcher that stops reading does not make the server queue its events without bound: once the bytes queued for
 * it stay above the limit for the budget (runtime/endpoints/watch-backlog.ts), the server drops the watch and its
 * connection, as upstream's watch cache terminates a watcher that cannot keep up (its client rewatches). A watcher
 * that reads keeps every event. Over HTTP/2 the stalled watch's stream alone is ended: the watch beside it on the same
 * connection goes on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { connect as connectHttp2, constants as http2Constants } from 'node:http2';
import { startServer, type TestServer } from '../support/server.ts';
import { watchBacklogLimits } from '../../runtime/endpoints/watch-backlog.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(() => server?.stop());

function credentials(s: TestServer) {
  const cfg = readFileSync(s.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

/** A watch on a raw HTTP/1.1 connection that counts the bytes it has read and tells when the server closed it. */
async function rawWatch(path: string) {
  const { hostname, port } = new URL(server.url);
  const socket = connect({ host: hostname, port: Number(port), servername: 'localhost', ALPNProtocols: ['http/1.1'], ...credentials(server) });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  const state = { bytes: 0, closed: false };
  socket.on('data', (d: Buffer) => (state.bytes += d.length));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => ((state.closed = true), resolve())));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n\r\n`);
  while (state.bytes === 0) await new Promise((r) => setTimeout(r, 20)); // the response head
  return { socket, state, closed };
}

test('a watcher that stops reading is dropped once its queued events stay over the limit; one that reads gets them all', async () => {
  const ns = `backlog-${Date.now()}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const stalled = await rawWatch(`${path}?watch=true&resourceVersion=${rv}`);
  const reading = await rawWatch(`${path}?watch=true&resourceVersion=${rv}`);
  stalled.socket.pause();
  // More than the limit beyond what the kernel buffers: up to 4 MB sent (tcp_wmem), about 128 KB received while the reader does not read.
  const value = 'x'.repeat(900_000);
  const count = Math.ceil((watchBacklogLimits.maxBytes + (8 << 20)) / value.length);
  const create = async (i: number) => assert.equal((await server.request('POST', path, { metadata: { name: `big-${i}` }, data: { k: value } })).status, 201);
  for (let i = 0; i < count; i++) await create(i);
  // Still over the limit once the budget has passed: the next event ends the watch.
  await new Promise((r) => setTimeout(r, watchBacklogLimits.budgetMs + 200));
  await create(count);
  stalled.socket.resume();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([stalled.closed, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
  clearTimeout(timer);
  assert.ok(stalled.state.closed, 'the server closed the stalled watch');
  assert.ok(stalled.state.bytes < (count + 1) * value.length, `the stalled watch did not get every event (${stalled.state.bytes} bytes)`);
  // The watcher that read along has every event, and its watch goes on.
  for (let waited = 0; reading.state.bytes < (count + 1) * value.length && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  assert.ok(reading.state.bytes > (count + 1) * value.length, `the reading watch got every event (${reading.state.bytes} bytes)`);
  assert.equal(reading.state.closed, false);
  reading.socket.destroy();
  stalled.socket.destroy();
});

/**
 * Over HTTP/2, a stream's unread data holds back the connection's flow-control window as well as its own: a client
 * that does not read a stream acknowledges none of its bytes, for the connection either. Node's client keeps the
 * protocol's initial connection window of 64 KB, which one stalled stream's window (64 KB) fills, and then the
 * session's other streams wait for the server too (what stalled this test's first version). Go's HTTP/2 transport,
 * client-go's, opens its connection window to 1 GB (4 MB per stream); this client opens it as well, so the watch
 * beside the stalled one reads on.
 */
test('over HTTP/2, a stalled watch stream is reset once its queued events stay over the limit; the watch beside it on the same connection gets them all', async () => {
  const ns = `backlog-h2-${Date.now()}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const session = connectHttp2(server.url, credentials(server));
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject));
  session.setLocalWindowSize(1 << 30);
  const watch = async () => {
    const req = session.request({ ':path': `${path}?watch=true&resourceVersion=${rv}`, accept: 'application/json' });
    const state = { bytes: 0, closed: false };
    req.on('data', (d: Buffer) => (state.bytes += d.length));
    req.on('error', () => {});
    const closed = new Promise<void>((resolve) => req.once('close', () => ((state.closed = true), resolve())));
    const status = await new Promise<number>((resolve, reject) => req.once('response', (h) => resolve(Number(h[':status']))).once('error', reject));
    assert.equal(status, 200);
    return { req, state, closed };
  };
  try {
    const stalled = await watch();
    const reading = await watch();
    stalled.req.pause();
    // Flow control holds all but a stream window (64 KB) of the stalled watch's events in the server.
    const value = 'x'.repeat(900_000);
    const count = Math.ceil((watchBacklogLimits.maxBytes + (1 << 20)) / value.length);
    const create = async (i: number) => assert.equal((await server.request('POST', path, { metadata: { name: `big-${i}` }, data: { k: value } })).status, 201);
    for (let i = 0; i < count; i++) await create(i);
    // Still over the limit once the budget has passed: the next event ends the watch.
    await new Promise((r) => setTimeout(r, watchBacklogLimits.budgetMs + 200));
    await create(count);
    // A stream reset without an error ends once its client reads what it had buffered (at most a stream window).
    stalled.req.resume();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stalled.closed, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
    clearTimeout(timer);
    assert.ok(stalled.state.closed, 'the server reset the stalled watch stream');
    assert.ok(stalled.state.bytes < (count + 1) * value.length, `the stalled watch did not get every event (${stalled.state.bytes} bytes)`);
    // The watcher that read along on the same connection has every event, and its watch goes on.
    for (let waited = 0; reading.state.bytes < (count + 1) * value.length && waited < 15_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert.ok(reading.state.bytes > (count + 1) * value.length, `the reading watch got every event (${reading.state.bytes} bytes)`);
    assert.equal(reading.state.closed, false);
    assert.equal(session.destroyed, false, 'the connection stays up');
    reading.req.close(http2Constants.NGHTTP2_CANCEL);
  } finally {
    session.destroy();
  }
});
