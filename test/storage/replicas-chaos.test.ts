/**
 * Three kube-ts replicas on a 3-member etcd cluster are one API server, even when an etcd member and a replica
 * (the one running the controllers) are SIGKILLed in the middle of a load of creates spread over the replicas by
 * clients that retry elsewhere: no acknowledged write is lost, every surviving replica's watcher ends up knowing
 * every object (from its events, or by listing again after a 410 Gone), an object has one resourceVersion
 * whichever replica serves it, concurrent Services never share a cluster IP, and another replica takes over the
 * controllers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd.ts';
import { Reflector } from '../support/reflector.ts';
import { ReplicaClient, startReplicas, type Replicas } from '../support/replicas.ts';
import type { TestServer } from '../support/server.ts';

const namespace = 'chaos';
const configMaps = `/api/v1/namespaces/${namespace}/configmaps`;
const services = `/api/v1/namespaces/${namespace}/services`;
const controllersLease = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-ts-controllers';
// Shorter than the defaults so the take-over comes soon, long enough that a busy 2-core machine keeps its leader.
const election = ['--leader-elect-lease-duration', '8s', '--leader-elect-renew-deadline', '6s', '--leader-elect-retry-period', '1s'];

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn().catch((e) => void (last = e));
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The replica whose log says it became leader with the Lease's current holder identity. */
async function controllersLeader(servers: TestServer[], ask: TestServer): Promise<{ server: TestServer; holder: string }> {
  return eventually('a controllers leader', async () => {
    const holder: string | undefined = (await ask.request('GET', controllersLease)).json?.spec?.holderIdentity;
    const server = holder ? servers.find((s) => s.logs().includes(`"identity":"${holder}"`)) : undefined;
    return server && holder ? { server, holder } : undefined;
  });
}

const names = (list: { items: Array<{ metadata: { name: string } }> }) => new Set(list.items.map((o) => o.metadata.name));

let cluster: EtcdCluster;
let replicas: Replicas;

before(async () => {
  cluster = await startEtcdCluster(3);
  // Info logs name the identity a replica leads with.
  replicas = await startReplicas(3, cluster.endpoints, { args: election, logLevel: 'info' });
});
after(async () => {
  await replicas?.stop();
  await cluster?.stop();
});

