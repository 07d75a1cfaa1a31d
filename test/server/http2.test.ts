// HTTP/2 on the secure port, as kube-apiserver serves it: ALPN offers h2 and http/1.1; its HTTP/2 settings; one HTTP/2
// connection carries a watch and other requests side by side, and 150 watches with large collections; kubectl (client-go negotiates h2) works over it; at shutdown the
// connection is closed gracefully (GOAWAY): requests during the shutdown delay are served, the watch ends cleanly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { mintClientCertificate } from '../support/users.ts';

let server: TestServer;

function credentials(s: TestServer) {
  const cfg = readFileSync(s.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

function session(s: TestServer): ClientHttp2Session {
  return connect(s.url, credentials(s));
}

/** One request on the session: status and body text. */
function get(h2: ClientHttp2Session, path: string, method = 'GET', body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = h2.request({ ':method': method, ':path': path, ...(payload ? { 'content-type': 'application/json' } : {}) });
    let status = 0;
    let text = '';
    req.setEncoding('utf8');
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('data', (d) => (text += d));
    req.on('end', () => resolve({ status, text }));
    req.on('error', reject);
    req.end(payload);
  });
}

before(async () => {
  server = await startServer({ args: [] });
});
after(async () => {
  await server?.stop();
});

test('ALPN offers h2 and http/1.1', async () => {
  const alpn = (protocols: string[]) =>
    new Promise<string | false>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(server.url).port), ca: credentials(server).ca, ALPNProtocols: protocols, servername: 'localhost' }, () => {
        resolve(socket.alpnProtocol ?? false);
        socket.end();
      });
      socket.on('error', reject);
    });
  assert.equal(await alpn(['h2', 'http/1.1']), 'h2');
  assert.equal(await alpn(['http/1.1']), 'http/1.1');
});

test('HTTP/1.1: answers announce the 90 s after which an idle kept-alive connection is closed (kube-apiserver\'s IdleTimeout)', async () => {
  const res = await server.request('GET', '/api/v1/namespaces');
  assert.equal(res.status, 200);
  assert.equal(res.headers.connection, 'keep-alive');
  assert.equal(res.headers['keep-alive'], 'timeout=90');
});

