/**
 * Services as kube-apiserver v1.32 shapes them, through a real server (a small node port range, so collisions and
 * exhaustion are reachable): IP family fields, traffic policy defaults, node ports and health check node ports,
 * type transitions that claim and give back, updates that leave server-chosen values out, immutable fields,
 * dual-stack requests on a single-stack cluster, dry runs, and Endpoints deleted with their Service. Expected
 * values and messages come from upstream's pkg/registry/core/service/storage (alloc.go, storage.go),
 * strategy.go and pkg/apis/core/validation (ValidateService, ValidateServiceUpdate).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const ns = 'default';
const path = `/api/v1/namespaces/${ns}/services`;
const inRange = (p: unknown) => typeof p === 'number' && p >= 31000 && p <= 31049;

describe('services: allocation and strategy', () => {
  let server: TestServer;
  const create = (name: string, spec: Record<string, unknown>, query = '') => server.request('POST', `${path}${query}`, { metadata: { name }, spec });
  const get = async (name: string) => (await server.request('GET', `${path}/${name}`)).json;
  const causes = (r: { json: any }) => r.json.details?.causes?.map((c: { field: string; message: string }) => `${c.field}: ${c.message}`); // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    server = await startServer({ args: ['--service-cluster-ip-range', '10.30.0.0/24', '--service-node-port-range', '31000-31049'] });
  });
  after(async () => {
    await server.stop();
  });

  it('fills in a ClusterIP Service as upstream: one IPv4 address, SingleStack, Cluster internal traffic, port defaults', async () => {
    const r = await create('plain', { selector: { app: 'x' }, ports: [{ port: 80 }] });
    assert.equal(r.status, 201, r.text);
    const { clusterIP, ...spec } = r.json.spec;
    assert.match(clusterIP, /^10\.30\.0\.\d+$/);
    assert.deepEqual(spec, {
      clusterIPs: [clusterIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      selector: { app: 'x' },
      sessionAffinity: 'None',
      type: 'ClusterIP',
    });
  });

  it('gives headless Services clusterIPs [None]; selectorless ones both families and RequireDualStack', async () => {
    const withSelector = await create('headless', { clusterIP: 'None', selector: { app: 'x' }, ports: [{ port: 80 }] });
    assert.equal(withSelector.status, 201, withSelector.text);
    assert.deepEqual([withSelector.json.spec.clusterIP, withSelector.json.spec.clusterIPs, withSelector.json.spec.ipFamilies, withSelector.json.spec.ipFamilyPolicy], ['None', ['None'], ['IPv4'], 'SingleStack']);
    const selectorless = await create('headless-nosel', { clusterIP: 'None' });
    assert.equal(selectorless.status, 201, selectorless.text);
    assert.deepEqual([selectorless.json.spec.clusterIPs, selectorless.json.spec.ipFamilies, selectorless.json.spec.ipFamilyPolicy], [['None'], ['IPv4', 'IPv6'], 'RequireDualStack']);
  });

  it('gives ExternalName Services no IP fields and no internal traffic policy', async () => {
    const r = await create('ext', { type: 'ExternalName', externalName: 'example.com' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.spec, { externalName: 'example.com', sessionAffinity: 'None', type: 'ExternalName' });
  });

  it('gives NodePort Services a node port per port from the range and Cluster external traffic', async () => {
    const r = await create('np', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 443 }] });
    assert.equal(r.status, 201, r.text);
    const [a, b] = r.json.spec.ports;
    assert.ok(inRange(a.nodePort) && inRange(b.nodePort) && a.nodePort !== b.nodePort, r.text);
    assert.equal(r.json.spec.externalTrafficPolicy, 'Cluster');
  });

  it('shares one node port between the TCP and UDP ports of one number', async () => {
    const r = await create('dns', { type: 'NodePort', ports: [{ name: 'tcp', port: 53, protocol: 'TCP' }, { name: 'udp', port: 53, protocol: 'UDP' }] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.ports[0].nodePort, r.json.spec.ports[1].nodePort);
  });

  it('claims a requested node port once, and refuses a taken or out-of-range one with upstream texts', async () => {
    const r = await create('want', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.ports[0].nodePort, 31000);
    const taken = await create('want2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] });
    assert.equal(taken.status, 422, taken.text);
    assert.equal(taken.json.message, 'Service "want2" is invalid: spec.ports[0].nodePort: Invalid value: 31000: provided port is already allocated');
    const outside = await create('want3', { type: 'NodePort', ports: [{ port: 80, nodePort: 30000 }] });
    assert.equal(outside.status, 422, outside.text);
    assert.deepEqual(causes(outside), ['spec.ports[0].nodePort: Invalid value: 30000: provided port is not in the valid range. The range of valid ports is 31000-31049']);
    assert.equal((await server.request('GET', `${path}/want2`)).status, 404);
  });

  it('refuses node ports on ClusterIP Services', async () => {
    const r = await create('cip-np', { ports: [{ port: 80, nodePort: 31001 }] });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(causes(r), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  });

  it('gives LoadBalancers node ports, allocateLoadBalancerNodePorts, and a health check node port when Local', async () => {
    const lb = await create('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] });
    assert.equal(lb.status, 201, lb.text);
    const s = lb.json.spec;
    assert.equal(s.allocateLoadBalancerNodePorts, true);
    assert.ok(inRange(s.ports[0].nodePort) && inRange(s.healthCheckNodePort) && s.healthCheckNodePort !== s.ports[0].nodePort, lb.text);
    const none = await create('lb-noports', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] });
    assert.equal(none.status, 201, none.text);
    assert.equal(none.json.spec.ports[0].nodePort, undefined);
    assert.equal(none.json.spec.externalTrafficPolicy, 'Cluster');

    // The health check port cannot change while it is needed; leaving Local gives it back.
    const changed = await server.request('PUT', `${path}/lb`, { ...lb.json, spec: { ...s, healthCheckNodePort: s.healthCheckNodePort === 31049 ? 31048 : 31049 } });
    assert.equal(changed.status, 422, changed.text);
    assert.ok(causes(changed).includes('spec.healthCheckNodePort: Forbidden: field is immutable'), changed.text);
    const cluster = await server.request('PUT', `${path}/lb`, { ...lb.json, spec: { ...s, externalTrafficPolicy: 'Cluster' } });
    assert.equal(cluster.status, 200, cluster.text);
    assert.equal(cluster.json.spec.healthCheckNodePort, undefined);
    const reuse = await create('hc-reuse', { type: 'NodePort', ports: [{ port: 80, nodePort: s.healthCheckNodePort }] });
    assert.equal(reuse.status, 201, reuse.text);
  });

  it('never gives two concurrent creates the same node port', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create(`race-${i}`, { type: 'NodePort', ports: [{ port: 80 }] })));
    const ports = results.map((r) => {
      assert.equal(r.status, 201, r.text);
      return r.json.spec.ports[0].nodePort;
    });
    assert.equal(new Set(ports).size, ports.length);
    for (let i = 0; i < 12; i++) assert.equal((await server.request('DELETE', `${path}/race-${i}`)).status, 200);
  });

  it('keeps the node ports and cluster IP an update leaves out (patchAllocatedValues)', async () => {
    const r = await create('keep', { type: 'NodePort', ports: [{ name: 'http', port: 80 }] });
    const { clusterIP: _a, clusterIPs: _b, ...spec } = r.json.spec;
    const updated = await server.request('PUT', `${path}/keep`, { metadata: { name: 'keep' }, spec: { ...spec, ports: [{ name: 'http', port: 80 }] } });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.json.spec.ports[0].nodePort, r.json.spec.ports[0].nodePort);
    assert.equal(updated.json.spec.clusterIP, r.json.spec.clusterIP);
    assert.equal(updated.json.metadata.generation, undefined, 'Services have no generation upstream');
  });

  it('claims and gives back on type changes: ClusterIP <-> NodePort <-> LoadBalancer <-> ExternalName', async () => {
    const c = await create('moves', { ports: [{ port: 80 }] });
    const ip = c.json.spec.clusterIP;
    const toNodePort = await server.request('PATCH', `${path}/moves`, { spec: { type: 'NodePort' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(toNodePort.status, 200, toNodePort.text);
    const port = toNodePort.json.spec.ports[0].nodePort;
    assert.ok(inRange(port));
    assert.equal(toNodePort.json.spec.externalTrafficPolicy, 'Cluster');
    const toLB = await server.request('PATCH', `${path}/moves`, { spec: { type: 'LoadBalancer' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(toLB.status, 200, toLB.text);
    assert.equal(toLB.json.spec.ports[0].nodePort, port, 'a LoadBalancer keeps the NodePort Service node port');
    assert.equal(toLB.json.spec.allocateLoadBalancerNodePorts, true);
    const back = await server.request('PATCH', `${path}/moves`, { spec: { type: 'ClusterIP' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(back.status, 200, back.text);
    assert.equal(back.json.spec.ports[0].nodePort, undefined);
    assert.equal(back.json.spec.externalTrafficPolicy, undefined);
    assert.equal(back.json.spec.allocateLoadBalancerNodePorts, undefined);
    assert.equal(back.json.spec.clusterIP, ip);
    const reuse = await create('moves-port', { type: 'NodePort', ports: [{ port: 80, nodePort: port }] });
    assert.equal(reuse.status, 201, `the node port went back to the range: ${reuse.text}`);

    const toExt = await server.request('PATCH', `${path}/moves`, { spec: { type: 'ExternalName', externalName: 'example.org' } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(toExt.status, 200, toExt.text);
    for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) assert.equal(toExt.json.spec[f], undefined, f);
    const reuseIP = await create('moves-ip', { clusterIP: ip, ports: [{ port: 80 }] });
    assert.equal(reuseIP.status, 201, `the IP went back to the range: ${reuseIP.text}`);
    const fromExt = await server.request('PATCH', `${path}/moves`, { spec: { type: 'ClusterIP', externalName: null } }, { 'content-type': 'application/merge-patch+json' });
    assert.equal(fromExt.status, 200, fromExt.text);
    assert.match(fromExt.json.spec.clusterIP, /^10\.30\.0\.\d+$/);
    assert.notEqual(fromExt.json.spec.clusterIP, ip);
    assert.deepEqual([fromExt.json.spec.ipFamilies, fromExt.json.spec.ipFamilyPolicy], [['IPv4'], 'SingleStack']);
  });

  it('refuses a changed cluster IP with upstream message', async () => {
    const c = await get('plain');
    const other = c.spec.clusterIP === '10.30.0.250' ? '10.30.0.251' : '10.30.0.250';
    const r = await server.request('PUT', `${path}/plain`, { ...c, spec: { ...c.spec, clusterIP: other } });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(causes(r), [`spec.clusterIPs[0]: Invalid value: []string{"${other}"}: may not change once set`]);
  });

  it('refuses dual-stack on this single-stack cluster as upstream', async () => {
    const require = await create('ds1', { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] });
    assert.equal(require.status, 422, require.text);
    assert.deepEqual(causes(require), ['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']);
    const v6 = await create('ds2', { ipFamilies: ['IPv6'], ports: [{ port: 80 }] });
    assert.equal(v6.status, 422, v6.text);
    assert.deepEqual(causes(v6), ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']);
    const v6ip = await create('ds3', { clusterIP: 'fd00::10', ports: [{ port: 80 }] });
    assert.equal(v6ip.status, 422, v6ip.text);
    assert.deepEqual(causes(v6ip), ['spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster']);
    const prefer = await create('ds4', { ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] });
    assert.equal(prefer.status, 201, prefer.text);
    assert.deepEqual([prefer.json.spec.ipFamilies, prefer.json.spec.ipFamilyPolicy, prefer.json.spec.clusterIPs.length], [['IPv4'], 'PreferDualStack', 1]);
  });

  it('refuses a taken or foreign cluster IP with upstream messages', async () => {
    const taken = (await get('plain')).spec.clusterIP;
    const r = await create('ip-taken', { clusterIP: taken, ports: [{ port: 80 }] });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(causes(r), [`spec.clusterIPs: Invalid value: []string{"${taken}"}: failed to allocate IP ${taken}: provided IP is already allocated`]);
    const foreign = await create('ip-foreign', { clusterIP: '10.99.0.5', ports: [{ port: 80 }] });
    assert.equal(foreign.status, 422, foreign.text);
    assert.deepEqual(causes(foreign), ['spec.clusterIPs: Invalid value: []string{"10.99.0.5"}: failed to allocate IP 10.99.0.5: the provided IP (10.99.0.5) is not in the valid range. The range of valid IPs is 10.30.0.0/24']);
  });

  it('answers a dry run with made-up values and claims nothing', async () => {
    const r = await create('dry', { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] }, '?dryRun=All');
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.spec.clusterIP, '10.30.0.0');
    assert.deepEqual(r.json.spec.ports.map((p: { nodePort: number }) => p.nodePort), [32769, 32770]);
    assert.equal((await server.request('GET', `${path}/dry`)).status, 404);
    const taken = await create('dry2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31000 }] }, '?dryRun=All');
    assert.equal(taken.status, 422, taken.text);
  });

  it('creates a missing Service on PUT, as upstream allows', async () => {
    const r = await server.request('PUT', `${path}/put-created`, { metadata: { name: 'put-created' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.equal(r.status, 201, r.text);
    assert.ok(inRange(r.json.spec.ports[0].nodePort));
  });

  it('validates names as DNS-1035 labels and fields with upstream paths', async () => {
    const digit = await create('1abc', { ports: [{ port: 80 }] });
    assert.equal(digit.status, 422, digit.text);
    assert.equal(digit.json.details.causes[0].field, 'metadata.name');
    const noPorts = await create('noports', {});
    assert.deepEqual(causes(noPorts), ['spec.ports: Required value']);
    const affinity = await create('aff', { sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 10 } }, ports: [{ port: 80 }] });
    assert.equal(affinity.status, 201, 'sessionAffinityConfig is dropped by defaulting when affinity is None');
    const dupes = await create('dupes', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 80 }] });
    assert.deepEqual(causes(dupes), [
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });

  it('gives back everything on delete and deletes the Endpoints of the same name', async () => {
    const r = await create('gone', { type: 'NodePort', ports: [{ port: 80, nodePort: 31002 }] });
    assert.equal(r.status, 201, r.text);
    const ep = await server.request('POST', `/api/v1/namespaces/${ns}/endpoints`, { metadata: { name: 'gone' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [{ port: 80 }] }] });
    assert.equal(ep.status, 201, ep.text);
    const del = await server.request('DELETE', `${path}/gone`);
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json.kind, 'Service', 'upstream answers a Service delete with the deleted object');
    assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/endpoints/gone`)).status, 404);
    const again = await create('gone2', { type: 'NodePort', ports: [{ port: 80, nodePort: 31002 }], clusterIP: r.json.spec.clusterIP });
    assert.equal(again.status, 201, again.text);
  });

  it('warns as upstream about ignored fields and addresses Go will stop accepting', async () => {
    const r = await create('warned', { externalName: 'ignored.example.com', externalIPs: ['010.1.2.3'], ports: [{ port: 80 }] });
    assert.equal(r.status, 201, r.text);
    const header = String(r.headers.warning ?? '');
    assert.match(header, /299 - "spec.externalIPs\[0\]: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr\(\\"010.1.2.3\\"\): IPv4 field has octet with leading zero"/);
    assert.match(header, /299 - "spec.externalName is ignored when spec.type is not \\"ExternalName\\""/);
  });

  it('selects Services by spec.type and spec.clusterIP', async () => {
    const r = await server.request('GET', `${path}?fieldSelector=spec.type=ExternalName`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.every((s: { spec: { type: string } }) => s.spec.type === 'ExternalName') && r.json.items.length >= 1);
    const byIP = await server.request('GET', `${path}?fieldSelector=spec.clusterIP=None`);
    assert.deepEqual(byIP.json.items.map((s: { metadata: { name: string } }) => s.metadata.name).sort(), ['headless', 'headless-nosel']);
  });
});
