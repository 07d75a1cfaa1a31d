/**
 * Services through the server: the `kubernetes` Service and its Endpoints exist from the start, cluster IPs are
 * allocated uniquely (also for concurrent creates), requested, refused when taken, kept across updates that
 * omit them, and released on delete; headless and ExternalName Services get none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { hostAddress } from '../support/host-address.ts';

const path = '/api/v1/namespaces/default/services';
const service = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

describe('services', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--service-cluster-ip-range', '10.20.0.0/24'] });
  });
  after(async () => {
    await server.stop();
  });

  it('has the kubernetes Service at the first address, pointing at the API server', async () => {
    const svc = await server.request('GET', `${path}/kubernetes`);
    assert.equal(svc.status, 200);
    assert.equal(svc.json.spec.clusterIP, '10.20.0.1');
    assert.deepEqual(svc.json.spec.ports, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: server.port }]);
    // Bound to 127.0.0.1 (the default), the server advertises the host's address, as kube-apiserver: Endpoints may not
    // name a loopback address.
    const ep = await server.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes');
    assert.ok(!hostAddress().startsWith('127.'), hostAddress());
    assert.deepEqual(ep.json.subsets, [{ addresses: [{ ip: hostAddress() }], ports: [{ name: 'https', port: server.port, protocol: 'TCP' }] }]);
    const slice = await server.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes');
    assert.deepEqual([slice.json.addressType, slice.json.endpoints], ['IPv4', [{ addresses: [hostAddress()], conditions: { ready: true } }]]);
  });

  it('advertising a loopback address, starts and becomes ready without kubernetes Endpoints, and says why', async (t) => {
    const loopback = await startServer({ args: ['--advertise-address', '127.0.0.1'], t });
    const ready = await loopback.request('GET', '/readyz?verbose');
    assert.equal(ready.status, 200, ready.text);
    assert.match(ready.text, /\[\+\]poststarthook\/start-kubernetes-endpoints-reconciler ok/);
    assert.equal((await loopback.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).status, 404);
    assert.equal((await loopback.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).status, 404);
    assert.match(loopback.logs(), /validation refused the kubernetes Endpoints, which is not written/);
  });

  it('allocates distinct IPs to concurrent creates', async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => server.request('POST', path, service(`c${i}`))));
    const ips = created.map((r) => {
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.json.spec.clusterIPs, [r.json.spec.clusterIP]);
      assert.deepEqual(r.json.spec.ipFamilies, ['IPv4']);
      return r.json.spec.clusterIP as string;
    });
    assert.equal(new Set(ips).size, 10);
    assert.ok(ips.every((ip) => /^10\.20\.0\.\d+$/.test(ip) && ip !== '10.20.0.1'));
  });

  it('gives a requested IP once, keeps it across an update that omits it, and frees it on delete', async () => {
    // An address no earlier test was given at random.
    const used = new Set((await server.request('GET', path)).json.items.map((s: { spec: { clusterIP?: string } }) => s.spec.clusterIP));
    const wanted = Array.from({ length: 200 }, (_, i) => `10.20.0.${250 - i}`).find((ip) => !used.has(ip))!;
    const a = await server.request('POST', path, service('want', { clusterIP: wanted }));
    assert.equal(a.status, 201, a.text);
    assert.equal(a.json.spec.clusterIP, wanted);
    const taken = await server.request('POST', path, service('also-want', { clusterIP: wanted }));
    assert.equal(taken.status, 422);
    assert.equal(taken.json.details.causes[0].field, 'spec.clusterIPs');
    assert.match(taken.json.details.causes[0].message, /already allocated/);

    const { clusterIP: _ip, clusterIPs: _ips, ...spec } = a.json.spec;
    const updated = await server.request('PUT', `${path}/want`, { ...a.json, spec: { ...spec, ports: [{ port: 81 }] } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.json.spec.clusterIP, wanted);

    assert.equal((await server.request('DELETE', `${path}/want`)).status, 200);
    const again = await server.request('POST', path, service('again', { clusterIP: wanted }));
    assert.equal(again.status, 201, again.text);
  });

  it('gives headless and ExternalName Services no IP', async () => {
    const headless = await server.request('POST', path, service('headless', { clusterIP: 'None' }));
    assert.equal(headless.json.spec.clusterIP, 'None');
    const ext = await server.request('POST', path, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(ext.status, 201, ext.text);
    assert.equal(ext.json.spec.clusterIP, undefined);
  });
});
