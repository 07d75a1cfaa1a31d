/**
 * deletecollection over HTTP (label and field selectors, list options, DeleteOptions applied to each item) and
 * kubectl's delete flows (selectors, --all, --cascade, finalizers then patch), with kubectl's exact output.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';

let server: TestServer;
let kubectl: ReturnType<typeof kubectlRunner>;
let nsCounter = 0;

async function namespace(): Promise<string> {
  const name = `c${++nsCounter}-${process.pid}`;
  const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return name;
}

const cms = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

async function configMap(ns: string, name: string, metadata: Record<string, unknown> = {}) {
  const res = await server.request('POST', cms(ns), { metadata: { name, ...metadata } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** The names of the config maps left in `ns`, without the root CA publisher's. */
async function names(ns: string): Promise<string[]> {
  const res = await server.request('GET', cms(ns));
  return res.json.items.map((i: { metadata: { name: string } }) => i.metadata.name).filter((n: string) => n !== 'kube-root-ca.crt').sort();
}

before(async () => {
  // The finalizers the garbage collector would act on are asserted as the registry leaves them.
  server = await startServer({ args: ['--controllers=*,-garbage-collector-controller'] });
  kubectl = kubectlRunner(server.kubeconfig);
});
after(async () => {
  await server?.stop();
});

