/**
 * Watchers that each want a few pods, as kubelets watch (spec.nodeName=<node>), single-object watchers
 * (metadata.name=) and namespace watchers: the watch cache finds them by the values they pin (upstream's cacher
 * trigger index, k8s.io/apiserver pkg/storage/cacher/cacher.go startDispatching), and each still gets exactly
 * upstream's events (cache_watcher.go convertToWatchEvent): ADDED when a pod enters its selection, MODIFIED while it
 * stays, DELETED when it leaves, carrying the old object at the new resourceVersion. A pod only moves between
 * nodes by being bound (pods/binding: spec.nodeName is immutable once set), so "moved" here is "" -> n2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer, type WatchStream } from '../support/server.ts';

let server: TestServer;

before(async () => {
  server = await startServer();
  for (const name of ['kub', 'kub2']) assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name } })).status, 201);
});
after(async () => {
  await server?.stop();
});

/**
 * A watch-list (sendInitialEvents) of `path`: resolves once its initial events have ended with their bookmark,
 * which the cache sends in the same step as it registers the watcher, so later writes reach it live (through the
 * index), not replayed from the cache's buffer.
 */
async function registered(path: string): Promise<WatchStream> {
  const sep = path.includes('?') ? '&' : '?';
  const w = await server.watch(`${path}${sep}watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
  assert.equal(w.status, 200);
  for (;;) {
    const ev = await w.next(20_000);
    if (ev.type === 'BOOKMARK' && ev.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true') return w;
    assert.notEqual(ev.type, 'ERROR', JSON.stringify(ev.object));
  }
}

/** An event as "TYPE namespace/name node" (the node '-' when unbound; '+deleting' once graceful deletion began). */
const summary = (ev: { type: string; object: { metadata: { namespace: string; name: string; deletionTimestamp?: string }; spec?: { nodeName?: string } } }) =>
  `${ev.type} ${ev.object.metadata.namespace}/${ev.object.metadata.name} ${ev.object.spec?.nodeName || '-'}${ev.object.metadata.deletionTimestamp ? ' +deleting' : ''}`;

const sel = (s: string) => encodeURIComponent(s);

test('kubelet-style watchers by node, name and namespace each get exactly their pods\' events through binding, update and deletion', async () => {
  const watchers = {
    all: '/api/v1/pods',
    n1: `/api/v1/pods?fieldSelector=${sel('spec.nodeName=n1')}`,
    n2: `/api/v1/pods?fieldSelector=${sel('spec.nodeName=n2')}`,
    unbound: `/api/v1/pods?fieldSelector=${sel('spec.nodeName=')}`,
    notN1: `/api/v1/pods?fieldSelector=${sel('spec.nodeName!=n1')}`,
    kubOnN1: `/api/v1/namespaces/kub/pods?fieldSelector=${sel('spec.nodeName=n1')}`,
    kubA: `/api/v1/namespaces/kub/pods?fieldSelector=${sel('metadata.name=a')}`,
    anyB: `/api/v1/pods?fieldSelector=${sel('metadata.name=b')}`,
    labelledOnN1: `/api/v1/pods?labelSelector=app%3Dx&fieldSelector=${sel('spec.nodeName=n1')}`,
    kub2: '/api/v1/namespaces/kub2/pods',
    kub2ByField: `/api/v1/pods?fieldSelector=${sel('metadata.namespace=kub2')}`,
    n1InKub2: `/api/v1/pods?fieldSelector=${sel('metadata.namespace=kub2,spec.nodeName=n1')}`,
  };
  const streams = Object.fromEntries(await Promise.all(Object.entries(watchers).map(async ([k, path]) => [k, await registered(path)] as const)));

  const pod = (name: string, nodeName?: string, labels?: Record<string, string>) => ({
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName && { nodeName }) },
  });
  const ok = async (res: Promise<{ status: number; text: string; json: any }>, want: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const r = await res;
    assert.equal(r.status, want, r.text);
    return r.json;
  };
  await ok(server.request('POST', '/api/v1/namespaces/kub/pods', pod('a', undefined, { app: 'x' })), 201);
  await ok(server.request('POST', '/api/v1/namespaces/kub2/pods', pod('b', 'n1')), 201);
  await ok(server.request('POST', '/api/v1/namespaces/kub/pods', pod('c', 'n1')), 201);
  // The scheduler's move: a leaves the unbound pods for n2.
  await ok(server.request('POST', '/api/v1/namespaces/kub/pods/a/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'n2' } }), 201);
  // b enters the labelled watcher's selection without moving.
  await ok(server.request('PATCH', '/api/v1/namespaces/kub2/pods/b', { metadata: { labels: { app: 'x' } } }, { 'content-type': 'application/merge-patch+json' }), 200);
  // A bound pod is deleted gracefully (a MODIFIED with its deletionTimestamp), then by its kubelet with 0.
  await ok(server.request('DELETE', '/api/v1/namespaces/kub/pods/a'), 200);
  await ok(server.request('DELETE', '/api/v1/namespaces/kub/pods/a', { gracePeriodSeconds: 0 }), 200);
  await ok(server.request('DELETE', '/api/v1/namespaces/kub2/pods/b', { gracePeriodSeconds: 0 }), 200);
  await ok(server.request('DELETE', '/api/v1/namespaces/kub/pods/c'), 200);

  // A delete with 0 of a bound pod is an update first (its deletionTimestamp, MODIFIED), then the delete.
  const want: Record<keyof typeof watchers, string[]> = {
    all: ['ADDED kub/a -', 'ADDED kub2/b n1', 'ADDED kub/c n1', 'MODIFIED kub/a n2', 'MODIFIED kub2/b n1', 'MODIFIED kub/a n2 +deleting', 'MODIFIED kub/a n2 +deleting', 'DELETED kub/a n2 +deleting', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting', 'MODIFIED kub/c n1 +deleting'],
    n1: ['ADDED kub2/b n1', 'ADDED kub/c n1', 'MODIFIED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting', 'MODIFIED kub/c n1 +deleting'],
    n2: ['ADDED kub/a n2', 'MODIFIED kub/a n2 +deleting', 'MODIFIED kub/a n2 +deleting', 'DELETED kub/a n2 +deleting'],
    // Leaving: the old (unbound) pod at the binding's resourceVersion.
    unbound: ['ADDED kub/a -', 'DELETED kub/a -'],
    notN1: ['ADDED kub/a -', 'MODIFIED kub/a n2', 'MODIFIED kub/a n2 +deleting', 'MODIFIED kub/a n2 +deleting', 'DELETED kub/a n2 +deleting'],
    kubOnN1: ['ADDED kub/c n1', 'MODIFIED kub/c n1 +deleting'],
    kubA: ['ADDED kub/a -', 'MODIFIED kub/a n2', 'MODIFIED kub/a n2 +deleting', 'MODIFIED kub/a n2 +deleting', 'DELETED kub/a n2 +deleting'],
    anyB: ['ADDED kub2/b n1', 'MODIFIED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting'],
    labelledOnN1: ['ADDED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting'],
    kub2: ['ADDED kub2/b n1', 'MODIFIED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting'],
    kub2ByField: ['ADDED kub2/b n1', 'MODIFIED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting'],
    n1InKub2: ['ADDED kub2/b n1', 'MODIFIED kub2/b n1', 'MODIFIED kub2/b n1 +deleting', 'DELETED kub2/b n1 +deleting'],
  };
  const got: Record<string, unknown[]> = {};
  for (const [k, w] of Object.entries(streams)) {
    // A missing event times out here; one too many is either out of place in the list or still pending after it.
    const events = [];
    for (let i = 0; i < want[k as keyof typeof watchers].length; i++) events.push(await w.next(20_000));
    got[k] = events;
    assert.deepEqual(events.map(summary), want[k as keyof typeof watchers], k);
    assert.equal(w.pending(), 0, `${k}: no event beyond its own`);
  }
  // The pod that left the unbound watcher's selection is the old object at the binding's resourceVersion.
  const binding = (got.all[3] as { object: { metadata: { resourceVersion: string } } }).object.metadata.resourceVersion;
  const left = got.unbound[1] as { object: { metadata: { resourceVersion: string } } };
  assert.equal(left.object.metadata.resourceVersion, binding);
  for (const w of Object.values(streams)) w.close();
});
