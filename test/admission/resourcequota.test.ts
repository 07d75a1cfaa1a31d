/**
 * ResourceQuota through the real server and kubectl: the controller fills status.hard/used, admission refuses
 * what would exceed a quota with upstream's message, concurrent creates never get past the limit, usage goes
 * down after deletes, pods are charged their cpu/memory requests and must state them, and with the controller
 * off a quota without usage refuses as upstream ("status unknown"), and two servers sharing etcd never admit past
 * a limit together (the charge is a compare-and-swap on the quota).
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';

type Kubectl = ReturnType<typeof kubectlRunner>;

async function quotaStatus(server: TestServer, ns: string, name: string): Promise<{ hard?: Record<string, string>; used?: Record<string, string> }> {
  const r = await server.request('GET', `/api/v1/namespaces/${ns}/resourcequotas/${name}`);
  assert.equal(r.status, 200, r.text);
  return r.json.status ?? {};
}

/** The ConfigMaps of a new namespace once the root CA publisher has put kube-root-ca.crt there (it counts too). */
async function settledConfigMaps(server: TestServer, ns: string): Promise<number> {
  let count = 0;
  await eventually(async () => {
    const items = (await server.request('GET', `/api/v1/namespaces/${ns}/configmaps`)).json.items as Array<{ metadata: { name: string } }>;
    count = items.length;
    return items.some((i) => i.metadata.name === 'kube-root-ca.crt');
  }, `kube-root-ca.crt in ${ns}`);
  return count;
}

async function waitForUsage(server: TestServer, ns: string, name: string, want: Record<string, string>): Promise<void> {
  await eventually(async () => isDeepStrictEqual((await quotaStatus(server, ns, name)).used, want), `quota ${ns}/${name} used to become ${JSON.stringify(want)}`);
}

