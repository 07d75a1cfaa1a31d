// The apiextensions server in process, over a real SQLite store and watch cache: 503 until the CRD informer has
// synced, then serving follows CRDs as they are established, changed and deleted, with conversion between versions,
// version-specific field selectors and the CRD finalizer. The HTTP surface is covered by serving.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { addToScheme } from '../../generated/index.ts';
import { AdmissionChain } from '../../runtime/admission/types.ts';
import { APIExtensionsServer, registerConversionStrategy } from '../../runtime/apiextensions/server.ts';
import { requestInfo } from '../../runtime/endpoints/request-info.ts';
import type { RestRequest, RestResponse } from '../../runtime/endpoints/rest.ts';
import { allVerbs, type KindRegistration } from '../../runtime/machinery/registration.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { StatusError } from '../../runtime/machinery/status.ts';
import { TokenBucket } from '../../runtime/controllers/rate-limited-queue.ts';
import { legacyRegistry } from '../../runtime/metrics/registry.ts';
import { StatusStrategy } from '../../runtime/registry/status-strategy.ts';
import { RegistryStore, systemContext } from '../../runtime/registry/store.ts';
import { CustomResourceDefinitionStrategy } from '../../runtime/registry/strategies/apiextensions/customresourcedefinition.ts';
import { CacherProvider } from '../../runtime/storage/cacher/cacher.ts';
import { SqliteKV } from '../../runtime/storage/sqlite/kv.ts';
import { ObjectStore, type StoredObject } from '../../runtime/storage/store.ts';
import { tempDbPath } from '../support/sqlite.ts';
import { eventually } from '../support/kubectl.ts';

const log = pino({ level: 'silent' });

/** A stand-in for the generated CRD kind: any object is valid (a plugged-in conversion strategy too). */
const crdKind: KindRegistration = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  listKind: 'CustomResourceDefinitionList',
  resource: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  scope: 'Cluster',
  shortNames: [],
  categories: [],
  verbs: allVerbs,
  subresources: { status: true },
  // As the generated kind: a /status write may change the finalizers (the CRD finalizer removes its own so).
  statusKeepsMetadata: [],
  nameFormat: 'dns1123-subdomain',
  printColumns: [],
  openapiName: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition',
  immutableFields: [],
  patchMeta: {},
  builtIn: true,
  protobuf: false,
  schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as never,
  toHub: (o) => o,
  fromHub: (o) => o,
  default: () => {},
  validate: () => [],
};


/** The CRD strategy (its deletes go through the CRD finalizer) without the CRD validation. */
class CRDStrategy extends CustomResourceDefinitionStrategy {
  override validate() {
    return [];
  }
  override validateUpdate() {
    return [];
  }
}

async function setUp(t: import('node:test').TestContext) {
  const db = await tempDbPath();
  const kv = await SqliteKV.open(db.path);
  const store = new ObjectStore(kv);
  const caches = new CacherProvider(store, { capacity: 100 });
  const scheme = new Scheme();
  addToScheme(scheme);
  const admission = new AdmissionChain([]);
  const prefix = '/registry/apiextensions.k8s.io/customresourcedefinitions';
  const strategy = new CRDStrategy(crdKind);
  const crds = new RegistryStore(strategy, caches.forResource(prefix), admission, prefix);
  const crdStatus = new RegistryStore(new StatusStrategy(strategy), caches.forResource(prefix), admission, prefix);
  const server = new APIExtensionsServer({ scheme, storage: caches, admission, etcdPrefix: '/registry', log, crds, crdStatus });
  t.after(async () => {
    server.stop();
    caches.stop();
    await kv.close();
    await db.cleanup();
  });
  return { server, scheme, crds, crdStatus };
}

function crontabCRD(extra: { conversion?: unknown; versions?: unknown[] } = {}): StoredObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'] },
      versions: extra.versions ?? [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { cronSpec: { type: 'string' }, image: { type: 'string' } } } } } },
          selectableFields: [{ jsonPath: '.spec.image' }],
        },
      ],
      ...(extra.conversion ? { conversion: extra.conversion } : {}),
    },
  };
}

/** Sets what the naming and establishing controllers set. */
async function establish(crdStatus: RegistryStore, name: string): Promise<void> {
  await crdStatus.guaranteedUpdate(systemContext(), name, async (cur) => {
    cur.status = {
      acceptedNames: cur.spec.names,
      storedVersions: [cur.spec.versions.find((v: StoredObject) => v.storage).name],
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
    };
    return cur;
  });
}

