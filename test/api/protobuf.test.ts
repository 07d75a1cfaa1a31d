/**
 * The protobuf wire format, checked with an independent decoder: upstream's .proto schema (a subset, with
 * upstream's field numbers, in test/fixtures) read by protobufjs. Bodies built from that schema are accepted, and
 * responses, lists and watch frames decode with it. kubectl's protobuf-sending commands work end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { addToScheme } from '../../generated/index.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const root = protobuf.loadSync(new URL('../fixtures/upstream-core-v1.proto', import.meta.url).pathname);
const type = (name: string) => root.lookupType(`k8s.${name}`);
const magic = Buffer.from('k8s\0', 'latin1');
const protobufType = 'application/vnd.kubernetes.protobuf';

function envelope(apiVersion: string, kind: string, message: string, obj: object): Buffer {
  const raw = type(message).encode(type(message).fromObject(obj)).finish();
  return Buffer.concat([magic, Buffer.from(type('Unknown').encode({ typeMeta: { apiVersion, kind }, raw }).finish())]);
}

/** Our codec, for the bytes the server wrote for an object before lists and gets reused the watch cache's. */
const ourScheme = new Scheme();
addToScheme(ourScheme);

/** The fields the independent schema knows of a ConfigMap, as JSON writes them. */
function configMapFields(cm: any): object { // eslint-disable-line @typescript-eslint/no-explicit-any
  const m = cm.metadata ?? {};
  const seconds = m.creationTimestamp?.seconds;
  return {
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
    creationTimestamp: typeof seconds === 'number' ? new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') : m.creationTimestamp,
    labels: m.labels ?? {},
    data: cm.data ?? {},
    binaryData: cm.binaryData ?? {},
  };
}

function unwrap(bytes: Buffer, message: string): { typeMeta: { apiVersion: string; kind: string }; object: any } { // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(bytes.subarray(0, 4), magic, 'the k8s\\0 magic prefix');
  const unknown = type('Unknown').decode(bytes.subarray(4)) as unknown as { typeMeta: { apiVersion: string; kind: string }; raw: Uint8Array };
  return { typeMeta: { apiVersion: unknown.typeMeta.apiVersion, kind: unknown.typeMeta.kind }, object: type(message).toObject(type(message).decode(unknown.raw), { longs: Number, bytes: String }) };
}

