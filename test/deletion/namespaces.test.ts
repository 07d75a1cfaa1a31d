/**
 * Namespace deletion through the same machinery: the namespace REST's first delete (Terminating, GC finalizers by
 * the namespace's rules), the namespace controller deleting each resource's collection with Background
 * propagation, honouring the objects' finalizers, reporting upstream's deletion conditions, and finishing through
 * `namespaces/finalize`, which clients can call too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';

let server: TestServer;
let kubectl: ReturnType<typeof kubectlRunner>;
let nsCounter = 0;

async function namespace(spec?: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<string> {
  const name = `n${++nsCounter}-${process.pid}`;
  const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name, ...metadata }, ...(spec ? { spec } : {}) });
  assert.equal(res.status, 201, res.text);
  return name;
}

const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
const get = async (ns: string) => server.request('GET', `/api/v1/namespaces/${ns}`);
type Condition = { type: string; status: string; reason: string; message: string; lastTransitionTime: string };
const condition = (ns: { status?: { conditions?: Condition[] } }, type: string) => ns.status?.conditions?.find((c) => c.type === type);

before(async () => {
  server = await startServer();
  kubectl = kubectlRunner(server.kubeconfig);
});
after(async () => {
  await server?.stop();
});

describe('namespace deletion', () => {
  test('content held by a finalizer keeps the namespace, reported in its conditions, until the finalizer goes', async () => {
    const ns = await namespace();
    assert.equal((await server.request('POST', cms(ns), { metadata: { name: 'held', finalizers: ['example.com/hold'] } })).status, 201);
    assert.equal((await server.request('POST', cms(ns), { metadata: { name: 'free' } })).status, 201);
    assert.equal((await server.request('POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: 's' } })).status, 201);

    const del = await server.request('DELETE', `/api/v1/namespaces/${ns}`);
    assert.equal(del.status, 200);
    assert.equal(del.json.kind, 'Namespace');
    assert.equal(del.json.status.phase, 'Terminating');
    assert.equal(del.json.metadata.deletionGracePeriodSeconds, undefined, 'the namespace REST sets no grace period');

    await eventually(async () => condition((await get(ns)).json, 'NamespaceFinalizersRemaining')?.status === 'True', 'the finalizers condition');
    const terminating = (await get(ns)).json;
    const simple = (type: string) => {
      const c = condition(terminating, type)!;
      assert.match(c.lastTransitionTime, /Z$/);
      return [c.status, c.reason, c.message];
    };
    assert.deepEqual(simple('NamespaceDeletionDiscoveryFailure'), ['False', 'ResourcesDiscovered', 'All resources successfully discovered']);
    assert.deepEqual(simple('NamespaceDeletionGroupVersionParsingFailure'), ['False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed']);
    assert.deepEqual(simple('NamespaceDeletionContentFailure'), ['False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization']);
    assert.deepEqual(simple('NamespaceContentRemaining'), ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances']);
    assert.deepEqual(simple('NamespaceFinalizersRemaining'), ['True', 'SomeFinalizersRemain', 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances']);
    assert.deepEqual(terminating.spec.finalizers, ['kubernetes']);
    const left = (await server.request('GET', cms(ns))).json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(left, ['held']);
    assert.deepEqual((await server.request('GET', `/api/v1/namespaces/${ns}/secrets`)).json.items, []);

    // A repeated delete (with a new propagation policy, too) is refused and changes nothing, as upstream's.
    const again = await server.request('DELETE', `/api/v1/namespaces/${ns}?propagationPolicy=Orphan`);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json.reason, 'Conflict');
    assert.equal(again.json.message, `Operation cannot be fulfilled on namespaces "${ns}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`);
    const kubectlAgain = await kubectl.run(['delete', 'namespace', ns]);
    assert.equal(kubectlAgain.stderr.trim(), `Error from server (Conflict): Operation cannot be fulfilled on namespaces "${ns}": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.`);
    const unchanged = (await get(ns)).json;
    assert.equal(unchanged.metadata.deletionTimestamp, del.json.metadata.deletionTimestamp);
    assert.equal(unchanged.metadata.finalizers, undefined);

    const freed = await server.request('PATCH', `${cms(ns)}/held`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(freed.status, 200, freed.text);
    await eventually(async () => (await get(ns)).status === 404, 'the namespace to go', 40_000);
  });

  test('jobs in a namespace are deleted with Background propagation, not held by the orphan finalizer', async () => {
    const ns = await namespace();
    const job = await server.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      metadata: { name: 'j' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    assert.equal(job.status, 201, job.text);
    assert.equal((await server.request('DELETE', `/api/v1/namespaces/${ns}`)).status, 200);
    await eventually(async () => (await get(ns)).status === 404, 'the namespace to go');
  });

  test('the propagation policy of a namespace delete sets its GC finalizers by the namespace rules', async () => {
    const orphan = await namespace(undefined, { finalizers: ['example.com/hold'] });
    const o = await server.request('DELETE', `/api/v1/namespaces/${orphan}`, { propagationPolicy: 'Orphan' });
    assert.deepEqual(o.json.metadata.finalizers, ['example.com/hold', 'orphan']);
    const fg = await namespace(undefined, { finalizers: ['example.com/hold'] });
    const f = await server.request('DELETE', `/api/v1/namespaces/${fg}`, { orphanDependents: false });
    assert.equal(f.status, 202);
    assert.deepEqual(f.json.metadata.finalizers, ['example.com/hold', 'foregroundDeletion']);
    for (const ns of [orphan, fg]) {
      await eventually(async () => ((await get(ns)).json.spec?.finalizers ?? []).length === 0, `the controller to finalize ${ns}`);
      const res = await server.request('PATCH', `/api/v1/namespaces/${ns}`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(res.status, 200, res.text);
      assert.equal((await get(ns)).status, 404);
    }
  });

  test('a spec finalizer of its own holds the namespace until a client finalizes it through namespaces/finalize', async () => {
    const ns = await namespace({ finalizers: ['example.com/custom'] });
    assert.deepEqual((await get(ns)).json.spec.finalizers, ['example.com/custom', 'kubernetes']);
    await server.request('DELETE', `/api/v1/namespaces/${ns}`);
    await eventually(async () => JSON.stringify((await get(ns)).json.spec?.finalizers) === '["example.com/custom"]', 'the controller to remove its finalizer');
    const current = (await get(ns)).json;
    assert.equal(current.status.phase, 'Terminating');
    const getFinalize = await server.request('GET', `/api/v1/namespaces/${ns}/finalize`);
    assert.equal(getFinalize.status, 405);
    // Only spec.finalizers changes through finalize.
    const res = await server.request('PUT', `/api/v1/namespaces/${ns}/finalize`, { ...current, metadata: { ...current.metadata, labels: { ignored: 'yes' } }, spec: { finalizers: [] } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'Namespace');
    assert.deepEqual(res.json.spec, {}, 'Go omits the empty finalizers');
    assert.equal((await get(ns)).status, 404);
  });

  test('namespace delete preconditions answer the namespace REST\'s 409', async () => {
    const ns = await namespace();
    const current = (await get(ns)).json;
    const uid = await server.request('DELETE', `/api/v1/namespaces/${ns}`, { preconditions: { uid: 'other' } });
    assert.equal(uid.status, 409);
    assert.deepEqual(uid.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Operation cannot be fulfilled on namespaces "${ns}": Precondition failed: UID in precondition: other, UID in object meta: ${current.metadata.uid}`,
      reason: 'Conflict',
      details: { name: ns, kind: 'namespaces' },
      code: 409,
    });
    const rv = await server.request('DELETE', `/api/v1/namespaces/${ns}`, { preconditions: { resourceVersion: '1' } });
    assert.equal(rv.json.message, `Operation cannot be fulfilled on namespaces "${ns}": Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    assert.equal((await get(ns)).json.status.phase, 'Active');
  });

  test('kubectl delete namespace waits until the namespace is gone', async () => {
    const ns = await namespace();
    await server.request('POST', cms(ns), { metadata: { name: 'c' } });
    const res = await kubectl.run(['delete', 'namespace', ns]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, `namespace "${ns}" deleted\n`);
    assert.equal((await get(ns)).status, 404);
  });
});
