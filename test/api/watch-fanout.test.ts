/**
 * Many watchers of the same changes, as controllers and kubectl watch: each gets the whole stream, byte for byte the
 * same as every other watcher in the same form, whether it watches over its own HTTP/1.1 connection or on a shared
 * HTTP/2 one, in JSON or in protobuf; the stream ends cleanly at timeoutSeconds (HTTP/1.1: the chunked body's end).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type ClientHttp2Session } from 'node:http2';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;

function credentials(s: TestServer) {
  const cfg = readFileSync(s.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

interface Body {
  status: number;
  contentType: string;
  /** Resolves with the whole body once the server ended it cleanly; rejects if the stream broke. */
  done: Promise<Buffer>;
}

/** A watch on its own HTTP/1.1 connection. */
function http1Watch(path: string, headers: Record<string, string>): Promise<Body> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${server.url}${path}`, { ...credentials(server), agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      const done = new Promise<Buffer>((ok, fail) => {
        res.on('end', () => ok(Buffer.concat(chunks)));
        res.on('aborted', () => fail(new Error('the watch was cut off, not ended')));
        res.on('error', fail);
      });
      resolve({ status: res.statusCode!, contentType: String(res.headers['content-type']), done });
    });
    req.on('error', reject);
    req.end();
  });
}

/** A watch as one stream of a shared HTTP/2 connection. */
function http2Watch(h2: ClientHttp2Session, path: string, headers: Record<string, string>): Promise<Body> {
  return new Promise((resolve, reject) => {
    const req = h2.request({ ':path': path, ...headers });
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    const done = new Promise<Buffer>((ok, fail) => {
      req.on('end', () => ok(Buffer.concat(chunks)));
      req.on('error', fail);
    });
    req.on('response', (h) => resolve({ status: Number(h[':status']), contentType: String(h['content-type']), done }));
    req.on('error', reject);
  });
}

/** The protobuf watch frames of a body: each a 4-byte big-endian length, then the event. */
function frames(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const n = body.readUInt32BE(at);
    out.push(body.subarray(at + 4, at + 4 + n));
    at += 4 + n;
  }
  return out;
}

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('every watcher of the same changes gets the same bytes, over HTTP/1.1 and HTTP/2, in JSON and protobuf', async () => {
  const ns = `fanout-${process.pid}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  // Changes before the watches start (replayed from the resourceVersion) and after (sent live).
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const created = (await server.request('POST', path, { metadata: { name: 'seen' }, data: { n: '0' } })).json;
  const url = `${path}?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name%3Dseen&timeoutSeconds=3`;
  const forms = { json: { accept: 'application/json', contentType: 'application/json' }, protobuf: { accept: 'application/vnd.kubernetes.protobuf', contentType: 'application/vnd.kubernetes.protobuf;stream=watch' } };
  const sessions = [connect(server.url, credentials(server)), connect(server.url, credentials(server))];
  try {
    const watches: { form: keyof typeof forms; body: Body }[] = [];
    for (const form of ['json', 'protobuf'] as const) {
      const headers = { accept: forms[form].accept };
      for (let i = 0; i < 3; i++) watches.push({ form, body: await http1Watch(url, headers) });
      for (let i = 0; i < 6; i++) watches.push({ form, body: await http2Watch(sessions[i % 2]!, url, headers) });
    }
    let last = created;
    for (let i = 1; i <= 3; i++) last = (await server.request('PUT', `${path}/seen`, { ...last, data: { n: String(i) } })).json;
    assert.equal((await server.request('DELETE', `${path}/seen`)).status, 200);

    const bodies = { json: [] as Buffer[], protobuf: [] as Buffer[] };
    for (const w of watches) {
      assert.equal(w.body.status, 200);
      assert.equal(w.body.contentType, forms[w.form].contentType);
      bodies[w.form].push(await w.body.done);
    }
    const lines = bodies.json[0]!.toString().split('\n');
    assert.equal(lines.pop(), '', 'every event ends with a newline');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l)).map((e) => [e.type, e.object.data?.n]),
      [['ADDED', '0'], ['MODIFIED', '1'], ['MODIFIED', '2'], ['MODIFIED', '3'], ['DELETED', '3']],
    );
    assert.equal(frames(bodies.protobuf[0]!).length, 5);
    for (const form of ['json', 'protobuf'] as const) for (const body of bodies[form]) assert.ok(body.equals(bodies[form][0]!), `a ${form} watcher got other bytes than the first`);
  } finally {
    for (const s of sessions) s.close();
  }
});
