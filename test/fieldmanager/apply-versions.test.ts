/**
 * Managed fields across API versions, against the real server: each manager's fields are compared in the version
 * its entry was recorded in, as kube-apiserver converts the object to each manager's version. The kind used is the
 * HorizontalPodAutoscaler, whose CPU target is `spec.targetCPUUtilizationPercentage` in autoscaling/v1 and an item
 * of `spec.metrics` (an atomic list) in autoscaling/v2.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const applyType = { 'Content-Type': 'application/apply-patch+yaml' };
const hpaPath = (version: 'v1' | 'v2', name = '') => `/apis/autoscaling/${version}/namespaces/default/horizontalpodautoscalers${name ? `/${name}` : ''}`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: Record<string, unknown>;
}
type Obj = { metadata?: { managedFields?: Entry[] }; spec?: Record<string, unknown> };

const entryOf = (obj: Obj, manager: string, operation = 'Apply') => obj.metadata?.managedFields?.find((e) => e.manager === manager && e.operation === operation);
const target = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

/** An autoscaling/v2 configuration whose only metric is a CPU utilisation target. */
function v2Config(name: string, cpu?: number): Record<string, unknown> {
  const spec: Record<string, unknown> = { scaleTargetRef: target, maxReplicas: 5 };
  if (cpu !== undefined) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: cpu } } }];
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name }, spec };
}

function v1Config(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name }, spec };
}

/** A CRD whose `spec.ports` is an atomic list in v1 and a list of items keyed by name in v2 (conversion None). */
function portsSchema(listType: Record<string, unknown>) {
  const port = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } };
  const ports = { type: 'array', items: port, ...listType };
  return { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { ports } } } } };
}
const gateways = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gateways.versions.example.dev' },
  spec: {
    group: 'versions.example.dev',
    scope: 'Namespaced',
    names: { plural: 'gateways', singular: 'gateway', kind: 'Gateway' },
    versions: [
      { name: 'v1', served: true, storage: true, schema: portsSchema({ 'x-kubernetes-list-type': 'atomic' }) },
      { name: 'v2', served: true, storage: false, schema: portsSchema({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] }) },
    ],
  },
};