/** How many changes the quota controller took as possibly freeing quota (upstream's workqueue_adds_total of its queue). */
async function replenishments(server: TestServer): Promise<number> {
  const res = await server.request('GET', '/metrics');
  assert.equal(res.status, 200, res.text);
  const line = res.text.split('\n').find((l) => l.startsWith('workqueue_adds_total{name="resource_quota_controller_resource_changes"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

const mergePatch = { 'Content-Type': 'application/merge-patch+json' };

describe('ResourceQuota', () => {
  let server: TestServer;
  let kubectl: Kubectl;

  async function namespaceWithConfigMapQuota(ns: string, extra: number): Promise<number> {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    const existing = await settledConfigMaps(server, ns);
    const res = await kubectl.run(['create', 'quota', 'q', `--hard=count/configmaps=${existing + extra}`, '-n', ns]);
    assert.equal(res.code, 0, res.stderr);
    await waitForUsage(server, ns, 'q', { 'count/configmaps': String(existing) });
    return existing;
  }

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => {
    await server.stop();
  });

  it('refuses the create that would exceed count/configmaps with upstream message', async () => {
    const base = await namespaceWithConfigMapQuota('cm', 2);
    const status = await quotaStatus(server, 'cm', 'q');
    assert.deepEqual(status.hard, { 'count/configmaps': String(base + 2) });
    for (const name of ['a', 'b']) {
      const ok = await kubectl.run(['create', 'configmap', name, '-n', 'cm', '--from-literal=k=v']);
      assert.equal(ok.code, 0, ok.stderr);
    }
    const limit = base + 2;
    const message = `configmaps "c" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=${limit}, limited: count/configmaps=${limit}`;
    const refused = await kubectl.run(['create', 'configmap', 'c', '-n', 'cm', '--from-literal=k=v']);
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stderr.trim(), `error: failed to create configmap: ${message}`);
    const http = await server.request('POST', '/api/v1/namespaces/cm/configmaps', { metadata: { name: 'c' } });
    assert.equal(http.status, 403);
    assert.equal(http.json.reason, 'Forbidden');
    assert.equal(http.json.message, message);
    // Charged at admission: used is current without waiting for the controller.
    assert.equal((await quotaStatus(server, 'cm', 'q')).used?.['count/configmaps'], String(limit));
    // A dry run is checked but charges nothing.
    const dry = await server.request('POST', '/api/v1/namespaces/cm/configmaps?dryRun=All', { metadata: { name: 'd' } });
    assert.equal(dry.status, 403);
  });

  it('gives back the charge of a create that failed after admission', async () => {
    const base = await namespaceWithConfigMapQuota('failed', 2);
    assert.equal((await server.request('POST', '/api/v1/namespaces/failed/configmaps', { metadata: { name: 'x' } })).status, 201);
    // Admitted and charged, then refused by storage: the quota briefly counts it, then the controller recounts.
    const dup = await server.request('POST', '/api/v1/namespaces/failed/configmaps', { metadata: { name: 'x' } });
    assert.equal(dup.status, 409);
    await waitForUsage(server, 'failed', 'q', { 'count/configmaps': String(base + 1) });
    assert.equal((await server.request('POST', '/api/v1/namespaces/failed/configmaps', { metadata: { name: 'y' } })).status, 201);
  });

  it('keeps status.used current after deletes, so the freed room can be used', async () => {
    const base = (await server.request('GET', '/api/v1/namespaces/cm/configmaps')).json.items.length - 2;
    const del = await kubectl.run(['delete', 'configmap', 'a', '-n', 'cm']);
    assert.equal(del.code, 0, del.stderr);
    await waitForUsage(server, 'cm', 'q', { 'count/configmaps': String(base + 1) });
    const again = await server.request('POST', '/api/v1/namespaces/cm/configmaps', { metadata: { name: 'again' } });
    assert.equal(again.status, 201, again.text);
    await waitForUsage(server, 'cm', 'q', { 'count/configmaps': String(base + 2) });
  });

  it('never admits past the limit when 20 creates race', async () => {
    const base = await namespaceWithConfigMapQuota('race', 5);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => server.request('POST', '/api/v1/namespaces/race/configmaps', { metadata: { name: `r${i}` } })));
    const created = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => r.status === 403);
    assert.equal(created, 5, results.map((r) => `${r.status} ${r.json?.message ?? ''}`).join('\n'));
    assert.equal(refused.length, 15);
    for (const r of refused) assert.match(r.json.message, /^configmaps "r\d+" is forbidden: exceeded quota: q, requested: count\/configmaps=1, used: count\/configmaps=\d+, limited: count\/configmaps=\d+$/);
    const listed = (await server.request('GET', '/api/v1/namespaces/race/configmaps')).json.items.length;
    assert.equal(listed, base + 5);
    await waitForUsage(server, 'race', 'q', { 'count/configmaps': String(base + 5) });
  });

  it('charges pods their cpu and memory requests, and wants them stated', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'compute' } })).status, 201);
    const q = await kubectl.run(['create', 'quota', 'compute', '--hard=pods=3,requests.cpu=1,requests.memory=1Gi,limits.memory=2Gi', '-n', 'compute']);
    assert.equal(q.code, 0, q.stderr);
    await waitForUsage(server, 'compute', 'compute', { pods: '0', 'requests.cpu': '0', 'requests.memory': '0', 'limits.memory': '0' });
    const pod = (name: string, resources: object) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources }] } });

    const bare = await server.request('POST', '/api/v1/namespaces/compute/pods', pod('bare', {}));
    assert.equal(bare.status, 403);
    assert.equal(bare.json.message, 'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c; requests.memory for: c');

    const sized = { requests: { cpu: '600m', memory: '512Mi' }, limits: { memory: '1Gi' } };
    const first = await server.request('POST', '/api/v1/namespaces/compute/pods', pod('first', sized));
    assert.equal(first.status, 201, first.text);
    assert.deepEqual((await quotaStatus(server, 'compute', 'compute')).used, { pods: '1', 'requests.cpu': '600m', 'requests.memory': '512Mi', 'limits.memory': '1Gi' });

    const second = await kubectl.run(['run', 'second', '--image=nginx', '-n', 'compute', `--overrides=${JSON.stringify({ spec: { containers: [{ name: 'second', image: 'nginx', resources: sized }] } })}`]);
    assert.notEqual(second.code, 0);
    assert.equal(second.stderr.trim(), 'Error from server (Forbidden): pods "second" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1');

    const small = await server.request('POST', '/api/v1/namespaces/compute/pods', pod('small', { requests: { cpu: '400m', memory: '512Mi' }, limits: { memory: '1Gi' } }));
    assert.equal(small.status, 201, small.text);
    assert.deepEqual((await quotaStatus(server, 'compute', 'compute')).used, { pods: '2', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.memory': '2Gi' });

    assert.equal((await server.request('DELETE', '/api/v1/namespaces/compute/pods/first')).status, 200);
    await waitForUsage(server, 'compute', 'compute', { pods: '1', 'requests.cpu': '400m', 'requests.memory': '512Mi', 'limits.memory': '1Gi' });
  });

  it('counts services by type', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'svc' } })).status, 201);
    const q = await server.request('POST', '/api/v1/namespaces/svc/resourcequotas', { metadata: { name: 'svc' }, spec: { hard: { services: '5', 'services.nodeports': '1' } } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'svc', 'svc', { services: '0', 'services.nodeports': '0' });
    const np = await server.request('POST', '/api/v1/namespaces/svc/services', { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.equal(np.status, 201, np.text);
    const np2 = await server.request('POST', '/api/v1/namespaces/svc/services', { metadata: { name: 'np2' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    assert.equal(np2.status, 403);
    assert.equal(np2.json.message, 'services "np2" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1');
    const plain = await server.request('POST', '/api/v1/namespaces/svc/services', { metadata: { name: 'plain' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(plain.status, 201, plain.text);
    assert.deepEqual((await quotaStatus(server, 'svc', 'svc')).used, { services: '2', 'services.nodeports': '1' });
  });

  it('counts PVC storage and object counts of any group, and follows changes of spec.hard', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'misc' } })).status, 201);
    const q = await server.request('POST', '/api/v1/namespaces/misc/resourcequotas', {
      metadata: { name: 'misc' },
      spec: { hard: { 'requests.storage': '10Gi', 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1', 'count/deployments.apps': '1' } },
    });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'misc', 'misc', { 'requests.storage': '0', 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '0', 'count/deployments.apps': '0' });
    const pvc = (name: string, storage: string, storageClassName?: string) => ({
      metadata: { name },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...(storageClassName ? { storageClassName } : {}) },
    });
    assert.equal((await server.request('POST', '/api/v1/namespaces/misc/persistentvolumeclaims', pvc('a', '4Gi', 'fast'))).status, 201);
    const second = await server.request('POST', '/api/v1/namespaces/misc/persistentvolumeclaims', pvc('b', '4Gi', 'fast'));
    assert.equal(second.status, 403);
    assert.equal(second.json.message, 'persistentvolumeclaims "b" is forbidden: exceeded quota: misc, requested: fast.storageclass.storage.k8s.io/persistentvolumeclaims=1, used: fast.storageclass.storage.k8s.io/persistentvolumeclaims=1, limited: fast.storageclass.storage.k8s.io/persistentvolumeclaims=1');
    const big = await server.request('POST', '/api/v1/namespaces/misc/persistentvolumeclaims', pvc('c', '7Gi'));
    assert.equal(big.status, 403);
    assert.equal(big.json.message, 'persistentvolumeclaims "c" is forbidden: exceeded quota: misc, requested: requests.storage=7Gi, used: requests.storage=4Gi, limited: requests.storage=10Gi');

    const deploy = await kubectl.run(['create', 'deployment', 'one', '--image=nginx', '-n', 'misc']);
    assert.equal(deploy.code, 0, deploy.stderr);
    const two = await kubectl.run(['create', 'deployment', 'two', '--image=nginx', '-n', 'misc']);
    assert.notEqual(two.code, 0);
    assert.match(two.stderr, /deployments\.apps "two" is forbidden: exceeded quota: misc, requested: count\/deployments\.apps=1, used: count\/deployments\.apps=1, limited: count\/deployments\.apps=1/);

    // Raising a limit: the controller copies it to status.hard, and the room can be used.
    const patched = await kubectl.run(['patch', 'quota', 'misc', '-n', 'misc', '--type=merge', '-p', JSON.stringify({ spec: { hard: { 'count/deployments.apps': '2' } } })]);
    assert.equal(patched.code, 0, patched.stderr);
    await eventually(async () => (await quotaStatus(server, 'misc', 'misc')).hard?.['count/deployments.apps'] === '2', 'status.hard to follow spec.hard');
    const again = await kubectl.run(['create', 'deployment', 'two', '--image=nginx', '-n', 'misc']);
    assert.equal(again.code, 0, again.stderr);
    await waitForUsage(server, 'misc', 'misc', { 'requests.storage': '4Gi', 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1', 'count/deployments.apps': '2' });
  });

  it('frees the quota of a pod that finished; creates and other updates do not recount', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'finish' } })).status, 201);
    const q = await server.request('POST', '/api/v1/namespaces/finish/resourcequotas', { metadata: { name: 'q' }, spec: { hard: { pods: '1', 'requests.cpu': '1' } } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'finish', 'q', { pods: '0', 'requests.cpu': '0' });
    const before = await replenishments(server);
    const pod = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '600m' } } }] } });
    assert.equal((await server.request('POST', '/api/v1/namespaces/finish/pods', pod('job'))).status, 201);
    assert.deepEqual((await quotaStatus(server, 'finish', 'q')).used, { pods: '1', 'requests.cpu': '600m' });
    assert.equal((await server.request('POST', '/api/v1/namespaces/finish/pods', pod('next'))).status, 403);
    // Updates that leave the pod counted are not replenishments.
    const labelled = await server.request('PATCH', '/api/v1/namespaces/finish/pods/job', { metadata: { labels: { step: 'run' } } }, mergePatch);
    assert.equal(labelled.status, 200, labelled.text);
    const running = await server.request('PATCH', '/api/v1/namespaces/finish/pods/job/status', { status: { phase: 'Running' } }, mergePatch);
    assert.equal(running.status, 200, running.text);
    const done = await server.request('PATCH', '/api/v1/namespaces/finish/pods/job/status', { status: { phase: 'Succeeded' } }, mergePatch);
    assert.equal(done.status, 200, done.text);
    await waitForUsage(server, 'finish', 'q', { pods: '0', 'requests.cpu': '0' });
    // The watch delivers in order: by the time usage dropped, the create and the updates before were seen too.
    assert.equal((await replenishments(server)) - before, 1);
    assert.equal((await server.request('POST', '/api/v1/namespaces/finish/pods', pod('next'))).status, 201);
  });

  it('frees load balancer and node port quota when a service becomes ClusterIP, and when it is deleted', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'lb' } })).status, 201);
    const q = await server.request('POST', '/api/v1/namespaces/lb/resourcequotas', { metadata: { name: 'q' }, spec: { hard: { 'services.loadbalancers': '1', 'services.nodeports': '1' } } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'lb', 'q', { 'services.loadbalancers': '0', 'services.nodeports': '0' });
    const before = await replenishments(server);
    const lb = (name: string) => ({ metadata: { name }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    assert.equal((await server.request('POST', '/api/v1/namespaces/lb/services', lb('front'))).status, 201);
    assert.deepEqual((await quotaStatus(server, 'lb', 'q')).used, { 'services.loadbalancers': '1', 'services.nodeports': '1' });
    assert.equal((await server.request('POST', '/api/v1/namespaces/lb/services', lb('back'))).status, 403);

    const plain = await kubectl.run(['patch', 'service', 'front', '-n', 'lb', '--type=merge', '-p', JSON.stringify({ spec: { type: 'ClusterIP', ports: [{ port: 80 }] } })]);
    assert.equal(plain.code, 0, plain.stderr);
    await waitForUsage(server, 'lb', 'q', { 'services.loadbalancers': '0', 'services.nodeports': '0' });
    assert.equal((await server.request('POST', '/api/v1/namespaces/lb/services', lb('back'))).status, 201);
    assert.deepEqual((await quotaStatus(server, 'lb', 'q')).used, { 'services.loadbalancers': '1', 'services.nodeports': '1' });

    const del = await kubectl.run(['delete', 'service', 'back', '-n', 'lb']);
    assert.equal(del.code, 0, del.stderr);
    await waitForUsage(server, 'lb', 'q', { 'services.loadbalancers': '0', 'services.nodeports': '0' });
    // The type change and the delete; not the two creates.
    assert.equal((await replenishments(server)) - before, 2);
  });

  it('gives back requests.storage when a claim asks for less', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'shrink' } })).status, 201);
    const sc = await server.request('POST', '/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'expandable' }, provisioner: 'example.com/fake', allowVolumeExpansion: true });
    assert.equal(sc.status, 201, sc.text);
    const q = await server.request('POST', '/api/v1/namespaces/shrink/resourcequotas', { metadata: { name: 'q' }, spec: { hard: { 'requests.storage': '10Gi' } } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'shrink', 'q', { 'requests.storage': '0' });
    const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'expandable', resources: { requests: { storage: '1Gi' } } } };
    assert.equal((await server.request('POST', '/api/v1/namespaces/shrink/persistentvolumeclaims', claim)).status, 201);
    const bound = await server.request('PATCH', '/api/v1/namespaces/shrink/persistentvolumeclaims/data/status', { status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }, mergePatch);
    assert.equal(bound.status, 200, bound.text);
    const grown = await server.request('PATCH', '/api/v1/namespaces/shrink/persistentvolumeclaims/data', { spec: { resources: { requests: { storage: '8Gi' } } } }, mergePatch);
    assert.equal(grown.status, 200, grown.text);
    assert.deepEqual((await quotaStatus(server, 'shrink', 'q')).used, { 'requests.storage': '8Gi' });
    // Down again (above the capacity, as recovering from a failed expansion allows): admission charges nothing back.
    const shrunk = await server.request('PATCH', '/api/v1/namespaces/shrink/persistentvolumeclaims/data', { spec: { resources: { requests: { storage: '2Gi' } } } }, mergePatch);
    assert.equal(shrunk.status, 200, shrunk.text);
    await waitForUsage(server, 'shrink', 'q', { 'requests.storage': '2Gi' });
  });

  it('applies scoped quotas only to the pods in scope', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'scoped' } })).status, 201);
    const q = await server.request('POST', '/api/v1/namespaces/scoped/resourcequotas', { metadata: { name: 'besteffort' }, spec: { hard: { pods: '1' }, scopes: ['BestEffort'] } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(server, 'scoped', 'besteffort', { pods: '0' });
    const pod = (name: string, resources: object = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx', resources }] } });
    assert.equal((await server.request('POST', '/api/v1/namespaces/scoped/pods', pod('be1'))).status, 201);
    const be2 = await server.request('POST', '/api/v1/namespaces/scoped/pods', pod('be2'));
    assert.equal(be2.status, 403);
    assert.match(be2.json.message, /exceeded quota: besteffort, requested: pods=1, used: pods=1, limited: pods=1$/);
    const burstable = await server.request('POST', '/api/v1/namespaces/scoped/pods', pod('burstable', { requests: { cpu: '100m' } }));
    assert.equal(burstable.status, 201, burstable.text);
  });
});

