/**
 * Deletion at the HTTP level against a real server: DeleteOptions (body and query), preconditions, finalizers
 * holding objects in Terminating, the update that removes the last finalizer deleting the object, and the
 * propagation policies' `orphan` / `foregroundDeletion` finalizers, with upstream's status codes and bodies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let nsCounter = 0;

async function namespace(): Promise<string> {
  const name = `d${++nsCounter}-${process.pid}`;
  const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return name;
}

const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

async function configMap(ns: string, name: string, metadata: Record<string, unknown> = {}) {
  const res = await server.request('POST', cms(ns), { metadata: { name, ...metadata }, data: { a: 'b' } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

before(async () => {
  // The finalizers the garbage collector would act on are asserted as the registry leaves them.
  server = await startServer({ args: ['--controllers=*,-garbage-collector-controller'] });
});
after(async () => {
  await server?.stop();
});

describe('DeleteOptions', () => {
  test('a delete without finalizers answers a Success Status naming the object', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'c1', kind: 'configmaps', uid: cm.metadata.uid } });
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });

  test('an unknown propagationPolicy is 422 for DeleteOptions, before the object is looked up', async () => {
    const ns = await namespace();
    for (const [body, path] of [[{ propagationPolicy: 'Sideways' }, `${cms(ns)}/missing`], [undefined, `${cms(ns)}/missing?propagationPolicy=Sideways`]] as const) {
      const res = await server.request('DELETE', path, body);
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.json, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"',
        reason: 'Invalid',
        details: { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"', field: 'propagationPolicy' }] },
        code: 422,
      });
    }
  });

  test('orphanDependents and propagationPolicy together are 422', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { orphanDependents: true, propagationPolicy: 'Background' });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Background": orphanDependents and deletionPropagation cannot be both set');
  });

  test('an unsupported dryRun value in the body is 422', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['Some'] });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'DeleteOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"Some"}: supported values: "All"');
  });

  // v1.32's delete handler passes the decoder's error on as it is, so a field of the wrong type is a 500 with Go's
  // words (400 only from kubernetes/kubernetes#132359, after v1.32).
  test('a body that is not DeleteOptions is 400, a field of the wrong type 500 with the decoder\'s words', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    const wrongType = await server.request('DELETE', `${cms(ns)}/c1`, { gracePeriodSeconds: 'soon' });
    assert.equal(wrongType.status, 500);
    assert.equal(wrongType.json.message, 'json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64');
    const wrongKind = await server.request('DELETE', `${cms(ns)}/c1`, { kind: 'ConfigMap', apiVersion: 'v1' });
    assert.equal(wrongKind.status, 400);
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 200, 'nothing deleted');
  });

  test('dryRun (body or query) answers as a delete would and deletes nothing', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1');
    for (const [path, body] of [[`${cms(ns)}/c1`, { dryRun: ['All'] }], [`${cms(ns)}/c1?dryRun=All`, undefined]] as const) {
      const res = await server.request('DELETE', path, body);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.details, { name: 'c1', kind: 'configmaps', uid: cm.metadata.uid });
    }
    const withFinalizer = await configMap(ns, 'c2', { finalizers: ['example.com/hold'] });
    const dry = await server.request('DELETE', `${cms(ns)}/c2?dryRun=All`);
    assert.equal(dry.status, 200);
    assert.ok(dry.json.metadata.deletionTimestamp, 'the answer shows the object as it would be marked');
    const got = await server.request('GET', `${cms(ns)}/c2`);
    assert.equal(got.json.metadata.deletionTimestamp, undefined);
    assert.equal(got.json.metadata.resourceVersion, withFinalizer.metadata.resourceVersion);
  });
});

describe('preconditions', () => {
  test('a uid precondition that does not match is 409 with upstream message', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { preconditions: { uid: 'not-the-uid' } });
    assert.equal(res.status, 409);
    assert.deepEqual(res.json, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Operation cannot be fulfilled on ConfigMap "c1": the UID in the precondition (not-the-uid) does not match the UID in record (${cm.metadata.uid}). The object might have been deleted and then recreated`,
      reason: 'Conflict',
      details: { name: 'c1', kind: 'ConfigMap' },
      code: 409,
    });
    const ok = await server.request('DELETE', `${cms(ns)}/c1`, { preconditions: { uid: cm.metadata.uid } });
    assert.equal(ok.status, 200);
  });

  test('a resourceVersion precondition that does not match is 409; the current one deletes', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { preconditions: { resourceVersion: '1' } });
    assert.equal(res.status, 409);
    assert.equal(res.json.message, `Operation cannot be fulfilled on ConfigMap "c1": the ResourceVersion in the precondition (1) does not match the ResourceVersion in record (${cm.metadata.resourceVersion}). The object might have been modified`);
    const ok = await server.request('DELETE', `${cms(ns)}/c1`, { preconditions: { resourceVersion: cm.metadata.resourceVersion } });
    assert.equal(ok.status, 200, ok.text);
  });

  test('grouped kinds name the Kind and group', async () => {
    const ns = await namespace();
    const dep = await server.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    assert.equal(dep.status, 201, dep.text);
    const res = await server.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/web`, { preconditions: { uid: 'x' } });
    assert.equal(res.status, 409);
    assert.match(res.json.message, /^Operation cannot be fulfilled on Deployment\.apps "web": the UID in the precondition \(x\)/);
    assert.deepEqual(res.json.details, { name: 'web', group: 'apps', kind: 'Deployment' });
  });
});

describe('finalizers', () => {
  test('an object with finalizers is marked, stays, and answers 200 with itself', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1', { finalizers: ['example.com/hold'] });
    const res = await server.request('DELETE', `${cms(ns)}/c1`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'ConfigMap');
    assert.match(res.json.metadata.deletionTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(res.json.metadata.deletionGracePeriodSeconds, 0);
    assert.deepEqual(res.json.metadata.finalizers, ['example.com/hold']);
    assert.notEqual(res.json.metadata.resourceVersion, cm.metadata.resourceVersion);
    const got = await server.request('GET', `${cms(ns)}/c1`);
    assert.equal(got.json.metadata.deletionTimestamp, res.json.metadata.deletionTimestamp);

    // A repeated delete changes nothing and answers the same way.
    const again = await server.request('DELETE', `${cms(ns)}/c1`);
    assert.equal(again.status, 200);
    assert.equal(again.json.metadata.resourceVersion, res.json.metadata.resourceVersion);
    assert.equal(again.json.metadata.deletionTimestamp, res.json.metadata.deletionTimestamp);
  });

  test('the first mark bumps metadata.generation of kinds that count it', async () => {
    const ns = await namespace();
    const dep = await server.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      metadata: { name: 'web', finalizers: ['example.com/hold'] },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    assert.equal(dep.json.metadata.generation, 1);
    const marked = await server.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(marked.json.metadata.generation, 2);
    const again = await server.request('DELETE', `/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(again.json.metadata.generation, 2);
  });

  test('no new finalizers can be added once the object is being deleted', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1', { finalizers: ['example.com/hold'] });
    const marked = (await server.request('DELETE', `${cms(ns)}/c1`)).json;
    const res = await server.request('PUT', `${cms(ns)}/c1`, { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/hold', 'example.com/z', 'example.com/a'] } });
    assert.equal(res.status, 422);
    assert.equal(res.json.message, 'ConfigMap "c1" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/z"}');
    // Listed twice, as kube-apiserver lists it: rest.BeforeUpdate's ObjectMeta check and ValidateConfigMapUpdate's both
    // find it (the message names it once: the aggregate drops repeated messages).
    const cause = { reason: 'FieldValueForbidden', message: 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/z"}', field: 'metadata.finalizers' };
    assert.deepEqual(res.json.details.causes, [cause, cause]);
    const patch = await server.request('PATCH', `${cms(ns)}/c1`, JSON.stringify({ metadata: { finalizers: ['example.com/hold', 'example.com/other'] } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(patch.status, 422);
  });

  test('the update that removes the last finalizer deletes the object and answers with the update', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1', { finalizers: ['example.com/a', 'example.com/b'] });
    const marked = (await server.request('DELETE', `${cms(ns)}/c1`)).json;
    const watch = await server.watch(`${cms(ns)}?watch=true&resourceVersion=${marked.metadata.resourceVersion}`);
    try {
      const one = await server.request('PATCH', `${cms(ns)}/c1`, JSON.stringify([{ op: 'remove', path: '/metadata/finalizers/0' }]), { 'Content-Type': 'application/json-patch+json' });
      assert.equal(one.status, 200);
      assert.deepEqual(one.json.metadata.finalizers, ['example.com/b']);
      assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 200);
      const last = await server.request('PATCH', `${cms(ns)}/c1`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(last.status, 200, last.text);
      assert.equal(last.json.kind, 'ConfigMap');
      assert.equal(last.json.metadata.finalizers, undefined);
      assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
      // Watchers see the first removal, then the deletion: the emptied object is never stored.
      assert.equal((await watch.next()).type, 'MODIFIED');
      const gone = await watch.next();
      assert.equal(gone.type, 'DELETED');
    } finally {
      watch.close();
    }
  });

  test('clients cannot set or change deletionTimestamp and deletionGracePeriodSeconds', async () => {
    const ns = await namespace();
    const cm = await configMap(ns, 'c1');
    const setTs = await server.request('PUT', `${cms(ns)}/c1`, { ...cm, metadata: { ...cm.metadata, deletionTimestamp: '2030-01-02T03:04:05Z' } });
    assert.equal(setTs.status, 422);
    assert.equal(setTs.json.message, 'ConfigMap "c1" is invalid: metadata.deletionTimestamp: Invalid value: 2030-01-02 03:04:05 +0000 UTC: field is immutable');
    const setGrace = await server.request('PUT', `${cms(ns)}/c1`, { ...cm, metadata: { ...cm.metadata, deletionGracePeriodSeconds: 5 } });
    assert.equal(setGrace.status, 422);
    assert.equal(setGrace.json.message, 'ConfigMap "c1" is invalid: metadata.deletionGracePeriodSeconds: Invalid value: 5: field is immutable');
    // On create, they are simply dropped.
    const created = await server.request('POST', cms(ns), { metadata: { name: 'c2', deletionTimestamp: '2030-01-02T03:04:05Z', deletionGracePeriodSeconds: 3 } });
    assert.equal(created.status, 201);
    assert.equal(created.json.metadata.deletionTimestamp, undefined);
    assert.equal(created.json.metadata.deletionGracePeriodSeconds, undefined);
    // Once set, an update that leaves them out keeps them, and one that changes the timestamp is ignored.
    await configMap(ns, 'c3', { finalizers: ['example.com/hold'] });
    const marked = (await server.request('DELETE', `${cms(ns)}/c3`)).json;
    const { deletionTimestamp: _t, deletionGracePeriodSeconds: _g, ...rest } = marked.metadata;
    const kept = await server.request('PUT', `${cms(ns)}/c3`, { ...marked, metadata: { ...rest, labels: { a: 'b' } } });
    assert.equal(kept.status, 200, kept.text);
    assert.equal(kept.json.metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
    assert.equal(kept.json.metadata.deletionGracePeriodSeconds, 0);
    const moved = await server.request('PUT', `${cms(ns)}/c3`, { ...kept.json, metadata: { ...kept.json.metadata, deletionTimestamp: '2031-01-01T00:00:00Z' } });
    assert.equal(moved.status, 200);
    assert.equal(moved.json.metadata.deletionTimestamp, marked.metadata.deletionTimestamp);
    const regrace = await server.request('PUT', `${cms(ns)}/c3`, { ...kept.json, metadata: { ...kept.json.metadata, deletionGracePeriodSeconds: 30 } });
    assert.equal(regrace.status, 422);
    assert.equal(regrace.json.message, 'ConfigMap "c3" is invalid: metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable');
  });

  test('finalizer names must be qualified, and orphan with foregroundDeletion is refused', async () => {
    const ns = await namespace();
    const bad = await server.request('POST', cms(ns), { metadata: { name: 'c1', finalizers: ['a/b/c'] } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /^ConfigMap "c1" is invalid: metadata\.finalizers: Invalid value: "a\/b\/c": a qualified name must consist of/);
    // Built-in kinds take names without a '/' only when they are standard ones.
    const plain = await server.request('POST', cms(ns), { metadata: { name: 'c1', finalizers: ['kubernetes', 'mine'] } });
    assert.equal(plain.status, 422);
    assert.equal(plain.json.message, 'ConfigMap "c1" is invalid: metadata.finalizers[1]: Invalid value: "mine": name is neither a standard finalizer name nor is it fully qualified');
    const both = await server.request('POST', cms(ns), { metadata: { name: 'c1', finalizers: ['orphan', 'foregroundDeletion'] } });
    assert.equal(both.status, 422);
    assert.equal(both.json.message, 'ConfigMap "c1" is invalid: metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set');
  });
});

describe('propagation policy', () => {
  test('Orphan adds the orphan finalizer and leaves the object Terminating', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
    assert.ok(res.json.metadata.deletionTimestamp);
    assert.equal(res.json.metadata.deletionGracePeriodSeconds, 0);
  });

  test('Foreground adds foregroundDeletion; the deprecated orphanDependents=false answers 202', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1', { finalizers: ['example.com/hold'] });
    const res = await server.request('DELETE', `${cms(ns)}/c1?propagationPolicy=Foreground`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.metadata.finalizers, ['example.com/hold', 'foregroundDeletion']);
    await configMap(ns, 'c2');
    const orphan = await server.request('DELETE', `${cms(ns)}/c2`, { orphanDependents: true });
    assert.equal(orphan.status, 200);
    assert.deepEqual(orphan.json.metadata.finalizers, ['orphan']);
    // orphanDependents=false removes the GC finalizers (it is neither orphan nor foreground in the generic store).
    await configMap(ns, 'c3', { finalizers: ['example.com/hold'] });
    const accepted = await server.request('DELETE', `${cms(ns)}/c3?orphanDependents=false`);
    assert.equal(accepted.status, 202);
    assert.deepEqual(accepted.json.metadata.finalizers, ['example.com/hold']);
  });

  test('Background deletes at once, and removes a GC finalizer a delete of a terminating object left', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    const orphaned = await server.request('DELETE', `${cms(ns)}/c1?propagationPolicy=Orphan`);
    assert.deepEqual(orphaned.json.metadata.finalizers, ['orphan']);
    // The finalizers of an object being deleted can still be changed by a later delete's policy.
    const res = await server.request('DELETE', `${cms(ns)}/c1`, { propagationPolicy: 'Background' });
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'Status');
    assert.equal(res.json.status, 'Success');
    assert.equal((await server.request('GET', `${cms(ns)}/c1`)).status, 404);
  });

  test('kinds default as upstream: batch/v1 Jobs orphan their pods, with a warning; apps/v1 deletes in the background', async () => {
    const ns = await namespace();
    const job = await server.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
      metadata: { name: 'j1' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    assert.equal(job.status, 201, job.text);
    const res = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/j1`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
    assert.equal(res.headers.warning, '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"');

    // apps/v1 deletes dependents in the background: gone at once.
    const rs = await server.request('POST', `/apis/apps/v1/namespaces/${ns}/replicasets`, {
      metadata: { name: 'rs1' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'y' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    assert.equal(rs.status, 201, rs.text);
    const rsDel = await server.request('DELETE', `/apis/apps/v1/namespaces/${ns}/replicasets/rs1`);
    assert.equal(rsDel.json.kind, 'Status');

    // An explicit policy on a Job is not warned about.
    const j2 = await server.request('POST', `/apis/batch/v1/namespaces/${ns}/jobs`, { metadata: { name: 'j2' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } });
    assert.equal(j2.status, 201, j2.text);
    const bg = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs/j2`, { propagationPolicy: 'Background' });
    assert.equal(bg.json.kind, 'Status');
    assert.equal(bg.headers.warning, undefined);
  });

  test('Events never get GC finalizers', async () => {
    const ns = await namespace();
    const ev = await server.request('POST', `/api/v1/namespaces/${ns}/events`, { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p', namespace: ns }, reason: 'R', message: 'm' });
    assert.equal(ev.status, 201, ev.text);
    const res = await server.request('DELETE', `/api/v1/namespaces/${ns}/events/e1`, { propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'Status');
  });
});

/** A length-delimited protobuf field. */
function field(tag: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(tag << 3) | 2, bytes.length]), bytes]);
}

