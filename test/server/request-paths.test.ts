/**
 * Request paths as kube-apiserver reads them: Go's URL.Path, split by RequestInfo's splitPath (the slashes at either
 * end trimmed, an empty segment inside kept) and routed by go-restful, which tokenizes the path the same way; escapes
 * that are no UTF-8 decoded to their bytes, which a 403 or 404 quotes as `%q` does; a bad escape refused by Go's
 * servers before any handler (HTTP/1: 400, HTTP/2: the stream reset). Judged against apiserver v0.32.0
 * pkg/endpoints/request/requestinfo.go (splitPath, NewRequestInfo), pkg/server/handler.go (the director),
 * go-restful v3.12 route.go (tokenizePath) and curly.go, x/net/http2 server.go (bad_path: PROTOCOL_ERROR).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, constants } from 'node:http2';
import { startServer, type TestServer } from '../support/server.ts';
import { anonymousRequest } from '../support/users.ts';
import { adminCredentials } from '../../scripts/watch-clients.ts';

describe('request paths', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  test('an empty segment inside a path is a segment, as upstream splits the path', async () => {
    // /api//v1: version "" and resource "v1", a list; refused as such, and served by no route (404).
    const version = await anonymousRequest(server, 'GET', '/api//v1');
    assert.equal(version.status, 403);
    assert.equal(version.json.message, 'v1 is forbidden: User "system:anonymous" cannot list resource "v1" in API group "" at the cluster scope');
    assert.equal((await server.request('GET', '/api//v1')).status, 404);
    // /namespaces//configmaps: namespace "", which is every namespace, as go-restful's {namespace} takes the empty
    // segment and the list reads the namespace from RequestInfo.
    const everywhere = await anonymousRequest(server, 'GET', '/api/v1/namespaces//configmaps');
    assert.equal(everywhere.json.message, 'configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" at the cluster scope');
    const list = await server.request('GET', '/api/v1/namespaces//configmaps');
    assert.equal(list.status, 200);
    const namespaces = new Set(list.json.items.map((cm: { metadata: { namespace: string } }) => cm.metadata.namespace));
    assert.ok(namespaces.has('default') && namespaces.has('kube-system'), [...namespaces].join());
    // /namespaces/default//configmaps: resource "" named "configmaps", which nothing serves.
    const empty = await anonymousRequest(server, 'GET', '/api/v1/namespaces/default//configmaps');
    assert.equal(empty.json.message, 'forbidden: User "system:anonymous" cannot get resource "" in API group "" in the namespace "default"');
    assert.equal((await server.request('GET', '/api/v1/namespaces/default//configmaps')).status, 404);
    // Slashes at either end are trimmed: a trailing one still lists, a doubled leading one is a non-resource path.
    assert.equal((await server.request('GET', '/api/v1/namespaces/default/configmaps//')).json.kind, 'ConfigMapList');
    assert.equal((await anonymousRequest(server, 'GET', '//api/v1')).json.message, 'forbidden: User "system:anonymous" cannot get path "//api/v1"');
  });

  test('a named request with no namespace, or a name that is no path segment, reads no key (400)', async () => {
    // Upstream's key functions refuse them (registry/generic/registry/store.go NamespaceKeyFunc, NoNamespaceKeyFunc),
    // whatever the verb: a get, a replace, every kind of patch, a delete, a subresource.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    const requests: Array<[string, string, unknown?, Record<string, string>?]> = [
      ['GET', '/api/v1/namespaces//configmaps/x'],
      ['PUT', '/api/v1/namespaces//configmaps/x', cm],
      ['PATCH', '/api/v1/namespaces//configmaps/x', '{}', { 'Content-Type': 'application/merge-patch+json' }],
      ['PATCH', '/api/v1/namespaces//configmaps/x?fieldManager=m', JSON.stringify(cm), { 'Content-Type': 'application/apply-patch+yaml' }],
      ['DELETE', '/api/v1/namespaces//configmaps/x'],
      ['GET', '/api/v1/namespaces//pods/x/status'],
      ['GET', '/apis/apps/v1/namespaces//deployments/x/scale'],
    ];
    for (const [method, path, body, headers] of requests) {
      const res = await server.request(method, path, body, headers);
      assert.deepEqual([res.status, res.json.reason, res.json.message], [400, 'BadRequest', 'Namespace parameter required.'], `${method} ${path}`);
    }
    for (const path of ['/api/v1/namespaces/default/configmaps/a%25b', '/api/v1/nodes/a%25b']) {
      const res = await server.request('GET', path);
      assert.deepEqual([res.status, res.json.message], [400, `Name parameter invalid: "a%b": may not contain '%'`], path);
    }
    // A deletecollection there lists every namespace's objects, then deletes each in the request's namespace: the
    // first is refused, and nothing is deleted (Store.DeleteCollection calls Delete with the request's context).
    const before = (await server.request('GET', '/api/v1/configmaps')).json.items.length;
    assert.ok(before > 0);
    const collection = await server.request('DELETE', '/api/v1/namespaces//configmaps');
    assert.deepEqual([collection.status, collection.json.message], [400, 'Namespace parameter required.']);
    assert.equal((await server.request('GET', '/api/v1/configmaps')).json.items.length, before);
    // A create there clears the body's namespace, as the create handler makes the object's the request's; validation
    // then finds none.
    const created = await server.request('POST', '/api/v1/namespaces//configmaps', cm);
    assert.equal(created.status, 422);
    assert.equal(created.json.message, 'ConfigMap "x" is invalid: metadata.namespace: Required value');
  });

  test('a namespaced kind outside a namespace is routed for its list and watch only', async () => {
    // Upstream's installer registers /api/v1/configmaps for LIST and WATCHLIST alone: a name there matches no route
    // (go-restful's 404), another method no method of the route (405), both with empty details.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } };
    for (const [method, path, body] of [['GET', '/api/v1/configmaps/x'], ['PUT', '/api/v1/configmaps/x', cm], ['DELETE', '/api/v1/configmaps/x'], ['GET', '/api/v1/pods/x/status'], ['GET', '/api/v1/watch/configmaps/x']] as const) {
      const res = await server.request(method, path, body);
      assert.deepEqual([res.status, res.json.reason, res.json.message, res.json.details], [404, 'NotFound', 'the server could not find the requested resource', {}], `${method} ${path}`);
    }
    const before = (await server.request('GET', '/api/v1/configmaps')).json.items.length;
    for (const [method, body] of [['POST', cm], ['DELETE'], ['PUT', cm]] as const) {
      const res = await server.request(method, '/api/v1/configmaps', body);
      assert.deepEqual([res.status, res.json.reason, res.json.message, res.json.details], [405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {}], method);
    }
    assert.equal((await server.request('GET', '/api/v1/configmaps')).json.items.length, before);
    assert.equal((await server.request('GET', '/api/v1/configmaps?watch=1&timeoutSeconds=1')).status, 200);
  });

  test('escapes that are no UTF-8 are their bytes, quoted as Go quotes them', async () => {
    const path = await anonymousRequest(server, 'GET', '/foo%ff');
    assert.equal(path.status, 403);
    assert.equal(path.json.message, String.raw`forbidden: User "system:anonymous" cannot get path "/foo\xff"`);
    const mixed = await anonymousRequest(server, 'GET', '/a%e6%97%a5%ff%20b%c0%af');
    assert.equal(mixed.json.message, String.raw`forbidden: User "system:anonymous" cannot get path "/a日\xff b\xc0\xaf"`);
    const name = await server.request('GET', '/api/v1/namespaces/default/configmaps/a%ff');
    assert.equal(name.status, 404);
    assert.equal(name.json.message, String.raw`configmaps "a\xff" not found`);
  });

  test('a bad escape is refused before any handler: 400 over HTTP/1, the stream reset over HTTP/2', async () => {
    const h1 = await server.request('GET', '/api/v1/namespaces/%zz/pods');
    assert.deepEqual([h1.status, h1.text], [400, '400 Bad Request']);
    const h2 = connect(server.url, adminCredentials(server));
    try {
      const send = (path: string) =>
        new Promise<{ status: number; rstCode: number }>((resolve) => {
          const req = h2.request({ ':method': 'GET', ':path': path });
          let status = 0;
          req.on('response', (h) => (status = Number(h[':status'])));
          req.on('error', () => {}); // a reset stream errors; its code is read on close
          req.on('close', () => resolve({ status, rstCode: req.rstCode ?? 0 }));
          req.resume();
          req.end();
        });
      for (const path of ['/api/v1/namespaces/%zz/pods', '/foo%', '/healthz%2?x=1']) {
        assert.deepEqual(await send(path), { status: 0, rstCode: constants.NGHTTP2_PROTOCOL_ERROR }, path);
      }
      // A bad escape in the query is no part of the path: Go parses the request and the handler reads the query. The
      // connection is still up after the resets.
      assert.deepEqual(await send('/healthz?x=%zz'), { status: 200, rstCode: constants.NGHTTP2_NO_ERROR });
    } finally {
      h2.close();
    }
  });
});
