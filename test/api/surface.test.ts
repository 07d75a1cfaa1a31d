/**
 * The non-resource surface over HTTP against a real server: /version, health checks, discovery (legacy and
 * aggregated), OpenAPI v2/v3, Table output, and 404s for what does not exist.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { parse as parseYaml } from 'yaml';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('/version reports a Kubernetes 1.32 server with every field clients read', async () => {
  const res = await server.request('GET', '/version?timeout=5s');
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.json).sort(), ['buildDate', 'compiler', 'gitCommit', 'gitTreeState', 'gitVersion', 'goVersion', 'major', 'minor', 'platform']);
  assert.equal(res.json.major, '1');
  assert.equal(res.json.minor, '32');
  assert.match(res.json.gitVersion, /^v1\.32\.\d+/);
});

describe('health', () => {
  for (const endpoint of ['healthz', 'livez', 'readyz']) {
    test(`/${endpoint} is ok, and ?verbose lists every check`, async () => {
      const plain = await server.request('GET', `/${endpoint}`);
      assert.equal(plain.status, 200);
      assert.equal(plain.text, 'ok');
      const verbose = await server.request('GET', `/${endpoint}?verbose`);
      assert.equal(verbose.status, 200);
      const lines = verbose.text.trimEnd().split('\n');
      assert.ok(lines.includes('[+]ping ok'), verbose.text);
      assert.ok(lines.includes('[+]etcd ok'), verbose.text);
      assert.equal(lines.at(-1), `${endpoint} check passed`);
      for (const line of lines.slice(0, -1)) assert.match(line, /^\[\+\][\w/-]+ ok$/);
    });
  }

  test('/readyz/etcd runs one check; an unknown check is 404; ?exclude leaves one out', async () => {
    const one = await server.request('GET', '/readyz/etcd');
    assert.equal(one.status, 200);
    assert.equal(one.text, 'ok');
    assert.equal((await server.request('GET', '/readyz/no-such-check')).status, 404);
    const excluded = await server.request('GET', '/readyz?verbose&exclude=etcd');
    const lines = excluded.text.trimEnd().split('\n');
    assert.ok(lines.includes('[+]etcd excluded: ok'), excluded.text); // as upstream lists an excluded check
    assert.ok(!lines.includes('[+]etcd ok'), excluded.text);
    assert.ok(lines.includes('[+]ping ok'));
  });
});

describe('discovery', () => {
  test('/api lists v1; /api/v1 lists the core resources with what kubectl needs', async () => {
    const api = await server.request('GET', '/api');
    assert.equal(api.json.kind, 'APIVersions');
    assert.deepEqual(api.json.versions, ['v1']);
    assert.equal(api.json.serverAddressByClientCIDRs[0].clientCIDR, '0.0.0.0/0');

    const v1 = await server.request('GET', '/api/v1');
    assert.equal(v1.json.kind, 'APIResourceList');
    assert.equal(v1.json.groupVersion, 'v1');
    const byName = new Map(v1.json.resources.map((r: any) => [r.name, r]));
    const cm: any = byName.get('configmaps');
    assert.deepEqual(
      { name: cm.name, singularName: cm.singularName, namespaced: cm.namespaced, kind: cm.kind, shortNames: cm.shortNames },
      { name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', shortNames: ['cm'] },
    );
    assert.deepEqual([...cm.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    assert.match(cm.storageVersionHash, /^[A-Za-z0-9+/=]+$/);
    const ns: any = byName.get('namespaces');
    assert.equal(ns.namespaced, false);
    assert.deepEqual(ns.shortNames, ['ns']);
    assert.ok(byName.has('namespaces/status'));
    assert.ok(byName.has('secrets'));
  });

  test('/apis lists every group; each /apis/<g>/<v> is its APIResourceList', async () => {
    const apis = await server.request('GET', '/apis');
    assert.equal(apis.json.kind, 'APIGroupList');
    for (const group of apis.json.groups) {
      assert.ok(group.versions.some((v: any) => v.groupVersion === group.preferredVersion.groupVersion && v.version === group.preferredVersion.version), `${group.name}: preferredVersion is one of versions`);
      const one = await server.request('GET', `/apis/${group.name}`);
      assert.equal(one.json.kind, 'APIGroup');
      assert.equal(one.json.name, group.name);
      for (const v of group.versions) {
        const list = await server.request('GET', `/apis/${v.groupVersion}`);
        assert.equal(list.status, 200);
        assert.equal(list.json.kind, 'APIResourceList');
        assert.equal(list.json.groupVersion, v.groupVersion);
      }
    }
    assert.equal((await server.request('GET', '/apis/no.such.group/v1')).status, 404);
    assert.equal((await server.request('GET', '/api/v2')).status, 404);
  });

  test('aggregated discovery is served when kubectl asks for it first', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const res = await server.request('GET', '/api', undefined, { Accept: accept });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(res.json.kind, 'APIGroupDiscoveryList');
    assert.equal(res.json.apiVersion, 'apidiscovery.k8s.io/v2');
    const core = res.json.items[0];
    assert.equal(core.metadata.name, '');
    const cm = core.versions[0].resources.find((r: any) => r.resource === 'configmaps');
    assert.deepEqual(cm.responseKind, { group: '', version: '', kind: 'ConfigMap' }, 'the own kind names no group version, as upstream');
    assert.equal(cm.scope, 'Namespaced');
    assert.equal(cm.singularResource, 'configmap');
    const apis = await server.request('GET', '/apis', undefined, { Accept: accept });
    assert.equal(apis.json.kind, 'APIGroupDiscoveryList');
    // A client that asks for plain JSON gets legacy discovery.
    assert.equal((await server.request('GET', '/api', undefined, { Accept: 'application/json' })).json.kind, 'APIVersions');
  });
});

describe('OpenAPI', () => {
  test('the v3 index points at a document per group version with the kinds kubectl validates against', async () => {
    const index = await server.request('GET', '/openapi/v3');
    assert.equal(index.status, 200);
    const url = index.json.paths['api/v1']?.serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]+$/);
    const doc = await server.request('GET', url);
    assert.equal(doc.status, 200);
    assert.match(doc.json.openapi, /^3\.0\./);
    const cm = doc.json.components.schemas['io.k8s.api.core.v1.ConfigMap'];
    assert.deepEqual(cm['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    assert.ok(cm.properties.data, 'ConfigMap.data is described');
    const patch = doc.json.paths['/api/v1/namespaces/{namespace}/configmaps/{name}']?.patch;
    assert.ok(patch, 'the PATCH operation is described');
    const params = [...(patch.parameters ?? []), ...(doc.json.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].parameters ?? [])];
    assert.ok(params.some((p: any) => (p.name ?? p.$ref ?? '').includes('fieldValidation')), 'PATCH takes fieldValidation (kubectl checks for it)');
    // The same document by its ETag is not sent again.
    const again = await server.request('GET', url, undefined, { 'If-None-Match': doc.headers.etag as string });
    assert.equal(again.status, 304);
  });

  test('every group version in the index can be fetched; others are 404', async () => {
    const index = await server.request('GET', '/openapi/v3');
    for (const [path, { serverRelativeURL }] of Object.entries<any>(index.json.paths)) {
      const doc = await server.request('GET', serverRelativeURL);
      assert.equal(doc.status, 200, path);
    }
    assert.equal((await server.request('GET', '/openapi/v3/apis/no.such.group/v1')).status, 404);
  });

  test('v2 is served as JSON', async () => {
    const json = await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json' });
    assert.equal(json.status, 200);
    assert.equal(json.json.swagger, '2.0');
    assert.ok(json.json.definitions['io.k8s.api.core.v1.ConfigMap']);
    // A reference with its own description is a plain $ref in Swagger 2.0 (allOf is v3's way), as kube-openapi writes it.
    assert.deepEqual(json.json.definitions['io.k8s.api.apps.v1.Deployment'].properties.metadata, {
      $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      description: json.json.definitions['io.k8s.api.apps.v1.Deployment'].properties.metadata.description,
    });
  });

  test('v2 is served as gnostic protobuf to what kubectl and client-go send, the same document as the JSON', async () => {
    const docType = protobuf.loadSync(new URL('../fixtures/gnostic-openapiv2.proto', import.meta.url).pathname).lookupType('openapi.v2.Document');
    const json = (await server.request('GET', '/openapi/v2', undefined, { Accept: 'application/json' })).json;
    for (const accept of ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf']) {
      const res = await server.request('GET', '/openapi/v2', undefined, { Accept: accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
      assert.equal(res.headers.vary, 'Accept-Encoding, Accept'); // gziphandler names Accept-Encoding first
      const doc = docType.toObject(docType.decode(res.bytes), { longs: Number }) as any;
      assert.equal(doc.swagger, '2.0');
      assert.deepEqual(doc.definitions.additionalProperties.map((d: any) => d.name), Object.keys(json.definitions));
      assert.deepEqual(doc.paths.path.map((p: any) => p.name), Object.keys(json.paths));

      const deployment = doc.definitions.additionalProperties.find((d: any) => d.name === 'io.k8s.api.apps.v1.Deployment').value;
      assert.deepEqual(deployment.type.value, ['object']);
      assert.deepEqual(deployment.properties.additionalProperties.map((p: any) => p.name), Object.keys(json.definitions['io.k8s.api.apps.v1.Deployment'].properties));
      assert.equal(deployment.properties.additionalProperties.find((p: any) => p.name === 'metadata').value._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
      const gvk = deployment.vendorExtension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
      assert.deepEqual(parseYaml(gvk.value.yaml), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
      const labels = doc.definitions.additionalProperties.find((d: any) => d.name === 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').value.properties.additionalProperties.find((p: any) => p.name === 'labels').value;
      assert.deepEqual(labels.additionalProperties.schema.type.value, ['string']);
      const containers = doc.definitions.additionalProperties.find((d: any) => d.name === 'io.k8s.api.core.v1.PodSpec').value.properties.additionalProperties.find((p: any) => p.name === 'containers').value;
      assert.equal(containers.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.Container');

      const item = doc.paths.path.find((p: any) => p.name === '/api/v1/namespaces/{namespace}/configmaps').value;
      assert.equal(item.get.operationId, 'listCoreV1NamespacedConfigMap');
      const limit = item.get.parameters.map((p: any) => p.parameter?.nonBodyParameter?.queryParameterSubSchema).find((q: any) => q?.name === 'limit');
      assert.deepEqual([limit.in, limit.type], ['query', 'integer']);
      const body = item.post.parameters.find((p: any) => p.parameter?.bodyParameter).parameter.bodyParameter;
      assert.equal(body.schema._ref, '#/definitions/io.k8s.api.core.v1.ConfigMap');
      assert.equal(item.get.responses.responseCode.find((r: any) => r.name === '200').value.response.schema.schema._ref, '#/definitions/io.k8s.api.core.v1.ConfigMapList');
      assert.deepEqual(doc.securityDefinitions.additionalProperties[0].value.apiKeySecurity, { type: 'apiKey', name: 'authorization', in: 'header', description: json.securityDefinitions.BearerToken.description });
    }
  });

  test('v2 answers 406 to an Accept it cannot meet, and 304 to the ETag it gave', async () => {
    assert.equal((await server.request('GET', '/openapi/v2', undefined, { Accept: 'text/plain' })).status, 406);
    const proto = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
    const first = await server.request('GET', '/openapi/v2', undefined, { Accept: proto });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[0-9A-F]{128}"$/);
    assert.equal((await server.request('GET', '/openapi/v2', undefined, { Accept: proto, 'If-None-Match': etag })).status, 304);
    // Quality decides between the forms, as kube-openapi's negotiation.
    const preferred = await server.request('GET', '/openapi/v2', undefined, { Accept: `application/json;q=0.5, ${proto}` });
    assert.equal(preferred.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  });
});

describe('Table output', () => {
  const table = 'application/json;as=Table;v=v1;g=meta.k8s.io';

  test('a list as a Table has the kind columns and a row per object with its metadata', async () => {
    await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'tbl', labels: { a: 'b' } }, data: { x: '1', y: '2' } });
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps?limit=500', undefined, { Accept: `${table},application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json` });
    assert.equal(res.status, 200);
    // The serializer's media type alone, without the view's parameters (responsewriters.SerializeObject).
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.json.kind, 'Table');
    assert.equal(res.json.apiVersion, 'meta.k8s.io/v1');
    assert.match(res.json.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(res.json.columnDefinitions.map((c: any) => [c.name, c.type]), [['Name', 'string'], ['Data', 'string'], ['Age', 'string']]);
    const row = res.json.rows.find((r: any) => r.cells[0] === 'tbl');
    assert.equal(row.cells[1], 2);
    assert.match(row.cells[2], /^\d+s$/);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.metadata.name, 'tbl');
    assert.deepEqual(row.object.metadata.labels, { a: 'b' });
  });

  test('one object as a Table; namespaces show their phase', async () => {
    const one = await server.request('GET', '/api/v1/namespaces/default/configmaps/tbl', undefined, { Accept: table });
    assert.equal(one.json.kind, 'Table');
    assert.equal(one.json.rows.length, 1);
    const ns = await server.request('GET', '/api/v1/namespaces', undefined, { Accept: table });
    assert.deepEqual(ns.json.columnDefinitions.map((c: any) => c.name), ['Name', 'Status', 'Age']);
    assert.deepEqual(ns.json.rows.find((r: any) => r.cells[0] === 'default').cells.slice(0, 2), ['default', 'Active']);
  });

  test('includeObject=None leaves the objects out; an unsupported Accept is 406', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps?includeObject=None', undefined, { Accept: table });
    assert.ok(res.json.rows.every((r: any) => r.object === undefined || r.object === null));
    const bad = await server.request('GET', '/api/v1/namespaces/default/configmaps', undefined, { Accept: 'text/html' });
    assert.equal(bad.status, 406);
    assert.equal(bad.json.reason, 'NotAcceptable');
  });
});

test('unknown paths and resources are 404 Status', async () => {
  for (const path of ['/no-such-path', '/api/v1/widgets', '/apis/example.com/v1/widgets']) {
    const res = await server.request('GET', path);
    assert.equal(res.status, 404, path);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.reason, 'NotFound');
  }
});