describe('DeleteOptions in protobuf (client-go for built-in kinds)', () => {
  test('a protobuf DeleteOptions body is read like a JSON one', async () => {
    const ns = await namespace();
    await configMap(ns, 'c1');
    // DeleteOptions{gracePeriodSeconds: 0, propagationPolicy: "Orphan"} in a runtime.Unknown after the k8s\0 magic.
    const options = Buffer.concat([Buffer.from([0x08, 0x00]), field(4, Buffer.from('Orphan'))]);
    const typeMeta = Buffer.concat([field(1, Buffer.from('v1')), field(2, Buffer.from('DeleteOptions'))]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, typeMeta), field(2, options)]);
    const res = await server.request('DELETE', `${cms(ns)}/c1`, body, { 'Content-Type': 'application/vnd.kubernetes.protobuf', Accept: 'application/json' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.metadata.finalizers, ['orphan']);
  });
});

describe('custom resources', () => {
  test('finalizers, propagation and deletecollection work the same on a CRD-served kind', async () => {
    const crd = await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } }],
      },
    });
    assert.equal(crd.status, 201, crd.text);
    const ns = await namespace();
    const widgets = `/apis/example.com/v1/namespaces/${ns}/widgets`;
    let created = 0;
    for (let i = 0; i < 100 && created === 0; i++) {
      const res = await server.request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'], labels: { app: 'w' } } });
      if (res.status === 201) created++;
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(created, 1, 'the CRD is served');
    assert.equal((await server.request('POST', widgets, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'free', labels: { app: 'w' } } })).status, 201);
    const res = await server.request('DELETE', `${widgets}?labelSelector=app%3Dw`, { propagationPolicy: 'Foreground' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'WidgetList');
    const left = (await server.request('GET', widgets)).json.items;
    assert.deepEqual(left.map((w: { metadata: { name: string; finalizers: string[] } }) => [w.metadata.name, w.metadata.finalizers]), [['free', ['foregroundDeletion']], ['held', ['example.com/hold', 'foregroundDeletion']]]);
    const add = await server.request('PATCH', `${widgets}/held`, JSON.stringify({ metadata: { finalizers: ['example.com/hold', 'foregroundDeletion', 'example.com/new'] } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(add.status, 422);
    assert.equal(add.json.message, 'Widget.example.com "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/new"}');
    for (const name of ['held', 'free']) {
      const done = await server.request('PATCH', `${widgets}/${name}`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(done.status, 200, done.text);
    }
    assert.deepEqual((await server.request('GET', widgets)).json.items, []);
    assert.equal((await server.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')).status, 200);
  });
});
