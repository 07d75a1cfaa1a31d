/**
 * Optimistic concurrency through the HTTP API: 20 writers each add 1 to one ConfigMap field 50 times with
 * GET + PUT (carrying the resourceVersion they read), retrying on 409 Conflict. No increment may be lost, so the
 * field ends at exactly 1000, on the embedded SQLite store and on etcd.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';

const writers = 20;
const increments = 50;

async function hammer(server: TestServer, namespace: string): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/configmaps/counter`;
  const created = await server.request('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: 'counter' }, data: { n: '0' } });
  assert.equal(created.status, 201, created.text);

  let conflicts = 0;
  const writer = async () => {
    for (let i = 0; i < increments; i++) {
      for (let retries = 0; ; ) {
        const got = await server.request('GET', path);
        assert.equal(got.status, 200, got.text);
        const cm = got.json;
        cm.data.n = String(Number(cm.data.n) + 1);
        const put = await server.request('PUT', path, cm);
        if (put.status === 200) {
          assert.equal(put.json.data.n, cm.data.n);
          assert.ok(Number(put.json.metadata.resourceVersion) > Number(cm.metadata.resourceVersion), 'every write gets a newer resourceVersion');
          break;
        }
        assert.equal(put.status, 409, put.text);
        assert.equal(put.json.reason, 'Conflict');
        conflicts++;
        // Jittered backoff, as client-go's RetryOnConflict: without it 20 writers mostly refuse each other.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** retries++, 16)));
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  const final = await server.request('GET', path);
  assert.equal(final.json.data.n, String(writers * increments));
  // Writers that read the same version cannot all win: if none ever lost, the check above proved nothing.
  assert.ok(conflicts > 0, 'expected some writers to be refused with 409');
}

describe('concurrent read-modify-write on SQLite', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });
  test('20 writers x 50 increments end at 1000', async () => {
    await hammer(server, 'default');
  });
});

describe('concurrent read-modify-write on etcd', () => {
  let etcd: EtcdServer;
  let server: TestServer;
  before(async () => {
    etcd = await startEtcd();
    server = await startServer({ args: ['--etcd-servers', etcd.endpoint] });
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
  });
  test('20 writers x 50 increments end at 1000', async () => {
    await hammer(server, 'default');
  });
});
