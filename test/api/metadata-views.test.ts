/**
 * Metadata-only lists and watches as client-go's metadata informers ask for them (the garbage collector, the
 * resource-quota controller): `as=PartialObjectMetadataList` for lists and `as=PartialObjectMetadata` for watches,
 * with the Accept headers k8s.io/client-go/metadata sends, against a real server, for a built-in kind and a custom
 * resource. Expectations from apiserver v0.32.0 pkg/endpoints/handlers/response.go (watchEmbeddedEncoder runs
 * doTransformObject on every event object but a Status, bookmarks included; asPartialObjectMetadata and
 * asPartialObjectMetadataList set the requested group version, meta.k8s.io v1 or v1beta1, and copy the list's
 * resourceVersion, continue and remainingItemCount) and rest.go AllowsMediaTypeTransform.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { crdManifest, createEstablishedCRD } from '../support/crd.ts';
import protobuf from 'protobufjs';

// What k8s.io/client-go/metadata sends for a watch and a list (protobuf first, then JSON, then plain JSON).
const watchAccept = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';
const listAccept = 'application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const jsonOnly = (accept: string) => accept.split(',')[1];

let server: TestServer;
let n = 0;

async function namespace(): Promise<string> {
  const name = `pom${++n}-${process.pid}`;
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name } })).status, 201);
  return name;
}
// The watches below select objects labelled `t`: a new namespace also gets kube-root-ca.crt, published in its own time.

before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

// Upstream's messages (test/fixtures/upstream-core-v1.proto), to read protobuf answers independently of our codec.
const proto = protobuf.loadSync(new URL('../fixtures/upstream-core-v1.proto', import.meta.url).pathname);
const message = (name: string) => proto.lookupType(`k8s.${name}`);
const protobufType = 'application/vnd.kubernetes.protobuf';

/** An enveloped protobuf body: its type meta, and its message decoded as `name`. */
function unwrap(bytes: Uint8Array, name: string): { apiVersion: string; kind: string; object: any } { // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'k8s\0');
  const unknown = message('Unknown').decode(bytes.subarray(4)) as unknown as { typeMeta: { apiVersion: string; kind: string }; raw: Uint8Array };
  return { ...unknown.typeMeta, object: message(name).toObject(message(name).decode(unknown.raw), { longs: Number }) };
}

/** The metadata view of `obj` as upstream writes it: the object's whole metadata under meta.k8s.io's type. */
const partial = (obj: any, version = 'v1') => ({ kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata }); // eslint-disable-line @typescript-eslint/no-explicit-any

