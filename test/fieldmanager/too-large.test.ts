/**
 * Writes the store refuses as too large (etcd's 1.5 MiB --max-request-bytes, which the SQLite store shares): an
 * update or a patch whose managedFields push the object over is stored once more without them; an object over
 * the limit on its own gets etcd's error as a plain 500; an apply is never retried (its entries are its record).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const limit = 1572864;
const path = '/api/v1/namespaces/default/configmaps';

/**
 * A ConfigMap within validation's 1 MiB, which counts values only: one large value, and many keys with empty values,
 * each of which costs its managedFields entry about as much as itself.
 */
function configMap(name: string, opts: { keys: number; blobBytes: number }) {
  const data: Record<string, string> = { blob: 'b'.repeat(opts.blobBytes) };
  // Long keys: fewer fields for the field manager to walk for the same size.
  for (let i = 0; i < opts.keys; i++) data[`key-${String(i).padStart(6, '0')}-${'k'.repeat(89)}`] = '';
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

/** Fits without managedFields, not with them. */
const nearLimit = (name: string) => configMap(name, { keys: 6000, blobBytes: 800_000 });
/** Over the limit with no managedFields at all. */
const overLimit = (name: string) => configMap(name, { keys: 6000, blobBytes: 1_000_000 });

const tooLargeStatus = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'etcdserver: request is too large', code: 500 };

for (const backend of ['sqlite', 'etcd'] as const) describe(`writes too large for the store (${backend})`, () => {
  let server: TestServer;
  let etcd: EtcdServer | undefined;
  before(async () => {
    if (backend === 'etcd') etcd = await startEtcd();
    server = await startServer({ args: etcd ? ['--etcd-servers', etcd.endpoint] : [] });
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
  });

  async function createSmall(name: string) {
    const res = await server.request('POST', `${path}?fieldManager=first`, { metadata: { name }, data: { a: '1' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.managedFields.length, 1);
  }

  async function stored(name: string) {
    const res = await server.request('GET', `${path}/${name}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  }

  it('the premise: the near-limit object fits the store without managedFields and not with them', () => {
    const obj = nearLimit('x');
    const size = Buffer.byteLength(JSON.stringify(obj));
    const entries = Buffer.byteLength(JSON.stringify(Object.fromEntries(Object.keys(obj.data).map((k) => [`f:${k}`, {}]))));
    assert.ok(size < limit - 50_000, `object ${size} bytes`);
    assert.ok(size + entries > limit + 50_000, `with entries ${size + entries} bytes`);
  });

  it('PUT: stored without managedFields when they push the object over the limit', async () => {
    await createSmall('put-near');
    const res = await server.request('PUT', `${path}/put-near?fieldManager=second`, nearLimit('put-near'));
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.equal(res.json.metadata.managedFields, undefined);
    const obj = await stored('put-near');
    assert.equal(obj.metadata.managedFields, undefined);
    assert.deepEqual(obj.data, nearLimit('x').data);
  });

  it('merge patch: stored without managedFields when they push the object over the limit', async () => {
    await createSmall('patch-near');
    const res = await server.request('PATCH', `${path}/patch-near?fieldManager=second`, JSON.stringify({ data: nearLimit('x').data }), { 'content-type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text.slice(0, 500));
    const obj = await stored('patch-near');
    assert.equal(obj.metadata.managedFields, undefined);
    assert.equal(Object.keys(obj.data).length, 6002, 'the patch merged into the old data');
    assert.equal(obj.data.a, '1');
  });

  it('an object over the limit on its own gets etcd\'s error as a 500, and nothing changes', async () => {
    await createSmall('over');
    const before = await stored('over');
    const put = await server.request('PUT', `${path}/over`, overLimit('over'));
    assert.equal(put.status, 500);
    assert.deepEqual(put.json, tooLargeStatus);
    const patch = await server.request('PATCH', `${path}/over`, JSON.stringify({ data: overLimit('x').data }), { 'content-type': 'application/merge-patch+json' });
    assert.equal(patch.status, 500);
    assert.deepEqual(patch.json, tooLargeStatus);
    const create = await server.request('POST', path, overLimit('over-created'));
    assert.equal(create.status, 500);
    assert.deepEqual(create.json, tooLargeStatus);
    assert.deepEqual(await stored('over'), before);
    assert.equal((await server.request('GET', `${path}/over-created`)).status, 404);
  });

  it('kubectl prints etcd\'s words', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const out = await kubectl.run(['create', '-f', '-'], JSON.stringify({ ...overLimit('by-kubectl'), metadata: { name: 'by-kubectl', namespace: 'default' } }));
    assert.equal(out.code, 1);
    assert.equal(out.stderr, 'Error from server: error when creating "STDIN": etcdserver: request is too large\n');
  });

  it('an apply is not retried: the near-limit object with its managedFields is refused', async () => {
    const res = await server.request('PATCH', `${path}/applied?fieldManager=applier`, JSON.stringify(nearLimit('applied')), { 'content-type': 'application/apply-patch+yaml' });
    assert.equal(res.status, 500, res.text.slice(0, 500));
    assert.deepEqual(res.json, tooLargeStatus);
    assert.equal((await server.request('GET', `${path}/applied`)).status, 404);
  });
});
