/**
 * API server identity Leases: each replica on one etcd keeps its own Lease in kube-system, found by upstream's
 * label selector, and a replica's collector deletes a Lease nobody renewed for longer than its duration.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { before, describe, it } from 'node:test';
import { apiServerID } from '../../runtime/controlplane/apiserver-identity/identity.ts';
import { isIdentityLeaseExpired } from '../../runtime/controlplane/apiserver-identity/lease-gc.ts';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';

const leases = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases';
const selector = 'apiserver.kubernetes.io/identity=kube-apiserver';

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('API server identity names', () => {
  it('are upstream-shaped, stable, and differ between replicas on one host', () => {
    const a = apiServerID('node-1', '127.0.0.1:6443');
    assert.match(a, /^apiserver-[a-z2-7]{26}$/);
    assert.equal(apiServerID('node-1', '127.0.0.1:6443'), a);
    assert.notEqual(apiServerID('node-1', '127.0.0.1:6444'), a);
    assert.notEqual(apiServerID('node-2', '127.0.0.1:6443'), a);
  });

  it('a Lease is expired once not renewed for longer than its duration, or when it lacks either', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const lease = (renewTime?: string, leaseDurationSeconds?: number) => ({ metadata: { name: 'x' }, spec: { renewTime, leaseDurationSeconds } });
    assert.equal(isIdentityLeaseExpired(lease('2026-01-01T11:30:00.000000Z', 3600), now), false);
    assert.equal(isIdentityLeaseExpired(lease('2026-01-01T10:59:59.000000Z', 3600), now), true);
    assert.equal(isIdentityLeaseExpired(lease(undefined, 3600), now), true);
    assert.equal(isIdentityLeaseExpired(lease('2026-01-01T11:59:00.000000Z'), now), true);
  });
});

describe('identity Leases of replicas on one etcd', () => {
  let etcd: EtcdServer;
  let servers: TestServer[] = [];
  // Each start stops after the suite as it succeeds: a server that fails to start leaves neither etcd nor the other.
  const teardown = suiteTeardown();
  before(async () => {
    etcd = await startEtcd({ t: teardown });
    servers = await Promise.all([0, 1].map(() => startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown })));
  });

  it('kubectl lists one Lease per running replica, with upstream labels, holder and duration, renewed', async () => {
    const expected = servers.map((s) => apiServerID(hostname(), `127.0.0.1:${s.port}`)).sort();
    const kubectl = kubectlRunner(servers[0].kubeconfig);
    const names = await eventually('both identity Leases', async () => {
      const r = await kubectl.run(['get', 'leases', '-n', 'kube-system', '-l', selector, '-o', 'name']);
      const listed = r.stdout.trim().split('\n').filter(Boolean).map((l) => l.replace('lease.coordination.k8s.io/', '')).sort();
      return listed.length === 2 ? listed : undefined;
    });
    assert.deepEqual(names, expected);
    const first = (await servers[1].request('GET', `${leases}/${expected[0]}`)).json;
    assert.equal(first.metadata.labels['apiserver.kubernetes.io/identity'], 'kube-apiserver');
    assert.equal(first.metadata.labels['kubernetes.io/hostname'], hostname());
    assert.match(first.spec.holderIdentity, new RegExp(`^${expected[0]}_[0-9a-f-]{36}$`));
    assert.equal(first.spec.leaseDurationSeconds, 3600);
    assert.match(first.spec.renewTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    // Renewed every 10 s: the renew time moves on.
    await eventually('a renewal', async () => {
      const again = (await servers[0].request('GET', `${leases}/${expected[0]}`)).json;
      return again.spec.renewTime !== first.spec.renewTime ? true : undefined;
    });
    const health = await servers[0].request('GET', '/healthz?verbose');
    assert.match(health.text, /\[\+\]poststarthook\/start-kube-apiserver-identity-lease-controller ok/);
    assert.match(health.text, /\[\+\]poststarthook\/start-kube-apiserver-identity-lease-garbage-collector ok/);
  });

  it('a Lease not renewed for longer than its duration is collected when a replica starts; a live one is kept', async () => {
    const hourAndMinuteAgo = new Date(Date.now() - 3660_000).toISOString().replace('Z', '000Z');
    const tenMinutesAgo = new Date(Date.now() - 600_000).toISOString().replace('Z', '000Z');
    const foreign = (name: string, renewTime: string) => ({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, labels: { 'apiserver.kubernetes.io/identity': 'kube-apiserver', 'kubernetes.io/hostname': 'gone-host' } },
      spec: { holderIdentity: `${name}_0`, leaseDurationSeconds: 3600, renewTime },
    });
    assert.equal((await servers[0].request('POST', leases, foreign('apiserver-expired', hourAndMinuteAgo))).status, 201);
    assert.equal((await servers[0].request('POST', leases, foreign('apiserver-recent', tenMinutesAgo))).status, 201);
    // The collector looks at start and then hourly: a replica that starts now collects.
    servers.push(await startServer({ args: ['--etcd-servers', etcd.endpoint], t: teardown }));
    await eventually('the expired Lease deleted', async () => ((await servers[0].request('GET', `${leases}/apiserver-expired`)).status === 404 ? true : undefined));
    assert.equal((await servers[2].request('GET', `${leases}/apiserver-recent`)).status, 200);
    const listed = await eventually('three replicas\' Leases and the live foreign one', async () => {
      const list = (await servers[2].request('GET', `${leases}?labelSelector=${encodeURIComponent(selector)}`)).json;
      return list.items.length === 4 ? list.items.map((l: { metadata: { name: string } }) => l.metadata.name) : undefined;
    });
    assert.ok(listed.includes(apiServerID(hostname(), `127.0.0.1:${servers[2].port}`)));
  });
});
