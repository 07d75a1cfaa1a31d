/**
 * The REST verbs over HTTP against a real server process (embedded SQLite): status codes and Status bodies as a
 * Kubernetes client sees them, resourceVersions, defaults, validation, unknown fields, namespaces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/kubectl.ts';

let server: TestServer;
let nsCounter = 0;

/** A fresh namespace per test, so tests never see each other's objects. */
async function namespace(): Promise<string> {
  const name = `t${++nsCounter}-${process.pid}`;
  const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return name;
}

const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const status = (code: number, reason: string, message: string, details?: Record<string, unknown>) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

describe('create, get, update, delete', () => {
  test('create answers 201 with server-set fields and a resourceVersion from the store', async () => {
    const ns = await namespace();
    const before = await server.request('GET', cms(ns));
    const res = await server.request('POST', cms(ns), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '1' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers['content-type'], 'application/json');
    const meta = res.json.metadata;
    assert.equal(meta.namespace, ns);
    assert.match(meta.uid, /^[0-9a-f-]{36}$/);
    assert.match(meta.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(meta.resourceVersion, /^\d+$/);
    assert.ok(Number(meta.resourceVersion) > Number(before.json.metadata.resourceVersion), 'a write moves the store revision forward');

    const got = await server.request('GET', `${cms(ns)}/c1`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json, res.json);
    const list = await server.request('GET', cms(ns));
    assert.equal(list.json.kind, 'ConfigMapList');
    assert.equal(list.json.apiVersion, 'v1');
    // kube-root-ca.crt is the root CA publisher's, in every namespace.
    assert.deepEqual(list.json.items.map((i: any) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt'), ['c1']);
    assert.ok(Number(list.json.metadata.resourceVersion) >= Number(meta.resourceVersion));
  });

  test('creating an existing name is 409 AlreadyExists', async () => {
    const ns = await namespace();
    assert.equal((await server.request('POST', cms(ns), { metadata: { name: 'c1' } })).status, 201);
    const res = await server.request('POST', cms(ns), { metadata: { name: 'c1' } });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json, status(409, 'AlreadyExists', 'configmaps "c1" already exists', { name: 'c1', kind: 'configmaps' }));
  });

  test('a missing object is 404 NotFound, for get, update and delete', async () => {
    const ns = await namespace();
    const want = status(404, 'NotFound', 'configmaps "nope" not found', { name: 'nope', kind: 'configmaps' });
    const got = await server.request('GET', `${cms(ns)}/nope`);
    assert.equal(got.status, 404);
    assert.deepEqual(got.json, want);
    const put = await server.request('PUT', `${cms(ns)}/nope`, { metadata: { name: 'nope', resourceVersion: '1' } });
    assert.equal(put.status, 404);
    assert.deepEqual(put.json, want);
    const del = await server.request('DELETE', `${cms(ns)}/nope`);
    assert.equal(del.status, 404);
    assert.deepEqual(del.json, want);
    const ns404 = await server.request('GET', '/api/v1/namespaces/no-such-namespace');
    assert.deepEqual(ns404.json, status(404, 'NotFound', 'namespaces "no-such-namespace" not found', { name: 'no-such-namespace', kind: 'namespaces' }));
  });

  test('PUT with the current resourceVersion succeeds; with a stale one it is 409 Conflict', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', cms(ns), { metadata: { name: 'c1' }, data: { a: '1' } })).json;
    const first = await server.request('PUT', `${cms(ns)}/c1`, { ...created, data: { a: '2' } });
    assert.equal(first.status, 200, first.text);
    assert.ok(Number(first.json.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
    assert.equal(first.json.metadata.uid, created.metadata.uid);
    assert.equal(first.json.metadata.creationTimestamp, created.metadata.creationTimestamp);

    const stale = await server.request('PUT', `${cms(ns)}/c1`, { ...created, data: { a: '3' } });
    assert.equal(stale.status, 409);
    assert.deepEqual(
      stale.json,
      status(409, 'Conflict', 'Operation cannot be fulfilled on configmaps "c1": the object has been modified; please apply your changes to the latest version and try again', { name: 'c1', kind: 'configmaps' }),
    );
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).json.data.a, '2', 'the stale write changed nothing');

    // Without a resourceVersion a ConfigMap PUT overwrites unconditionally.
    const { resourceVersion: _rv, ...meta } = created.metadata;
    const blind = await server.request('PUT', `${cms(ns)}/c1`, { metadata: meta, data: { a: '4' } });
    assert.equal(blind.status, 200, blind.text);
    assert.equal(blind.json.data.a, '4');
  });

  test('an update that changes nothing keeps the resourceVersion', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', cms(ns), { metadata: { name: 'c1' }, data: { a: '1' } })).json;
    const same = await server.request('PUT', `${cms(ns)}/c1`, created);
    assert.equal(same.status, 200);
    assert.equal(same.json.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  test('PUT whose body names another object is 400', async () => {
    const ns = await namespace();
    await server.request('POST', cms(ns), { metadata: { name: 'c1' } });
    const res = await server.request('PUT', `${cms(ns)}/c1`, { metadata: { name: 'c2' } });
    assert.equal(res.status, 400);
    assert.equal(res.json.reason, 'BadRequest');
    assert.equal(res.json.message, 'the name of the object (c2) does not match the name on the URL (c1)');
  });

  test('DELETE answers a Success Status naming the object, then it is gone', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', cms(ns), { metadata: { name: 'c1' } })).json;
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { propagationPolicy: 'Background' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'c1', kind: 'configmaps', uid: created.metadata.uid } });
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });

  test('dryRun=All validates and answers but stores nothing', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `${cms(ns)}?dryRun=All`, { metadata: { name: 'c1' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.metadata.name, 'c1');
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });

  test('merge patch changes one field and bumps the resourceVersion', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', cms(ns), { metadata: { name: 'c1' }, data: { a: '1', b: '2' } })).json;
    const res = await server.request('PATCH', `${cms(ns)}/c1`, { data: { a: null, c: '3' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { b: '2', c: '3' });
    assert.ok(Number(res.json.metadata.resourceVersion) > Number(created.metadata.resourceVersion));
  });
});

describe('validation', () => {
  test('an invalid name is 422 Invalid with a metadata.name cause', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { metadata: { name: 'Bad_Name' } });
    assert.equal(res.status, 422);
    const detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    assert.deepEqual(
      res.json,
      status(422, 'Invalid', `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${detail}`, {
        name: 'Bad_Name',
        kind: 'ConfigMap',
        causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${detail}`, field: 'metadata.name' }],
      }),
    );
  });

  test('namespace names are DNS-1123 labels: dots are refused', async () => {
    const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'a.b' } });
    assert.equal(res.status, 422);
    assert.equal(res.json.details.kind, 'Namespace');
    assert.deepEqual(res.json.details.causes.map((c: any) => [c.reason, c.field]), [['FieldValueInvalid', 'metadata.name']]);
    // v1.32's IsDNS1123Label says what is wrong with a name that would be a valid subdomain.
    assert.equal(res.json.message, 'Namespace "a.b" is invalid: metadata.name: Invalid value: "a.b": must not contain dots');
    // A subdomain-style name is fine for a ConfigMap.
    const ns = await namespace();
    assert.equal((await server.request('POST', cms(ns), { metadata: { name: 'a.b' } })).status, 201);
  });

  test('a name longer than 253 characters is refused', async () => {
    const ns = await namespace();
    const name = 'a'.repeat(254);
    const res = await server.request('POST', cms(ns), { metadata: { name } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: "${name}": must be no more than 253 characters`, field: 'metadata.name' }]);
  });

  test('a missing name is 422 Required', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { data: {} });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }]);
  });

  test('generateName gets a random suffix', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { metadata: { generateName: 'gen-' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.json.metadata.name, /^gen-[a-z0-9]{5}$/);
  });

  test('one cause per bad field: name, label key, label value, data key', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { metadata: { name: 'Bad_Name', labels: { 'a b': 'ok', good: '-bad-', long: 'x'.repeat(64) } }, data: { 'x y': '1' } });
    assert.equal(res.status, 422);
    assert.equal(res.json.reason, 'Invalid');
    assert.deepEqual(
      res.json.details.causes.map((c: any) => [c.field, c.message]),
      [
        ['metadata.name', res.json.details.causes[0].message],
        ['metadata.labels', `Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`],
        ['metadata.labels', `Invalid value: "-bad-": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
        ['metadata.labels', `Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`],
        ['data[x y]', `Invalid value: "x y": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
      ],
    );
    assert.match(res.json.message, /^ConfigMap "Bad_Name" is invalid: \[metadata\.name: Invalid value: .*, data\[x y\]: Invalid value: "x y": .*\]$/);
  });

  test('a label key with a prefix that is not a DNS subdomain is refused', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { metadata: { name: 'c1', labels: { 'Example.com/app': 'x' } } });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.details.causes.map((c: any) => c.field), ['metadata.labels']);
    assert.match(res.json.details.causes[0].message, /^Invalid value: "Example\.com\/app": prefix part a lowercase RFC 1123 subdomain/);
    const ok = await server.request('POST', cms(ns), { metadata: { name: 'c2', labels: { 'example.com/app': 'web', empty: '' } } });
    assert.equal(ok.status, 201, ok.text);
  });

  test('a body of another kind is 400 BadRequest', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c1' } });
    assert.equal(res.status, 400);
    assert.equal(res.json.reason, 'BadRequest');
  });

  test('a body that is not JSON is 400 BadRequest', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), '{"metadata": ');
    assert.equal(res.status, 400);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.reason, 'BadRequest');
  });
});

