// Discovery documents: legacy (/api, /apis, /apis/<g>, resource lists) and aggregated v2, as kubectl and the Python
// client read them, plus the cache that serves them with ETags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  cachedDocument,
  legacyAPIVersions,
  storageVersionHash,
} from '../../runtime/endpoints/discovery.ts';
import { exampleV1, testScheme } from './fixtures.ts';

test('/api lists v1 with the server address', () => {
  assert.deepEqual(legacyAPIVersions('10.0.0.1:6443'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
  });
});

test('/apis lists named groups only, versions in priority order, preferred equal to an entry', () => {
  const list = apiGroupList(testScheme());
  assert.equal(list.kind, 'APIGroupList');
  assert.equal(list.apiVersion, 'v1');
  assert.deepEqual(
    list.groups.map((g) => g.name),
    ['apps', 'example.com'],
  );
  const example = list.groups[1];
  assert.deepEqual(example.versions, [
    { groupVersion: 'example.com/v1', version: 'v1' },
    { groupVersion: 'example.com/v1beta1', version: 'v1beta1' },
  ]);
  // The Python client compares preferredVersion to a versions[] entry by equality.
  assert.deepEqual(example.preferredVersion, example.versions[0]);
});

test('/apis/<group> answers known groups only', () => {
  const scheme = testScheme();
  assert.deepEqual(apiGroup(scheme, 'apps'), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  });
  assert.equal(apiGroup(scheme, 'nope.example'), undefined);
  assert.equal(apiGroup(scheme, ''), undefined);
});

test('/api/v1 lists resources sorted, with upstream storage version hashes and subresources', () => {
  const list = apiResourceList(testScheme(), '', 'v1')!;
  assert.equal(list.kind, 'APIResourceList');
  assert.equal(list.apiVersion, undefined, 'kube-apiserver leaves apiVersion out of /api/v1');
  assert.equal(list.groupVersion, 'v1');
  const names = list.resources.map((r) => r.name);
  assert.deepEqual(names, [...names].sort());
  const cm = list.resources.find((r) => r.name === 'configmaps')!;
  assert.deepEqual(cm, {
    name: 'configmaps',
    singularName: 'configmap',
    namespaced: true,
    kind: 'ConfigMap',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['cm'],
    // The value a real kube-apiserver reports for configmaps.
    storageVersionHash: 'qFsyl6wFWjQ=',
  });
  assert.ok(!('categories' in cm), 'empty categories are omitted');
  const secrets = list.resources.find((r) => r.name === 'secrets')!;
  assert.ok(!('shortNames' in secrets), 'empty shortNames are omitted');
  assert.deepEqual(list.resources.find((r) => r.name === 'namespaces/status'), {
    name: 'namespaces/status',
    singularName: '',
    namespaced: false,
    kind: 'Namespace',
    verbs: ['get', 'patch', 'update'],
  });
});

test('/apis/apps/v1 carries apiVersion and the autoscaling/v1 Scale subresource', () => {
  const list = apiResourceList(testScheme(), 'apps', 'v1')!;
  assert.equal(list.apiVersion, 'v1');
  assert.equal(list.groupVersion, 'apps/v1');
  assert.deepEqual(
    list.resources.map((r) => r.name),
    ['deployments', 'deployments/scale', 'deployments/status'],
  );
  const d = list.resources[0];
  assert.deepEqual(d.categories, ['all']);
  assert.equal(d.storageVersionHash, storageVersionHash('apps', 'v1', 'Deployment'));
  assert.deepEqual(list.resources[1], {
    name: 'deployments/scale',
    singularName: '',
    namespaced: true,
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  });
  assert.equal(apiResourceList(testScheme(), 'apps', 'v2'), undefined);
});

test('every version of a group hashes its storage version', () => {
  const scheme = testScheme();
  const v1 = apiResourceList(scheme, 'example.com', 'v1')!.resources[0];
  const beta = apiResourceList(scheme, 'example.com', 'v1beta1')!.resources[0];
  assert.equal(beta.storageVersionHash, v1.storageVersionHash);
  assert.equal(v1.storageVersionHash, storageVersionHash('example.com', 'v1', 'Widget'));
  assert.deepEqual(v1.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], 'verbs sorted');
});

test('aggregated discovery: legacy has the core group, apis the rest, in priority order', () => {
  const scheme = testScheme();
  const legacy = aggregatedDiscovery(scheme, 'legacy');
  assert.equal(legacy.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.equal(legacy.kind, 'APIGroupDiscoveryList');
  assert.equal(legacy.items.length, 1);
  assert.equal(legacy.items[0].metadata.name, '');
  const v1 = legacy.items[0].versions[0];
  assert.equal(v1.version, 'v1');
  assert.equal(v1.freshness, 'Current');
  const ns = v1.resources.find((r) => r.resource === 'namespaces')!;
  assert.deepEqual(ns, {
    resource: 'namespaces',
    responseKind: { group: '', version: '', kind: 'Namespace' },
    scope: 'Cluster',
    singularResource: 'namespace',
    // Upstream's namespaces have no deletecollection; finalize (PUT only) comes before status.
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [
      { subresource: 'finalize', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['update'] },
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Namespace' }, verbs: ['get', 'patch', 'update'] },
    ],
  });

  const apis = aggregatedDiscovery(scheme, 'apis');
  assert.deepEqual(
    apis.items.map((i) => [i.metadata.name, i.versions.map((v) => v.version)]),
    [
      ['apps', ['v1']],
      ['example.com', ['v1', 'v1beta1']],
    ],
  );
  const deploy = apis.items[0].versions[0].resources[0];
  assert.equal(deploy.scope, 'Namespaced');
  assert.deepEqual(deploy.categories, ['all']);
  assert.deepEqual(deploy.subresources, [
    { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
  ]);
  const widget = apis.items[1].versions[1].resources[0];
  assert.deepEqual(widget.responseKind, { group: 'example.com', version: 'v1beta1', kind: 'Widget' });
  assert.ok(!('shortNames' in widget));
});

test('cachedDocument rebuilds only when the scheme changes, with a stable quoted ETag', () => {
  const scheme = testScheme();
  let builds = 0;
  const build = () => {
    builds++;
    return apiGroupList(scheme);
  };
  const a = cachedDocument(scheme, build)!;
  const b = cachedDocument(scheme, build)!;
  assert.equal(builds, 1);
  assert.equal(a, b);
  assert.match(a.etag, /^"[0-9A-F]{128}"$/);
  assert.deepEqual(JSON.parse(a.body), apiGroupList(scheme));

  scheme.removeGroupVersion('example.com', 'v1');
  const c = cachedDocument(scheme, build)!;
  assert.equal(builds, 2);
  assert.notEqual(c.etag, a.etag);
  assert.deepEqual(
    (JSON.parse(c.body) as { groups: { name: string; preferredVersion: { version: string } }[] }).groups.map((g) => [g.name, g.preferredVersion.version]),
    [
      ['apps', 'v1'],
      ['example.com', 'v1beta1'],
    ],
  );

  // Explicit keys let a per-request closure hit the cache; undefined results are cached as undefined.
  scheme.addGroupVersion(exampleV1);
  let groupBuilds = 0;
  const group = (g: string) => cachedDocument(scheme, () => (groupBuilds++, apiGroup(scheme, g)), `group:${g}`);
  assert.equal(group('nope'), undefined);
  assert.equal(group('nope'), undefined);
  assert.ok(group('apps'));
  assert.ok(group('apps'));
  assert.equal(groupBuilds, 2);
});
