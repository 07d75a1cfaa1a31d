// Gzip of large answers, as kube-apiserver's APIResponseCompression: a list above 128 KiB is gzipped for a client
// whose Accept-Encoding names gzip (over HTTP/1.1 and HTTP/2), streamed without a Content-Length as Go's server sends
// what upstream's gzip writer wrote (with one when it fits the buffer Go fills first), and sent as it is otherwise; a small answer and a watch are never gzipped; kubectl (which asks for
// gzip itself) reads the large list. /openapi/v2 is gzipped by kube-openapi's rules (gziphandler), /openapi/v3 never.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:http2';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { acceptsGzip, gzipHandlerAccepts } from '../../runtime/endpoints/response-compression.ts';

let server: TestServer;
const ns = 'gzip';
const listPath = `/api/v1/namespaces/${ns}/configmaps`;
const count = 60;
/** The test's ConfigMaps in a list (the namespace also gets kube-root-ca.crt, whenever its publisher gets to it). */
const ours = (list: { items: { metadata: { name: string } }[] }) => list.items.filter((i) => i.metadata.name.startsWith('cm-')).length;

before(async () => {
  server = await startServer();
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  // 60 ConfigMaps of ~3 KB each: a list of ~190 KB, above the 128 KiB threshold. Each blob starts with 128 hex digits
  // of its own, so the gzipped list (~10 KB) is larger than the buffer Go's server fills before it sends a body without
  // a length (4 KiB over HTTP/2): upstream would send this very list chunked.
  for (let i = 0; i < count; i++) {
    const hex = [0, 1].map((j) => createHash('sha256').update(`${i}/${j}`).digest('hex')).join('');
    const r = await server.request('POST', listPath, { metadata: { name: `cm-${i}` }, data: { blob: `${hex}-`.padEnd(3000, 'abcdefghij') } });
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await server?.stop();
});

test('Accept-Encoding is read as upstream reads it: a bare gzip token among comma-separated ones', () => {
  assert.equal(acceptsGzip('gzip'), true);
  assert.equal(acceptsGzip('deflate, gzip'), true);
  assert.equal(acceptsGzip(' gzip ,br'), true);
  assert.equal(acceptsGzip(undefined), false);
  assert.equal(acceptsGzip('br, deflate'), false);
  assert.equal(acceptsGzip('gzip;q=1.0'), false);
  assert.equal(acceptsGzip('x-gzip'), false);
});

test('Accept-Encoding for /openapi/v2 is read as gziphandler reads it: a q-value for gzip above 0', () => {
  assert.equal(gzipHandlerAccepts('gzip'), true);
  assert.equal(gzipHandlerAccepts('deflate, GZIP'), true);
  assert.equal(gzipHandlerAccepts('gzip;q=0.5'), true);
  assert.equal(gzipHandlerAccepts('gzip;q=0'), false);
  assert.equal(gzipHandlerAccepts('gzip;q=0, br'), false);
  assert.equal(gzipHandlerAccepts('gzip, gzip;q=0'), false, 'the last mention wins');
  assert.equal(gzipHandlerAccepts('gzip;q=0;level=1'), true, 'a later parameter resets the q-value');
  assert.equal(gzipHandlerAccepts('gzip;q=x'), false, 'an unreadable q-value drops the mention');
  assert.equal(gzipHandlerAccepts('gzip;q=0.5, gzip;q=x'), true);
  assert.equal(gzipHandlerAccepts('x-gzip'), false);
  assert.equal(gzipHandlerAccepts(undefined), false);
});

test('/openapi/v2 is gzipped for a client that accepts gzip, and every answer varies on Accept-Encoding', async () => {
  const plain = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding, Accept');
  const gz = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json', 'Accept-Encoding': 'gzip;q=0.8' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding, Accept');
  assert.equal(gz.headers.etag, plain.headers.etag);
  assert.equal(gz.headers['content-length'], undefined);
  assert.deepEqual(gunzipSync(gz.bytes), plain.bytes);
  const refused = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json', 'Accept-Encoding': 'gzip;q=0' });
  assert.equal(refused.headers['content-encoding'], undefined);
  const unchanged = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json', 'Accept-Encoding': 'gzip', 'If-None-Match': plain.headers.etag as string });
  assert.equal(unchanged.status, 304);
  assert.equal(unchanged.headers.vary, 'Accept-Encoding, Accept');
  // kubectl's protobuf form is gzipped too.
  const pb = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'Accept-Encoding': 'gzip' });
  assert.equal(pb.headers['content-encoding'], 'gzip');
});

