/**
 * `--workers N`: N processes serve one port as replicas on one etcd. Requests on separate connections reach
 * different workers, and whatever reaches one is seen by all (a watch on one connection gets the writes made through
 * the others); a worker that dies is started again; SIGTERM stops them all. On the embedded store the flag is refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { apiServerID } from '../../runtime/controlplane/apiserver-identity/identity.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';

const leases = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases?labelSelector=apiserver.kubernetes.io/identity%3Dkube-apiserver';
const configmaps = '/api/v1/namespaces/default/configmaps';
const close = { Connection: 'close' }; // a new connection per request, so the port hands them to the workers in turn

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    // An attempt that hangs (a connection to the worker that was just killed) counts as failed after 5 s.
    const v = await Promise.race([fn(), new Promise<undefined>((r) => setTimeout(r, 5000))]).catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The serving processes under the primary (not the TypeScript loader's esbuild, also its child under tsx). */
function workerPids(server: TestServer): number[] {
  const out = spawnSync('pgrep', ['-P', String(server.process.pid), '-f', `secure-port ${server.port}`], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

describe('--workers on etcd', () => {
  let etcd: EtcdServer;
  let server: TestServer;
  before(async () => {
    etcd = await startEtcd();
    server = await startServer({ args: ['--etcd-servers', etcd.endpoint, '--workers', '2'] });
  });
  after(async () => {
    await server?.stop().catch(() => {});
    await etcd?.stop();
  });

  it('runs two workers, each a replica with its own identity Lease', async () => {
    const expected = [1, 2].map((i) => apiServerID(hostname(), `127.0.0.1:${server.port}/worker-${i}`)).sort();
    const names = await eventually('two identity Leases', async () => {
      const res = await server.request('GET', leases, undefined, close);
      const found = (res.json.items as { metadata: { name: string } }[]).map((l) => l.metadata.name).sort();
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(names, expected);
    assert.equal(workerPids(server).length, 2, `workers: ${workerPids(server).join(' ')}`);
  });

  it('a watch through one worker sees every write made through either', async () => {
    const watch = await server.watch(`${configmaps}?watch=true&labelSelector=batch%3Dw`);
    assert.equal(watch.status, 200);
    const names = Array.from({ length: 10 }, (_, i) => `through-${i}`);
    for (const name of names) {
      const res = await server.request('POST', configmaps, { metadata: { name, labels: { batch: 'w' } }, data: { k: 'v' } }, close);
      assert.equal(res.status, 201, res.text);
    }
    const seen: string[] = [];
    while (seen.length < names.length) {
      const ev = await watch.next(10_000);
      assert.equal(ev.type, 'ADDED');
      seen.push(ev.object.metadata.name);
    }
    watch.close();
    assert.deepEqual(seen, names);
    // resourceVersions come from the one store: strictly increasing across workers.
    const list = await server.request('GET', `${configmaps}?labelSelector=batch%3Dw`, undefined, close);
    const rvs = (list.json.items as { metadata: { resourceVersion: string } }[]).map((o) => Number(o.metadata.resourceVersion));
    assert.equal(new Set(rvs).size, names.length);
  });

  it('a worker that dies is started again, and the port keeps serving meanwhile', async () => {
    const [victim] = workerPids(server);
    assert.ok(victim, 'a worker to kill');
    process.kill(victim, 'SIGKILL');
    const res = await eventually('a request served after the kill', async () => {
      const r = await server.request('GET', '/api/v1/namespaces/default', undefined, close);
      return r.status === 200 ? r : undefined;
    });
    assert.equal(res.json.metadata.name, 'default');
    const pids = await eventually('two workers again', async () => {
      const p = workerPids(server);
      return p.length === 2 && !p.includes(victim) ? p : undefined;
    });
    assert.equal(pids.length, 2);
  });

  it('SIGTERM to the primary stops every worker gracefully', async () => {
    const pids = workerPids(server);
    assert.equal(pids.length, 2);
    await server.stop();
    assert.equal(server.process.exitCode, 0, server.logs());
    for (const pid of pids) assert.equal(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), false, `worker ${pid} still running`);
  });
});

describe('--workers on the embedded store', () => {
  it('is refused: the SQLite file belongs to one process', async () => {
    await assert.rejects(startServer({ args: ['--workers', '2'] }), /--workers 2 needs --etcd-servers: the embedded SQLite store is served by one process/);
  });
});
