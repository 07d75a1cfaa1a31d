/**
 * Faults through the whole server: a server killed with SIGKILL mid-load, and etcd killed and restarted
 * mid-load. Every write the API acknowledged must still be there afterwards; while etcd is down, requests fail
 * fast with a 5xx Status and readyz is red; when it returns, the same server recovers without a restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startEtcd } from '../support/etcd.ts';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { stopAfter, type Teardown } from '../support/teardown.ts';

/**
 * Writers create ConfigMaps until `stop()`, or the end of the test `t` (before its server stops) when it fails
 * first; returns the names the server acknowledged with 201.
 */
function writeLoad(server: TestServer, prefix: string, t: Teardown, writers = 4) {
  const acknowledged: string[] = [];
  const failures: number[] = [];
  let running = true;
  const done = Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; running; i++) {
        const name = `${prefix}-${w}-${i}`;
        try {
          const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name }, data: { i: String(i) } });
          if (res.status === 201) acknowledged.push(name);
          else failures.push(res.status);
        } catch {
          // the connection broke (server killed): not acknowledged
          if (!running) return;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  const stop = async () => {
    running = false;
    await done;
  };
  stopAfter(t, stop);
  return { acknowledged, failures, stop };
}

async function assertAllPresent(server: TestServer, names: string[]): Promise<void> {
  const res = await server.request('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(res.status, 200);
  const stored = new Set((res.json.items as Array<{ metadata: { name: string } }>).map((i) => i.metadata.name));
  const missing = names.filter((n) => !stored.has(n));
  assert.deepEqual(missing, [], `${missing.length} of ${names.length} acknowledged writes are missing`);
}

describe('faults', () => {
  it('a server killed with SIGKILL mid-load keeps every acknowledged write (SQLite)', async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-sigkill-'));
    stopAfter(t, () => rmSync(dataDir, { recursive: true, force: true })); // after the servers: stops run last added first
    const server = await startServer({ dataDir, t });
    const load = writeLoad(server, 'kill', t);
    await eventually(() => load.acknowledged.length >= 40, '40 acknowledged writes', 60_000);
    await server.kill();
    await load.stop();
    const acknowledged = [...load.acknowledged];
    assert.ok(acknowledged.length >= 40);

    const restarted = await startServer({ dataDir, port: server.port, t });
    await assertAllPresent(restarted, acknowledged);
  });

  it('etcd killed and restarted mid-load: fast 5xx, readyz red, recovery without restart, nothing lost', async (t) => {
    const etcd = await startEtcd({ t });
    const server = await startServer({ args: ['--etcd-servers', etcd.endpoint], t });
    const load = writeLoad(server, 'etcd', t);
    await eventually(() => load.acknowledged.length >= 20, '20 acknowledged writes', 60_000);
    await etcd.kill();

    // Down: a write fails fast with a Status, and readyz reports the etcd check.
    const started = Date.now();
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'during-outage' } });
    assert.ok(res.status >= 500, `expected a 5xx, got ${res.status}`);
    assert.equal(res.json.kind, 'Status');
    assert.ok(Date.now() - started < 10_000, 'the request hung instead of failing fast');
    await eventually(async () => (await server.request('GET', '/readyz')).status === 500, 'readyz to turn red');
    const verbose = await server.request('GET', '/readyz?verbose');
    assert.match(verbose.text, /\[-\]etcd failed/);

    // Back: the same server recovers and keeps serving.
    await etcd.restart();
    await eventually(async () => (await server.request('GET', '/readyz')).status === 200, 'readyz to turn green again', 30_000);
    await eventually(() => load.acknowledged.length >= 40, 'writes to succeed again', 60_000);
    await load.stop();
    assert.ok(load.failures.every((code) => code >= 500), `unexpected failure codes ${[...new Set(load.failures)]}`);
    await assertAllPresent(server, load.acknowledged);
  });
});