describe('ResourceQuota with the controller turned off', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--controllers=*,-resourcequota-controller'] });
  });
  after(async () => {
    await server.stop();
  });

  it('leaves status empty, and refuses as upstream when usage is unknown', async () => {
    const q = await server.request('POST', '/api/v1/namespaces/default/resourcequotas', { metadata: { name: 'q' }, spec: { hard: { 'count/secrets': '3', 'count/configmaps': '3' } } });
    assert.equal(q.status, 201, q.text);
    await new Promise((r) => setTimeout(r, 500));
    // Empty: `status: {}`, as Go writes a struct it holds by value.
    assert.deepEqual((await server.request('GET', '/api/v1/namespaces/default/resourcequotas/q')).json.status, {});
    // As a controller elsewhere would: hard is known, usage not yet.
    const put = await server.request('PUT', '/api/v1/namespaces/default/resourcequotas/q/status', { ...q.json, status: { hard: { 'count/secrets': '3', 'count/configmaps': '3' } } });
    assert.equal(put.status, 200, put.text);
    const refused = await server.request('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 's' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'secrets "s" is forbidden: status unknown for quota: q, resources: count/secrets');
  });

  it('enforces a quota from the very next request, and stops with its deletion', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'now' } })).status, 201);
    const hard = { 'count/secrets': '1' };
    const quota = { metadata: { name: 'q' }, spec: { hard } };
    const created = await server.request('POST', '/api/v1/namespaces/now/resourcequotas', quota);
    assert.equal(created.status, 201, created.text);
    // No waiting anywhere below: each write is checked against the quotas as the previous response left them.
    const counted = await server.request('PUT', '/api/v1/namespaces/now/resourcequotas/q/status', { ...created.json, status: { hard, used: { 'count/secrets': '1' } } });
    assert.equal(counted.status, 200, counted.text);
    const over = await server.request('POST', '/api/v1/namespaces/now/secrets', { metadata: { name: 'over' } });
    assert.equal(over.status, 403, over.text);
    assert.equal(over.json.message, 'secrets "over" is forbidden: exceeded quota: q, requested: count/secrets=1, used: count/secrets=1, limited: count/secrets=1');

    assert.equal((await server.request('DELETE', '/api/v1/namespaces/now/resourcequotas/q')).status, 200);
    assert.equal((await server.request('POST', '/api/v1/namespaces/now/secrets', { metadata: { name: 'free' } })).status, 201);

    // Made again, its limits known but not its usage: refused again at once.
    const again = await server.request('POST', '/api/v1/namespaces/now/resourcequotas', quota);
    assert.equal(again.status, 201, again.text);
    assert.equal((await server.request('PUT', '/api/v1/namespaces/now/resourcequotas/q/status', { ...again.json, status: { hard } })).status, 200);
    const unknown = await server.request('POST', '/api/v1/namespaces/now/secrets', { metadata: { name: 'again' } });
    assert.equal(unknown.status, 403, unknown.text);
    assert.equal(unknown.json.message, 'secrets "again" is forbidden: status unknown for quota: q, resources: count/secrets');
  });
});

