/**
 * A request whose deadline passes, or whose client goes away, while a webhook keeps it waiting stops there, as on
 * kube-apiserver (its request context is cancelled): the webhook's call is aborted, and nothing is stored afterwards,
 * even under failurePolicy Ignore and a webhook timeout longer than the request's. So a client that was told 504
 * and tries again creates its object, where it used to be told 409 AlreadyExists once the first request's webhook
 * timed out and its handler stored the object anyway. Each webhook here hangs on its first call only, so the retry
 * goes through.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as connectHttp2 } from 'node:http2';
import { before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer, type ReceivedReview, type WebhookServer } from '../support/webhook-server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { install, namespace, webhook } from './webhook-support.ts';

describe('a request cancelled while a webhook keeps it waiting', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  const teardown = suiteTeardown();
  /** Objects whose first review hangs (by `<namespace>/<name>`); later reviews of the same object are allowed. */
  const hungOnce = new Set<string>();

  before(async () => {
    hooks = await startWebhookServer(
      (_path, review) => {
        const r = review.request;
        const key = `${r.operation} ${r.namespace}/${nameOf(r)}`;
        const hangOn = r.operation === 'DELETE' ? r.oldObject?.metadata?.labels?.hang === 'delete-once' : r.object?.metadata?.labels?.hang === 'once';
        if (!hangOn || hungOnce.has(key)) return { response: { allowed: true } };
        hungOnce.add(key);
        return { hang: true };
      },
      { t: teardown },
    );
    server = await startServer({ t: teardown });
    // Longer than any request here waits: only the request's own end can end the call.
    const slow = { failurePolicy: 'Ignore', timeoutSeconds: 30 };
    await namespace(server, 'validated', { case: 'validated' });
    await namespace(server, 'mutated', { case: 'mutated' });
    const rules = [{ operations: ['CREATE', 'UPDATE', 'DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];
    await install(server, hooks, 'validating', 'cancel-validating', [webhook(hooks, 'v.cancel.test.io', '/validate', { ...slow, rules, namespaceSelector: { matchLabels: { case: 'validated' } } })]);
    await install(server, hooks, 'mutating', 'cancel-mutating', [webhook(hooks, 'm.cancel.test.io', '/mutate', { ...slow, namespaceSelector: { matchLabels: { case: 'mutated' } } })]);
  });

  /** The review of `name` the webhook got on `path` (the first, which hung). */
  const reviewOf = (path: string, name: string, operation = 'CREATE'): ReceivedReview | undefined =>
    hooks.received.find((x) => x.path === path && x.review.request?.operation === operation && nameOf(x.review.request) === name);

  async function waitForReview(path: string, name: string, operation = 'CREATE'): Promise<ReceivedReview> {
    for (;;) {
      const got = reviewOf(path, name, operation);
      if (got) return got;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const hanging = (name: string) => ({ metadata: { name, labels: { hang: 'once' } }, data: { a: 'b' } });

  /** After the first request ended: the webhook's call was given up, nothing is stored, and a retry creates it. */
  async function assertStoppedAndRetried(ns: string, path: string, name: string): Promise<void> {
    const first = await waitForReview(path, name);
    await givenUp(first);
    assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/configmaps/${name}`)).status, 404);
    const retry = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, hanging(name));
    assert.equal(retry.status, 201, retry.text);
    assert.deepEqual(retry.json.data, { a: 'b' });
  }

  for (const [ns, path] of [['validated', '/validate'], ['mutated', '/mutate']] as const) {
    it(`${ns}: past ?timeout= the client gets 504, the webhook's call is aborted and nothing is stored`, async () => {
      const r = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps?timeout=2s`, hanging('timed-out'));
      assert.equal(r.status, 504, r.text);
      assert.equal(r.json.reason, 'Timeout');
      assert.equal(r.json.message, 'Timeout: request did not complete within requested timeout - context deadline exceeded');
      await assertStoppedAndRetried(ns, path, 'timed-out');
      // The webhook was told the time the request had left, not its own 30 s (upstream rounds it up to seconds).
      assert.match(reviewOf(path, 'timed-out')!.query.get('timeout') ?? '', /^[12]s$/);
    });

    it(`${ns}: a client that closes its connection mid-request stops it: the webhook's call is aborted and nothing is stored`, async () => {
      const req = adminRequest(server, 'POST', `/api/v1/namespaces/${ns}/configmaps`, hanging('gone-http1'));
      await waitForReview(path, 'gone-http1');
      req.destroy();
      await assertStoppedAndRetried(ns, path, 'gone-http1');
    });

    it(`${ns}: an HTTP/2 client that resets its stream stops the request it carried, and the connection goes on`, async () => {
      const creds = credentials(server);
      const session = connectHttp2(server.url, { ca: creds.ca, cert: creds.cert, key: creds.key });
      try {
        const body = JSON.stringify(hanging('gone-http2'));
        const stream = session.request({ ':method': 'POST', ':path': `/api/v1/namespaces/${ns}/configmaps`, 'content-type': 'application/json' });
        stream.on('error', () => {});
        stream.end(body);
        await waitForReview(path, 'gone-http2');
        stream.close(0x8); // RST_STREAM CANCEL
        await assertStoppedAndRetried(ns, path, 'gone-http2');
        // The session carries other requests as before.
        const next = session.request({ ':method': 'GET', ':path': `/api/v1/namespaces/${ns}/configmaps/gone-http2` });
        const status = await new Promise<number>((resolve, reject) => {
          next.on('response', (h) => resolve(Number(h[':status'])));
          next.on('error', reject);
        });
        next.resume();
        assert.equal(status, 200);
      } finally {
        session.close();
      }
    });
  }

  it('a delete whose client closes its connection mid-request deletes nothing; the next one deletes', async () => {
    const path = '/api/v1/namespaces/validated/configmaps';
    const created = await server.request('POST', path, { metadata: { name: 'doomed', labels: { hang: 'delete-once' } } });
    assert.equal(created.status, 201, created.text);
    const req = adminRequest(server, 'DELETE', `${path}/doomed`, {});
    const first = await waitForReview('/validate', 'doomed', 'DELETE');
    req.destroy();
    await givenUp(first);
    assert.equal((await server.request('GET', `${path}/doomed`)).status, 200);
    assert.equal((await server.request('DELETE', `${path}/doomed`)).status, 200);
    assert.equal((await server.request('GET', `${path}/doomed`)).status, 404);
  });

  it('a deletecollection whose client goes away stops at the item a webhook holds: the rest stay', async () => {
    const path = '/api/v1/namespaces/validated/configmaps';
    for (const [name, hang] of [['coll-a', 'no'], ['coll-b', 'delete-once'], ['coll-c', 'no']]) {
      const created = await server.request('POST', path, { metadata: { name, labels: { set: 'coll', hang } } });
      assert.equal(created.status, 201, created.text);
    }
    const req = adminRequest(server, 'DELETE', `${path}?labelSelector=set%3Dcoll`, {});
    const held = await waitForReview('/validate', 'coll-b', 'DELETE');
    req.destroy();
    await givenUp(held);
    // The next one finds them both, and deletes them.
    const again = await server.request('DELETE', `${path}?labelSelector=set%3Dcoll`);
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['coll-b', 'coll-c']);
    assert.deepEqual((await server.request('GET', `${path}?labelSelector=set%3Dcoll`)).json.items, []);
  });

  it('a request that is answered in time is stored as before; the webhook is told its own timeout when the request has more time', async () => {
    const r = await server.request('POST', '/api/v1/namespaces/validated/configmaps?timeout=50s', { metadata: { name: 'in-time' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(reviewOf('/validate', 'in-time')!.query.get('timeout'), '30s');
    assert.equal((await server.request('GET', '/api/v1/namespaces/validated/configmaps/in-time')).status, 200);
  });
});

/**
 * Resolves once the API server closed the webhook call of `review`, which has to come from the request's end: the
 * webhook's own timeout (30 s) would close it too, so it is bounded well below that (a bound, not a measurement).
 */
function givenUp(review: ReceivedReview): Promise<void> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the webhook call went on after its request ended')), 15_000)));
  return Promise.race([review.abandoned!, late]).finally(() => clearTimeout(timer));
}

/** The object an admission request is about: named by the request, or (a deletecollection's item) by its old object. */
function nameOf(request: { name?: string; object?: { metadata?: { name?: string } }; oldObject?: { metadata?: { name?: string } } }): string | undefined {
  return request.name || (request.object ?? request.oldObject)?.metadata?.name;
}

function credentials(server: TestServer): { ca: string; cert: string; key: string } {
  const cfg = readFileSync(server.kubeconfig, 'utf8');
  const field = (name: string) => Buffer.from(new RegExp(`${name}: (\\S+)`).exec(cfg)![1], 'base64').toString();
  return { ca: field('certificate-authority-data'), cert: field('client-certificate-data'), key: field('client-key-data') };
}

/** An admin request on a connection of its own, sent and left open: the caller closes it. */
function adminRequest(server: TestServer, method: string, path: string, body: object) {
  const payload = JSON.stringify(body);
  const req = request(`${server.url}${path}`, { method, agent: false, ...credentials(server), headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } });
  req.on('error', () => {});
  req.end(payload);
  return req;
}