describe('defaults', () => {
  test('a Secret gets type Opaque and its stringData folded into base64 data, before validation', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 's1' }, data: { a: Buffer.from('x').toString('base64') }, stringData: { password: 'hunter2' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.type, 'Opaque');
    assert.deepEqual(res.json.data, { a: 'eA==', password: Buffer.from('hunter2').toString('base64') });
    assert.equal(res.json.stringData, undefined);
    const got = await server.request('GET', `/api/v1/namespaces/${ns}/secrets/s1`);
    assert.equal(got.json.type, 'Opaque');
    assert.equal(got.json.stringData, undefined);
    // stringData with a key that is not a valid data key fails on the folded data field.
    const bad = await server.request('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 's2' }, stringData: { 'no/slash': 'x' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.details.causes.map((c: any) => c.field), ['data[no/slash]']);
  });

  test('a Secret type cannot change', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 's1' }, type: 'example.com/a' })).json;
    const res = await server.request('PUT', `/api/v1/namespaces/${ns}/secrets/s1`, { ...created, type: 'example.com/b' });
    assert.equal(res.status, 422);
    assert.deepEqual(res.json.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "example.com/b": field is immutable', field: 'type' }]);
  });

  test('a namespace starts Active with the kubernetes finalizer', async () => {
    const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name: `fresh-${process.pid}` } });
    assert.equal(res.status, 201);
    assert.deepEqual(res.json.status, { phase: 'Active' });
    assert.deepEqual(res.json.spec, { finalizers: ['kubernetes'] });
  });
});

