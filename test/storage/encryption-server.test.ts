// Encryption at rest through the real server: what lands in SQLite and etcd, reads back through the API and kubectl,
// key rotation with `kubectl replace`, a wrong key, identity-first configs and a malformed file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startEtcd } from '../support/etcd.ts';
import Database from 'better-sqlite3';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { eventually } from '../support/kubectl.ts';

const tmp = mkdtempSync(join(tmpdir(), 'kube-ts-encryption-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const key1 = randomBytes(32).toString('base64');
const key2 = randomBytes(32).toString('base64');
const wrongKey1 = randomBytes(32).toString('base64');

function writeConfig(name: string, providers: string): string {
  const path = join(tmp, name);
  writeFileSync(
    path,
    `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
${providers}`,
  );
  return path;
}

const aescbc = (...keys: [string, string][]) => `      - aescbc:
          keys:
${keys.map(([n, s]) => `            - name: ${n}\n              secret: ${s}`).join('\n')}
`;
const identity = `      - identity: {}\n`;

async function rawValue(dataDir: string, key: string): Promise<string> {
  const kv = await SqliteKV.open(join(dataDir, 'kube-ts.db'));
  try {
    const { kv: found } = await kv.get(key);
    assert.ok(found, `${key} is stored`);
    return Buffer.from(found.value).toString('latin1');
  } finally {
    await kv.close();
  }
}

function storeBytes(dataDir: string): string {
  return ['kube-ts.db', 'kube-ts.db-wal']
    .map((f) => join(dataDir, f))
    .filter(existsSync)
    .map((f) => readFileSync(f).toString('latin1'))
    .join('');
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('secrets are encrypted in SQLite, read back, rotated with kubectl replace; wrong keys fail cleanly', async () => {
  const dataDir = join(tmp, 'sqlite');
  const run = async (config: string | undefined, body: (s: TestServer) => Promise<void>, extra: string[] = []) => {
    const server = await startServer({ dataDir, args: [...(config ? ['--encryption-provider-config', config] : []), ...extra] });
    try {
      await body(server);
    } finally {
      await server.stop();
    }
  };

  // Before encryption: a plaintext secret.
  await run(undefined, async (s) => {
    const res = await s.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's0' }, stringData: { password: 'old-plaintext-0' } });
    assert.equal(res.status, 201, res.text);
  });
  assert.match(await rawValue(dataDir, '/registry/secrets/default/s0'), /^\{/);

  // Encryption on (aescbc key1, then identity): old data still reads; new secrets are encrypted.
  const first = writeConfig('first.yaml', aescbc(['key1', key1]) + identity);
  await run(first, async (s) => {
    const kubectl = kubectlRunner(s.kubeconfig);
    const created = await kubectl.run(['create', 'secret', 'generic', 's1', '-n', 'default', '--from-literal=password=very-secret-value-1']);
    assert.equal(created.code, 0, created.stderr);
    const got = await s.request('GET', '/api/v1/namespaces/default/secrets/s1');
    assert.equal(got.json.data.password, b64('very-secret-value-1'));
    const old = await kubectl.run(['get', 'secret', 's0', '-n', 'default', '-o', 'jsonpath={.data.password}']);
    assert.equal(old.stdout, b64('old-plaintext-0'));
    const cm = await s.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'c1' }, data: { a: 'visible-config-value' } });
    assert.equal(cm.status, 201);
    // Updates with no change keep the resourceVersion (the comparison is on plaintext, not on fresh ciphertext).
    const again = await s.request('PUT', '/api/v1/namespaces/default/secrets/s1', got.json);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.metadata.resourceVersion, got.json.metadata.resourceVersion);
  });
  const s1 = await rawValue(dataDir, '/registry/secrets/default/s1');
  assert.ok(s1.startsWith('k8s:enc:aescbc:v1:key1:'), s1.slice(0, 40));
  assert.match(await rawValue(dataDir, '/registry/secrets/default/s0'), /^\{/, 'untouched plaintext stays until rewritten');
  assert.match(await rawValue(dataDir, '/registry/configmaps/default/c1'), /^\{.*visible-config-value/, 'other resources are not encrypted');
  const bytes = storeBytes(dataDir);
  assert.ok(!bytes.includes('very-secret-value-1') && !bytes.includes(b64('very-secret-value-1')), 'no plaintext of s1 in the SQLite files');
  assert.ok(!bytes.includes('"name":"s1"'), 'no metadata of s1 in the clear either');

  // Rotation: the new key first, the old one still readable; kubectl replace rewrites everything with key2.
  const rotate = writeConfig('rotate.yaml', aescbc(['key2', key2], ['key1', key1]) + identity);
  await run(rotate, async (s) => {
    const kubectl = kubectlRunner(s.kubeconfig);
    const all = await kubectl.run(['get', 'secrets', '-A', '-o', 'json']);
    assert.equal(all.code, 0, all.stderr);
    const replaced = await kubectl.run(['replace', '-f', '-'], all.stdout);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, /secret\/s1 replaced/);
  });
  assert.ok((await rawValue(dataDir, '/registry/secrets/default/s1')).startsWith('k8s:enc:aescbc:v1:key2:'));
  assert.ok((await rawValue(dataDir, '/registry/secrets/default/s0')).startsWith('k8s:enc:aescbc:v1:key2:'), 'old plaintext encrypted by the rewrite');

  // A key with the right name and the wrong secret: a 500 naming the failed decryption, and the server keeps serving.
  const wrong = writeConfig('wrong.yaml', aescbc(['key2', wrongKey1]));
  await run(wrong, async (s) => {
    const got = await s.request('GET', '/api/v1/namespaces/default/secrets/s1');
    assert.equal(got.status, 500, got.text);
    assert.equal(got.json.kind, 'Status');
    assert.equal(got.json.reason, 'InternalError');
    // AES-CBC under a wrong key yields random bytes whose padding still checks about once in 256 writes (each has a
    // fresh IV); those bytes then fail to decode instead, as they would upstream.
    assert.match(got.json.message, /unable to transform key "\/registry\/secrets\/default\/s1": .*(decrypt|no matching)|stored object at key \/registry\/secrets\/default\/s1 cannot be decoded/);
    const list = await s.request('GET', '/api/v1/namespaces/default/secrets');
    assert.equal(list.status, 500);
    assert.equal((await s.request('GET', '/api/v1/namespaces/default/configmaps/c1')).status, 200, 'other resources unaffected');
    // The in-process controllers that list every Secret cannot start while Secrets cannot be read; they retry in the
    // background and do not keep the server from being ready.
    assert.equal((await s.request('GET', '/readyz')).status, 200);
  });

  // Identity first (turning encryption off): encrypted data is still read, new data is written in plaintext.
  const off = writeConfig('off.yaml', identity + aescbc(['key2', key2], ['key1', key1]));
  await run(off, async (s) => {
    const got = await s.request('GET', '/api/v1/namespaces/default/secrets/s1');
    assert.equal(got.status, 200, got.text);
    assert.equal(got.json.data.password, b64('very-secret-value-1'));
    const created = await s.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's2' }, stringData: { k: 'now-plain' } });
    assert.equal(created.status, 201);
  });
  assert.match(await rawValue(dataDir, '/registry/secrets/default/s2'), /^\{/);
});

