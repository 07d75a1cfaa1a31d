// Audit backends through the real server: log rotation by size with maxbackup, batches delivered to a real HTTPS
// webhook, and a webhook that never answers neither slows requests nor grows without bound.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../support/server.ts';
import { stopAfter } from '../support/teardown.ts';
import { eventually } from '../support/kubectl.ts';
import { ensureCertificates } from '../../runtime/server/certs.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-audit-backends-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const policyPath = join(tmp, 'policy.yaml');
writeFileSync(
  policyPath,
  `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["configmaps"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["namespaces"]
`,
);

function kubeconfig(name: string, server: string, caPem: string): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
  - name: audit-sink
    cluster:
      server: ${server}
      certificate-authority-data: ${Buffer.from(caPem).toString('base64')}
contexts:
  - name: audit
    context:
      cluster: audit-sink
      user: audit
current-context: audit
users:
  - name: audit
    user:
      token: audit-sink-token
`,
  );
  return path;
}

test('log rotation by size keeps maxbackup files; a real HTTPS webhook receives the events in batches', async (t) => {
  const pki = await ensureCertificates(join(tmp, 'webhook-pki'), { bindAddress: '127.0.0.1' });
  const batches: { auth?: string; type?: string; path?: string; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const sink = createHttpsServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      batches.push({ auth: req.headers.authorization, type: req.headers['content-type'], path: req.url, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  stopAfter(t, () => sink.close());
  const port = (sink.address() as AddressInfo).port;
  const logDir = join(tmp, 'rotating');
  const logPath = join(logDir, 'audit.log');
  const server = await startServer({
    args: [
      '--audit-policy-file', policyPath,
      '--audit-log-path', logPath,
      '--audit-log-maxsize', '1',
      '--audit-log-maxbackup', '2',
      '--audit-webhook-config-file', kubeconfig('webhook.kubeconfig', `https://127.0.0.1:${port}/audit-sink`, pki.caCertPem),
      '--audit-webhook-batch-max-size', '5',
      '--audit-webhook-batch-max-wait', '1s',
    ],
    t,
  });
  // Each create logs about 600 KB (request and response objects): the 1 MB log rotates every event or two.
  const ids: string[] = [];
  const value = 'x'.repeat(300 * 1024);
  for (let i = 0; i < 8; i++) {
    const id = `big-${i}`;
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `big-${i}` }, data: { v: value } }, { 'Audit-ID': id });
    assert.equal(res.status, 201, res.text);
    ids.push(id);
  }
  const backupPattern = /^audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}\.log$/;
  // A file listed here may be rotated away before it is read while the server still writes: skip it this round.
  const readIfThere = (f: string) => {
    try {
      return readFileSync(join(logDir, f), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  };
  const lines = () =>
    readdirSync(logDir)
      .flatMap((f) => readIfThere(f).split('\n').filter(Boolean))
      .map((l) => JSON.parse(l));
  // While the server writes, the last line may be half there: such a round just fails and is tried again.
  const lastWritten = () => {
    try {
      return lines().some((e) => e.auditID === 'big-7' && e.stage === 'ResponseComplete');
    } catch (err) {
      if (err instanceof SyntaxError) return false;
      throw err;
    }
  };
  await eventually(lastWritten, 'the last event written');
  const files = readdirSync(logDir).sort();
  const backups = files.filter((f) => backupPattern.test(f));
  assert.deepEqual(files.filter((f) => !backupPattern.test(f)), ['audit.log'], `only the live log and backups: ${files}`);
  assert.equal(backups.length, 2, `maxbackup 2: ${files}`);
  for (const f of files) assert.ok(statSync(join(logDir, f)).size <= 1024 * 1024, `${f} is at most 1 MB`);
  // Rotation lost only what maxbackup removed: the newest events are all there, each line whole.
  const seen = new Set(lines().filter((e) => e.stage === 'ResponseComplete').map((e) => e.auditID));
  assert.ok(seen.has('big-7') && seen.has('big-6'), `newest events kept: ${[...seen]}`);
  assert.ok(!seen.has('big-0'), 'the oldest backup was removed');

  // The webhook got every event, in EventLists of at most 5, with the kubeconfig's token.
  const mine = () => batches.flatMap((b) => b.body.items).filter((e) => ids.includes(e.auditID));
  await eventually(() => mine().length === 16, 'all 16 events delivered').catch((err) => {
    const got = mine().map((e) => `${e.auditID}/${e.stage}`);
    throw new Error(`${err.message}; delivered: ${got.join(' ')}; batches: ${batches.map((b) => b.body.items.length)}; server log: ${server.logs()}`);
  });
  for (const b of batches) {
    assert.equal(b.auth, 'Bearer audit-sink-token');
    assert.match(b.type ?? '', /^application\/json/);
    assert.equal(b.path, '/audit-sink');
    assert.equal(b.body.kind, 'EventList');
    assert.equal(b.body.apiVersion, 'audit.k8s.io/v1');
    assert.ok(b.body.items.length >= 1 && b.body.items.length <= 5, `batch of ${b.body.items.length}`);
  }
  assert.ok(batches.some((b) => b.body.items.length === 5), 'full batches go out without waiting');
  const delivered = batches.flatMap((b) => b.body.items).filter((e) => e.auditID === 'big-3');
  assert.deepEqual(delivered.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
  assert.equal(delivered[1].responseObject.data.v.length, value.length);
});

test('a webhook that never answers does not slow requests; a full buffer drops events with a log line', async (t) => {
  const pki = await ensureCertificates(join(tmp, 'blackhole-pki'), { bindAddress: '127.0.0.1' });
  // Accepts connections and never says a word: every send hangs until its timeout.
  const held: Socket[] = [];
  const blackhole = createTcpServer((s) => held.push(s));
  await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
  stopAfter(t, () => {
    for (const s of held) s.destroy();
    blackhole.close();
  });
  const port = (blackhole.address() as AddressInfo).port;
  const server = await startServer({
    args: [
      '--audit-policy-file', policyPath,
      '--audit-webhook-config-file', kubeconfig('blackhole.kubeconfig', `https://127.0.0.1:${port}/`, pki.caCertPem),
      '--audit-webhook-batch-max-size', '1',
      '--audit-webhook-batch-buffer-size', '10',
    ],
    t,
  });
  try {
    const timings: number[] = [];
    for (let i = 0; i < 40; i++) {
      const start = performance.now();
      const res = await server.request('GET', '/api/v1/namespaces/default/configmaps');
      timings.push(performance.now() - start);
      assert.equal(res.status, 200);
    }
    timings.sort((a, b) => a - b);
    assert.ok(timings[timings.length - 1] < 3000, `slowest request ${Math.round(timings[timings.length - 1])} ms`);
    assert.ok(timings[Math.floor(timings.length / 2)] < 500, `median ${Math.round(timings[Math.floor(timings.length / 2)])} ms`);
    assert.ok(held.length >= 1, 'the server did try to deliver');
    await eventually(() => /Error in audit plugin 'webhook' affecting \d+ audit events: audit buffer queue blocked/.test(server.logs()), 'a drop is logged');
  } finally {
    const stopped = performance.now();
    await server.stop();
    assert.ok(performance.now() - stopped < 20_000, 'shutdown does not wait for the webhook forever');
  }
});
