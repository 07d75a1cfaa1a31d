/**
 * Go's wire shapes over HTTP: what kube-apiserver v1.32 returns is what its Go types write, whatever the client
 * sent. Expected values follow the json tags of k8s.io/api v0.32.0 (`apps/v1/types.go`, `core/v1/types.go`): a
 * field without `omitempty`, or a struct held by value, is always written; a non-pointer zero is the same as unset.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const protobufType = 'application/vnd.kubernetes.protobuf';

const deployment = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } }, ...extra },
});

describe("Go's wire shapes", () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('a created Deployment has status {}, a null template creationTimestamp and its containers\' resources {}', async () => {
    const res = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('web'));
    assert.equal(res.status, 201, res.text);
    const d = res.json;
    assert.deepEqual(d.status, {});
    assert.equal(d.spec.template.metadata.creationTimestamp, null);
    assert.ok('creationTimestamp' in d.spec.template.metadata);
    assert.deepEqual(d.spec.template.spec.containers[0].resources, {});
    assert.deepEqual(d.spec.template.spec.securityContext, {});
    // The same on a get, and in a list.
    const got = await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.deepEqual(got.json.status, {});
    assert.equal(got.json.spec.template.metadata.creationTimestamp, null);
    const list = await server.request('GET', '/apis/apps/v1/namespaces/default/deployments');
    assert.deepEqual(list.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'web').status, {});
  });

  it('a zero Go holds by pointer is kept; one it holds by value is unset; null is unset', async () => {
    const res = await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('zeros', { replicas: 0, paused: false, minReadySeconds: 0, revisionHistoryLimit: null }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.spec.replicas, 0); // *int32
    assert.ok(!('paused' in res.json.spec), 'paused: false is not written (bool, omitempty)');
    assert.ok(!('minReadySeconds' in res.json.spec), 'minReadySeconds: 0 is not written (int32, omitempty)');
    assert.equal(res.json.spec.revisionHistoryLimit, 10, 'a null is unset, so it is defaulted');
  });

  it('a ReplicaSet\'s status counters without omitempty are written as 0', async () => {
    const rs = { ...deployment('rs1'), apiVersion: 'apps/v1', kind: 'ReplicaSet' };
    delete (rs.spec as Record<string, unknown>).strategy;
    const res = await server.request('POST', '/apis/apps/v1/namespaces/default/replicasets', rs);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.status, { replicas: 0 });
  });

  it('a core/v1 Event carries its empty strings and null times', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/events', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started', message: 'm', type: 'Normal' });
    assert.equal(res.status, 201, res.text);
    const e = res.json;
    assert.equal(e.reportingComponent, '');
    assert.equal(e.reportingInstance, '');
    assert.deepEqual(e.source, {});
    assert.equal(e.firstTimestamp, null);
    assert.equal(e.lastTimestamp, null);
    assert.equal(e.eventTime, null);
  });

  it('a resourceFieldRef without a divisor has divisor "0"; a pod without nodeName has none', async () => {
    const pod = {
      metadata: { name: 'p1' },
      spec: {
        nodeName: '',
        containers: [{ name: 'c', image: 'busybox', env: [{ name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } }] }],
      },
    };
    const res = await server.request('POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor, '0');
    assert.ok(!('nodeName' in res.json.spec));
    assert.equal(res.json.metadata.creationTimestamp.length > 0, true);
  });

  it('a ClusterRole without rules has rules: null (a slice without omitempty)', async () => {
    const res = await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'go-shapes-empty' } });
    assert.equal(res.status, 201, res.text);
    assert.ok('rules' in res.json);
    assert.equal(res.json.rules, null);
  });

  it('protobuf round trip: the object read back in protobuf decodes to the same shape as JSON', async () => {
    const res = await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/web', undefined, { Accept: protobufType });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], protobufType);
    // Send it back as it came: an update in protobuf, answered in JSON.
    const put = await server.request('PUT', '/apis/apps/v1/namespaces/default/deployments/web', res.bytes, { 'Content-Type': protobufType });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.status, {});
    assert.equal(put.json.spec.template.metadata.creationTimestamp, null);
    assert.deepEqual(put.json.spec.template.spec.containers[0].resources, {});
    const json = await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    assert.deepEqual(json.json.spec, put.json.spec);
  });

  it('a list\'s items carry no kind or apiVersion (the Go list\'s items have none), in every kind of list; a get and watch events do', async () => {
    await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment('typemeta'));
    const path = '/apis/apps/v1/namespaces/default/deployments';
    // From the watch cache (consistent and resourceVersion=0), paged, and in YAML.
    for (const query of ['', '?resourceVersion=0', '?limit=1']) {
      const list = await server.request('GET', path + query);
      assert.equal(list.status, 200, list.text);
      assert.deepEqual([list.json.kind, list.json.apiVersion], ['DeploymentList', 'apps/v1']);
      assert.ok(list.json.items.length > 0);
      for (const item of list.json.items) assert.deepEqual([item.kind, item.apiVersion, typeof item.metadata.name], [undefined, undefined, 'string'], query);
    }
    const yaml = await server.request('GET', path, undefined, { Accept: 'application/yaml' });
    assert.doesNotMatch(yaml.text.split('items:')[1], /^\s*(- )?kind: Deployment$/m);
    const got = await server.request('GET', `${path}/typemeta`);
    assert.deepEqual([got.json.kind, got.json.apiVersion], ['Deployment', 'apps/v1']);
  });

  it('watch events carry the shape', async () => {
    const w = await server.watch('/api/v1/namespaces/default/events?watch=1&fieldSelector=metadata.name%3De1');
    try {
      const ev = await w.next();
      assert.equal(ev.type, 'ADDED');
      assert.equal(ev.object.reportingComponent, '');
      assert.equal(ev.object.firstTimestamp, null);
    } finally {
      w.close();
    }
  });

  it('custom resources are left as sent (unstructured)', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'shapes.example.com' },
      spec: {
        group: 'example.com',
        names: { plural: 'shapes', singular: 'shape', kind: 'Shape' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    };
    const created = await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    assert.equal(created.status, 201, created.text);
    // The CRD itself is a built-in kind: its status is written.
    assert.ok('status' in created.json);
    let res;
    for (let i = 0; i < 100; i++) {
      res = await server.request('POST', '/apis/example.com/v1/namespaces/default/shapes', { apiVersion: 'example.com/v1', kind: 'Shape', metadata: { name: 's1' }, spec: { n: 0, s: '' } });
      if (res.status !== 404 && res.status !== 503) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(res!.status, 201, res!.text);
    assert.deepEqual(res!.json.spec, { n: 0, s: '' });
    assert.ok(!('status' in res!.json));
  });
});