test('a malformed encryption config stops start-up with the problem named', async (t) => {
  const bad = join(tmp, 'bad.yaml');
  writeFileSync(bad, `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aesgcm:
          keys:
            - name: k
              secret: ${Buffer.alloc(7).toString('base64')}
`);
  await assert.rejects(startServer({ args: ['--encryption-provider-config', bad], t }), /--encryption-provider-config: .*resources\[0\]\.providers\[0\]\.aesgcm\.keys\[0\]\.secret: Invalid value: "REDACTED": secret is not of the expected length, got 7/);
  await assert.rejects(startServer({ args: ['--encryption-provider-config', join(tmp, 'missing.yaml')], t }), /error opening encryption provider configuration file/);
});

test('with etcd: the stored value carries the prefix and no plaintext, and reads back through the API', async (t) => {
  const etcd = await startEtcd({ t });
  const config = writeConfig('etcd.yaml', `      - aesgcm:\n          keys:\n            - name: gcm1\n              secret: ${key1}\n` + identity);
  const server = await startServer({ args: ['--etcd-servers', etcd.endpoint, '--encryption-provider-config', config], t });
  const client = new Etcd3({ hosts: etcd.endpoint });
  try {
    const created = await server.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'e1' }, stringData: { token: 'etcd-secret-token' } });
    assert.equal(created.status, 201, created.text);
    const raw = await client.get('/registry/secrets/default/e1').buffer();
    assert.ok(raw, 'stored in etcd');
    const text = raw.toString('latin1');
    assert.ok(text.startsWith('k8s:enc:aesgcm:v1:gcm1:'), text.slice(0, 30));
    assert.equal(raw.length, 'k8s:enc:aesgcm:v1:gcm1:'.length + 12 + (raw.length - 'k8s:enc:aesgcm:v1:gcm1:'.length - 28) + 16);
    assert.ok(!text.includes('etcd-secret-token') && !text.includes(b64('etcd-secret-token')));
    const got = await server.request('GET', '/api/v1/namespaces/default/secrets/e1');
    assert.equal(got.json.data.token, b64('etcd-secret-token'));
    // A watch sees decrypted objects too.
    const list = await server.request('GET', '/api/v1/namespaces/default/secrets');
    const w = await server.watch(`/api/v1/namespaces/default/secrets?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`);
    await server.request('PATCH', '/api/v1/namespaces/default/secrets/e1', { metadata: { labels: { a: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const ev = await w.next();
    assert.equal(ev.type, 'MODIFIED');
    assert.equal(ev.object.data.token, b64('etcd-secret-token'));
    w.close();
  } finally {
    client.close();
  }
});

test('--encryption-provider-config-automatic-reload: a changed file applies without a restart, a broken one is ignored', async (t) => {
  const path = writeConfig('reload.yaml', aescbc(['key1', key1]));
  const server = await startServer({ args: ['--encryption-provider-config', path, '--encryption-provider-config-automatic-reload', 'true'], t });
  // A read-only look at the live SQLite file (WAL lets it read beside the server).
  const db = new Database(join(server.dataDir, 'kube-ts.db'), { readonly: true, fileMustExist: true });
  const raw = (name: string) => Buffer.from((db.prepare('SELECT value FROM latest WHERE key = ?').get(`/registry/secrets/default/${name}`) as { value: Buffer }).value).toString('latin1');
  try {
    const create = async (name: string) => assert.equal((await server.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { name }, stringData: { k: name } })).status, 201);
    await create('r0');
    assert.ok(raw('r0').startsWith('k8s:enc:aescbc:v1:key1:'));
    writeConfig('reload.yaml', `      - aesgcm:\n          keys:\n            - name: g1\n              secret: ${key2}\n` + aescbc(['key1', key1]));
    let i = 0;
    await eventually(async () => {
      const name = `r${++i}`;
      await create(name);
      return raw(name).startsWith('k8s:enc:aesgcm:v1:g1:');
    }, 'new secrets written with the reloaded provider');
    assert.equal((await server.request('GET', '/api/v1/namespaces/default/secrets/r0')).json.data.k, b64('r0'), 'old key still reads');
    // A broken file keeps the running config.
    writeFileSync(path, 'kind: EncryptionConfiguration\nresources: [');
    await new Promise((r) => setTimeout(r, 5000));
    await create('after-broken');
    assert.ok(raw('after-broken').startsWith('k8s:enc:aesgcm:v1:g1:'));
    assert.match(server.logs(), /the new file is invalid; keeping the running config/);
  } finally {
    db.close();
  }
});