test('the OpenAPI v3 documents are not gzipped', async () => {
  for (const path of ['/openapi/v3', '/openapi/v3/api/v1']) {
    const r = await server.request('GET', path, undefined, { 'Accept-Encoding': 'gzip' });
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-encoding'], undefined, path);
  }
});

test('a list above 128 KiB is gzipped for a client that asks, and the same JSON is sent plain to one that does not', async () => {
  const plain = await server.request('GET', listPath);
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.bytes.length > 128 * 1024, `list of ${plain.bytes.length} bytes`);
  assert.equal(ours(plain.json), count);

  const gz = await server.request('GET', listPath, undefined, { 'Accept-Encoding': 'gzip' });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(gz.headers['content-type'], 'application/json');
  // Streamed as upstream's gzip writer streams it: chunked, no length announced.
  assert.equal(gz.headers['content-length'], undefined);
  assert.equal(gz.headers['transfer-encoding'], 'chunked');
  assert.ok(gz.bytes.length > 4096, `gzipped to ${gz.bytes.length} bytes`);
  assert.ok(gz.bytes.length < plain.bytes.length / 4, `gzipped to ${gz.bytes.length} bytes`);
  assert.deepEqual(JSON.parse(gunzipSync(gz.bytes).toString()), plain.json);
});

test('a list answered again unchanged is gzipped alike each time, and what changes in it reaches its next gzip', async () => {
  // From the third identical list on, the watch cache's page answers with one kept body, whose gzip is kept with it.
  const rv0 = `${listPath}?resourceVersion=0`;
  const plain = await server.request('GET', rv0);
  for (let i = 0; i < 4; i++) {
    const gz = await server.request('GET', rv0, undefined, { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers['transfer-encoding'], 'chunked');
    assert.deepEqual(gunzipSync(gz.bytes), plain.bytes, `list ${i}`);
  }
  assert.equal((await server.request('POST', listPath, { metadata: { name: 'later-0' } })).status, 201);
  // A consistent list waits for the cache to hold the write; the rv=0 lists after it read that cache.
  for (const path of [listPath, rv0, rv0, rv0]) {
    const gz = await server.request('GET', path, undefined, { 'Accept-Encoding': 'gzip' });
    const list = JSON.parse(gunzipSync(gz.bytes).toString());
    assert.ok(list.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'later-0'), path);
    assert.equal(ours(list), count);
  }
});

test('an answer of 128 KiB or less is not gzipped even when the client asks', async () => {
  const one = await server.request('GET', `${listPath}/cm-0`, undefined, { 'Accept-Encoding': 'gzip' });
  assert.equal(one.status, 200);
  assert.equal(one.headers['content-encoding'], undefined);
  assert.equal(one.json.metadata.name, 'cm-0');
  const page = await server.request('GET', `${listPath}?limit=5`, undefined, { 'Accept-Encoding': 'gzip' });
  assert.equal(page.headers['content-encoding'], undefined);
  assert.equal(page.json.items.length, 5);
});

test('a watch is not gzipped', async () => {
  const watch = await server.watch(`${listPath}?watch=true&resourceVersion=0`, { 'Accept-Encoding': 'gzip' });
  try {
    assert.equal(watch.status, 200);
    assert.equal(watch.headers['content-encoding'], undefined);
    const first = await watch.next();
    assert.equal(first.type, 'ADDED');
  } finally {
    watch.close();
  }
});

