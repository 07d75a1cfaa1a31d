/**
 * The garbage collector follows kinds an aggregated API server serves: a second server serves batch/v1 behind an
 * APIService (its own collector off), and a Job there owned by a ConfigMap here is collected when the ConfigMap
 * is deleted. The collector's debug graph names both, and only an authorized user reads it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { hostAddress } from '../support/host-address.ts';
import { testUser } from '../support/users.ts';
import { startAggregatedServer, type AggregatedServer } from '../aggregator/aggregated-server.ts';
import { create, createConfigMap, eventually, namespace, ownerRef, settle, status, waitGone, type Owner } from './helpers.ts';

const serviceNs = 'aggregated';
const ns = 'gc-aggregated';
const graphPath = '/debug/controllers/garbagecollector/graph';

function job(name: string, owner: Owner) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, ownerReferences: [owner] },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

describe('garbage collector: dependents served by an aggregated API server', () => {
  let first: TestServer;
  let second: AggregatedServer;
  const jobPath = (name: string) => `/apis/batch/v1/namespaces/${ns}/jobs/${name}`;

  const teardown = suiteTeardown();

  before(async () => {
    first = await startServer({ args: ['--runtime-config', 'batch/v1=false'], t: teardown });
    second = await startAggregatedServer({ name: 'agg', namespace: serviceNs }, join(first.dataDir, 'pki', 'front-proxy-ca.crt'), ['--controllers', '*,-garbage-collector-controller'], teardown);
    await namespace(first, serviceNs);
    for (const s of [first, second.server]) await namespace(s, ns);
    await create(first, `/api/v1/namespaces/${serviceNs}/services`, { metadata: { name: 'agg' }, spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] } });
    await create(first, `/api/v1/namespaces/${serviceNs}/endpoints`, { metadata: { name: 'agg' }, subsets: [{ addresses: [{ ip: hostAddress() }], ports: [{ name: 'https', port: second.server.port }] }] });
    await create(first, '/apis/apiregistration.k8s.io/v1/apiservices', {
      metadata: { name: 'v1.batch' },
      spec: { group: 'batch', version: 'v1', groupPriorityMinimum: 17400, versionPriority: 15, service: { namespace: serviceNs, name: 'agg' }, caBundle: second.caBundle },
    });
    await eventually('v1.batch to be Available', async () => {
      const s = (await first.request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.batch')).json;
      return s.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True') || undefined;
    }, 30_000);
  });

  it('deleting the owner here deletes its dependent there; a Job whose owner remains stays', async () => {
    const owner = await createConfigMap(first, ns, 'owner');
    const keeper = await createConfigMap(first, ns, 'keeper');
    const dependent = await create(second.server, `/apis/batch/v1/namespaces/${ns}/jobs`, job('dependent', ownerRef(owner)));
    await create(second.server, `/apis/batch/v1/namespaces/${ns}/jobs`, job('kept', ownerRef(keeper)));

    // The collector has seen the Job, through the aggregated server, as a dependent of the ConfigMap.
    const graph = await eventually('the graph to link the Job to its owner', async () => {
      const res = await first.request('GET', `${graphPath}?uid=${owner.metadata.uid}`);
      return res.status === 200 && res.text.includes(dependent.metadata.uid) ? res : undefined;
    }, 30_000);
    assert.equal(graph.headers['content-type'], 'text/vnd.graphviz');
    assert.match(graph.text, /^strict digraph full \{\n/);
    assert.match(graph.text, /kind="ConfigMap"\n\s+namespace="gc-aggregated"\n\s+name="owner"/);
    assert.match(graph.text, /kind="Job"\n\s+namespace="gc-aggregated"\n\s+name="dependent"/);
    const id = (uid: string) => new RegExp(`\\n  (\\d+) \\[\\n(?:    .*\\n)*?    uid="${uid}"`).exec(graph.text)?.[1];
    assert.match(graph.text, new RegExp(`\\n  ${id(dependent.metadata.uid)} -> ${id(owner.metadata.uid)};\\n`), 'an edge from the dependent to its owner');
    assert.doesNotMatch(graph.text, /name="keeper"/, 'only the neighbourhood of the uid asked for');
    // The whole graph has the other pair too.
    assert.match((await first.request('GET', graphPath)).text, /name="keeper"/);

    assert.equal((await first.request('DELETE', `/api/v1/namespaces/${ns}/configmaps/owner`)).status, 200);
    await waitGone(second.server, jobPath('dependent'), 30_000);
    await settle(1000);
    assert.equal(await status(second.server, jobPath('kept')), 200);
  });

  it('the graph is for authorized users only', async () => {
    assert.equal((await testUser(first, 'nobody').request('GET', graphPath)).status, 403);
    assert.equal((await testUser(first, 'viewer', ['system:authenticated']).request('GET', `${graphPath}?uid=x`)).status, 403);
  });
});
