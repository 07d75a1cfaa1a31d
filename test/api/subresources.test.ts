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

  it('a write to /status changes the metadata the kind leaves to it, as upstream\'s status strategies', async () => {
    // A Deployment's status write may change annotations but not labels (upstream resets spec and labels only).
    const patch = { metadata: { labels: { tier: 'x' }, annotations: { 'example.com/seen': 'yes' } }, status: { observedGeneration: 1 } };
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const d = await server.request('PATCH', `${base}/web/status?fieldManager=ctrl`, patch, merge);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.metadata.annotations?.['example.com/seen'], 'yes');
    assert.equal(d.json.metadata.labels, undefined);
    const entry = d.json.metadata.managedFields.find((e: { manager: string; subresource?: string }) => e.manager === 'ctrl' && e.subresource === 'status');
    assert.deepEqual(Object.keys(entry.fieldsV1).sort(), ['f:metadata', 'f:status']);
    assert.deepEqual(Object.keys(entry.fieldsV1['f:metadata']), ['f:annotations']);
    // A Pod's may change labels too, and so may a CustomResourceDefinition's (its status strategy resets the new
    // metadata from itself: apiextensions-apiserver v0.32.0 registry/customresourcedefinition/strategy.go).
    const pod = await server.request('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(pod.status, 201, pod.text);
    const p = await server.request('PATCH', '/api/v1/namespaces/default/pods/p/status', patch, merge);
    assert.equal(p.status, 200, p.text);
    assert.deepEqual(p.json.metadata.labels, { tier: 'x' });
    const crd = await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'gadgets.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
    });
    assert.equal(crd.status, 201, crd.text);
    const c = await server.request('PATCH', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com/status', { metadata: { labels: { tier: 'x' } } }, merge);
    assert.equal(c.status, 200, c.text);
    assert.deepEqual(c.json.metadata.labels, { tier: 'x' });
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