describe('ResourceQuota across two servers sharing etcd', () => {
  let etcd: EtcdServer;
  let a: TestServer;
  let b: TestServer;
  // Each start stops after the suite as it succeeds: a server that fails to start leaves neither etcd nor the other.
  const teardown = suiteTeardown();
  before(async () => {
    etcd = await startEtcd({ t: teardown });
    [a, b] = await Promise.all([startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown }), startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown })]);
  });

  it('never admits past the limit when creates race on both servers', async () => {
    assert.equal((await a.request('POST', '/api/v1/namespaces', { metadata: { name: 'shared' } })).status, 201);
    const base = await settledConfigMaps(a, 'shared');
    const q = await a.request('POST', '/api/v1/namespaces/shared/resourcequotas', { metadata: { name: 'q' }, spec: { hard: { 'count/configmaps': String(base + 6) } } });
    assert.equal(q.status, 201, q.text);
    await waitForUsage(a, 'shared', 'q', { 'count/configmaps': String(base) });
    // Both servers must see the counted quota before the race, or one would admit against no quota at all.
    await waitForUsage(b, 'shared', 'q', { 'count/configmaps': String(base) });
    await eventually(async () => (await b.request('GET', '/api/v1/namespaces/shared/resourcequotas?resourceVersion=0')).json.items[0]?.status?.used !== undefined, 'server b to cache the quota status');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).request('POST', '/api/v1/namespaces/shared/configmaps', { metadata: { name: `s${i}` } })));
    assert.equal(results.filter((r) => r.status === 201).length, 6, results.map((r) => `${r.status} ${r.json?.message ?? ''}`).join('\n'));
    assert.equal(results.filter((r) => r.status === 403).length, 14);
    assert.equal((await b.request('GET', '/api/v1/namespaces/shared/configmaps')).json.items.length, base + 6);
    await waitForUsage(a, 'shared', 'q', { 'count/configmaps': String(base + 6) });
  });
});
