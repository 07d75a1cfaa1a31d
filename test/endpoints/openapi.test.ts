// OpenAPI documents: the v3 index and per-group-version documents kubectl reads before apply/create/explain, and
// the Swagger 2.0 document. Checked structurally (no validator package here): references resolve, kinds are
// findable by x-kubernetes-group-version-kind, and PATCH operations advertise fieldValidation where kubectl looks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  groupVersionTag,
  openapiV2Document,
  openapiV2Served,
  openapiV3Document,
  openapiV3Index,
  openapiV3Served,
} from '../../runtime/endpoints/openapi.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { addToScheme, groupVersions } from '../../generated/index.ts';
import { exampleV1, testScheme } from './fixtures.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) collectRefs(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref') out.push(v as string);
      else collectRefs(v, out);
    }
  }
  return out;
}

function operations(doc: Json): Array<{ path: string; method: string; op: Json; pathParams: Json[] }> {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const m of METHODS) if (item[m]) out.push({ path, method: m, op: item[m], pathParams: item.parameters ?? [] });
  }
  return out;
}

/** The structural rules every v3 document we serve must keep. */
function checkV3Document(doc: Json, label: string): void {
  assert.equal(doc.openapi, '3.0.0', label);
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: '1.32' }, label);
  const schemas = doc.components.schemas as Json;
  for (const r of collectRefs(doc)) {
    assert.ok(r.startsWith('#/components/schemas/'), `${label}: ${r} is not a component ref`);
    assert.ok(r.slice('#/components/schemas/'.length) in schemas, `${label}: ${r} does not resolve`);
  }
  const ids = new Set<string>();
  for (const { path, method, op, pathParams } of operations(doc)) {
    const where = `${label} ${method.toUpperCase()} ${path}`;
    assert.ok(path.startsWith('/'), where);
    assert.equal(typeof op.operationId, 'string', where);
    assert.ok(!ids.has(op.operationId), `${where}: duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
    assert.ok(Array.isArray(op.tags) && op.tags.length > 0, where);
    assert.ok(op.responses?.['200'], `${where}: no 200 response`);
    const params = [...pathParams, ...(op.parameters ?? [])];
    for (const p of params) {
      assert.ok(['query', 'path'].includes(p.in), `${where}: parameter ${p.name} in ${p.in}`);
      assert.ok(p.schema?.type, `${where}: parameter ${p.name} has no schema`);
    }
    // Every template variable is a required path parameter.
    for (const [, name] of path.matchAll(/\{(\w+)\}/g)) {
      const p = params.find((x) => x.name === name && x.in === 'path');
      assert.ok(p?.required === true, `${where}: path parameter ${name} missing or not required`);
    }
    for (const p of params.filter((x) => x.in === 'path')) assert.ok(path.includes(`{${p.name}}`), `${where}: stray path parameter ${p.name}`);
  }
}

/** kubectl's check (QueryParamVerifierV3): some PATCH operation tagged with the kind lists fieldValidation itself. */
function supportsFieldValidation(doc: Json, gvk: { group: string; version: string; kind: string }): boolean {
  return operations(doc).some(
    ({ method, op }) =>
      method === 'patch' &&
      op['x-kubernetes-group-version-kind']?.group === gvk.group &&
      op['x-kubernetes-group-version-kind']?.version === gvk.version &&
      op['x-kubernetes-group-version-kind']?.kind === gvk.kind &&
      (op.parameters ?? []).some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'),
  );
}

test('the v3 index lists discovery and group-version documents with upstream-style hashes', () => {
  const scheme = testScheme();
  const index = openapiV3Index(scheme);
  assert.deepEqual(Object.keys(index.paths), ['api', 'apis', 'api/v1', 'apis/apps', 'apis/apps/v1', 'apis/example.com', 'apis/example.com/v1', 'apis/example.com/v1beta1']);
  for (const [path, { serverRelativeURL }] of Object.entries(index.paths)) {
    const served = openapiV3Served(scheme, path)!;
    const hash = createHash('sha512').update(served.body).digest('hex').toUpperCase();
    assert.equal(serverRelativeURL, `/openapi/v3/${path}?hash=${hash}`);
    assert.equal(served.etag, `"${hash}"`);
    assert.deepEqual(JSON.parse(served.body), served.document);
  }
});

test('every v3 document is structurally sound', () => {
  const scheme = testScheme();
  for (const path of Object.keys(openapiV3Index(scheme).paths)) checkV3Document(openapiV3Document(scheme, path) as Json, path);
});

test('every kind has a schema with its GVK, and kubectl finds fieldValidation on its PATCH', () => {
  const scheme = testScheme();
  for (const gv of scheme.allGroupVersions()) {
    const path = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
    const doc = openapiV3Document(scheme, path) as Json;
    for (const k of gv.kinds) {
      const schema = doc.components.schemas[k.openapiName];
      assert.ok(schema, `${path}: no schema ${k.openapiName}`);
      assert.ok(
        (schema['x-kubernetes-group-version-kind'] as Json[]).some((g) => g.group === k.group && g.version === k.version && g.kind === k.kind),
        `${k.openapiName} lacks its x-kubernetes-group-version-kind`,
      );
      // Kinds that cannot be patched (Binding, ComponentStatus, the reviews) have no PATCH operation at all.
      if (k.verbs.includes('patch')) assert.ok(supportsFieldValidation(doc, k), `${path}: ${k.kind} PATCH without fieldValidation`);
    }
    // Every schema the group version brings is in its document.
    for (const name of Object.keys(gv.openapiV3)) assert.ok(name in doc.components.schemas, `${path}: ${name} dropped`);
  }
});

test('core/v1 paths, operation ids and actions follow kube-apiserver', () => {
  const doc = openapiV3Document(testScheme(), 'api/v1') as Json;
  const op = (path: string, method: string) => doc.paths[path]?.[method] as Json;
  const expect: Array<[string, string, string, string | undefined]> = [
    ['/api/v1/', 'get', 'getCoreV1APIResources', undefined],
    ['/api/v1/namespaces/{namespace}/configmaps', 'get', 'listCoreV1NamespacedConfigMap', 'list'],
    ['/api/v1/namespaces/{namespace}/configmaps', 'post', 'createCoreV1NamespacedConfigMap', 'post'],
    ['/api/v1/namespaces/{namespace}/configmaps', 'delete', 'deleteCoreV1CollectionNamespacedConfigMap', 'deletecollection'],
    ['/api/v1/namespaces/{namespace}/configmaps/{name}', 'get', 'readCoreV1NamespacedConfigMap', 'get'],
    ['/api/v1/namespaces/{namespace}/configmaps/{name}', 'put', 'replaceCoreV1NamespacedConfigMap', 'put'],
    ['/api/v1/namespaces/{namespace}/configmaps/{name}', 'patch', 'patchCoreV1NamespacedConfigMap', 'patch'],
    ['/api/v1/namespaces/{namespace}/configmaps/{name}', 'delete', 'deleteCoreV1NamespacedConfigMap', 'delete'],
    ['/api/v1/configmaps', 'get', 'listCoreV1ConfigMapForAllNamespaces', 'list'],
    ['/api/v1/watch/namespaces/{namespace}/configmaps', 'get', 'watchCoreV1NamespacedConfigMapList', 'watchlist'],
    ['/api/v1/watch/namespaces/{namespace}/configmaps/{name}', 'get', 'watchCoreV1NamespacedConfigMap', 'watch'],
    ['/api/v1/watch/configmaps', 'get', 'watchCoreV1ConfigMapListForAllNamespaces', 'watchlist'],
    ['/api/v1/namespaces', 'get', 'listCoreV1Namespace', 'list'],
    ['/api/v1/namespaces', 'post', 'createCoreV1Namespace', 'post'],
    ['/api/v1/namespaces/{name}', 'delete', 'deleteCoreV1Namespace', 'delete'],
    ['/api/v1/namespaces/{name}/status', 'get', 'readCoreV1NamespaceStatus', 'get'],
    ['/api/v1/namespaces/{name}/status', 'patch', 'patchCoreV1NamespaceStatus', 'patch'],
    ['/api/v1/watch/namespaces', 'get', 'watchCoreV1NamespaceList', 'watchlist'],
    ['/api/v1/watch/namespaces/{name}', 'get', 'watchCoreV1Namespace', 'watch'],
  ];
  for (const [path, method, id, action] of expect) {
    const o = op(path, method);
    assert.ok(o, `missing ${method} ${path}`);
    assert.equal(o.operationId, id);
    assert.equal(o['x-kubernetes-action'], action, id);
    assert.deepEqual(o.tags, ['core_v1']);
  }
  assert.deepEqual(op('/api/v1/namespaces/{namespace}/configmaps', 'get')['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
  // Custom subresources as upstream's installer lays them out (kube-apiserver v1.32's /openapi/v3/api/v1).
  const custom: Array<[string, string, string, string]> = [
    ['/api/v1/namespaces/{name}/finalize', 'put', 'replaceCoreV1NamespaceFinalize', 'put'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/binding', 'post', 'createCoreV1NamespacedPodBinding', 'post'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers', 'patch', 'patchCoreV1NamespacedPodEphemeralcontainers', 'patch'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/exec', 'get', 'connectCoreV1GetNamespacedPodExec', 'connect'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/exec', 'post', 'connectCoreV1PostNamespacedPodExec', 'connect'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/log', 'get', 'readCoreV1NamespacedPodLog', 'get'],
    ['/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}', 'head', 'connectCoreV1HeadNamespacedPodProxyWithPath', 'connect'],
    ['/api/v1/nodes/{name}/proxy', 'get', 'connectCoreV1GetNodeProxy', 'connect'],
    ['/api/v1/namespaces/{namespace}/services/{name}/proxy', 'post', 'connectCoreV1PostNamespacedServiceProxy', 'connect'],
  ];
  for (const [path, method, id, action] of custom) {
    const o = op(path, method);
    assert.ok(o, `missing ${method} ${path}`);
    assert.equal(o.operationId, id);
    assert.equal(o['x-kubernetes-action'], action, id);
  }
  assert.deepEqual((op('/api/v1/namespaces/{namespace}/pods/{name}/exec', 'post').parameters as Json[]).map((p) => p.name), ['command', 'container', 'stderr', 'stdin', 'stdout', 'tty']);
  assert.deepEqual(op('/api/v1/namespaces/{namespace}/pods/{name}/exec', 'get').responses['200'].content['*/*'].schema, { type: 'string' });
  assert.equal(doc.paths['/api/v1/namespaces/{name}/finalize'].get, undefined);
  assert.match(op('/api/v1/watch/configmaps', 'get').description, /deprecated/);

  const list = op('/api/v1/namespaces/{namespace}/configmaps', 'get');
  const names = (list.parameters as Json[]).map((p) => p.name).sort();
  assert.deepEqual(names, ['allowWatchBookmarks', 'continue', 'fieldSelector', 'labelSelector', 'limit', 'resourceVersion', 'resourceVersionMatch', 'sendInitialEvents', 'timeoutSeconds', 'watch']);
  assert.deepEqual(Object.keys(list.responses['200'].content), [
    'application/json',
    'application/yaml',
    'application/vnd.kubernetes.protobuf',
    'application/json;stream=watch',
    'application/vnd.kubernetes.protobuf;stream=watch',
  ]);
  assert.equal(list.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.core.v1.ConfigMapList');
  assert.deepEqual(Object.keys(list.responses), ['200', '401']);

  const create = op('/api/v1/namespaces/{namespace}/configmaps', 'post');
  assert.deepEqual(Object.keys(create.responses), ['200', '201', '202', '401']);
  assert.deepEqual((create.parameters as Json[]).map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation']);
  assert.equal(create.requestBody.required, true);

  const patch = op('/api/v1/namespaces/{namespace}/configmaps/{name}', 'patch');
  assert.deepEqual(Object.keys(patch.requestBody.content), [
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/strategic-merge-patch+json',
    'application/apply-patch+yaml',
  ]);
  assert.deepEqual((patch.parameters as Json[]).map((p) => p.name).sort(), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  assert.equal(patch.requestBody.content['application/merge-patch+json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');

  const del = op('/api/v1/namespaces/{namespace}/configmaps/{name}', 'delete');
  assert.equal(del.requestBody.content['application/json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(del.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status');
  const watch = op('/api/v1/watch/namespaces/{namespace}/configmaps', 'get');
  assert.equal(watch.responses['200'].content['application/json;stream=watch'].schema.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent');
  const item = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'];
  assert.deepEqual((item.parameters as Json[]).map((p) => p.name), ['name', 'namespace', 'pretty']);

  // Shared meta schemas are there and carry their own GVKs.
  const s = doc.components.schemas;
  for (const n of ['Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions', 'WatchEvent', 'Patch', 'ListMeta', 'APIResourceList', 'APIResource']) {
    assert.ok(s[`io.k8s.apimachinery.pkg.apis.meta.v1.${n}`], n);
  }
  assert.deepEqual(s['io.k8s.apimachinery.pkg.apis.meta.v1.Status']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
  // ReplicationControllers' /scale brings autoscaling/v1 Scale into core/v1's document, as upstream's.
  assert.deepEqual(s['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  assert.equal(s['io.k8s.api.apps.v1.Deployment'], undefined, 'only referenced schemas are included');
});

test('apps/v1: scale subresource speaks autoscaling/v1 Scale', () => {
  const doc = openapiV3Document(testScheme(), 'apis/apps/v1') as Json;
  const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
  assert.equal(scale.get.operationId, 'readAppsV1NamespacedDeploymentScale');
  assert.equal(scale.put.operationId, 'replaceAppsV1NamespacedDeploymentScale');
  assert.equal(scale.patch.operationId, 'patchAppsV1NamespacedDeploymentScale');
  assert.deepEqual(scale.patch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  assert.equal(scale.get.responses['200'].content['application/json'].schema.$ref, '#/components/schemas/io.k8s.api.autoscaling.v1.Scale');
  assert.deepEqual(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'], 'pulled from core/v1 for Deployment and Scale');
  // The list schema the group version did not define is derived.
  const list = doc.components.schemas['io.k8s.api.apps.v1.DeploymentList'];
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
  assert.equal(doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status'].put.operationId, 'replaceAppsV1NamespacedDeploymentStatus');
  assert.deepEqual(doc.paths['/apis/apps/v1/deployments'].get.tags, ['apps_v1']);
});

test('custom resources: only declared verbs, no strategic merge, no protobuf', () => {
  const doc = openapiV3Document(testScheme(), 'apis/example.com/v1beta1') as Json;
  const collection = doc.paths['/apis/example.com/v1beta1/widgets'];
  assert.ok(collection.get && collection.post);
  assert.equal(collection.delete, undefined, 'deletecollection is not among the verbs');
  assert.equal(collection.get.operationId, 'listExampleComV1beta1Widget');
  assert.equal(doc.paths['/apis/example.com/v1beta1/namespaces/{namespace}/widgets'], undefined, 'cluster-scoped');
  const patch = doc.paths['/apis/example.com/v1beta1/widgets/{name}'].patch;
  assert.deepEqual(Object.keys(patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
  assert.deepEqual(Object.keys(patch.responses['200'].content), ['application/json', 'application/yaml']);
  assert.deepEqual(doc.paths['/apis/example.com/v1beta1/widgets/{name}/status'].patch['x-kubernetes-group-version-kind'], {
    group: 'example.com',
    version: 'v1beta1',
    kind: 'Widget',
  });
  assert.equal(groupVersionTag('example.com', 'v1beta1'), 'exampleCom_v1beta1');
  assert.equal(groupVersionTag('rbac.authorization.k8s.io', 'v1'), 'rbacAuthorization_v1');
});

test('discovery documents and unknown paths', () => {
  const scheme = testScheme();
  const api = openapiV3Document(scheme, 'api') as Json;
  assert.equal(api.paths['/api/'].get.operationId, 'getCoreAPIVersions');
  assert.ok(api.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions']);
  const apis = openapiV3Document(scheme, 'apis') as Json;
  assert.equal(apis.paths['/apis/'].get.operationId, 'getAPIVersions');
  const group = openapiV3Document(scheme, 'apis/apps') as Json;
  assert.equal(group.paths['/apis/apps/'].get.operationId, 'getAppsAPIGroup');
  assert.deepEqual(group.paths['/apis/apps/'].get.tags, ['apps']);
  for (const p of ['apis/nope', 'apis/nope/v1', 'api/v2', 'apis/apps/v2', 'version', 'apis/apps/v1/extra', '']) {
    assert.equal(openapiV3Document(scheme, p), undefined, p);
  }
  assert.equal(openapiV3Document(scheme, '/api/v1/'), openapiV3Document(scheme, 'api/v1'), 'slashes trimmed');
});

test('documents are cached per scheme version and rebuilt on change', () => {
  const scheme = testScheme();
  const a = openapiV3Served(scheme, 'apis/example.com/v1')!;
  assert.equal(openapiV3Served(scheme, 'apis/example.com/v1'), a);
  const v2 = openapiV2Served(scheme);
  assert.equal(openapiV2Served(scheme), v2);
  const before = openapiV3Index(scheme);
  scheme.removeGroupVersion('example.com', 'v1');
  assert.equal(openapiV3Document(scheme, 'apis/example.com/v1'), undefined);
  assert.ok(!('apis/example.com/v1' in openapiV3Index(scheme).paths));
  assert.notEqual(openapiV2Served(scheme), v2);
  scheme.addGroupVersion(exampleV1);
  const after = openapiV3Index(scheme);
  assert.deepEqual(after, before, 'same content, same hashes');
  assert.notEqual(openapiV3Served(scheme, 'apis/example.com/v1'), a);
});

test('the Swagger 2.0 document covers every group version and resolves', () => {
  const scheme = testScheme();
  const doc = openapiV2Document(scheme) as Json;
  assert.equal(doc.swagger, '2.0');
  assert.deepEqual(doc.info, { title: 'Kubernetes', version: '1.32' });
  for (const r of collectRefs(doc)) {
    assert.ok(r.startsWith('#/definitions/'), r);
    assert.ok(r.slice('#/definitions/'.length) in doc.definitions, `${r} does not resolve`);
  }
  for (const p of ['/api/', '/apis/', '/apis/apps/', '/api/v1/', '/apis/apps/v1/', '/api/v1/namespaces/{namespace}/configmaps/{name}', '/apis/example.com/v1beta1/widgets/{name}/status']) {
    assert.ok(doc.paths[p], p);
  }
  const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
  assert.ok(patch.consumes.includes('application/strategic-merge-patch+json'));
  assert.deepEqual(patch.schemes, ['https']);
  const body = (patch.parameters as Json[]).find((p) => p.in === 'body')!;
  assert.deepEqual(body.schema, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' });
  const fv = (patch.parameters as Json[]).find((p) => p.name === 'fieldValidation')!;
  assert.deepEqual(fv.type, 'string');
  assert.equal(patch.responses['200'].schema.$ref, '#/definitions/io.k8s.api.core.v1.ConfigMap');
  assert.ok(doc.definitions['io.k8s.api.core.v1.ConfigMap']);
  assert.ok(doc.definitions['io.k8s.api.apps.v1.Deployment']);
});

test('a scheme of only the generated group versions is served too', () => {
  const scheme = new Scheme();
  addToScheme(scheme);
  const paths = Object.keys(openapiV3Index(scheme).paths);
  assert.deepEqual(paths.slice(0, 3), ['api', 'apis', 'api/v1']);
  for (const gv of groupVersions.filter((g) => g.group)) {
    assert.ok(paths.includes(`apis/${gv.group}`) && paths.includes(`apis/${gv.group}/${gv.version}`), `${gv.group}/${gv.version} is in the index`);
  }
  checkV3Document(openapiV3Document(scheme, 'api/v1') as Json, 'api/v1');
  assert.ok(openapiV2Document(scheme).paths['/api/v1/namespaces']);
});