test('an etcd member and the leading replica killed during a load through three replicas', { timeout: 600_000 }, async (t) => {
  const { servers } = replicas;
  assert.equal((await servers[0].request('POST', '/api/v1/namespaces', { metadata: { name: namespace } })).status, 201);
  const leader = await controllersLeader(servers, servers[0]);
  const survivors = servers.filter((s) => s !== leader.server);

  // A watcher per replica, listing and watching before the load starts.
  const reflectors = new Map(servers.map((s) => [s, new Reflector(s, configMaps)]));
  await Promise.all([...reflectors.values()].map((r) => r.start()));

  const client = new ReplicaClient(servers);
  const acknowledged = new Map<string, string>(); // name -> resourceVersion of the 201
  const landed = new Set<string>(); // answered 409 after a retry: an earlier, unanswered attempt was applied
  const failures: string[] = [];
  const total = 150;
  let next = 0;
  let serviceBatch: Promise<Array<{ status: number; text: string; json: any }>> | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
  const createServices = () =>
    Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        client.request('POST', services, { metadata: { name: `svc-${i}` }, spec: { ports: [{ port: 80 }], selector: { app: `a${i}` } } }).catch((e: Error) => ({ status: 0, text: e.message, json: undefined })),
      ),
    );
  const worker = async () => {
    while (next < total) {
      const i = next++;
      if (i === 45) serviceBatch = createServices(); // 20 concurrent Services, overlapping the kills
      if (i === 50) {
        t.diagnostic(`killing etcd member 1 and the controllers' leader on :${leader.server.port}`);
        await Promise.all([cluster.kill(1), leader.server.kill()]);
      }
      const name = `cm-${i}`;
      try {
        const res = await client.request('POST', configMaps, { metadata: { name }, data: { i: String(i) } });
        if (res.status === 201) acknowledged.set(name, res.json.metadata.resourceVersion);
        else if (res.status === 409 && res.retried) landed.add(name);
        else failures.push(`${name}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, () => worker()));
  const serviceResults = await serviceBatch!;
  t.diagnostic(`${acknowledged.size} creates acknowledged, ${landed.size} found applied on retry, ${client.retries.length} requests sent again`);
  for (const r of client.retries.slice(0, 10)) t.diagnostic(`retry: ${r}`);
  assert.deepEqual(failures, [], 'every create is answered by some replica');
  const expected = [...acknowledged.keys(), ...landed];

  // No acknowledged write lost: each survivor lists every one.
  for (const s of survivors) {
    const list = await s.request('GET', configMaps);
    assert.equal(list.status, 200, list.text);
    const listed = names(list.json);
    assert.deepEqual(expected.filter((n) => !listed.has(n)), [], `every acknowledged ConfigMap is listed through :${s.port}`);
  }

  // One resourceVersion per object, whichever replica serves it, and the one its create answered.
  for (const [name, resourceVersion] of acknowledged) {
    const [a, b] = await Promise.all(survivors.map((s) => s.request('GET', `${configMaps}/${name}`)));
    assert.equal(a.json.metadata.resourceVersion, b.json.metadata.resourceVersion, `${name} read through both survivors`);
    assert.equal(a.json.metadata.resourceVersion, resourceVersion, `${name} as its create answered`);
  }

  // Each survivor's watcher knows everything: from its events, or from listing again after a 410 Gone.
  for (const s of survivors) {
    const r = reflectors.get(s)!;
    await eventually(`the watcher on :${s.port} to know every ConfigMap`, async () => (expected.every((n) => r.names.has(n)) ? true : undefined));
    t.diagnostic(`watcher on :${s.port}: ${r.relists.length} relists (${r.relists.join('; ') || 'none'}), ${r.resumes} watches resumed`);
  }
  await Promise.all([...reflectors.values()].map((r) => r.stop()));

  // 20 Services created at once through different replicas: each created, no cluster IP handed out twice.
  assert.deepEqual(serviceResults.filter((r) => r.status !== 201 && r.status !== 409).map((r) => `${r.status} ${r.text.slice(0, 200)}`), []);
  const all = await survivors[0].request('GET', '/api/v1/services');
  const chaosServices = all.json.items.filter((s: { metadata: { namespace: string } }) => s.metadata.namespace === namespace);
  assert.equal(chaosServices.length, 20);
  const ips = all.json.items.map((s: { spec: { clusterIP: string } }) => s.spec.clusterIP);
  assert.equal(new Set(ips).size, ips.length, `cluster IPs are distinct: ${ips.join(' ')}`);

  // Another replica takes the controllers over, and they work: a new namespace gets its kube-root-ca.crt.
  const successor = await eventually('a new controllers leader', async () => {
    const l = await controllersLeader(survivors, survivors[0]);
    return l.holder !== leader.holder ? l : undefined;
  });
  t.diagnostic(`controllers moved from :${leader.server.port} to :${successor.server.port}`);
  assert.equal((await client.request('POST', '/api/v1/namespaces', { metadata: { name: 'after-failover' } })).status, 201);
  const rootCA = await eventually('kube-root-ca.crt in the new namespace', async () => {
    const res = await survivors[1].request('GET', '/api/v1/namespaces/after-failover/configmaps/kube-root-ca.crt');
    return res.status === 200 ? res.json : undefined;
  });
  // The replicas share one CA, so whichever leads publishes the same one.
  assert.equal(rootCA.data['ca.crt'], readFileSync(join(servers[0].dataDir, 'pki', 'ca.crt'), 'utf8').replace(/\r\n/g, '\n'));
});