describe('unknown fields and fieldValidation', () => {
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', foo: 1 }, spec: { foo: 'x' }, data: { a: '1' } };

  test('Strict refuses unknown fields with 400 and every field named', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `${cms(ns)}?fieldValidation=Strict`, body);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, status(400, 'BadRequest', 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.foo", unknown field "spec"'));
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });

  test('Warn (the default) drops them and says so in Warning headers', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.warning, '299 - "unknown field \\"metadata.foo\\"", 299 - "unknown field \\"spec\\""');
    assert.equal(res.json.spec, undefined);
    assert.equal(res.json.metadata.foo, undefined);
    const got = await server.request('GET', `${cms(ns)}/c1`);
    assert.equal(got.json.spec, undefined);
    assert.equal(got.headers.warning, undefined);
  });

  test('Ignore drops them silently', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `${cms(ns)}?fieldValidation=Ignore`, body);
    assert.equal(res.status, 201);
    assert.equal(res.headers.warning, undefined);
    assert.equal(res.json.spec, undefined);
  });

  test('nested unknown fields are found inside lists and maps of objects', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts?fieldValidation=Strict`, { metadata: { name: 'sa', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'u', bogus: true }] }, secrets: [{ name: 's', extra: 1 }] });
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'ServiceAccount in version "v1" cannot be handled as a ServiceAccount: strict decoding error: unknown field "metadata.ownerReferences[0].bogus", unknown field "secrets[0].extra"');
  });

  test('free-form fields (managedFields fieldsV1) keep what they hold', async () => {
    const ns = await namespace();
    const managed = [{ manager: 'm', operation: 'Update', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const res = await server.request('POST', `${cms(ns)}?fieldValidation=Strict`, { metadata: { name: 'c1', managedFields: managed } });
    assert.equal(res.status, 201, res.text);
  });

  test('updates and patches follow the same directive', async () => {
    const ns = await namespace();
    const created = (await server.request('POST', cms(ns), { metadata: { name: 'c1' } })).json;
    const put = await server.request('PUT', `${cms(ns)}/c1?fieldValidation=Strict`, { ...created, extra: true });
    assert.equal(put.status, 400);
    assert.equal(put.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "extra"');
    const patch = await server.request('PATCH', `${cms(ns)}/c1?fieldValidation=Strict`, { spec: { replicas: 1 } }, { 'Content-Type': 'application/merge-patch+json' });
    // A patch is refused as upstream refuses it: 422, naming the patched object as the invalid value.
    assert.equal(patch.status, 422);
    assert.match(patch.json.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec"$/);
    const warned = await server.request('PATCH', `${cms(ns)}/c1`, { spec: { replicas: 1 }, data: { a: 'b' } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"spec\\""');
    assert.deepEqual(warned.json.data, { a: 'b' });
    assert.equal(warned.json.spec, undefined);
  });

  test('an unknown directive is 422 with the allowed values', async () => {
    const ns = await namespace();
    const res = await server.request('POST', `${cms(ns)}?fieldValidation=Loose`, { metadata: { name: 'c1' } });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": supported values: "", "Ignore", "Strict", "Warn"');
  });
});

describe('namespaces', () => {
  test('creating in a namespace that does not exist is 404 for the namespace', async () => {
    const res = await server.request('POST', cms('does-not-exist'), { metadata: { name: 'c1' } });
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, status(404, 'NotFound', 'namespaces "does-not-exist" not found', { name: 'does-not-exist', kind: 'namespaces' }));
  });

  test('the namespace in the body must match the path', async () => {
    const ns = await namespace();
    const res = await server.request('POST', cms(ns), { metadata: { name: 'c1', namespace: 'other' } });
    assert.equal(res.status, 400);
    assert.equal(res.json.message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  test('deleting a namespace turns it Terminating, deletes what is in it, then the namespace', async () => {
    const ns = await namespace();
    await server.request('POST', cms(ns), { metadata: { name: 'c1' } });
    await server.request('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 's1' } });
    const other = await namespace();
    await server.request('POST', cms(other), { metadata: { name: 'c1' } });

    const res = await server.request('DELETE', `/api/v1/namespaces/${ns}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Namespace');
    assert.equal(res.json.status.phase, 'Terminating');
    assert.match(res.json.metadata.deletionTimestamp, /Z$/);
    await eventually(async () => (await server.request('GET', `/api/v1/namespaces/${ns}`)).status === 404, `namespace ${ns} to go`);
    assert.deepEqual((await server.request('GET', cms(ns))).json.items, []);
    assert.deepEqual((await server.request('GET', `/api/v1/namespaces/${ns}/secrets`)).json.items, []);
    assert.equal((await server.request('GET', `${cms(other)}/c1`)).status, 200, 'other namespaces keep their objects');
    // The name can be used again, and starts empty (but for the root CA publisher's kube-root-ca.crt).
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
    assert.deepEqual((await server.request('GET', cms(ns))).json.items.filter((i: any) => i.metadata.name !== 'kube-root-ca.crt'), []);
  });

  test('a Terminating namespace refuses new objects with 403; it goes when its last finalizer does', async () => {
    const name = `held-${process.pid}`;
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name, finalizers: ['example.com/hold'] } })).status, 201);
    await server.request('POST', cms(name), { metadata: { name: 'c1' } });
    assert.equal((await server.request('DELETE', `/api/v1/namespaces/${name}`)).status, 200);
    // The controller empties it and removes its own finalizer; the metadata finalizer keeps it Terminating.
    await eventually(async () => {
      const ns = (await server.request('GET', `/api/v1/namespaces/${name}`)).json;
      return ns.spec !== undefined && (ns.spec.finalizers ?? []).length === 0; // Go omits the emptied list (omitempty)
    }, 'the kubernetes finalizer to be removed');
    assert.deepEqual((await server.request('GET', cms(name))).json.items, []);
    const got = (await server.request('GET', `/api/v1/namespaces/${name}`)).json;
    assert.equal(got.status.phase, 'Terminating');

    const refused = await server.request('POST', cms(name), { metadata: { name: 'c2' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.reason, 'Forbidden');
    assert.equal(refused.json.message, `configmaps "c2" is forbidden: unable to create new content in namespace ${name} because it is being terminated`);
    assert.deepEqual(refused.json.details.causes, [{ reason: 'NamespaceTerminating', message: `namespace ${name} is being terminated`, field: 'metadata.namespace' }]);

    const patched = await server.request('PATCH', `/api/v1/namespaces/${name}`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await server.request('GET', `/api/v1/namespaces/${name}`)).status, 404);
  });

  test('default, kube-system and kube-public cannot be deleted', async () => {
    for (const name of ['default', 'kube-system', 'kube-public']) {
      const res = await server.request('DELETE', `/api/v1/namespaces/${name}`);
      assert.equal(res.status, 403);
      assert.deepEqual(res.json, status(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' }));
    }
  });

  test('objects with finalizers wait, marked with a deletionTimestamp, until the finalizers are removed', async () => {
    const ns = await namespace();
    await server.request('POST', cms(ns), { metadata: { name: 'c1', finalizers: ['example.com/keep'] } });
    const res = await server.request('DELETE', `${cms(ns)}/c1`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'ConfigMap');
    assert.match(res.json.metadata.deletionTimestamp, /Z$/);
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 200);
    const patched = await server.request('PATCH', `${cms(ns)}/c1`, { metadata: { finalizers: [] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });
});

describe('request size', () => {
  test('a body over 3 MiB is 413 RequestEntityTooLarge, for a create and a patch alike', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024 + 1);
    const create = await server.request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'big' }, data: { a: big } }));
    assert.equal(create.status, 413);
    assert.equal(create.json.reason, 'RequestEntityTooLarge');
    assert.equal((await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'small' } })).status, 201);
    const patch = await server.request('PATCH', '/api/v1/namespaces/default/configmaps/small', JSON.stringify({ data: { a: big } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patch.status, 413);
    assert.equal((await server.request('GET', '/api/v1/namespaces/default/configmaps/small')).json.data, undefined);
  });
});
