/**
 * A watcher that stops reading does not make the server queue its events without bound: once the bytes queued for
 * it stay above the limit for the budget (runtime/endpoints/watch-backlog.ts), the server drops the watch and its
 * connection, as upstream's watch cache terminates a watcher that cannot keep up (its client rewatches). A watcher
 * that reads keeps every event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
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