describe('protobuf', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('accepts a body in upstream encoding and answers in it', async () => {
    const body = envelope('v1', 'ConfigMap', 'ConfigMap', { metadata: { name: 'pb1', labels: { app: 'x' } }, data: { a: 'b' }, binaryData: { bin: Buffer.from([0, 1, 2]) } });
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', body, { 'Content-Type': protobufType, Accept: protobufType });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers['content-type'], protobufType);
    const { typeMeta, object } = unwrap(res.bytes, 'ConfigMap');
    assert.deepEqual(typeMeta, { apiVersion: 'v1', kind: 'ConfigMap' });
    assert.equal(object.metadata.name, 'pb1');
    assert.equal(object.metadata.namespace, 'default');
    assert.deepEqual(object.metadata.labels, { app: 'x' });
    assert.deepEqual(object.data, { a: 'b' });
    assert.equal(Buffer.from(object.binaryData.bin, 'base64').toString('hex'), '000102');
    assert.match(object.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.ok(Number(object.metadata.creationTimestamp.seconds) > 1_600_000_000);

    // The same object read as JSON: binary data is base64 there.
    const json = await server.request('GET', '/api/v1/namespaces/default/configmaps/pb1');
    assert.deepEqual(json.json.binaryData, { bin: 'AAEC' });
    assert.equal(json.json.metadata.resourceVersion, object.metadata.resourceVersion);
  });

  it('refuses a create that names a resourceVersion as upstream storage does (protobuf body); kubectl create -f clears it first', async () => {
    const body = envelope('v1', 'ConfigMap', 'ConfigMap', { metadata: { name: 'pb-rv', resourceVersion: '42' }, data: { a: 'b' } });
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', body, { 'Content-Type': protobufType });
    assert.equal(res.status, 500, res.text);
    assert.equal(res.json.reason, undefined);
    assert.equal(res.json.message, 'resourceVersion should not be set on objects to be created');
    // kubectl create -f of a file that kept its resourceVersion still works: kubectl's resource.Helper clears it.
    const kubectl = kubectlRunner(server.kubeconfig);
    const created = await kubectl.run(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pb-rv\n  namespace: default\n  resourceVersion: "42"\n');
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'configmap/pb-rv created');
  });

  it('encodes lists as <Kind>List messages', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps', undefined, { Accept: protobufType });
    assert.equal(res.status, 200);
    const { typeMeta, object } = unwrap(res.bytes, 'ConfigMapList');
    assert.deepEqual(typeMeta, { apiVersion: 'v1', kind: 'ConfigMapList' });
    assert.ok(object.items.some((i: { metadata: { name: string } }) => i.metadata.name === 'pb1'));
    assert.match(object.metadata.resourceVersion, /^\d+$/);
  });

  it('gets and lists of cached objects (consistent, resourceVersion=0, paged) answer what JSON does, fresh after an update', async () => {
    const base = '/api/v1/namespaces/pb-cached/configmaps';
    // Only these (the namespace's kube-root-ca.crt comes when the controller gets to it).
    const mine = `${base}?labelSelector=i`;
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'pb-cached' } })).status, 201);
    for (let i = 0; i < 5; i++) {
      const cm = { metadata: { name: `cm${i}`, labels: { i: String(i) } }, data: { n: String(i) }, binaryData: { b: Buffer.from([i, 255]).toString('base64') } };
      assert.equal((await server.request('POST', base, cm)).status, 201);
    }
    /** The protobuf answer to `path` is the bytes our codec writes for the JSON answer, and decodes to it independently. */
    const same = async (path: string, message: 'ConfigMap' | 'ConfigMapList'): Promise<any> => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const pb = await server.request('GET', path, undefined, { Accept: protobufType });
      const json = await server.request('GET', path);
      assert.equal(pb.status, 200, pb.text);
      assert.equal(pb.headers['content-type'], protobufType);
      assert.ok(Buffer.from(ourScheme.protobuf.encodeObject(json.json)).equals(pb.bytes), `${path}: the bytes of the JSON answer`);
      const { typeMeta, object } = unwrap(pb.bytes, message);
      assert.deepEqual(typeMeta, { apiVersion: 'v1', kind: message });
      if (message === 'ConfigMap') assert.deepEqual(configMapFields(object), configMapFields(json.json));
      else {
        assert.deepEqual(object.items.map(configMapFields), json.json.items.map(configMapFields));
        const listMeta = (m: any) => [m.resourceVersion, m.continue || undefined, m.remainingItemCount || undefined]; // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.deepEqual(listMeta(object.metadata), listMeta(json.json.metadata));
      }
      return json.json;
    };
    // Twice each: the second answer comes from the bytes the first one made.
    for (let round = 0; round < 2; round++) {
      assert.equal((await same(mine, 'ConfigMapList')).items.length, 5);
      assert.equal((await same(`${mine}&resourceVersion=0`, 'ConfigMapList')).items.length, 5);
      assert.equal((await same(`${base}/cm1`, 'ConfigMap')).data.n, '1');
      assert.equal((await same(`${base}/cm2?resourceVersion=0`, 'ConfigMap')).data.n, '2');
      const first = await same(`${mine}&limit=2`, 'ConfigMapList');
      assert.deepEqual(first.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['cm0', 'cm1']);
      const rest = await same(`${mine}&limit=2&continue=${encodeURIComponent(first.metadata.continue)}`, 'ConfigMapList');
      assert.deepEqual(rest.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['cm2', 'cm3']);
    }

    const updated = await server.request('PATCH', `${base}/cm1`, JSON.stringify({ data: { n: 'changed' } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(updated.status, 200, updated.text);
    const got = await same(`${base}/cm1`, 'ConfigMap');
    assert.deepEqual([got.data.n, got.metadata.resourceVersion], ['changed', updated.json.metadata.resourceVersion]);
    const listed = await same(mine, 'ConfigMapList');
    assert.equal(listed.items[1].data.n, 'changed');
    assert.equal(listed.items[1].metadata.resourceVersion, updated.json.metadata.resourceVersion);
    // resourceVersion=0 waits for nothing: the cache may not have the update yet, but it answers one state in both forms.
    await same(`${mine}&resourceVersion=0`, 'ConfigMapList');
  });

  it('streams watch events as length-prefixed WatchEvent frames', async () => {
    const list = await server.request('GET', '/api/v1/namespaces/default/configmaps');
    const rv = list.json.metadata.resourceVersion;
    const created = server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'pb-watch' } });
    await created;
    const res = await server.request('GET', `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${rv}&timeoutSeconds=1`, undefined, { Accept: protobufType });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], `${protobufType};stream=watch`);
    const length = res.bytes.readUInt32BE(0);
    const event = type('WatchEvent').decode(res.bytes.subarray(4, 4 + length)) as unknown as { type: string; object: { raw: Uint8Array } };
    assert.equal(event.type, 'ADDED');
    const { typeMeta, object } = unwrap(Buffer.from(event.object.raw), 'ConfigMap');
    assert.equal(typeMeta.kind, 'ConfigMap');
    assert.equal(object.metadata.name, 'pb-watch');
  });

  it('times round-trip as Go keeps them: a MicroTime to the microsecond, a Time to the second, both in UTC', async () => {
    // 2026-01-02T03:04:05Z; Go's Timestamp always carries both fields.
    const at = 1767323045;
    const lease = envelope('coordination.k8s.io/v1', 'Lease', 'Lease', {
      metadata: { name: 'pb-times' },
      spec: { holderIdentity: 'h', acquireTime: { seconds: at, nanos: 123456789 }, renewTime: { seconds: at + 1, nanos: 999 } },
    });
    const leases = '/apis/coordination.k8s.io/v1/namespaces/default/leases';
    const created = await server.request('POST', leases, lease, { 'Content-Type': protobufType, Accept: protobufType });
    assert.equal(created.status, 201, created.text);
    // MicroTime's Unmarshal truncates to microseconds, and its Marshal writes what is left.
    assert.deepEqual(unwrap(created.bytes, 'Lease').object.spec, { holderIdentity: 'h', acquireTime: { seconds: at, nanos: 123456000 }, renewTime: { seconds: at + 1, nanos: 0 } });
    const json = await server.request('GET', `${leases}/pb-times`);
    assert.deepEqual(json.json.spec, { holderIdentity: 'h', acquireTime: '2026-01-02T03:04:05.123456Z', renewTime: '2026-01-02T03:04:06.000000Z' });

    // A JSON write with an offset is the same instant in protobuf.
    const patched = await server.request('PATCH', `${leases}/pb-times`, JSON.stringify({ spec: { renewTime: '2026-01-02T05:04:05.654321+02:00' } }), { 'Content-Type': 'application/merge-patch+json', Accept: protobufType });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(unwrap(patched.bytes, 'Lease').object.spec.renewTime, { seconds: at, nanos: 654321000 });

    // Time's Unmarshal keeps whole seconds; an explicit zero is the epoch, not an unset time.
    const event = envelope('v1', 'Event', 'Event', {
      metadata: { name: 'pb-times' },
      involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started',
      type: 'Normal',
      firstTimestamp: { seconds: at, nanos: 750000000 },
      lastTimestamp: { seconds: 0, nanos: 0 },
      eventTime: { seconds: at, nanos: 5000 },
      series: { count: 2, lastObservedTime: { seconds: at + 60, nanos: 1000 } },
      action: 'Started',
      reportingComponent: 'example.com/ctl',
      reportingInstance: 'ctl-1',
    });
    const ev = await server.request('POST', '/api/v1/namespaces/default/events', event, { 'Content-Type': protobufType, Accept: protobufType });
    assert.equal(ev.status, 201, ev.text);
    const got = unwrap(ev.bytes, 'Event').object;
    assert.deepEqual([got.firstTimestamp, got.lastTimestamp, got.eventTime, got.series], [
      { seconds: at, nanos: 0 },
      { seconds: 0, nanos: 0 },
      { seconds: at, nanos: 5000 },
      { count: 2, lastObservedTime: { seconds: at + 60, nanos: 1000 } },
    ]);
    const evJson = (await server.request('GET', '/api/v1/namespaces/default/events/pb-times')).json;
    assert.deepEqual([evJson.firstTimestamp, evJson.lastTimestamp, evJson.eventTime, evJson.series], [
      '2026-01-02T03:04:05Z',
      '1970-01-01T00:00:00Z',
      '2026-01-02T03:04:05.000005Z',
      { count: 2, lastObservedTime: '2026-01-02T03:05:05.000001Z' },
    ]);
  });

  it('/scale reads and writes an autoscaling/v1 Scale in protobuf, as kube-controller-manager\'s scale client does', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'pb-scaled' }, spec: { replicas: 1, selector: { matchLabels: { app: 'pb' } }, template: { metadata: { labels: { app: 'pb' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
    assert.equal((await server.request('POST', '/apis/apps/v1/namespaces/default/deployments', deployment)).status, 201);
    const path = '/apis/apps/v1/namespaces/default/deployments/pb-scaled/scale';
    const got = await server.request('GET', path, undefined, { Accept: `${protobufType}, application/json` });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.headers['content-type'], protobufType);
    const { typeMeta, object } = unwrap(got.bytes, 'Scale');
    assert.deepEqual(typeMeta, { apiVersion: 'autoscaling/v1', kind: 'Scale' });
    assert.equal(object.metadata.name, 'pb-scaled');
    assert.equal(object.spec.replicas, 1);
    assert.equal(object.status.selector, 'app=pb');

    const body = envelope('autoscaling/v1', 'Scale', 'Scale', { metadata: { name: 'pb-scaled', namespace: 'default', resourceVersion: object.metadata.resourceVersion }, spec: { replicas: 3 } });
    const put = await server.request('PUT', path, body, { 'Content-Type': protobufType, Accept: protobufType });
    assert.equal(put.status, 200, put.text);
    assert.equal(unwrap(put.bytes, 'Scale').object.spec.replicas, 3);
    assert.equal((await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/pb-scaled')).json.spec.replicas, 3);
  });

  it('errors come back as a protobuf Status to a client that asks for protobuf, and as JSON to the rest', async () => {
    const missing = await server.request('GET', '/api/v1/namespaces/default/configmaps/pb-missing', undefined, { Accept: `${protobufType}, application/json` });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['content-type'], protobufType);
    const { typeMeta, object } = unwrap(missing.bytes, 'Status');
    assert.deepEqual(typeMeta, { apiVersion: 'v1', kind: 'Status' });
    assert.deepEqual([object.status, object.reason, object.code, object.message], ['Failure', 'NotFound', 404, 'configmaps "pb-missing" not found']);
    assert.deepEqual([object.details.name, object.details.kind], ['pb-missing', 'configmaps']);

    const invalid = envelope('v1', 'ConfigMap', 'ConfigMap', { metadata: { name: 'Not_Valid' } });
    const refused = await server.request('POST', '/api/v1/namespaces/default/configmaps', invalid, { 'Content-Type': protobufType, Accept: protobufType });
    assert.equal(refused.status, 422);
    const status = unwrap(refused.bytes, 'Status').object;
    assert.equal(status.reason, 'Invalid');
    assert.deepEqual(status.details.causes.map((c: { field: string; reason: string }) => [c.field, c.reason]), [['metadata.name', 'FieldValueInvalid']]);

    // A view (as=Table) is not a representation of errors; JSON after it is.
    const json = await server.request('GET', '/api/v1/namespaces/default/configmaps/pb-missing', undefined, { Accept: `${protobufType};as=Table;v=v1;g=meta.k8s.io, application/json` });
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.json.reason, 'NotFound');
  });

  it('serves kubectl commands that send protobuf bodies', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const ns = await kubectl.run(['create', 'namespace', 'pb']);
    assert.equal(ns.stdout.trim(), 'namespace/pb created', ns.stderr);
    const cm = await kubectl.run(['create', 'configmap', 'c', '--from-literal=a=b', '-n', 'pb']);
    assert.equal(cm.stdout.trim(), 'configmap/c created', cm.stderr);
    const secret = await kubectl.run(['create', 'secret', 'generic', 's', '--from-literal=k=v', '-n', 'pb']);
    assert.equal(secret.stdout.trim(), 'secret/s created', secret.stderr);
    const data = await kubectl.run(['get', 'secret', 's', '-n', 'pb', '-o', 'jsonpath={.data.k}']);
    assert.equal(Buffer.from(data.stdout, 'base64').toString(), 'v');
    const got = await kubectl.run(['get', 'cm', 'c', '-n', 'pb', '-o', 'json']);
    const obj = JSON.parse(got.stdout);
    assert.deepEqual(obj.data, { a: 'b' });
    // Zero values a Go client always sends (generateName "", generation 0) read as absent, as from kube-apiserver.
    assert.equal(obj.metadata.generateName, undefined);
    assert.equal(obj.metadata.generation, undefined);
  });
});