test('HTTP/1.1: requests pipelined on one connection, each with a large body and answer, are all answered in order', async () => {
  // The second request's headers arrive while the first 300 KB answer is still being written, so the server pauses
  // the connection with the rest of that body already decrypted: it has to be held, not fed to a paused parser
  // (Node 20 reset such connections with "Parse Error: Paused"). Several rounds: the timing varies.
  const value = 'x'.repeat(300 * 1024);
  const post = (name: string, last: boolean) => {
    const body = JSON.stringify({ metadata: { name }, data: { v: value } });
    const close = last ? 'Connection: close\r\n' : '';
    return `POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\n${close}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  for (let round = 0; round < 5; round++) {
    const names = ['a', 'b', 'c'].map((x) => `pipelined-${round}-${x}`);
    const answers = await new Promise<string[]>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(server.url).port), ...credentials(server), ALPNProtocols: ['http/1.1'], servername: 'localhost' }, () => {
        // The last asks the server to close the connection once it has answered: the end of the answers.
        socket.write(names.map((n, i) => post(n, i === names.length - 1)).join(''));
      });
      let text = '';
      const statusLines = () => text.match(/HTTP\/1\.1 \d+ [^\r]*/g) ?? [];
      socket.setEncoding('latin1');
      socket.on('data', (d: string) => (text += d));
      socket.on('error', (err) => reject(new Error(`round ${round}: ${err.message} after ${statusLines().length} answers`)));
      socket.on('close', () => resolve(statusLines()));
    });
    assert.deepEqual(answers, ['HTTP/1.1 201 Created', 'HTTP/1.1 201 Created', 'HTTP/1.1 201 Created'], `round ${round}`);
    for (const name of names) assert.equal((await server.request('GET', `/api/v1/namespaces/default/configmaps/${name}`)).json.data.v.length, value.length);
  }
});

test('one HTTP/2 connection carries a watch and the writes it sees', async () => {
  const h2 = session(server);
  try {
    const list = await get(h2, '/api/v1/namespaces/default/configmaps');
    assert.equal(list.status, 200, list.text);
    const rv = JSON.parse(list.text).metadata.resourceVersion;
    const watch = h2.request({ ':path': `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}` });
    watch.setEncoding('utf8');
    let events = '';
    watch.on('data', (d) => (events += d));
    const created = await get(h2, '/api/v1/namespaces/default/configmaps', 'POST', { metadata: { name: 'over-h2' } });
    assert.equal(created.status, 201, created.text);
    for (let i = 0; i < 100 && !events.includes('"over-h2"'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(JSON.parse(events.split('\n')[0]).type, 'ADDED');
    assert.equal(JSON.parse(events.split('\n')[0]).object.metadata.name, 'over-h2');
    watch.close();
  } finally {
    h2.close();
  }
});

test('HTTP/2 windows as kube-apiserver opens them: 256 KB per stream and frame, 100 times that for the connection; no stream limit announced', async () => {
  const h2 = session(server);
  try {
    await new Promise((r) => h2.once('remoteSettings', r));
    assert.equal(h2.remoteSettings.maxConcurrentStreams, 2 ** 32 - 1);
    assert.equal(h2.remoteSettings.initialWindowSize, 256 * 1024);
    assert.equal(h2.remoteSettings.maxFrameSize, 256 * 1024);
    // The connection window is opened by a WINDOW_UPDATE right after the settings.
    for (let i = 0; i < 100 && h2.state.remoteWindowSize !== 100 * 256 * 1024; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(h2.state.remoteWindowSize, 100 * 256 * 1024);
    // A create of a 1 MB object goes up whole, as over HTTP/1.1.
    const big = 'x'.repeat(1 << 20);
    const created = await get(h2, '/api/v1/namespaces/default/configmaps', 'POST', { metadata: { name: 'big-over-h2' }, data: { k: big } });
    assert.equal(created.status, 201, created.text.slice(0, 200));
    assert.equal(JSON.parse(created.text).data.k.length, big.length);
  } finally {
    h2.close();
  }
});

test('one HTTP/2 connection holds 150 watches, each sent a 1.5 MB collection at once, and still serves other requests, a reset stream\'s successor at once', async () => {
  // Node refused every new stream of such a connection with ENHANCE_YOUR_CALM (its session memory cap counts the
  // bytes queued for the watches), a GET /version included; kube-apiserver serves them.
  const ns = `h2-many-${Date.now()}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  for (let i = 0; i < 5; i++) assert.equal((await server.request('POST', path, { metadata: { name: `big-${i}` }, data: { k: 'x'.repeat(300 * 1024) } })).status, 201);
  const h2 = session(server);
  try {
    const watches = await Promise.all(Array.from({ length: 150 }, () => new Promise<ClientHttp2Stream>((resolve, reject) => {
      const w = h2.request({ ':path': `${path}?watch=true` });
      w.on('response', (h) => (h[':status'] === 200 ? resolve(w) : reject(new Error(`watch answered ${h[':status']}`))));
      w.on('error', reject);
      w.resume();
    })));
    assert.equal((await get(h2, '/version')).status, 200);
    // A watch ended and a request sent right after, before the server has let go of the ended stream.
    watches[0]!.close();
    assert.equal((await get(h2, '/version')).status, 200);
    for (const w of watches) w.close();
  } finally {
    h2.close();
  }
});