describe('deletecollection', () => {
  test('a label selector deletes the matching objects and answers the list as it was read', async () => {
    const ns = await namespace();
    await configMap(ns, 'a', { labels: { app: 'x' } });
    await configMap(ns, 'b', { labels: { app: 'x' } });
    await configMap(ns, 'c', { labels: { app: 'y' } });
    const res = await server.request('DELETE', `${cms(ns)}?labelSelector=app%3Dx`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.kind, 'ConfigMapList');
    assert.equal(res.json.apiVersion, 'v1');
    assert.ok(res.json.metadata.resourceVersion);
    assert.deepEqual(res.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
    assert.equal(res.json.items[0].metadata.deletionTimestamp, undefined);
    assert.deepEqual(await names(ns), ['c']);
  });

  test('a field selector, and unknown field labels refused with 400', async () => {
    const ns = await namespace();
    await configMap(ns, 'a');
    await configMap(ns, 'b');
    const res = await server.request('DELETE', `${cms(ns)}?fieldSelector=metadata.name%3Db`);
    assert.equal(res.status, 200);
    assert.deepEqual(await names(ns), ['a']);
    const bad = await server.request('DELETE', `${cms(ns)}?fieldSelector=spec.nothing%3Dx`);
    assert.equal(bad.status, 400);
    // ConfigMap registers no field label conversion: apimachinery's default one answers.
    assert.equal(bad.json.message, '"spec.nothing" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  test('DeleteOptions apply to each item: finalizers hold, Orphan marks, dryRun deletes nothing', async () => {
    const ns = await namespace();
    await configMap(ns, 'held', { labels: { app: 'x' }, finalizers: ['example.com/hold'] });
    await configMap(ns, 'free', { labels: { app: 'x' } });
    const dry = await server.request('DELETE', `${cms(ns)}?labelSelector=app%3Dx&dryRun=All`);
    assert.equal(dry.status, 200);
    assert.equal(dry.json.items.length, 2);
    assert.deepEqual(await names(ns), ['free', 'held']);

    const res = await server.request('DELETE', `${cms(ns)}?labelSelector=app%3Dx`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Orphan' });
    assert.equal(res.status, 200, res.text);
    const left = (await server.request('GET', cms(ns))).json.items.filter((i: { metadata: { name: string } }) => i.metadata.name !== 'kube-root-ca.crt');
    assert.deepEqual(left.map((i: { metadata: { name: string; finalizers: string[] } }) => [i.metadata.name, i.metadata.finalizers]), [['free', ['orphan']], ['held', ['example.com/hold', 'orphan']]]);
    assert.ok(left.every((i: { metadata: { deletionTimestamp?: string } }) => i.metadata.deletionTimestamp));
  });

  test('deleting a collection of batch/v1 Jobs without a policy warns once, even with nothing to delete', async () => {
    const ns = await namespace();
    const res = await server.request('DELETE', `/apis/batch/v1/namespaces/${ns}/jobs`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'JobList');
    assert.equal(res.headers.warning, '299 - "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"');
  });

  test('invalid DeleteOptions are 422 and delete nothing', async () => {
    const ns = await namespace();
    await configMap(ns, 'a');
    const res = await server.request('DELETE', `${cms(ns)}?propagationPolicy=Never`);
    assert.equal(res.status, 422);
    assert.equal(res.json.details.kind, 'DeleteOptions');
    assert.deepEqual(await names(ns), ['a']);
  });

  test('a limit deletes one page and hands back the continue token', async () => {
    const ns = await namespace();
    for (const n of ['a', 'b', 'c']) await configMap(ns, n, { labels: { app: 'x' } });
    const res = await server.request('DELETE', `${cms(ns)}?labelSelector=app%3Dx&limit=2`);
    assert.equal(res.status, 200);
    assert.equal(res.json.items.length, 2);
    assert.ok(res.json.metadata.continue);
    assert.deepEqual(await names(ns), ['c']);
  });

  test('pods deleted as a collection keep their graceful deletion', async () => {
    const ns = await namespace();
    for (const [name, nodeName] of [['on-node', 'node-1'], ['unscheduled', undefined]] as const) {
      const res = await server.request('POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'nginx' }] } });
      assert.equal(res.status, 201, res.text);
    }
    const res = await server.request('DELETE', `/api/v1/namespaces/${ns}/pods`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'PodList');
    const left = (await server.request('GET', `/api/v1/namespaces/${ns}/pods`)).json.items;
    assert.deepEqual(left.map((p: { metadata: { name: string; deletionGracePeriodSeconds: number } }) => [p.metadata.name, p.metadata.deletionGracePeriodSeconds]), [['on-node', 30]]);
  });
});

describe('kubectl delete', () => {
  test('-l deletes each matching object and prints one line each', async () => {
    const ns = await namespace();
    await configMap(ns, 'a', { labels: { app: 'x' } });
    await configMap(ns, 'b', { labels: { app: 'x' } });
    await configMap(ns, 'c');
    const res = await kubectl.run(['delete', 'configmap', '-l', 'app=x', '-n', ns]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'configmap "a" deleted\nconfigmap "b" deleted\n');
    assert.deepEqual(await names(ns), ['c']);
    const none = await kubectl.run(['delete', 'configmap', '-l', 'app=x', '-n', ns]);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, 'No resources found\n');
  });

  test('pods --all', async () => {
    const ns = await namespace();
    for (const name of ['p1', 'p2']) {
      await server.request('POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    }
    const res = await kubectl.run(['delete', 'pods', '--all', '-n', ns]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'pod "p1" deleted\npod "p2" deleted\n');
    assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/pods`)).json.items.length, 0);
  });

  test('an object with a finalizer stays Terminating; patching the finalizer away deletes it', async () => {
    const ns = await namespace();
    await configMap(ns, 'held', { finalizers: ['example.com/hold'] });
    const del = await kubectl.run(['delete', 'configmap', 'held', '-n', ns, '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, 'configmap "held" deleted\n');
    const got = await server.request('GET', `${cms(ns)}/held`);
    assert.ok(got.json.metadata.deletionTimestamp);
    const patch = await kubectl.run(['patch', 'configmap', 'held', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    assert.equal(patch.code, 0, patch.stderr);
    assert.equal(patch.stdout, 'configmap/held patched\n');
    assert.equal((await server.request('GET', `${cms(ns)}/held`)).status, 404);
  });

  test('a waiting kubectl delete returns once the finalizer is removed', async () => {
    const ns = await namespace();
    await configMap(ns, 'held', { finalizers: ['example.com/hold'] });
    const waiting = kubectl.run(['delete', 'configmap', 'held', '-n', ns, '--timeout=60s']);
    // Wait until the delete has marked it, then remove the finalizer.
    for (let i = 0; i < 100; i++) {
      if ((await server.request('GET', `${cms(ns)}/held`)).json.metadata?.deletionTimestamp) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await server.request('PATCH', `${cms(ns)}/held`, JSON.stringify({ metadata: { finalizers: [] } }), { 'Content-Type': 'application/merge-patch+json' });
    const res = await waiting;
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'configmap "held" deleted\n');
  });

  test('--cascade=orphan|foreground|background send the matching propagation policy', async () => {
    const ns = await namespace();
    for (const n of ['o', 'f', 'b']) await configMap(ns, n);
    for (const [name, cascade] of [['o', 'orphan'], ['f', 'foreground'], ['b', 'background']]) {
      const res = await kubectl.run(['delete', 'configmap', name, '-n', ns, `--cascade=${cascade}`, '--wait=false']);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, `configmap "${name}" deleted\n`);
    }
    assert.deepEqual((await server.request('GET', `${cms(ns)}/o`)).json.metadata.finalizers, ['orphan']);
    assert.deepEqual((await server.request('GET', `${cms(ns)}/f`)).json.metadata.finalizers, ['foregroundDeletion']);
    assert.equal((await server.request('GET', `${cms(ns)}/b`)).status, 404);
  });

  test('--dry-run=server deletes nothing', async () => {
    const ns = await namespace();
    await configMap(ns, 'keep');
    const res = await kubectl.run(['delete', 'configmap', 'keep', '-n', ns, '--dry-run=server']);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'configmap "keep" deleted (server dry run)\n');
    assert.deepEqual(await names(ns), ['keep']);
  });
});
