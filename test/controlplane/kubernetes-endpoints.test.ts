/**
 * The `kubernetes` Service's Endpoints and EndpointSlice list every API server that is up (upstream's lease
 * endpoint reconciler): three replicas on one etcd, each advertising its own address, are all listed; one stopped
 * gracefully leaves the list at once; one SIGKILLed leaves it once its 15 s masterlease key expires.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../support/etcd.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const endpointsPath = '/api/v1/namespaces/default/endpoints/kubernetes';
const slicePath = '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes';

async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const v = await fn().catch((e) => ((last = e), undefined));
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the kubernetes Endpoints across replicas', { timeout: 180_000 }, () => {
  let etcd: EtcdServer;
  const servers: TestServer[] = [];
  const dataDirs: string[] = [];
  // Documentation addresses (TEST-NET-2): Endpoints may not name loopback ones, and none needs to reach its server.
  const advertised = ['198.51.100.2', '198.51.100.3', '198.51.100.4'];

  before(async () => {
    etcd = await startEtcd();
    for (let i = 0; i < advertised.length; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-endpoints-'));
      // One CA and signing key for all, as replicas behind one load balancer share them.
      if (i > 0) cpSync(join(dataDirs[0], 'pki'), join(dataDir, 'pki'), { recursive: true });
      dataDirs.push(dataDir);
      servers.push(await startServer({ dataDir, args: ['--etcd-servers', etcd.endpoint, '--advertise-address', advertised[i]] }));
    }
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
    await etcd?.stop();
  });

  const addresses = async (server: TestServer) => {
    const ep = await server.request('GET', endpointsPath);
    assert.equal(ep.status, 200, ep.text);
    return (ep.json.subsets ?? []).flatMap((s: { addresses?: { ip: string }[] }) => (s.addresses ?? []).map((a) => a.ip));
  };
  const listed = (server: TestServer, want: string[]) => async () => (JSON.stringify(await addresses(server)) === JSON.stringify(want) ? true : undefined);

  it('lists every replica, in the Endpoints and the EndpointSlice, as kubectl shows them', async () => {
    await eventually('all three addresses', listed(servers[0], advertised), 30_000);
    const ep = await servers[2].request('GET', endpointsPath);
    assert.equal(ep.json.metadata.labels['endpointslice.kubernetes.io/skip-mirror'], 'true');
    assert.equal(ep.json.subsets.length, 1);
    assert.equal(ep.json.subsets[0].ports.length, 1);
    assert.equal(ep.json.subsets[0].ports[0].name, 'https');
    const slice = await eventually('the EndpointSlice', async () => {
      const r = await servers[1].request('GET', slicePath);
      return r.status === 200 && r.json.endpoints?.length === 3 ? r.json : undefined;
    }, 30_000);
    assert.equal(slice.addressType, 'IPv4');
    assert.equal(slice.metadata.labels['kubernetes.io/service-name'], 'kubernetes');
    assert.deepEqual(slice.endpoints.map((e: { addresses: string[]; conditions: { ready: boolean } }) => [e.addresses, e.conditions.ready]), advertised.map((a) => [[a], true]));
    const out = await kubectlRunner(servers[0].kubeconfig).run(['get', 'endpoints', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.subsets[0].addresses[*].ip}']);
    assert.equal(out.stdout.trim(), advertised.join(' '), out.stderr);
  });

  it('drops a replica that shuts down gracefully before it stops serving', async () => {
    await servers[1].stop();
    await eventually('198.51.100.3 gone', listed(servers[0], ['198.51.100.2', '198.51.100.4']), 10_000);
  });

  it('drops a replica that was killed once its lease expires, and keeps the survivor', async () => {
    await servers[2].kill();
    // The key lives 15 s after its last renewal; the survivor looks every 10 s.
    await eventually('198.51.100.4 gone', listed(servers[0], ['198.51.100.2']), 45_000);
    const slice = await servers[0].request('GET', slicePath);
    assert.deepEqual(slice.json.endpoints.map((e: { addresses: string[] }) => e.addresses[0]), ['198.51.100.2']);
  });
});