/** One GET over HTTP/2 with the server's client certificate. */
async function h2Get(path: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  const cfg = readFileSync(server.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  const h2 = connect(server.url, { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') });
  try {
    return await new Promise((resolve, reject) => {
      const req = h2.request({ ':path': path, ...headers });
      const chunks: Buffer[] = [];
      let got: Record<string, unknown> = {};
      req.on('response', (h) => (got = h));
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => resolve({ headers: got, body: Buffer.concat(chunks) }));
      req.on('error', reject);
      req.end();
    });
  } finally {
    h2.close();
  }
}

test('over HTTP/2 the large list is gzipped as well', async () => {
  const { headers, body } = await h2Get(listPath, { 'accept-encoding': 'gzip' });
  assert.equal(headers[':status'], 200);
  assert.equal(headers['content-encoding'], 'gzip');
  assert.equal(headers.vary, 'Accept-Encoding');
  assert.equal(headers['content-length'], undefined);
  assert.equal(ours(JSON.parse(gunzipSync(body).toString())), count);
});

test('a gzipped answer that fits the buffer Go fills before sending (2 KiB over HTTP/1.1, 4 KiB over HTTP/2) carries its length', async () => {
  // Lists above 128 KiB of nearly nothing but one repeated letter: the first gzips below 2 KiB, the second (with 3000
  // random hex digits more) between 2 and 4 KiB, where Go's HTTP/1.1 server chunks and its HTTP/2 server does not.
  const small = 'gzip-small';
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: small } })).status, 201);
  const cms = `/api/v1/namespaces/${small}/configmaps`;
  for (let i = 0; i < 3; i++) {
    const r = await server.request('POST', cms, { metadata: { name: `big-${i}`, labels: { size: 'small' } }, data: { blob: 'a'.repeat(50_000) } });
    assert.equal(r.status, 201, r.text);
  }
  const hex = Array.from({ length: 47 }, (_, j) => createHash('sha256').update(`mid/${j}`).digest('hex')).join('').slice(0, 3000);
  assert.equal((await server.request('POST', cms, { metadata: { name: 'mid', labels: { size: 'mid' } }, data: { blob: hex } })).status, 201);
  const smallList = `${cms}?labelSelector=size%3Dsmall`;
  const midList = `${cms}?labelSelector=size%20in%20(small,mid)`;

  const one = await server.request('GET', smallList, undefined, { 'Accept-Encoding': 'gzip' });
  assert.equal(one.headers['content-encoding'], 'gzip');
  assert.ok(one.bytes.length <= 2048, `gzipped to ${one.bytes.length} bytes`);
  assert.equal(one.headers['content-length'], String(one.bytes.length));
  assert.equal(one.headers['transfer-encoding'], undefined);
  assert.equal(JSON.parse(gunzipSync(one.bytes).toString()).items.length, 3);

  const mid = await server.request('GET', midList, undefined, { 'Accept-Encoding': 'gzip' });
  assert.equal(mid.headers['content-encoding'], 'gzip');
  assert.ok(mid.bytes.length > 2048 && mid.bytes.length <= 4096, `gzipped to ${mid.bytes.length} bytes`);
  assert.equal(mid.headers['content-length'], undefined);
  assert.equal(mid.headers['transfer-encoding'], 'chunked');

  for (const path of [smallList, midList]) {
    const { headers, body } = await h2Get(path, { 'accept-encoding': 'gzip' });
    assert.equal(headers['content-encoding'], 'gzip', path);
    assert.equal(headers['content-length'], String(body.length), path);
    assert.ok(JSON.parse(gunzipSync(body).toString()).items.length >= 3, path);
  }
});

test('kubectl get reads the gzipped list', async () => {
  const kubectl = kubectlRunner(server.kubeconfig);
  const r = await kubectl.run(['get', 'configmaps', '-n', ns, '-o', 'json', '-v=8']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(ours(JSON.parse(r.stdout)), count);
  // client-go logs the answer's headers at -v=8. Go's transport drops Content-Encoding once it has undone the gzip it
  // asked for; the Vary header that only a gzipped answer carries remains.
  assert.match(r.stderr, /configmaps\?limit=500[\s\S]*Vary: Accept-Encoding/);
});
