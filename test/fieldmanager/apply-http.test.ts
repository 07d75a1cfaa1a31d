/**
 * Server-side apply and managedFields at the HTTP level, against the real server: what every write records, the
 * apply content type with its options, conflicts, force, removal of fields, clearing managedFields, the cap on
 * Update managers, status and scale, and bad input (each answered with upstream's Status, nothing stored).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const applyType = { 'Content-Type': 'application/apply-patch+yaml' };
const cmPath = (name = '') => `/api/v1/namespaces/default/configmaps${name ? `/${name}` : ''}`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const entries = (obj: { metadata?: { managedFields?: Entry[] } }) => obj.metadata?.managedFields ?? [];
const summary = (obj: { metadata?: { managedFields?: Entry[] } }) => entries(obj).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);
const entryOf = (obj: { metadata?: { managedFields?: Entry[] } }, manager: string, operation = 'Apply') => entries(obj).find((e) => e.manager === manager && e.operation === operation);

describe('server-side apply over HTTP', () => {
  let server: TestServer;
  const apply = (path: string, body: unknown, query = 'fieldManager=m1', headers: Record<string, string> = {}) =>
    server.request('PATCH', `${path}${query ? `?${query}` : ''}`, typeof body === 'string' ? body : JSON.stringify(body), { ...applyType, ...headers });
  const get = async (path: string) => (await server.request('GET', path)).json;

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('records an Update entry for a create, named after the User-Agent before its first "/"', async () => {
    const res = await server.request('POST', cmPath(), { metadata: { name: 'ua1' }, data: { a: '1' } }, { 'User-Agent': 'kubectl-create/v1.32.4 (linux/amd64) kubernetes/abc' });
    assert.equal(res.status, 201, res.text);
    const [e] = entries(res.json);
    assert.equal(entries(res.json).length, 1);
    assert.equal(e.manager, 'kubectl-create');
    assert.equal(e.operation, 'Update');
    assert.equal(e.apiVersion, 'v1');
    assert.equal(e.fieldsType, 'FieldsV1');
    assert.match(e.time!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(e.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} } });
    assert.equal(e.subresource, undefined);
  });

  it('records the writes of kube-controller-manager\'s controllers under that name', async () => {
    assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: 'kcm-writes' } })).status, 201);
    // The root CA publisher writes kube-root-ca.crt into every new namespace.
    let cm: { metadata: { managedFields?: { manager: string; operation: string }[] } } | undefined;
    for (let i = 0; i < 100 && !cm; i++) {
      const res = await server.request('GET', '/api/v1/namespaces/kcm-writes/configmaps/kube-root-ca.crt');
      if (res.status === 200) cm = res.json;
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(cm, 'kube-root-ca.crt was published');
    assert.deepEqual(cm.metadata.managedFields?.map((e) => [e.manager, e.operation]), [['kube-controller-manager', 'Update']]);
  });

  it('takes fieldManager over the User-Agent, and an update by another manager adds its own entry', async () => {
    const created = await server.request('POST', `${cmPath()}?fieldManager=creator`, { metadata: { name: 'fm1', labels: { x: 'y' } }, data: { a: '1' } }, { 'User-Agent': 'curl/8' });
    assert.deepEqual(summary(created.json), ['creator/Update']);
    const body = { ...created.json, data: { a: '1', b: '2' } };
    const updated = await server.request('PUT', cmPath('fm1'), body, { 'User-Agent': 'kubectl-edit/v1.32.4' });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(summary(updated.json).sort(), ['creator/Update', 'kubectl-edit/Update']);
    assert.deepEqual(entryOf(updated.json, 'kubectl-edit', 'Update')!.fieldsV1, { 'f:data': { 'f:b': {} } });
    assert.deepEqual(entryOf(updated.json, 'creator', 'Update')!.fieldsV1, { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } });
  });

  it('names the manager "unknown" when neither fieldManager nor a User-Agent says who writes', async () => {
    const res = await server.request('POST', cmPath(), { metadata: { name: 'anon1' }, data: { a: '1' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(summary(res.json), ['unknown/Update']);
  });

  it('refuses a fieldManager that is too long or not printable', async () => {
    const res = await server.request('POST', `${cmPath()}?fieldManager=${'x'.repeat(129)}`, { metadata: { name: 'long1' } });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes');
    assert.equal((await server.request('GET', cmPath('long1'))).status, 404);
    const bell = await server.request('POST', `${cmPath()}?fieldManager=a%07b`, { metadata: { name: 'long1' } });
    assert.equal(bell.status, 422);
    assert.equal(bell.json.details.causes[0].field, 'fieldManager');
    assert.match(bell.json.details.causes[0].message, /invalid character U\+0007 \(at position 1\)$/);
  });

  it('creates by apply (201), then changes by apply (200), with one Apply entry', async () => {
    const cfg = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ap1' }, data: { a: '1' } };
    const created = await apply(cmPath('ap1'), cfg);
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.data, { a: '1' });
    assert.deepEqual(entries(created.json).map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType]), [['m1', 'Apply', 'v1', 'FieldsV1']]);
    assert.deepEqual(entryOf(created.json, 'm1')!.fieldsV1, { 'f:data': { 'f:a': {} } });
    const changed = await apply(cmPath('ap1'), { ...cfg, data: { a: '2', b: '3' } });
    assert.equal(changed.status, 200, changed.text);
    assert.deepEqual(changed.json.data, { a: '2', b: '3' });
    assert.deepEqual(summary(changed.json), ['m1/Apply']);
    assert.deepEqual(entryOf(changed.json, 'm1')!.fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} } });
  });

  it('takes a YAML body', async () => {
    const res = await apply(cmPath('yaml1'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml1\ndata:\n  k: "v"\n');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.data, { k: 'v' });
  });

  it('repeated keys: the last value wins; Warn answers a warning per key, Strict refuses them after the apply', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup1\ndata:\n  k: "1"\n  k: "2"\n';
    const warned = await apply(cmPath('dup1'), yaml);
    assert.equal(warned.status, 201, warned.text);
    assert.deepEqual(warned.json.data, { k: '2' });
    assert.match(String(warned.headers.warning), /^299 - "line 7: key \\"k\\" already set in map"$/);
    const quiet = await apply(cmPath('dup1'), yaml, 'fieldManager=m1&fieldValidation=Ignore');
    assert.equal(quiet.status, 200, quiet.text);
    assert.equal(quiet.headers.warning, undefined);
    const json = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup1"},"data":{"k":"3","k":"4"}}';
    const strict = await apply(cmPath('dup1'), json, 'fieldManager=m1&fieldValidation=Strict');
    assert.equal(strict.status, 400, strict.text);
    assert.equal(strict.json.message, 'error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n  line 1: key "k" already set in map');
    assert.deepEqual((await get(cmPath('dup1'))).data, { k: '2' });
    // An apply error comes before the strict decoding error, as upstream checks after applying.
    const conflict = await apply(cmPath('dup1'), json, 'fieldManager=m2&fieldValidation=Strict');
    assert.equal(conflict.status, 409, conflict.text);
  });

  it('refuses configurations nested deeper than it can parse with a 400, and keeps serving', async () => {
    await apply(cmPath('deep1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'deep1' }, data: { a: '1' } });
    const stored = await get(cmPath('deep1'));
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep1\nx: ${'['.repeat(9000)}${']'.repeat(9000)}\n`;
    const flow = await apply(cmPath('deep1'), yaml);
    assert.equal(flow.status, 400, flow.text);
    assert.equal(flow.json.message, 'error decoding YAML: error converting YAML to JSON: yaml: exceeded max depth of 500');
    const json = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep1"},"x":${'['.repeat(9000)}${']'.repeat(9000)}}`;
    const deepJson = await apply(cmPath('deep1'), json);
    assert.equal(deepJson.status, 400, deepJson.text);
    assert.equal(deepJson.json.reason, 'BadRequest');
    assert.deepEqual(await get(cmPath('deep1')), stored);
  });

  it('answers a conflict between two managers with upstream\'s 409, and stores nothing', async () => {
    await apply(cmPath('c1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '1', b: '1' } });
    const before = await get(cmPath('c1'));
    const res = await apply(cmPath('c1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '2' } }, 'fieldManager=m2');
    assert.equal(res.status, 409, res.text);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Apply failed with 1 conflict: conflict with "m1": .data.a',
      reason: 'Conflict',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "m1"', field: '.data.a' }] },
      code: 409,
    });
    assert.deepEqual(await get(cmPath('c1')), before);
    // Two fields: grouped by manager, one line each.
    const two = await apply(cmPath('c1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '2', b: '2' } }, 'fieldManager=m2');
    assert.equal(two.status, 409);
    assert.equal(two.json.message, 'Apply failed with 2 conflicts: conflicts with "m1":\n- .data.a\n- .data.b');
    // The same value is no conflict: both own it then.
    const shared = await apply(cmPath('c1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1' }, data: { a: '1' } }, 'fieldManager=m2');
    assert.equal(shared.status, 200, shared.text);
    assert.deepEqual(summary(shared.json).sort(), ['m1/Apply', 'm2/Apply']);
  });

  it('names Update managers with their API version in conflicts', async () => {
    await server.request('POST', `${cmPath()}?fieldManager=writer`, { metadata: { name: 'c2' }, data: { a: '1' } });
    const res = await apply(cmPath('c2'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c2' }, data: { a: '2' } });
    assert.equal(res.status, 409);
    assert.equal(res.json.message, 'Apply failed with 1 conflict: conflict with "writer" using v1: .data.a');
  });

  it('force=true takes ownership from the other manager', async () => {
    await apply(cmPath('f1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f1' }, data: { a: '1', b: '1' } });
    const res = await apply(cmPath('f1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f1' }, data: { a: '2' } }, 'fieldManager=m2&force=true');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { a: '2', b: '1' });
    assert.deepEqual(entryOf(res.json, 'm1')!.fieldsV1, { 'f:data': { 'f:b': {} } });
    assert.deepEqual(entryOf(res.json, 'm2')!.fieldsV1, { 'f:data': { 'f:a': {} } });
  });

  it('removes a field its applier stops applying unless another manager owns it', async () => {
    await apply(cmPath('r1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r1' }, data: { a: '1', b: '1', c: '1' } });
    await apply(cmPath('r1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r1' }, data: { c: '1' } }, 'fieldManager=m2');
    const res = await apply(cmPath('r1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'r1' }, data: { a: '1' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, { a: '1', c: '1' });
  });

  it('needs fieldManager for apply and refuses force on other patches (422 PatchOptions)', async () => {
    const res = await apply(cmPath('nf1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nf1' } }, '');
    assert.equal(res.status, 422);
    assert.equal(res.json.reason, 'Invalid');
    assert.equal(res.json.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.deepEqual(res.json.details, { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] });
    await server.request('POST', cmPath(), { metadata: { name: 'nf2' } });
    const merge = await server.request('PATCH', `${cmPath('nf2')}?force=true`, '{"data":{"a":"1"}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(merge.status, 422);
    assert.equal(merge.json.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    assert.equal((await server.request('GET', cmPath('nf1'))).status, 404);
  });

  it('refuses bad apply bodies with upstream\'s Status and stores nothing', async () => {
    await apply(cmPath('bad1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1' }, data: { a: '1' } });
    const stored = await get(cmPath('bad1'));
    const cases: Array<[unknown, number, string]> = [
      [[{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1' } }], 400, 'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'],
      ['just a string', 400, 'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}'],
      [{ metadata: { name: 'bad1' }, data: { a: '2' } }, 400, 'invalid object type: /, Kind='],
      [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bad1' } }, 400, 'invalid object type: /v1, Kind=Secret'],
      [{ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'bad1' } }, 400, 'invalid object type: apps/v1, Kind=ConfigMap'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { a: '2' } }, 400, 'the name of the object (other) does not match the name on the URL (bad1)'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1', namespace: 'kube-system' }, data: { a: '2' } }, 400, 'the namespace of the provided object does not match the namespace sent on the request'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1', managedFields: [{ manager: 'x', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }] }, data: { a: '2' } }, 400, 'metadata.managedFields must be nil'],
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1', managedFields: [] }, data: { a: '2' } }, 400, 'metadata.managedFields must be nil'],
    ];
    for (const [body, code, message] of cases) {
      const res = await apply(cmPath('bad1'), typeof body === 'string' ? JSON.stringify(body) : body);
      assert.equal(res.status, code, `${JSON.stringify(body)}: ${res.text}`);
      assert.equal(res.json.message, message);
      assert.equal(res.json.reason, 'BadRequest');
    }
    assert.deepEqual(await get(cmPath('bad1')), stored);
    // A value of the wrong type: upstream's 500 naming the object and the field.
    const typed = await apply(cmPath('bad1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1' }, data: { a: 5 } });
    assert.equal(typed.status, 500, typed.text);
    assert.match(typed.json.message, /^Internal error occurred: failed to create typed patch object \(\/bad1; \/v1, Kind=ConfigMap\): \.data\.a: /);
    const shape = await apply(cmPath('bad1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1', managedFields: 'nope' } });
    assert.equal(shape.status, 500, shape.text);
    assert.equal(shape.json.message, 'Internal error occurred: failed to create typed patch object (/bad1; /v1, Kind=ConfigMap): .metadata.managedFields: expected list, got "nope"');
    const unknown = await apply(cmPath('bad1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad1' }, extra: 1 });
    assert.equal(unknown.json.message, 'Internal error occurred: failed to create typed patch object (/bad1; /v1, Kind=ConfigMap): .extra: field not declared in schema');
    assert.deepEqual(await get(cmPath('bad1')), stored);
  });

  it('creates nothing from a configuration without a name, or with a uid', async () => {
    const noName = await apply(cmPath('nn1'), { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    assert.equal(noName.status, 400);
    assert.equal(noName.json.message, 'the name of the object (nn1 based on URL) was undeterminable: name must be provided');
    const uid = await apply(cmPath('nn1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nn1', uid: '1234' } });
    assert.equal(uid.status, 409);
    assert.equal(uid.json.message, 'Operation cannot be fulfilled on configmaps "nn1": uid mismatch: the provided object specified uid 1234, and no existing object was found');
    assert.equal((await server.request('GET', cmPath('nn1'))).status, 404);
  });

  it('checks a resourceVersion in the configuration against the stored one, and ignores it on create', async () => {
    const created = await apply(cmPath('rv1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv1', resourceVersion: '1' }, data: { a: '1' } });
    assert.equal(created.status, 201, created.text);
    const stale = await apply(cmPath('rv1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv1', resourceVersion: '1' }, data: { a: '2' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.message, 'Operation cannot be fulfilled on configmaps "rv1": the object has been modified; please apply your changes to the latest version and try again');
    const fresh = await apply(cmPath('rv1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'rv1', resourceVersion: created.json.metadata.resourceVersion }, data: { a: '2' } });
    assert.equal(fresh.status, 200, fresh.text);
  });

  it('dry-run apply answers what would be stored and stores nothing', async () => {
    const res = await apply(cmPath('dry1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry1' }, data: { a: '1' } }, 'fieldManager=m1&dryRun=All');
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(summary(res.json), ['m1/Apply']);
    assert.equal((await server.request('GET', cmPath('dry1'))).status, 404);
    await apply(cmPath('dry1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry1' }, data: { a: '1' } });
    const stored = await get(cmPath('dry1'));
    const changed = await apply(cmPath('dry1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry1' }, data: { a: '2' } }, 'fieldManager=m1&dryRun=All');
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.json.data, { a: '2' });
    assert.deepEqual(await get(cmPath('dry1')), stored);
  });

  it('clears managedFields on an update sending [], keeps them when none are sent, and starts again at the next apply', async () => {
    await apply(cmPath('mf1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mf1' }, data: { a: '1' } });
    const cur = await get(cmPath('mf1'));
    const { managedFields: _drop, ...meta } = cur.metadata;
    const kept = await server.request('PUT', `${cmPath('mf1')}?fieldManager=editor`, { ...cur, metadata: meta, data: { a: '1', b: '2' } });
    assert.deepEqual(summary(kept.json).sort(), ['editor/Update', 'm1/Apply']);
    const cleared = await server.request('PUT', cmPath('mf1'), { ...kept.json, metadata: { ...kept.json.metadata, managedFields: [] } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.json.metadata.managedFields, undefined);
    // Untracked until someone applies: a later update records nothing.
    const later = await server.request('PUT', `${cmPath('mf1')}?fieldManager=editor`, { ...cleared.json, data: { a: '1', b: '3' } });
    assert.equal(later.json.metadata.managedFields, undefined);
    // The next apply finds every existing field owned by before-first-apply.
    const res = await apply(cmPath('mf1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mf1' }, data: { a: '9' } }, 'fieldManager=m3');
    assert.equal(res.status, 409, res.text);
    assert.equal(res.json.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.a');
    const ok = await apply(cmPath('mf1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mf1' }, data: { c: '1' } }, 'fieldManager=m3');
    assert.deepEqual(summary(ok.json), ['m3/Apply', 'before-first-apply/Update']);
  });

  it('keeps managedFields a client sends with an update, and refuses a wrongly shaped list with 400', async () => {
    await server.request('POST', cmPath(), { metadata: { name: 'mf2' }, data: { a: '1' } });
    const cur = await get(cmPath('mf2'));
    const bad = await server.request('PUT', cmPath('mf2'), { ...cur, metadata: { ...cur.metadata, managedFields: 'nope' } });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.reason, 'BadRequest');
    assert.match(bad.json.message, /cannot unmarshal string into Go struct field ObjectMeta\.metadata\.managedFields of type \[\]v1\.ManagedFieldsEntry/);
    assert.deepEqual(await get(cmPath('mf2')), cur);
  });

  it('takes the managedFields a client sends with an update as the starting point', async () => {
    await server.request('POST', `${cmPath()}?fieldManager=first`, { metadata: { name: 'mf3' }, data: { a: '1', b: '1' } });
    const cur = await get(cmPath('mf3'));
    const mine = [{ manager: 'handover', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const res = await server.request('PUT', `${cmPath('mf3')}?fieldManager=second`, { ...cur, metadata: { ...cur.metadata, managedFields: mine }, data: { a: '1', b: '2' } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(summary(res.json), ['handover/Apply', 'second/Update']);
    // Entries the field manager cannot read are ignored: the stored ones stay.
    const bogus = [{ manager: 'x', operation: 'Bogus', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }];
    const kept = await server.request('PUT', `${cmPath('mf3')}?fieldManager=second`, { ...res.json, metadata: { ...res.json.metadata, managedFields: bogus }, data: { a: '1', b: '3' } });
    assert.equal(kept.status, 200, kept.text);
    assert.deepEqual(summary(kept.json), ['handover/Apply', 'second/Update']);
  });

  it('folds the oldest Update managers into ancient-changes beyond ten', async () => {
    const created = await server.request('POST', `${cmPath()}?fieldManager=u0`, { metadata: { name: 'cap1' }, data: { k0: 'v' } });
    let obj = created.json;
    for (let i = 1; i <= 11; i++) {
      const res = await server.request('PUT', `${cmPath('cap1')}?fieldManager=u${i}`, { ...obj, data: { ...obj.data, [`k${i}`]: 'v' } });
      assert.equal(res.status, 200, res.text);
      obj = res.json;
    }
    const updaters = entries(obj).filter((e) => e.operation === 'Update');
    assert.equal(updaters.length, 10);
    assert.ok(updaters.some((e) => e.manager === 'ancient-changes'), JSON.stringify(summary(obj)));
  });

  it('orders entries Apply first, then by time and manager', async () => {
    await server.request('POST', `${cmPath()}?fieldManager=zz`, { metadata: { name: 'ord1' }, data: { a: '1' } });
    const res = await apply(cmPath('ord1'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ord1' }, data: { b: '1' } }, 'fieldManager=aa');
    assert.deepEqual(summary(res.json), ['aa/Apply', 'zz/Update']);
  });

  it('a no-op update changes neither managedFields nor the resourceVersion', async () => {
    const created = await server.request('POST', `${cmPath()}?fieldManager=w`, { metadata: { name: 'noop1' }, data: { a: '1' } });
    await new Promise((r) => setTimeout(r, 1100));
    const again = await server.request('PUT', `${cmPath('noop1')}?fieldManager=w`, created.json);
    assert.equal(again.json.metadata.resourceVersion, created.json.metadata.resourceVersion);
    assert.deepEqual(again.json.metadata.managedFields, created.json.metadata.managedFields);
  });
});

describe('managedFields of status and scale', () => {
  let server: TestServer;
  const deploy = (name: string, replicas = 1) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const dPath = (name: string, sub = '') => `/apis/apps/v1/namespaces/default/deployments/${name}${sub ? `/${sub}` : ''}`;
  const apply = (path: string, body: unknown, query = 'fieldManager=m1') => server.request('PATCH', `${path}?${query}`, JSON.stringify(body), applyType);

  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('applies through /status with a status entry, and the resource\'s applier never owns status', async () => {
    const created = await apply(dPath('d1'), { ...deploy('d1'), status: { replicas: 5 } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.status?.replicas, undefined);
    assert.ok(!JSON.stringify(entryOf(created.json, 'm1')!.fieldsV1).includes('f:status'));
    const st = await apply(dPath('d1', 'status'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd1' }, status: { replicas: 3 } }, 'fieldManager=ctrl');
    assert.equal(st.status, 200, st.text);
    assert.equal(st.json.status.replicas, 3);
    const e = entryOf(st.json, 'ctrl')!;
    assert.equal(e.subresource, 'status');
    assert.deepEqual(e.fieldsV1, { 'f:status': { 'f:replicas': {} } });
    // /status never creates.
    const missing = await apply(dPath('nope', 'status'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nope' }, status: { replicas: 1 } }, 'fieldManager=ctrl');
    assert.equal(missing.status, 404);
  });

  it('records an update through /status as a status entry', async () => {
    await apply(dPath('d2'), deploy('d2'));
    const cur = (await server.request('GET', dPath('d2'))).json;
    const res = await server.request('PUT', `${dPath('d2', 'status')}?fieldManager=kcm`, { ...cur, status: { replicas: 2 } });
    assert.equal(res.status, 200, res.text);
    const e = entryOf(res.json, 'kcm', 'Update')!;
    assert.equal(e.subresource, 'status');
    // Only status: the spec and metadata sent along are not this endpoint's to change.
    assert.deepEqual(Object.keys(e.fieldsV1), ['f:status']);
    assert.ok('f:replicas' in (e.fieldsV1['f:status'] as object));
  });

  it('applies replicas through /scale as a scale entry, conflicting with the resource\'s applier', async () => {
    await apply(dPath('d3'), deploy('d3', 2));
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd3' }, spec: { replicas: 4 } };
    const conflict = await apply(dPath('d3', 'scale'), scale, 'fieldManager=hpa');
    assert.equal(conflict.status, 409, conflict.text);
    assert.equal(conflict.json.message, 'Apply failed with 1 conflict: conflict with "m1": .spec.replicas');
    const forced = await apply(dPath('d3', 'scale'), scale, 'fieldManager=hpa&force=true');
    assert.equal(forced.status, 200, forced.text);
    assert.equal(forced.json.kind, 'Scale');
    assert.equal(forced.json.spec.replicas, 4);
    const d = (await server.request('GET', dPath('d3'))).json;
    const e = entryOf(d, 'hpa')!;
    assert.equal(e.subresource, 'scale');
    assert.deepEqual(e.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    // kubectl scale's merge patch through /scale is an Update entry with subresource scale.
    const merge = await server.request('PATCH', `${dPath('d3', 'scale')}?fieldManager=kubectl-scale`, '{"spec":{"replicas":1}}', { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(merge.status, 200, merge.text);
    const after = (await server.request('GET', dPath('d3'))).json;
    assert.equal(entryOf(after, 'kubectl-scale', 'Update')?.subresource, 'scale');
  });
});