test('a metadata watch gets PartialObjectMetadata events, bookmarks included', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const w = await server.watch(`${path}?watch=true&allowWatchBookmarks=true&labelSelector=t&resourceVersion=${rv}`, { Accept: jsonOnly(watchAccept) });
  try {
    assert.equal(w.status, 200);
    // The stream serializer's media type alone (handlers/watch.go serveWatchHandler), without the view's parameters.
    assert.equal(w.headers['content-type'], 'application/json');
    const created = (await server.request('POST', path, { metadata: { name: 'c1', labels: { t: 'x' } }, data: { secret: 'x' } })).json;
    const updated = (await server.request('PUT', `${path}/c1`, { ...created, data: { secret: 'y' } })).json;
    await server.request('DELETE', `${path}/c1`);
    const added = await w.next();
    assert.deepEqual(added, { type: 'ADDED', object: partial(created) });
    const modified = await w.next();
    assert.deepEqual(modified, { type: 'MODIFIED', object: partial(updated) });
    const deleted = await w.next();
    assert.equal(deleted.type, 'DELETED');
    assert.equal(deleted.object.kind, 'PartialObjectMetadata');
    assert.equal(deleted.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(deleted.object.data, undefined);
  } finally {
    w.close();
  }

  // A watch-list (sendInitialEvents) ends its initial events with a bookmark, itself a PartialObjectMetadata.
  const wl = await server.watch(`${path}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&labelSelector=t`, { Accept: jsonOnly(watchAccept) });
  try {
    const bookmark = await wl.next();
    assert.equal(bookmark.type, 'BOOKMARK');
    assert.equal(bookmark.object.kind, 'PartialObjectMetadata');
    assert.equal(bookmark.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(bookmark.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.ok(bookmark.object.metadata.resourceVersion);
  } finally {
    wl.close();
  }
});

test('a plain JSON watcher and metadata watchers of either version each get their own form of one change', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const meta = await server.watch(`${path}?watch=true&labelSelector=t&resourceVersion=${rv}`, { Accept: jsonOnly(watchAccept) });
  const plain = await server.watch(`${path}?watch=true&labelSelector=t&resourceVersion=${rv}`);
  const beta = await server.watch(`${path}?watch=true&labelSelector=t&resourceVersion=${rv}`, { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1' });
  try {
    const created = (await server.request('POST', path, { metadata: { name: 'c1', labels: { t: 'x' } }, data: { k: 'v' } })).json;
    assert.deepEqual((await meta.next()).object, partial(created));
    assert.deepEqual((await plain.next()).object, created);
    assert.deepEqual((await beta.next()).object, partial(created, 'v1beta1'));
  } finally {
    meta.close();
    plain.close();
    beta.close();
  }
});

test('metadata lists and gets in meta.k8s.io v1beta1 are of that version, with the list metadata of a page', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  for (const name of ['a', 'b', 'c']) await server.request('POST', path, { metadata: { name, labels: { t: 'x' } } });
  const beta = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1';
  const page = await server.request('GET', `${path}?limit=1`, undefined, { Accept: beta });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-type'], 'application/json'); // responsewriters.SerializeObject: the serializer's media type
  assert.equal(page.json.kind, 'PartialObjectMetadataList');
  assert.equal(page.json.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(page.json.items.length, 1);
  assert.equal(page.json.items[0].apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(page.json.items[0].kind, 'PartialObjectMetadata');
  assert.ok(page.json.metadata.continue);
  assert.ok(page.json.metadata.resourceVersion);
  assert.equal(typeof page.json.metadata.remainingItemCount, 'number');

  const one = await server.request('GET', `${path}/a`, undefined, { Accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1beta1' });
  assert.equal(one.status, 200);
  assert.equal(one.json.apiVersion, 'meta.k8s.io/v1beta1');
  assert.equal(one.json.kind, 'PartialObjectMetadata');

  // A Table in v1beta1 is of that version, and so are its rows' metadata objects (response.go asTable).
  const table = await server.request('GET', `${path}?labelSelector=t`, undefined, { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1beta1' });
  assert.equal(table.status, 200);
  assert.equal(table.json.apiVersion, 'meta.k8s.io/v1beta1');
  assert.deepEqual(table.json.rows.map((r: any) => r.object.apiVersion), ['meta.k8s.io/v1beta1', 'meta.k8s.io/v1beta1', 'meta.k8s.io/v1beta1']); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test('a custom resource watch and list as metadata', async () => {
  const crd = crdManifest({ group: 'pom.example.com', names: { plural: 'gadgets', kind: 'Gadget' }, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
  await createEstablishedCRD(server, crd);
  const ns = await namespace();
  const path = `/apis/pom.example.com/v1/namespaces/${ns}/gadgets`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  const w = await server.watch(`${path}?watch=true&resourceVersion=${rv}`, { Accept: jsonOnly(watchAccept) });
  try {
    const created = (await server.request('POST', path, { apiVersion: 'pom.example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 3 } })).json;
    assert.deepEqual(await w.next(), { type: 'ADDED', object: partial(created) });
  } finally {
    w.close();
  }
  const list = await server.request('GET', path, undefined, { Accept: jsonOnly(listAccept) });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items, [partial((await server.request('GET', `${path}/g`)).json)]);
});

test('a view of another group version or kind is not acceptable', async () => {
  for (const accept of ['application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v2', 'application/json;as=Foo;g=meta.k8s.io;v=v1', 'application/json;as=PartialObjectMetadataList;g=example.com;v=v1']) {
    const res = await server.request('GET', '/api/v1/namespaces/default/configmaps', undefined, { Accept: accept });
    assert.equal(res.status, 406, accept);
    assert.equal(res.json.reason, 'NotAcceptable');
  }
});

test('client-go metadata calls get protobuf answers, for built-in kinds and custom resources alike', async () => {
  const crd = crdManifest({ group: 'pompb.example.com', names: { plural: 'things', kind: 'Thing' }, schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } });
  await createEstablishedCRD(server, crd);
  const ns = await namespace();
  for (const path of [`/api/v1/namespaces/${ns}/configmaps`, `/apis/pompb.example.com/v1/namespaces/${ns}/things`]) {
    const body = path.includes('things') ? { apiVersion: 'pompb.example.com/v1', kind: 'Thing', metadata: { name: 'a', labels: { t: 'x' } } } : { metadata: { name: 'a', labels: { t: 'x' } } };
    const created = (await server.request('POST', path, body)).json;

    const list = await server.request('GET', `${path}?labelSelector=t`, undefined, { Accept: listAccept });
    assert.equal(list.status, 200, path);
    assert.equal(list.headers['content-type'], protobufType);
    const decodedList = unwrap(list.bytes, 'PartialObjectMetadataList');
    assert.deepEqual([decodedList.apiVersion, decodedList.kind], ['meta.k8s.io/v1', 'PartialObjectMetadataList']);
    assert.deepEqual(decodedList.object.items.map((i: any) => [i.metadata.name, i.metadata.uid, i.metadata.resourceVersion]), [['a', created.metadata.uid, created.metadata.resourceVersion]]); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.ok(decodedList.object.metadata.resourceVersion);

    const got = await server.request('GET', `${path}/a`, undefined, { Accept: watchAccept });
    assert.equal(got.headers['content-type'], protobufType);
    const decoded = unwrap(got.bytes, 'PartialObjectMetadata');
    assert.deepEqual([decoded.apiVersion, decoded.kind, decoded.object.metadata.name, decoded.object.metadata.labels], ['meta.k8s.io/v1', 'PartialObjectMetadata', 'a', { t: 'x' }]);

  }
});

test('a protobuf metadata list in meta.k8s.io v1beta1 is that version\'s message: items 1, metadata 2', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const created = (await server.request('POST', path, { metadata: { name: 'b', labels: { t: 'x' } } })).json;
  const list = await server.request('GET', `${path}?labelSelector=t`, undefined, { Accept: `${protobufType};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1` });
  assert.equal(list.status, 200);
  assert.equal(list.headers['content-type'], protobufType);
  const decoded = unwrap(list.bytes, 'PartialObjectMetadataListV1beta1');
  assert.deepEqual([decoded.apiVersion, decoded.kind], ['meta.k8s.io/v1beta1', 'PartialObjectMetadataList']);
  assert.deepEqual(decoded.object.items.map((i: any) => [i.metadata.name, i.metadata.uid]), [['b', created.metadata.uid]]); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.ok(decoded.object.metadata.resourceVersion);
  // Go writes the fields in number order: the items come first.
  const raw = (message('Unknown').decode(list.bytes.subarray(4)) as unknown as { raw: Uint8Array }).raw;
  assert.equal(raw[0], (1 << 3) | 2);
});

test('a watch asking PartialObjectMetadataList ends at its first event, having written nothing of it', async () => {
  // Upstream's watch encoder cannot make a list view of one object (asPartialObjectMetadataList refuses it), writes
  // the object with the meta codecs instead, which fails, and ends the watch (handlers/watch.go HandleHTTP).
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  await server.request('POST', path, { metadata: { name: 'l', labels: { t: 'x' } } });
  for (const accept of [jsonOnly(listAccept), listAccept.split(',')[0]]) {
    const res = await server.request('GET', `${path}?watch=1&labelSelector=t&timeoutSeconds=5`, undefined, { Accept: accept });
    assert.equal(res.status, 200, accept);
    assert.equal(res.bytes.length, 0, accept);
  }
});

test('a protobuf metadata watch frames PartialObjectMetadata events', async () => {
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const rv = (await server.request('GET', path)).json.metadata.resourceVersion;
  await server.request('POST', path, { metadata: { name: 'w', labels: { t: 'x' } }, data: { k: 'v' } });
  const res = await server.request('GET', `${path}?watch=1&labelSelector=t&resourceVersion=${rv}&timeoutSeconds=1`, undefined, { Accept: watchAccept });
  assert.equal(res.headers['content-type'], `${protobufType};stream=watch`);
  const length = res.bytes.readUInt32BE(0);
  const event = message('WatchEvent').decode(res.bytes.subarray(4, 4 + length)) as unknown as { type: string; object: { raw: Uint8Array } };
  assert.equal(event.type, 'ADDED');
  const { apiVersion, kind, object } = unwrap(event.object.raw, 'PartialObjectMetadata');
  assert.deepEqual([apiVersion, kind, object.metadata.name], ['meta.k8s.io/v1', 'PartialObjectMetadata', 'w']);
});

test('a watch-list offers no Table: 406 when nothing else is accepted, plain events when JSON is', async () => {
  // WatchList is on in v1.32: ListResource negotiates a sendInitialEvents watch with watchListEndpointRestrictions,
  // which allow no Table (handlers/get.go).
  const ns = await namespace();
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  await server.request('POST', path, { metadata: { name: 'a', labels: { t: 'x' } } });
  const query = 'watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&labelSelector=t';
  const table = 'application/json;as=Table;g=meta.k8s.io;v=v1';
  const refused = await server.request('GET', `${path}?${query}&timeoutSeconds=5`, undefined, { Accept: table });
  assert.equal(refused.status, 406);
  assert.equal(refused.json.message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  const w = await server.watch(`${path}?${query}`, { Accept: `${table},application/json` });
  try {
    const added = await w.next();
    assert.deepEqual([added.type, added.object.kind], ['ADDED', 'ConfigMap']);
    const bookmark = await w.next();
    assert.deepEqual([bookmark.type, bookmark.object.kind, bookmark.object.metadata.annotations['k8s.io/initial-events-end']], ['BOOKMARK', 'ConfigMap', 'true']);
  } finally {
    w.close();
  }
});
