/**
 * Graceful deletion of Pods, as upstream: a scheduled, running pod gets a deletionTimestamp `grace` seconds ahead
 * and stays until a delete with gracePeriodSeconds=0 (the kubelet's, or a forced one); an unscheduled or finished
 * pod goes at once. Pods answer a delete with the pod itself. Checked over HTTP and with the real kubectl.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';

let server: TestServer;
let kubectl: ReturnType<typeof kubectlRunner>;
let nsCounter = 0;

async function namespace(): Promise<string> {
  const name = `p${++nsCounter}-${process.pid}`;
  const res = await server.request('POST', '/api/v1/namespaces', { metadata: { name } });
  assert.equal(res.status, 201, res.text);
  return name;
}

const pods = (ns: string) => `/api/v1/namespaces/${ns}/pods`;

async function pod(ns: string, name: string, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  const res = await server.request('POST', pods(ns), { metadata: { name, ...metadata }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

const seconds = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 1000;

before(async () => {
  server = await startServer();
  kubectl = kubectlRunner(server.kubeconfig);
});
after(async () => {
  await server?.stop();
});

describe('pod graceful deletion over HTTP', () => {
  test('a scheduled pod is marked with its terminationGracePeriodSeconds and stays', async () => {
    const ns = await namespace();
    await pod(ns, 'p1', { nodeName: 'node-1' });
    const before = Date.now();
    const res = await server.request('DELETE', `${pods(ns)}/p1`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'Pod');
    assert.equal(res.json.metadata.deletionGracePeriodSeconds, 30);
    const ahead = (Date.parse(res.json.metadata.deletionTimestamp) - before) / 1000;
    assert.ok(ahead >= 28 && ahead <= 32, `deletionTimestamp ${ahead}s ahead`);
    assert.equal((await server.request('GET', `${pods(ns)}/p1`)).json.metadata.deletionGracePeriodSeconds, 30);

    // A delete asking for no shorter grace period changes nothing and answers the pod.
    const again = await server.request('DELETE', `${pods(ns)}/p1`, { gracePeriodSeconds: 60 });
    assert.equal(again.status, 200);
    assert.equal(again.json.metadata.resourceVersion, res.json.metadata.resourceVersion);
    assert.equal(again.json.metadata.deletionTimestamp, res.json.metadata.deletionTimestamp);

    // A shorter one moves the deletionTimestamp back by the difference.
    const shorter = await server.request('DELETE', `${pods(ns)}/p1?gracePeriodSeconds=10`);
    assert.equal(shorter.status, 200);
    assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 10);
    assert.equal(seconds(res.json.metadata.deletionTimestamp, shorter.json.metadata.deletionTimestamp), 20);

    // The kubelet's delete with 0 removes it, and the answer is the pod.
    const gone = await server.request('DELETE', `${pods(ns)}/p1`, { gracePeriodSeconds: 0 });
    assert.equal(gone.status, 200);
    assert.equal(gone.json.kind, 'Pod');
    assert.equal(gone.json.metadata.deletionGracePeriodSeconds, 0);
    assert.equal((await server.request('GET', `${pods(ns)}/p1`)).status, 404);
  });

  test('watchers see an unscheduled pod marked, then deleted, as upstream stores it before deleting', async () => {
    const ns = await namespace();
    const created = await pod(ns, 'p1');
    const watch = await server.watch(`${pods(ns)}?watch=true&resourceVersion=${created.metadata.resourceVersion}`);
    try {
      assert.equal((await server.request('DELETE', `${pods(ns)}/p1`)).status, 200);
      const marked = await watch.next();
      assert.equal(marked.type, 'MODIFIED');
      assert.equal(marked.object.metadata.deletionGracePeriodSeconds, 0);
      assert.ok(marked.object.metadata.deletionTimestamp);
      const gone = await watch.next();
      assert.equal(gone.type, 'DELETED');
    } finally {
      watch.close();
    }
  });

  test('gracePeriodSeconds in the request wins over the pod spec; negative means 1', async () => {
    const ns = await namespace();
    await pod(ns, 'p1', { nodeName: 'node-1', terminationGracePeriodSeconds: 120 });
    const res = await server.request('DELETE', `${pods(ns)}/p1`, { gracePeriodSeconds: 5 });
    assert.equal(res.json.metadata.deletionGracePeriodSeconds, 5);
    await pod(ns, 'p2', { nodeName: 'node-1' });
    const neg = await server.request('DELETE', `${pods(ns)}/p2?gracePeriodSeconds=-3`);
    assert.equal(neg.json.metadata.deletionGracePeriodSeconds, 1);
  });

  test('an unscheduled pod and a finished pod are deleted at once', async () => {
    const ns = await namespace();
    await pod(ns, 'pending');
    const res = await server.request('DELETE', `${pods(ns)}/pending`);
    assert.equal(res.status, 200);
    assert.equal(res.json.kind, 'Pod');
    assert.equal((await server.request('GET', `${pods(ns)}/pending`)).status, 404);

    const done = await pod(ns, 'done', { nodeName: 'node-1' });
    const st = await server.request('PUT', `${pods(ns)}/done/status`, { ...done, status: { phase: 'Succeeded' } });
    assert.equal(st.status, 200, st.text);
    const del = await server.request('DELETE', `${pods(ns)}/done`);
    assert.equal(del.status, 200);
    assert.equal((await server.request('GET', `${pods(ns)}/done`)).status, 404);
  });

  test('a graceful pod with a finalizer stays after the kubelet deletes it, until the finalizer goes', async () => {
    const ns = await namespace();
    await pod(ns, 'p1', { nodeName: 'node-1' }, { finalizers: ['example.com/hold'] });
    await server.request('DELETE', `${pods(ns)}/p1`);
    const kubelet = await server.request('DELETE', `${pods(ns)}/p1?gracePeriodSeconds=0`);
    assert.equal(kubelet.status, 200);
    assert.equal(kubelet.json.metadata.deletionGracePeriodSeconds, 0);
    assert.equal((await server.request('GET', `${pods(ns)}/p1`)).status, 200);
    const removed = await server.request('PATCH', `${pods(ns)}/p1`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(removed.status, 200, removed.text);
    assert.equal((await server.request('GET', `${pods(ns)}/p1`)).status, 404);
  });

  test('removing the finalizers of a pod still in its grace period does not delete it', async () => {
    const ns = await namespace();
    await pod(ns, 'p1', { nodeName: 'node-1' }, { finalizers: ['example.com/hold'] });
    await server.request('DELETE', `${pods(ns)}/p1`);
    const removed = await server.request('PATCH', `${pods(ns)}/p1`, JSON.stringify({ metadata: { finalizers: null } }), { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(removed.status, 200);
    const got = await server.request('GET', `${pods(ns)}/p1`);
    assert.equal(got.status, 200);
    assert.equal(got.json.metadata.deletionGracePeriodSeconds, 30);
  });
});

describe('kubectl delete pod', () => {
  test('--wait=false leaves a scheduled pod Terminating; --grace-period=0 --force removes it', async () => {
    const ns = await namespace();
    await pod(ns, 'web', { nodeName: 'node-1' });
    const del = await kubectl.run(['delete', 'pod', 'web', '-n', ns, '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, 'pod "web" deleted\n');
    const got = await kubectl.run(['get', 'pod', 'web', '-n', ns, '--no-headers']);
    assert.match(got.stdout, /^web\s+0\/1\s+Terminating\s+0\s+/);

    const force = await kubectl.run(['delete', 'pod', 'web', '-n', ns, '--grace-period=0', '--force']);
    assert.equal(force.code, 0, force.stderr);
    assert.equal(force.stdout, 'pod "web" force deleted\n');
    assert.equal(force.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
    assert.equal((await server.request('GET', `${pods(ns)}/web`)).status, 404);
  });

  test('an unscheduled pod is deleted and kubectl waits for it', async () => {
    const ns = await namespace();
    await pod(ns, 'idle');
    const del = await kubectl.run(['delete', 'pod', 'idle', '-n', ns]);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, 'pod "idle" deleted\n');
  });
});
