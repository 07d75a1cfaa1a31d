/**
 * The aggregator's proxy under the request's deadline, as kube-aggregator sends the backend's request with the
 * request's context: a backend that has not answered by the deadline leaves the client with the timeout filter's
 * 504, and its own request is aborted then, not left running until the backend gives up. The backend here is a
 * plain HTTPS server standing in for an aggregated API server (its APIService skips TLS verification): it answers
 * discovery, which makes the APIService Available, and never answers `things`, telling the test when that request
 * closes. The server counts the 504 in apiserver_request_terminations_total with upstream's labels. An answer whose
 * head came in time but whose body is still streaming at the deadline is cut off: the client's stream is reset
 * (kubectl fails, it does not take half a body for a whole one), as upstream's timeout filter aborts a handler that
 * has begun writing, and counted in apiserver_request_aborts_total.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:https';
import { before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { hostAddress } from '../support/host-address.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { suiteTeardown, type Teardown } from '../support/teardown.ts';
import { testPKI } from '../auth/remote-support.ts';
import { within } from '../support/within.ts';
import { deadlineExceededStatus } from '../support/timeout-status.ts';

const group = 'slow.example.com';
const things = `/apis/${group}/v1/namespaces/default/things`;

const discovery = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: `${group}/v1`,
  resources: [{ name: 'things', singularName: 'thing', namespaced: true, kind: 'Thing', verbs: ['get', 'list'] }],
};

/**
 * A backend that answers discovery and holds requests for things open: the list without a word, `things/half` after
 * the head and half a body. `closed(path)` resolves when the request for `path` is closed; anything else is 404.
 */
async function hangingBackend(t: Teardown) {
  const pki = await testPKI();
  const closed = new Map<string, Promise<void>>();
  const closedOne = new Map<string, () => void>();
  const closing = (path: string) => {
    if (!closed.has(path)) closed.set(path, new Promise<void>((resolve) => closedOne.set(path, resolve)));
    return closed.get(path)!;
  };
  const server = createServer({ key: pki.keyPem, cert: pki.certPem }, (req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    if (path === `/apis/${group}/v1`) {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(discovery));
      return;
    }
    // The aggregator's OpenAPI downloads, which it goes without.
    if (!path.startsWith(things)) {
      res.writeHead(404).end();
      return;
    }
    void closing(path);
    res.on('close', () => closedOne.get(path)!());
    if (path.endsWith('/half')) res.writeHead(200, { 'Content-Type': 'application/json' }).write('{"kind":"Thing",');
  });
  await new Promise<void>((resolve) => server.listen(0, hostAddress(), resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as { port: number }).port, closed: closing };
}

async function metrics(server: TestServer): Promise<string> {
  return (await server.request('GET', '/metrics')).text;
}

describe("the aggregator's proxy under the request's deadline (--request-timeout=2s)", () => {
  const teardown = suiteTeardown();
  let server: TestServer;
  let backend: Awaited<ReturnType<typeof hangingBackend>>;

  before(async () => {
    backend = await hangingBackend(teardown);
    server = await startServer({ args: ['--request-timeout', '2s'], t: teardown });
    const create = async (path: string, body: unknown) => {
      const res = await server.request('POST', path, body);
      assert.equal(res.status, 201, res.text);
    };
    await create('/api/v1/namespaces/default/services', { metadata: { name: 'slow' }, spec: { ports: [{ name: 'https', port: 443, targetPort: backend.port }] } });
    await create('/api/v1/namespaces/default/endpoints', { metadata: { name: 'slow' }, subsets: [{ addresses: [{ ip: hostAddress() }], ports: [{ name: 'https', port: backend.port }] }] });
    await create('/apis/apiregistration.k8s.io/v1/apiservices', {
      metadata: { name: `v1.${group}` },
      spec: { group, version: 'v1', groupPriorityMinimum: 1000, versionPriority: 15, insecureSkipTLSVerify: true, service: { namespace: 'default', name: 'slow', port: 443 } },
    });
    await eventually(async () => {
      const s = (await server.request('GET', `/apis/apiregistration.k8s.io/v1/apiservices/v1.${group}`)).json;
      return s.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Available' && c.status === 'True');
    }, `APIService v1.${group} Available`, 30_000);
  });

  it('a backend with no answer by the deadline: 504 then, its request aborted, the termination counted', async () => {
    const res = await within(20_000, 'proxied GET', server.request('GET', things));
    assert.equal(res.status, 504, res.text);
    assert.deepEqual(res.json, deadlineExceededStatus);
    // The backend's request is closed by the server, not when the backend would have answered (never).
    await within(10_000, "the backend's request closed", backend.closed(things));
    // pkg/server/filters/timeout.go's postTimeoutFn: RecordRequestTermination(req, requestInfo, "apiserver", 504).
    assert.match(
      await metrics(server),
      /^apiserver_request_terminations_total\{verb="LIST",group="slow\.example\.com",version="v1",resource="things",subresource="",scope="namespace",component="apiserver",code="504"\} 1$/m,
    );
  });

  it('a body still streaming at the deadline: the stream is reset, the backend request closed, the abort counted', async () => {
    const got = await within(20_000, 'kubectl get --raw', kubectlRunner(server.kubeconfig).run(['get', '--raw', `${things}/half`]));
    assert.equal(got.code, 1, got.stdout);
    // Go's HTTP/2 server resets the stream of a handler that panicked with http.ErrAbortHandler with INTERNAL_ERROR.
    assert.match(got.stderr, /^error: stream error: stream ID \d+; INTERNAL_ERROR; received from peer\n$/);
    await within(10_000, "the backend's request closed", backend.closed(`${things}/half`));
    // pkg/server/filters/timeout.go: its postTimeoutFn records the termination (504) whether or not the answer had
    // begun; then wrap.go counts the http.ErrAbortHandler panic it throws once the answer had begun: RecordRequestAbort.
    const text = await metrics(server);
    assert.match(text, /^apiserver_request_terminations_total\{verb="GET",group="slow\.example\.com",version="v1",resource="things",subresource="",scope="resource",component="apiserver",code="504"\} 1$/m);
    assert.match(text, /^apiserver_request_aborts_total\{verb="GET",group="slow\.example\.com",version="v1",resource="things",subresource="",scope="resource"\} 1$/m);
  });
});
