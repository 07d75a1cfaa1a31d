/**
 * `--workers N`: N processes serve one port as replicas on one store, etcd or the embedded SQLite file. Requests on
 * separate connections reach different workers, and whatever reaches one is seen by all (a watch on one connection
 * gets the writes made through the others, in order); resourceVersions are one sequence and allocators never hand
 * out a value twice; a worker that dies is started again; SIGTERM stops them all.
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

/** `count` requests, `parallel` at a time, each on a new connection (so both workers get some). */
async function concurrently<T>(count: number, parallel: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/** This worker's count of successful configmap creates, from one /metrics answer. */
function configMapCreates(metrics: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith('apiserver_request_total{') && l.includes('verb="POST"') && l.includes('resource="configmaps"') && l.includes('code="201"'));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The cases every store runs; `server()` is the server the describe started with `--workers 2`. */
function workerCases(server: () => TestServer): void {
  it('runs two workers, each a replica with its own identity Lease', async () => {
    const expected = [1, 2].map((i) => apiServerID(hostname(), `127.0.0.1:${server().port}/worker-${i}`)).sort();
    const names = await eventually('two identity Leases', async () => {
      const res = await server().request('GET', leases, undefined, close);
      const found = (res.json.items as { metadata: { name: string } }[]).map((l) => l.metadata.name).sort();
      return found.length === 2 ? found : undefined;
    });
    assert.deepEqual(names, expected);
    assert.equal(workerPids(server()).length, 2, `workers: ${workerPids(server()).join(' ')}`);
  });

  it('creates through many connections reach both workers; a watch from before sees each in order, and every list holds all', async () => {
    const watch = await server().watch(`${configmaps}?watch=true&labelSelector=batch%3Dw`);
    assert.equal(watch.status, 200);
    const names = Array.from({ length: 60 }, (_, i) => `through-${String(i).padStart(2, '0')}`);
    const created = await concurrently(names.length, 6, async (i) => {
      const res = await server().request('POST', configmaps, { metadata: { name: names[i], labels: { batch: 'w' } }, data: { k: 'v' } }, close);
      assert.equal(res.status, 201, res.text);
      return res.json.metadata.resourceVersion as string;
    });
    assert.equal(new Set(created).size, names.length, 'one resourceVersion per create');
    // The watch (on one worker) gets every create, those made through the other worker too, in revision order.
    const seen: { name: string; rv: number }[] = [];
    while (seen.length < names.length) {
      const ev = await watch.next(10_000);
      assert.equal(ev.type, 'ADDED');
      seen.push({ name: ev.object.metadata.name, rv: Number(ev.object.metadata.resourceVersion) });
    }
    watch.close();
    assert.deepEqual(seen.map((e) => e.name).sort(), names);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].rv > seen[i - 1].rv, `resourceVersions out of order: ${seen.map((e) => e.rv).join(' ')}`);
    assert.deepEqual(seen.map((e) => String(e.rv)).sort(), [...created].sort());
    // Right after the creates were acknowledged, a list through any worker holds all of them.
    for (let round = 0; round < 4; round++) {
      const list = await server().request('GET', `${configmaps}?labelSelector=batch%3Dw`, undefined, close);
      const items = list.json.items as { metadata: { name: string; resourceVersion: string } }[];
      assert.deepEqual(items.map((o) => o.metadata.name), names);
      const rvs = items.map((o) => Number(o.metadata.resourceVersion));
      assert.equal(new Set(rvs).size, names.length);
      assert.ok(Math.max(...rvs) <= Number(list.json.metadata.resourceVersion));
    }
    // Both workers wrote: some worker's own count of creates lies strictly between none and all.
    const counts = await concurrently(12, 3, async () => configMapCreates((await server().request('GET', '/metrics', undefined, close)).text));
    assert.ok(counts.some((c) => c > 0 && c < names.length), `per-worker create counts seen: ${counts.join(' ')}`);
  });

  it('Services created through both workers get distinct cluster IPs and node ports', async () => {
    const services = await concurrently(24, 6, async (i) => {
      const spec = { type: i % 3 === 0 ? 'NodePort' : 'ClusterIP', ports: [{ port: 80 }], selector: { app: 'a' } };
      const res = await server().request('POST', '/api/v1/namespaces/default/services', { metadata: { name: `svc-${i}` }, spec }, close);
      assert.equal(res.status, 201, res.text);
      return res.json.spec as { clusterIP: string; ports: { nodePort?: number }[] };
    });
    const ips = services.map((s) => s.clusterIP);
    assert.equal(new Set(ips).size, ips.length, `cluster IPs: ${ips.join(' ')}`);
    const nodePorts = services.flatMap((s) => s.ports.map((p) => p.nodePort).filter((p) => p !== undefined));
    assert.equal(nodePorts.length, 8);
    assert.equal(new Set(nodePorts).size, nodePorts.length, `node ports: ${nodePorts.join(' ')}`);
  });

  it('a worker that dies is started again, and the port keeps serving meanwhile', async () => {
    const [victim] = workerPids(server());
    assert.ok(victim, 'a worker to kill');
    process.kill(victim, 'SIGKILL');
    const res = await eventually('a request served after the kill', async () => {
      const r = await server().request('GET', '/api/v1/namespaces/default', undefined, close);
      return r.status === 200 ? r : undefined;
    });
    assert.equal(res.json.metadata.name, 'default');
    const pids = await eventually('two workers again', async () => {
      const p = workerPids(server());
      return p.length === 2 && !p.includes(victim) ? p : undefined;
    });
    assert.equal(pids.length, 2);
    // The restarted worker serves what was written before it came back.
    const list = await eventually('every worker serving the earlier writes', async () => {
      const lists = await concurrently(6, 2, () => server().request('GET', `${configmaps}?labelSelector=batch%3Dw`, undefined, close));
      return lists.every((l) => l.status === 200 && l.json.items.length === 60) ? lists : undefined;
    });
    assert.equal(list.length, 6);
  });

  it('SIGTERM to the primary stops every worker gracefully', async () => {
    const pids = workerPids(server());
    assert.equal(pids.length, 2);
    await server().stop();
    assert.equal(server().process.exitCode, 0, server().logs());
    for (const pid of pids) assert.equal(existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '), false, `worker ${pid} still running`);
  });
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
  workerCases(() => server);
});

describe('--workers on the embedded SQLite store', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--workers', '2'] });
  });
  after(async () => {
    await server?.stop().catch(() => {});
  });
  workerCases(() => server);
});
