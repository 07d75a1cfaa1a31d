/**
 * Watch over HTTP against a real server: a 200 chunked stream of newline-terminated JSON events, replayed from
 * a given resourceVersion and then live, filtered by field selectors, and as Tables for kubectl get -w.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/kubectl.ts';

let server: TestServer;
let n = 0;

async function namespace(): Promise<string> {
  const name = `w${++n}-${process.pid}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name } })).status, 201);
  // The root CA publisher adds kube-root-ca.crt to every new namespace: wait for it, so it is not one of the
  // configmap events a test expects.
  await eventually(async () => (await server.request('GET', `/api/v1/namespaces/${name}/configmaps/kube-root-ca.crt`)).status === 200, 'kube-root-ca.crt');
  return name;
}

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test('events after a resourceVersion are replayed in order, then new ones arrive live', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const start = (await server.request('GET', path)).json.metadata.resourceVersion;
  const created = (await server.request('POST', path, { metadata: { name: 'c1' }, data: { a: '1' } })).json;
  const updated = (await server.request('PUT', `${path}/c1`, { ...created, data: { a: '2' } })).json;
  await server.request('DELETE', `${path}/c1`);

  const w = await server.watch(`${path}?watch=true&resourceVersion=${start}`);
  try {
    assert.equal(w.status, 200);
    assert.equal(w.headers['content-type'], 'application/json');
    assert.equal(w.headers['transfer-encoding'], 'chunked'); // HTTP/1.1 (over HTTP/2 the framing is HTTP/2's own)
    const added = await w.next();
    assert.equal(added.type, 'ADDED');
    assert.deepEqual(added.object, created);
    const modified = await w.next();
    assert.equal(modified.type, 'MODIFIED');
    assert.deepEqual(modified.object.data, { a: '2' });
    assert.equal(modified.object.metadata.resourceVersion, updated.metadata.resourceVersion);
    const deleted = await w.next();
    assert.equal(deleted.type, 'DELETED');
    assert.equal(deleted.object.metadata.name, 'c1');
    assert.ok(Number(deleted.object.metadata.resourceVersion) > Number(updated.metadata.resourceVersion), 'a DELETED event carries the deleting revision');

    const live = (await server.request('POST', path, { metadata: { name: 'c2' } })).json;
    const ev = await w.next();
    assert.equal(ev.type, 'ADDED');
    assert.equal(ev.object.metadata.resourceVersion, live.metadata.resourceVersion);
  } finally {
    w.close();
  }
});

test('a watch from the list resourceVersion sees only later changes, filtered by field selector', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  await server.request('POST', path, { metadata: { name: 'c1' } });
  const listed = (await server.request('GET', `${path}?fieldSelector=metadata.name%3Dc1`)).json;
  assert.deepEqual(listed.items.map((i: any) => i.metadata.name), ['c1']);

  const w = await server.watch(`${path}?watch=1&fieldSelector=metadata.name%3Dc1&resourceVersion=${listed.metadata.resourceVersion}`);
  try {
    await server.request('POST', path, { metadata: { name: 'other' } });
    await server.request('DELETE', `${path}/other`);
    await server.request('DELETE', `${path}/c1`);
    const ev = await w.next();
    assert.equal(ev.type, 'DELETED', 'the other object is filtered out');
    assert.equal(ev.object.metadata.name, 'c1');
  } finally {
    w.close();
  }
});

test('a watch of one namespace does not see another; a cluster-wide watch sees both', async () => {
  const a = await namespace();
  const b = await namespace();
  const start = (await server.request('GET', '/api/v1/configmaps')).json.metadata.resourceVersion;
  const inA = await server.watch(`/api/v1/namespaces/${a}/configmaps?watch=true&resourceVersion=${start}`);
  const all = await server.watch(`/api/v1/configmaps?watch=true&resourceVersion=${start}`);
  try {
    await server.request('POST', `/api/v1/namespaces/${b}/configmaps`, { metadata: { name: 'x' } });
    await server.request('POST', `/api/v1/namespaces/${a}/configmaps`, { metadata: { name: 'y' } });
    assert.deepEqual([(await all.next()).object.metadata.namespace, (await all.next()).object.metadata.namespace], [b, a]);
    const ev = await inA.next();
    assert.equal(ev.object.metadata.name, 'y');
  } finally {
    inA.close();
    all.close();
  }
});

test('timeoutSeconds ends the stream', async () => {
  const ns = await namespace();
  const rv = (await server.request('GET', `/api/v1/namespaces/${ns}/configmaps`)).json.metadata.resourceVersion;
  const w = await server.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&timeoutSeconds=1&resourceVersion=${rv}`);
  await assert.rejects(w.next(5000), /ended with no further event/);
});

test('watch of cluster-scoped namespaces reports the Terminating update and then DELETED', async () => {
  const ns = await namespace();
  const rv = (await server.request('GET', `/api/v1/namespaces/${ns}`)).json.metadata.resourceVersion;
  const w = await server.watch(`/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3D${ns}&resourceVersion=${rv}`);
  try {
    await server.request('DELETE', `/api/v1/namespaces/${ns}`);
    const types: string[] = [];
    for (;;) {
      const ev = await w.next();
      types.push(ev.type);
      if (ev.type === 'DELETED') break;
      assert.equal(ev.object.status.phase, 'Terminating');
    }
    assert.equal(types[0], 'MODIFIED');
  } finally {
    w.close();
  }
});

test('a watch asking for Tables gets column definitions only in the first event', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const w = await server.watch(`${path}?watch=true&resourceVersion=${(await server.request('GET', path)).json.metadata.resourceVersion}`, { Accept: accept });
  try {
    // The stream serializer's media type alone, as upstream's serveWatchHandler writes it (handlers/watch.go).
    assert.equal(w.headers['content-type'], 'application/json');
    await server.request('POST', path, { metadata: { name: 'c1' }, data: { a: '1', b: '2' } });
    await server.request('POST', path, { metadata: { name: 'c2' } });
    const first = await w.next();
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.kind, 'Table');
    assert.deepEqual(first.object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    assert.deepEqual(first.object.rows[0].cells.slice(0, 2), ['c1', 2]);
    // The later events' definitions are a nil slice, which Go writes as null (printers' GenerateTable with NoHeaders).
    const second = await w.next();
    assert.equal(second.object.columnDefinitions, null);
    assert.deepEqual(second.object.rows[0].cells.slice(0, 2), ['c2', 0]);
  } finally {
    w.close();
  }
});

test('sendInitialEvents without resourceVersionMatch=NotOlderThan is refused with 422, never ignored', async () => {
  const res = await server.request('GET', '/api/v1/configmaps?watch=true&sendInitialEvents=true&allowWatchBookmarks=true');
  assert.equal(res.status, 422);
  assert.equal(res.json.reason, 'Invalid');
});