describe('managed fields across API versions', () => {
  let server: TestServer;
  const apply = (version: 'v1' | 'v2', name: string, body: unknown, query: string) =>
    server.request('PATCH', `${hpaPath(version, name)}?${query}`, JSON.stringify(body), applyType);
  const get = async (version: 'v1' | 'v2', name: string) => (await server.request('GET', hpaPath(version, name))).json;

  before(async () => {
    server = await startServer();
    assert.equal((await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', gateways)).status, 201);
  });
  after(async () => {
    await server.stop();
  });

  it('an apply through v1 conflicts with the v2 applier of the same value, named in v2 as upstream does', async () => {
    const created = await apply('v2', 'c1', v2Config('c1', 50), 'fieldManager=a');
    assert.equal(created.status, 201, created.text);
    const before = await get('v2', 'c1');
    const res = await apply('v1', 'c1', v1Config('c1', { targetCPUUtilizationPercentage: 80 }), 'fieldManager=b');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "a": .spec.metrics',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.spec.metrics' }] },
      code: 409,
    });
    assert.deepEqual(await get('v2', 'c1'), before);
    // The value the v2 applier set is no conflict: both own it, each in its own version.
    const same = await apply('v1', 'c1', v1Config('c1', { targetCPUUtilizationPercentage: 50 }), 'fieldManager=b');
    assert.equal(same.status, 200, same.text);
    assert.equal(entryOf(same.json, 'a')!.apiVersion, 'autoscaling/v2');
    assert.ok('f:metrics' in (entryOf(same.json, 'a')!.fieldsV1['f:spec'] as object));
    assert.equal(entryOf(same.json, 'b')!.apiVersion, 'autoscaling/v1');
    assert.deepEqual(entryOf(same.json, 'b')!.fieldsV1, { 'f:spec': { 'f:targetCPUUtilizationPercentage': {} } });
  });

  it('an apply through v2 conflicts with a v1 Update manager, printed with its version', async () => {
    const created = await server.request('POST', `${hpaPath('v1')}?fieldManager=writer`, v1Config('c2', { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 60 }));
    assert.equal(created.status, 201, created.text);
    const res = await apply('v2', 'c2', v2Config('c2', 70), 'fieldManager=a');
    assert.equal(res.status, 409, res.text);
    assert.equal(res.json.message, 'Apply failed with 1 conflict: conflict with "writer" using autoscaling/v1: .spec.targetCPUUtilizationPercentage');
  });

  it('force takes the field across versions: the other manager loses it and keeps its entry in its version', async () => {
    await apply('v2', 'f1', v2Config('f1', 50), 'fieldManager=a');
    const res = await apply('v1', 'f1', v1Config('f1', { targetCPUUtilizationPercentage: 80 }), 'fieldManager=b&force=true');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.targetCPUUtilizationPercentage, 80);
    const a = entryOf(res.json, 'a')!;
    assert.equal(a.apiVersion, 'autoscaling/v2');
    assert.ok(!('f:metrics' in (a.fieldsV1['f:spec'] as object)), JSON.stringify(a.fieldsV1));
    assert.ok('f:maxReplicas' in (a.fieldsV1['f:spec'] as object));
    assert.equal(entryOf(res.json, 'b')!.apiVersion, 'autoscaling/v1');
    const inV2 = await get('v2', 'f1');
    assert.deepEqual(inV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it('removes a field applied through v1 that its applier leaves out applying through v2', async () => {
    const first = await apply('v1', 'r1', v1Config('r1', { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }), 'fieldManager=a');
    assert.equal(first.status, 201, first.text);
    const res = await apply('v2', 'r1', v2Config('r1'), 'fieldManager=a');
    assert.equal(res.status, 200, res.text);
    // Gone, so autoscaling/v2's defaults put back their own CPU target (80%), as upstream's.
    assert.deepEqual(res.json.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const a = entryOf(res.json, 'a')!;
    assert.equal(a.apiVersion, 'autoscaling/v2');
    assert.ok(!('f:metrics' in (a.fieldsV1['f:spec'] as object)));
    assert.equal((await get('v1', 'r1')).spec.targetCPUUtilizationPercentage, 80);
  });

  it('keeps a field applied through v2 when another manager owns it in v1', async () => {
    await apply('v2', 'k1', v2Config('k1', 50), 'fieldManager=a');
    const shared = await apply('v1', 'k1', v1Config('k1', { targetCPUUtilizationPercentage: 50 }), 'fieldManager=b');
    assert.equal(shared.status, 200, shared.text);
    const res = await apply('v2', 'k1', v2Config('k1'), 'fieldManager=a');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.spec.metrics[0].resource.target.averageUtilization, 50);
  });

  it('an Update manager writing through another version gets a second entry, and the first loses what it changed', async () => {
    const created = await server.request('POST', `${hpaPath('v1')}?fieldManager=writer`, v1Config('u1', { scaleTargetRef: target, maxReplicas: 5, targetCPUUtilizationPercentage: 60 }));
    assert.equal(created.status, 201, created.text);
    const inV2 = await get('v2', 'u1');
    const updated = await server.request('PUT', `${hpaPath('v2', 'u1')}?fieldManager=writer`, { ...inV2, spec: { ...inV2.spec, maxReplicas: 7 } });
    assert.equal(updated.status, 200, updated.text);
    const writers = (updated.json as Obj).metadata!.managedFields!.filter((e) => e.manager === 'writer').map((e) => [e.apiVersion, Object.keys(e.fieldsV1['f:spec'] as object).sort()]);
    assert.deepEqual(writers, [
      ['autoscaling/v1', ['f:minReplicas', 'f:scaleTargetRef', 'f:targetCPUUtilizationPercentage']],
      ['autoscaling/v2', ['f:maxReplicas']],
    ]);
  });

  it('custom resources: a v2 applier adding an item to a list the v1 applier owns whole conflicts with it', async () => {
    const path = (version: string, name = '') => `/apis/versions.example.dev/${version}/namespaces/default/gateways${name ? `/${name}` : ''}`;
    await eventually(async () => (await server.request('GET', path('v2'))).status === 200, 'gateways to be served');
    const gw = (version: string, ports: unknown[]) => JSON.stringify({ apiVersion: `versions.example.dev/${version}`, kind: 'Gateway', metadata: { name: 'g1' }, spec: { ports } });
    const created = await server.request('PATCH', `${path('v1', 'g1')}?fieldManager=a`, gw('v1', [{ name: 'http', port: 80 }]), applyType);
    assert.equal(created.status, 201, created.text);
    const res = await server.request('PATCH', `${path('v2', 'g1')}?fieldManager=b`, gw('v2', [{ name: 'https', port: 443 }]), applyType);
    assert.equal(res.status, 409, res.text);
    assert.equal(res.json.message, 'Apply failed with 1 conflict: conflict with "a": .spec.ports');
    // Forced, b adds its item and a, owning the list whole in v1, loses it.
    const forced = await server.request('PATCH', `${path('v2', 'g1')}?fieldManager=b&force=true`, gw('v2', [{ name: 'https', port: 443 }]), applyType);
    assert.equal(forced.status, 200, forced.text);
    assert.deepEqual(forced.json.spec.ports, [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]);
    assert.equal(entryOf(forced.json, 'a'), undefined);
    assert.equal(entryOf(forced.json, 'b')!.apiVersion, 'versions.example.dev/v2');
  });
});
