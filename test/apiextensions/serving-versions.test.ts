/**
 * Custom resources in several versions and scopes: conversion `None` (one object, every served version, stored in
 * the storage version), deprecation warnings, version preference in discovery, cluster-scoped kinds, categories
 * (`kubectl get all`), and namespace deletion taking the namespace's custom resources with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function crd(name: string, spec: Record<string, unknown>) {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name }, spec };
}

const widgets = crd('widgets.example.dev', {
  group: 'example.dev',
  scope: 'Namespaced',
  names: { plural: 'widgets', singular: 'widget', kind: 'Widget', categories: ['all'] },
  versions: [
    { name: 'v1beta1', served: true, storage: false, deprecated: true, schema: { openAPIV3Schema: open } },
    { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: open } },
  ],
});

const clusters = crd('fleets.example.dev', {
  group: 'example.dev',
  scope: 'Cluster',
  names: { plural: 'fleets', singular: 'fleet', kind: 'Fleet' },
  versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: open } }],
});

describe('custom resources: versions, scopes, categories, namespaces', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;

  /** Waits for the CRD to be established (or, where the establishing controller does not run yet, sets it). */
  async function establish(name: string, plural: string, version: string): Promise<void> {
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
    const served = async () => (await server.request('GET', `/apis/example.dev/${version}/${plural}`)).status === 200;
    try {
      await eventually(served, `${plural} to be served`, 3000);
    } catch {
      const obj = (await server.request('GET', path)).json;
      obj.status = {
        acceptedNames: { ...obj.spec.names },
        storedVersions: [obj.spec.versions.find((v: { storage: boolean }) => v.storage).name],
        conditions: [
          { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
          { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
        ],
      };
      assert.equal((await server.request('PUT', `${path}/status`, obj)).status, 200);
      await eventually(served, `${plural} to be served`);
    }
  }

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
    for (const c of [widgets, clusters]) assert.equal((await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', c)).status, 201);
    await establish('widgets.example.dev', 'widgets', 'v1');
    await establish('fleets.example.dev', 'fleets', 'v1');
  });
  after(async () => {
    await server?.stop();
  });

  it('one object is served in every version of the CRD; the deprecated version warns', async () => {
    const created = await server.request('POST', '/apis/example.dev/v1beta1/namespaces/default/widgets', { apiVersion: 'example.dev/v1beta1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.apiVersion, 'example.dev/v1beta1');
    assert.equal(created.headers.warning, '299 - "example.dev/v1beta1 Widget is deprecated; use example.dev/v1 Widget"');
    const v1 = await server.request('GET', '/apis/example.dev/v1/namespaces/default/widgets/w1');
    assert.equal(v1.json.apiVersion, 'example.dev/v1');
    assert.deepEqual(v1.json.spec, { size: 3 });
    assert.equal(v1.headers.warning, undefined);
    const list = await server.request('GET', '/apis/example.dev/v1beta1/widgets');
    assert.deepEqual(list.json.items.map((i: { apiVersion: string }) => i.apiVersion), ['example.dev/v1beta1']);
    assert.equal(list.json.kind, 'WidgetList');

    // Discovery prefers v1, and kubectl reads through it.
    const group = (await server.request('GET', '/apis/example.dev')).json;
    assert.deepEqual(group.preferredVersion, { groupVersion: 'example.dev/v1', version: 'v1' });
    assert.deepEqual(group.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1']);
    const aggregated = (await server.request('GET', '/apis', undefined, { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })).json;
    const item = aggregated.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'example.dev');
    assert.deepEqual(item.versions.map((v: { version: string }) => v.version), ['v1', 'v1beta1']);
    assert.deepEqual(item.versions[0].resources.map((r: { resource: string }) => r.resource), ['fleets', 'widgets']);
    const got = JSON.parse((await kubectl.run(['get', 'widget', 'w1', '-o', 'json'])).stdout);
    assert.equal(got.apiVersion, 'example.dev/v1');
  });

  it('cluster-scoped kinds are not found under a namespace; namespaced ones need one except to list', async () => {
    const fleet = await server.request('POST', '/apis/example.dev/v1/fleets', { apiVersion: 'example.dev/v1', kind: 'Fleet', metadata: { name: 'f1' } });
    assert.equal(fleet.status, 201, fleet.text);
    assert.equal(fleet.json.metadata.namespace, undefined);
    assert.equal((await server.request('GET', '/apis/example.dev/v1/namespaces/default/fleets/f1')).status, 404);
    assert.equal((await server.request('GET', '/apis/example.dev/v1/fleets/f1')).status, 200);
    assert.equal((await server.request('GET', '/apis/example.dev/v1/widgets/w1')).status, 404);
    assert.equal((await server.request('GET', '/apis/example.dev/v1/widgets')).status, 200);
  });

  it('categories: kubectl get all lists custom resources that declare "all"', async () => {
    const r = await kubectl.run(['get', 'all', '-n', 'default', '-o', 'name']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^widget\.example\.dev\/w1$/m);
    assert.doesNotMatch(r.stdout, /fleet/);
  });

  it("deleting a namespace deletes the custom resources in it", async () => {
    assert.equal((await kubectl.run(['create', 'namespace', 'doomed'])).code, 0);
    const created = await server.request('POST', '/apis/example.dev/v1/namespaces/doomed/widgets', { apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name: 'w2' } });
    assert.equal(created.status, 201, created.text);
    const del = await kubectl.run(['delete', 'namespace', 'doomed', '--timeout=60s']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal((await server.request('GET', '/apis/example.dev/v1/namespaces/doomed/widgets/w2')).status, 404);
    assert.deepEqual((await server.request('GET', '/apis/example.dev/v1/widgets')).json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['w1']);
  });
});