async function call(server: APIExtensionsServer, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const url = new URL(path, 'https://x');
  const info = requestInfo(method, url.pathname, url.searchParams);
  const handler = server.resourceHandler(info);
  if (!handler) return { code: 404, json: undefined };
  const req: RestRequest = {
    info,
    method,
    query: url.searchParams,
    headers: { accept: 'application/json', contentType },
    user: { name: 'admin', groups: ['system:masters'] } as never,
    body: async () => new TextEncoder().encode(body === undefined ? '' : JSON.stringify(body)),
    signal: new AbortController().signal,
  };
  try {
    const res: RestResponse = await handler(req);
    if (!('body' in res)) throw new Error('unexpected stream');
    return { code: res.code, json: JSON.parse(res.body as string) };
  } catch (e) {
    if (e instanceof StatusError) return { code: e.code, json: e.status };
    throw e;
  }
}

test('custom resource paths answer 503 until the CRD informer has synced, then 404 for unknown ones', async (t) => {
  const { server } = await setUp(t);
  const before = await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs');
  assert.equal(before.code, 503);
  assert.equal(before.json.reason, 'ServiceUnavailable');
  assert.equal(before.json.message, 'the request has been made before all known HTTP paths have been installed, please try again');
  assert.equal(server.hasSynced, false);
  await server.start();
  assert.equal(server.hasSynced, true);
  assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).code, 404);
});

test('an established CRD is served at once; before it is established it is not found; field selectors use selectableFields', async (t) => {
  const { server, scheme, crds, crdStatus } = await setUp(t);
  await server.start();
  await crds.create(systemContext(), crontabCRD());
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).code, 404, 'not established yet');
  assert.equal(scheme.groupVersion('stable.example.com', 'v1'), undefined);

  await establish(crdStatus, 'crontabs.stable.example.com');
  await eventually(async () => (await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).code === 200, 'the CRD to be served');
  const kind = scheme.kindForResource('stable.example.com', 'v1', 'crontabs');
  assert.equal(kind?.openapiName, 'com.example.stable.v1.CronTab');
  assert.deepEqual(kind?.shortNames, ['ct']);

  for (const [name, image] of [['a', 'nginx'], ['b', 'redis']]) {
    const res = await call(server, 'POST', '/apis/stable.example.com/v1/namespaces/default/crontabs', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name }, spec: { image, extra: 1 } });
    assert.equal(res.code, 201, JSON.stringify(res.json));
    assert.equal(res.json.metadata.generation, 1);
    assert.deepEqual(res.json.spec, { image }, 'unknown fields are pruned');
  }
  const selected = await call(server, 'GET', '/apis/stable.example.com/v1/crontabs?fieldSelector=spec.image%3Dredis');
  assert.deepEqual(selected.json.items.map((o: StoredObject) => o.metadata.name), ['b']);
  const bad = await call(server, 'GET', '/apis/stable.example.com/v1/crontabs?fieldSelector=spec.cronSpec%3Dx');
  assert.equal(bad.code, 400);
  assert.equal(bad.json.message, 'field label not supported: spec.cronSpec');
});

test('several versions share one storage in the storage version; a plugged-in converter converts writes, reads and lists; deleting the CRD deletes its objects first', async (t) => {
  const { server, scheme, crds, crdStatus } = await setUp(t);
  const calls: string[] = [];
  registerConversionStrategy('Test', () => async (objects, to) => {
    calls.push(`${objects.map((o) => o.apiVersion).join(',')}->${to}`);
    return objects.map((o) => {
      const out = structuredClone(o);
      out.apiVersion = to;
      if (to.endsWith('/v2')) out.spec = { schedule: o.spec?.cronSpec };
      else out.spec = { cronSpec: o.spec?.schedule };
      return out;
    });
  });
  await server.start();
  const open = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const versions = [
    { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: open } },
    { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: open } },
  ];
  await crds.create(systemContext(), crontabCRD({ versions, conversion: { strategy: 'Test' } }));
  await establish(crdStatus, 'crontabs.stable.example.com');
  await eventually(() => scheme.groupVersion('stable.example.com', 'v2') !== undefined, 'v2 in the scheme');
  assert.deepEqual(scheme.versionsOf('stable.example.com').map((g) => g.version), ['v2', 'v1'], 'v2 is preferred');

  const created = await call(server, 'POST', '/apis/stable.example.com/v2/namespaces/default/crontabs', { apiVersion: 'stable.example.com/v2', kind: 'CronTab', metadata: { name: 'c' }, spec: { schedule: '* * * * *' } });
  assert.equal(created.code, 201, JSON.stringify(created.json));
  assert.deepEqual(created.json.spec, { schedule: '* * * * *' });
  const asV1 = await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs/c');
  assert.equal(asV1.json.apiVersion, 'stable.example.com/v1');
  assert.deepEqual(asV1.json.spec, { cronSpec: '* * * * *' }, 'stored in v1');
  assert.ok(calls.includes('stable.example.com/v2->stable.example.com/v1'));
  const listV2 = await call(server, 'GET', '/apis/stable.example.com/v2/crontabs');
  assert.deepEqual(listV2.json.items.map((o: StoredObject) => [o.apiVersion, o.spec]), [['stable.example.com/v2', { schedule: '* * * * *' }]]);

  // An object that waits on a finalizer of its own holds the CRD until that is removed.
  await call(server, 'PATCH', '/apis/stable.example.com/v1/namespaces/default/crontabs/c', { metadata: { finalizers: ['example.com/hold'] } }, 'application/merge-patch+json');
  const deleted = await crds.delete(systemContext(), 'crontabs.stable.example.com');
  assert.equal(deleted.deleted, false);
  assert.ok(deleted.obj.metadata.finalizers.includes('customresourcecleanup.apiextensions.k8s.io'));
  const refused = await call(server, 'POST', '/apis/stable.example.com/v1/namespaces/default/crontabs', { metadata: { name: 'd' } });
  assert.equal(refused.code, 405);
  assert.equal(refused.json.reason, 'MethodNotAllowed');
  assert.equal(refused.json.message, 'CREATE is not supported on resources of kind "crontabs.stable.example.com"');
  await eventually(async () => (await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs/c')).json.metadata?.deletionTimestamp !== undefined, 'the object to be marked for deletion');
  const crd = await crds.get(systemContext(), 'crontabs.stable.example.com');
  assert.equal(crd.status.conditions.find((c: StoredObject) => c.type === 'Terminating').reason, 'InstanceDeletionInProgress');

  await call(server, 'PATCH', '/apis/stable.example.com/v1/namespaces/default/crontabs/c', { metadata: { finalizers: null } }, 'application/merge-patch+json');
  await eventually(async () => {
    try {
      await crds.get(systemContext(), 'crontabs.stable.example.com');
      return false;
    } catch (e) {
      return e instanceof StatusError && e.code === 404;
    }
  }, 'the CRD to go');
  await eventually(() => scheme.groupVersion('stable.example.com', 'v1') === undefined, 'the group to leave the scheme');
  assert.equal((await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).code, 404);
});