test('kubectl over HTTP/2: get, watch and create', async () => {
  const kubectl = kubectlRunner(server.kubeconfig);
  const res = await kubectl.run(['get', '--raw', '/version', '-v=8']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /"gitVersion"/);
  const w = kubectl.start(['get', 'configmaps', '-w', '-o', 'name']);
  try {
    assert.equal((await kubectl.run(['create', 'configmap', 'kubectl-h2'])).code, 0);
    for (let i = 0; i < 100 && !w.output().includes('configmap/kubectl-h2'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(w.output(), /configmap\/kubectl-h2/);
  } finally {
    w.stop();
  }
});

test('lists sent at once over HTTP/2 and HTTP/1.1 each arrive whole (their bodies share pooled buffers, reused only once sent)', async () => {
  const ns = '/api/v1/namespaces/default/configmaps';
  // Bodies of ~1 KB an item: a list of 120 is larger than an HTTP/2 stream's window, so its buffer is still being sent
  // while the lists after it are written.
  for (let i = 0; i < 120; i++) {
    const res = await server.request('POST', ns, { metadata: { name: `pooled-${i}`, labels: { pooled: 'yes', mod: String(i % 3) } }, data: { k: String(i).repeat(1000 / String(i).length) } });
    assert.equal(res.status, 201, res.text);
  }
  const expected = (mod?: number) => Array.from({ length: 120 }, (_, i) => i).filter((i) => mod === undefined || i % 3 === mod).map((i) => `pooled-${i}`).sort();
  const check = (text: string, mod?: number) => {
    const items = (JSON.parse(text) as { items: { metadata: { name: string }; data: { k: string } }[] }).items;
    assert.deepEqual(items.map((o) => o.metadata.name).sort(), expected(mod));
    for (const o of items) assert.ok(o.data.k.startsWith(o.metadata.name.slice('pooled-'.length)), o.metadata.name);
  };
  const protobuf = { Accept: 'application/vnd.kubernetes.protobuf' };
  const alone = (await server.request('GET', `${ns}?labelSelector=pooled%3Dyes`, undefined, protobuf)).bytes;
  const h2 = session(server);
  try {
    await Promise.all(Array.from({ length: 24 }, async (_, n) => {
      if (n % 6 === 5) {
        // Protobuf lists are pooled too: each arrives with the same items' bytes as one sent alone (the first 120
        // bytes, envelope and list metadata, hold the resourceVersion, which the server's own writes may move).
        const res = await server.request('GET', `${ns}?labelSelector=pooled%3Dyes`, undefined, protobuf);
        assert.equal(res.status, 200);
        assert.ok(res.bytes.subarray(res.bytes.length - (alone.length - 120)).equals(alone.subarray(120)));
        return;
      }
      const mod = n % 4 === 3 ? undefined : n % 4;
      const path = `${ns}?labelSelector=${encodeURIComponent(mod === undefined ? 'pooled=yes' : `pooled=yes,mod=${mod}`)}`;
      if (n % 2) {
        const res = await server.request('GET', path);
        assert.equal(res.status, 200);
        check(res.text, mod);
      } else {
        const res = await get(h2, path);
        assert.equal(res.status, 200);
        check(res.text, mod);
      }
    }));
  } finally {
    h2.close();
  }
});

test('each HTTP/2 connection is its own client certificate: every request on it is that user, another connection another user', async () => {
  const whoAmI = async (h2: ClientHttp2Session) => {
    const r = await get(h2, '/apis/authentication.k8s.io/v1/selfsubjectreviews', 'POST', { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(r.status, 201, r.text);
    return JSON.parse(r.text).status.userInfo.username as string;
  };
  const other = mintClientCertificate(server.dataDir, 'h2-user', ['h2-group']);
  const admin = session(server);
  const user = connect(server.url, { ca: credentials(server).ca, cert: other.certPem, key: other.keyPem });
  try {
    // Interleaved on two connections, several streams each: the certificate read for one never serves the other.
    const names = await Promise.all([admin, user, admin, user, admin, user].map((s) => whoAmI(s)));
    assert.deepEqual(names, ['kube-ts-admin', 'h2-user', 'kube-ts-admin', 'h2-user', 'kube-ts-admin', 'h2-user']);
  } finally {
    admin.close();
    user.close();
  }
});

test('shutdown closes the connection gracefully: requests during the delay are served, the watch ends cleanly, exit 0', async (t) => {
  const s = await startServer({ args: ['--shutdown-delay-duration', '1s'], t });
  const h2 = session(s);
  const sessionErrors: string[] = [];
  h2.on('error', (e) => sessionErrors.push(e.message));
  const closed = new Promise<void>((resolve) => h2.once('close', () => resolve()));
  const rv = JSON.parse((await get(h2, '/api/v1/namespaces/default/configmaps')).text).metadata.resourceVersion;
  const watch = h2.request({ ':path': `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}` });
  const watchEnded = new Promise<string>((resolve) => {
    let text = '';
    watch.setEncoding('utf8');
    watch.on('data', (d) => (text += d));
    watch.on('end', () => resolve(text));
    watch.on('error', (e) => resolve(`error: ${e.message}`));
  });
  const exit = new Promise<number | null>((resolve) => s.process.once('exit', (code) => resolve(code)));
  s.process.kill('SIGTERM');
  // During the shutdown delay the connection still takes new requests.
  const during = await get(h2, '/api/v1/namespaces/default/configmaps', 'POST', { metadata: { name: 'during-delay' } });
  assert.equal(during.status, 201, during.text);
  const text = await watchEnded;
  await closed;
  assert.deepEqual(sessionErrors, []);
  assert.ok(!text.startsWith('error'), `the watch ended cleanly: ${text}`);
  assert.ok(text.split('\n').filter(Boolean).every((l) => JSON.parse(l).type === 'ADDED'), text);
  assert.equal(await exit, 0);
});
