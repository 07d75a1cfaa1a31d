/**
 * The status and scale subresources: /status writes change only status, main writes never change status, and
 * /scale reads and writes the replica count as an autoscaling/v1 Scale (`kubectl scale` uses it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
};
const base = '/apis/apps/v1/namespaces/default/deployments';

describe('subresources', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
    const res = await server.request('POST', base, deployment);
    assert.equal(res.status, 201, res.text);
  });
  after(async () => {
    await server.stop();
  });

  it('a write to the main resource ignores status', async () => {
    const current = (await server.request('GET', `${base}/web`)).json;
    const res = await server.request('PUT', `${base}/web`, { ...current, status: { replicas: 7 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status?.replicas, undefined);
  });

  it('a write to /status changes only status', async () => {
    const current = (await server.request('GET', `${base}/web/status`)).json;
    assert.equal(current.kind, 'Deployment');
    const res = await server.request('PUT', `${base}/web/status`, { ...current, spec: { ...current.spec, replicas: 9 }, status: { replicas: 3, readyReplicas: 2 } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.status, { replicas: 3, readyReplicas: 2 });
    assert.equal(res.json.spec.replicas, 1);
    const patched = await server.request('PATCH', `${base}/web/status`, { status: { availableReplicas: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.status.availableReplicas, 1);
    assert.equal(patched.json.status.replicas, 3);
  });

  it('/status serves only get, update and patch', async () => {
    const res = await server.request('DELETE', `${base}/web/status`);
    assert.equal(res.status, 405);
    assert.equal(res.json.reason, 'MethodNotAllowed');
  });

  it('/scale is an autoscaling/v1 Scale', async () => {
    const res = await server.request('GET', `${base}/web/scale`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Scale');
    assert.equal(res.json.apiVersion, 'autoscaling/v1');
    assert.equal(res.json.spec.replicas, 1);
    assert.equal(res.json.status.replicas, 3);
    assert.equal(res.json.status.selector, 'app=web');
  });

  it('kubectl scale changes spec.replicas through /scale', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const res = await kubectl.run(['scale', 'deployment', 'web', '--replicas=4']);
    assert.equal(res.stdout.trim(), 'deployment.apps/web scaled', res.stderr);
    const got = await server.request('GET', `${base}/web`);
    assert.equal(got.json.spec.replicas, 4);
    assert.equal(got.json.metadata.generation, 2);
  });

  it('a negative scale is invalid', async () => {
    const res = await server.request('PATCH', `${base}/web/scale`, { spec: { replicas: -1 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 422);
    assert.equal(res.json.details.causes[0].field, 'spec.replicas');
  });
});
