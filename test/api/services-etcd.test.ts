/**
 * Two API servers on one etcd hand out node ports and cluster IPs from the same RangeAllocations: concurrent
 * creates spread over both never share a value, and what one server frees the other can give out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('services on two API servers sharing etcd', () => {
  let etcd: EtcdServer;
  let a: TestServer;
  let b: TestServer;
  const args = () => ['--etcd-servers', etcd.endpoint, '--service-cluster-ip-range', '10.50.0.0/27', '--service-node-port-range', '31000-31019'];
  before(async () => {
    etcd = await startEtcd();
    a = await startServer({ args: args() });
    b = await startServer({ args: args() });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await etcd?.stop();
  });

  it('never gives the same node port or IP to creates on different servers', async () => {
    const path = '/api/v1/namespaces/default/services';
    const created = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).request('POST', path, { metadata: { name: `s${i}` }, spec: { type: 'NodePort', ports: [{ port: 80 }] } })),
    );
    for (const r of created) assert.equal(r.status, 201, r.text);
    const ports = created.map((r) => r.json.spec.ports[0].nodePort);
    const ips = created.map((r) => r.json.spec.clusterIP);
    assert.equal(new Set(ports).size, 16, `node ports: ${ports}`);
    assert.equal(new Set(ips).size, 16, `cluster IPs: ${ips}`);

    assert.equal((await a.request('DELETE', `${path}/s1`)).status, 200);
    const reuse = await b.request('POST', path, { metadata: { name: 'reuse' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: ports[1] }] } });
    assert.equal(reuse.status, 201, reuse.text);
    const taken = await a.request('POST', path, { metadata: { name: 'taken' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: ports[2] }] } });
    assert.equal(taken.status, 422, taken.text);
  });
});