/** client-go's workqueue_adds_total of the CRD finalizer's queue, as /metrics serves it. */
async function finalizerQueueAdds(): Promise<number> {
  const metric = legacyRegistry.getSingleMetric('workqueue_adds_total');
  const values = metric ? (await metric.get()).values : [];
  return values.find((v) => v.labels.name === 'crd_finalizer')?.value ?? 0;
}

test('the CRD finalizer is queued by changes to a CRD being deleted, except its own Terminating condition writes (so a waiting or failing cleanup does not spin)', async (t) => {
  const { server, crds, crdStatus } = await setUp(t);
  await server.start();
  const name = 'crontabs.stable.example.com';
  await crds.create(systemContext(), crontabCRD());
  await establish(crdStatus, name);
  await eventually(async () => (await call(server, 'GET', '/apis/stable.example.com/v1/namespaces/default/crontabs')).code === 200, 'the CRD to be served');
  const held = await call(server, 'POST', '/apis/stable.example.com/v1/namespaces/default/crontabs', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'c', finalizers: ['example.com/hold'] } });
  assert.equal(held.code, 201, JSON.stringify(held.json));

  const deleted = await crds.delete(systemContext(), name);
  assert.equal(deleted.deleted, false);
  // The cleanup has begun and waits for the held object.
  await eventually(async () => (await crds.get(systemContext(), name)).status.conditions.some((c: StoredObject) => c.type === 'Terminating' && c.reason === 'InstanceDeletionInProgress'), 'the cleanup to begin');
  const before = await finalizerQueueAdds();
  await crdStatus.guaranteedUpdate(systemContext(), name, async (cur) => {
    cur.status.conditions.find((c: StoredObject) => c.type === 'Terminating').message = 'a write like the finalizer\'s own';
    return cur;
  });
  await crds.guaranteedUpdate(systemContext(), name, async (cur) => {
    cur.metadata.labels = { changed: 'yes' };
    return cur;
  });
  // The informer hands on events in order: once the label change is queued, the condition change has been seen.
  await eventually(async () => (await finalizerQueueAdds()) > before, 'the label change to queue the CRD');
  assert.equal(await finalizerQueueAdds(), before + 1, 'the Terminating condition change alone queued nothing');

  await call(server, 'PATCH', '/apis/stable.example.com/v1/namespaces/default/crontabs/c', { metadata: { finalizers: null } }, 'application/merge-patch+json');
  await eventually(async () => {
    try {
      await crds.get(systemContext(), name);
      return false;
    } catch (e) {
      return e instanceof StatusError && e.code === 404;
    }
  }, 'the CRD to go');
});

test('the workqueue token bucket lets 100 retries through at once, then one every 100 ms (10 a second)', () => {
  const bucket = new TokenBucket(10, 100, 0);
  for (let i = 0; i < 100; i++) assert.equal(bucket.reserve(0), 0);
  assert.equal(Math.round(bucket.reserve(0)), 100);
  assert.equal(Math.round(bucket.reserve(0)), 200);
  // Refilled at 10 a second: after 1 s the two reserved and eight more are back.
  assert.equal(bucket.reserve(1000), 0);
});
