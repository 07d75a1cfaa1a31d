/**
 * Leader election of the built-in controllers: of two servers sharing one etcd, only the holder of the
 * kube-system/kube-ts-controllers Lease runs them; when it dies, the other takes the Lease over and the
 * controllers keep working. With --leader-elect=false no Lease is used.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';

const lease = '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-ts-controllers';
const fast = ['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms'];

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The default ServiceAccount of a new namespace: made by the serviceaccount controller of whichever server leads. */
async function defaultServiceAccountAppears(server: TestServer, namespace: string): Promise<void> {
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: namespace } })).status, 201);
  await eventually(`the default ServiceAccount in ${namespace}`, async () => ((await server.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)).status === 200 ? true : undefined));
}

describe('leader election of the controllers', () => {
  // Each start stops after the suite as it succeeds: a server that fails to start leaves neither etcd nor the other.
  const teardown = suiteTeardown();
  let etcd: EtcdServer;
  let servers: TestServer[] = [];
  before(async () => {
    etcd = await startEtcd({ t: teardown });
    // Info-level logs name the identity of the server that became leader.
    const level = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'info';
    servers = await Promise.all([0, 1].map(() => startServer({ args: ['--etcd-servers', etcd.endpoint, ...fast], t: teardown })));
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  });

  it('one server holds the Lease, and the other takes it over when the holder dies', async () => {
    const first = await eventually('a leader', async () => {
      const l = (await servers[0].request('GET', lease)).json;
      return l?.spec?.holderIdentity ? l : undefined;
    });
    assert.equal(first.spec.leaseDurationSeconds, 4);
    assert.match(first.spec.acquireTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    // Both servers' logs name their identity; exactly one says it leads.
    const leaders = servers.filter((s) => s.logs().includes(`"identity":"${first.spec.holderIdentity}"`));
    assert.equal(leaders.length, 1, 'exactly one server logged that it became leader with the Lease holder identity');
    const [leader] = leaders;
    const follower = servers.find((s) => s !== leader)!;
    await defaultServiceAccountAppears(follower, 'before-failover');

    await leader.kill(); // no release: the follower must wait out the lease duration by its own clock
    const next = await eventually('a new leader', async () => {
      const l = (await follower.request('GET', lease)).json;
      return l?.spec?.holderIdentity && l.spec.holderIdentity !== first.spec.holderIdentity ? l : undefined;
    });
    assert.equal(next.spec.leaseTransitions, (first.spec.leaseTransitions ?? 0) + 1);
    await defaultServiceAccountAppears(follower, 'after-failover');
  });
});

describe('--leader-elect=false', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ args: ['--leader-elect', 'false'] });
  });
  after(async () => server?.stop());

  it('runs the controllers without a Lease', async () => {
    await defaultServiceAccountAppears(server, 'no-election');
    assert.equal((await server.request('GET', lease)).status, 404);
  });

  it('refuses a renew deadline not shorter than the lease duration', async () => {
    const { parseOptions } = await import('../../runtime/server/options.ts');
    assert.throws(() => parseOptions(['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '5s']), /--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration/);
  });
});
