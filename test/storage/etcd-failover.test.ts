/**
 * Two API servers on a real 3-member etcd cluster, the leading member killed in the middle of 120 creates sent
 * through both (the worst case: writes in flight on the other members wait on it until an election): the etcd client
 * moves to the members left at once, so writes keep being acknowledged, and none that was acknowledged is lost. The
 * slowest create is reported: the election takes ~1.5 s, and a write a follower forwarded to the dead leader is lost
 * with it, so it waits out the client's per-call deadline (3 s) and is sent again.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEtcdCluster, type EtcdCluster } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';

let cluster: EtcdCluster;
let servers: TestServer[] = [];
// Each start stops after the file as it succeeds: a server that fails to start leaves neither the cluster nor the other.
const teardown = suiteTeardown();

before(async () => {
  cluster = await startEtcdCluster(3, { t: teardown });
  const etcd = ['--etcd-servers', cluster.endpoints.join(',')];
  servers = await Promise.all([startServer({ args: etcd, t: teardown }), startServer({ args: etcd, t: teardown })]);
});

test('the leading member killed during 120 creates through two servers: every create is acknowledged and none is lost', async (t) => {
  const path = '/api/v1/namespaces/default/configmaps';
  const total = 120;
  const acknowledged = new Set<string>();
  const failures: string[] = [];
  let next = 0;
  let slowest = { ms: 0, name: '' };
  const worker = async (w: number) => {
    while (next < total) {
      const i = next++;
      if (i === 30) await cluster.kill(await cluster.leader());
      const name = `fail-${i}`;
      const sent = Date.now();
      const res = await servers[(i + w) % 2].request('POST', path, { metadata: { name }, data: { i: String(i) } }).catch((e: Error) => ({ status: 0, text: e.message }));
      if (Date.now() - sent > slowest.ms) slowest = { ms: Date.now() - sent, name };
      if (res.status === 201) acknowledged.add(name);
      else failures.push(`${name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, (_, w) => worker(w)));
  t.diagnostic(`acknowledged ${acknowledged.size} of ${total} creates; failures: ${failures.length}; slowest create ${slowest.name}: ${slowest.ms} ms`);
  assert.deepEqual(failures, [], 'every create acknowledged');
  // Both servers read every acknowledged object back from the two members left.
  for (const server of servers) {
    const list = await server.request('GET', `${path}?labelSelector=`);
    assert.equal(list.status, 200, list.text);
    const names = new Set(list.json.items.map((o: { metadata: { name: string } }) => o.metadata.name));
    for (const name of acknowledged) assert.ok(names.has(name), `${name} is stored`);
  }
});
