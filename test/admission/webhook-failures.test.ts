/**
 * Webhooks that fail: one that never answers (timeoutSeconds 1), one that answers garbage, one that answers 500,
 * one nobody listens for, one that answers another request's uid, one whose certificate the caBundle does not
 * verify — each under failurePolicy Fail (the request is refused with upstream's 500 InternalError and nothing is
 * stored) and Ignore (the request goes through as if the webhook were not there). The server keeps serving.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { freePort, startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer, type WebhookAnswer, type WebhookServer } from '../support/webhook-server.ts';
import { suiteTeardown } from '../support/teardown.ts';
import { install, namespace, webhook } from './webhook-support.ts';
import { kubectlRunner } from '../support/kubectl.ts';

function answer(path: string): WebhookAnswer {
  switch (path) {
    case '/hang':
      return { hang: true };
    case '/garbage':
      return { raw: { status: 200, body: '<html><body>Bad Gateway</body></html>', contentType: 'text/html' } };
    case '/error':
      return { raw: { status: 500, body: 'the webhook broke' } };
    case '/wrong-uid':
      return { response: { uid: 'not-the-request', allowed: true } };
    default:
      return { response: { allowed: true } };
  }
}

const cases = ['hang', 'garbage', 'error', 'unreachable', 'wrong-uid', 'bad-ca'] as const;
type Case = (typeof cases)[number];

describe('failing admission webhooks', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  let otherCA: WebhookServer;
  let deadPort: number;
  // Each start stops after the suite as it succeeds: one that fails leaves none of the others behind.
  const teardown = suiteTeardown();

  before(async () => {
    [hooks, otherCA] = await Promise.all([startWebhookServer(answer, { t: teardown }), startWebhookServer(answer, { t: teardown })]);
    deadPort = await freePort();
    server = await startServer({ t: teardown });
    const url = (c: Case) => (c === 'unreachable' ? `https://127.0.0.1:${deadPort}/nobody` : `${hooks.url}/${c}`);
    for (const policy of ['Fail', 'Ignore'] as const) {
      const webhooks = cases.map((c) => ({
        ...webhook(hooks, `${c}.${policy.toLowerCase()}.test.io`, `/${c}`, {
          namespaceSelector: { matchLabels: { case: `${c}-${policy.toLowerCase()}` } },
          failurePolicy: policy,
          timeoutSeconds: 1,
        }),
        // The bad-ca webhook is served by hooks but trusts another CA only.
        clientConfig: { url: url(c), caBundle: c === 'bad-ca' ? otherCA.caBundle : hooks.caBundle },
      }));
      for (const c of cases) {
        await namespace(server, `${c}-${policy.toLowerCase()}`, { case: `${c}-${policy.toLowerCase()}` });
        // Namespaces only the validating webhooks select.
        await namespace(server, `v-${c}-${policy.toLowerCase()}`, { case: `${c}-${policy.toLowerCase()}`, only: 'validating' });
      }
      await install(server, hooks, 'validating', `failing-${policy.toLowerCase()}`, webhooks);
      const mutating = webhooks.map((w) => ({
        ...w,
        name: `m.${w.name}`,
        namespaceSelector: { matchLabels: { case: `${w.name.split('.')[0]}-${policy.toLowerCase()}` }, matchExpressions: [{ key: 'only', operator: 'DoesNotExist' }] },
      }));
      await install(server, hooks, 'mutating', `failing-mutating-${policy.toLowerCase()}`, mutating);
    }
  });

  const reason = (c: Case): RegExp => {
    const port = () => hooks.port;
    switch (c) {
      case 'hang':
        return new RegExp(`^failed to call webhook: Post "https://127\\.0\\.0\\.1:${port()}/hang\\?timeout=1s": context deadline exceeded$`);
      case 'garbage':
        return /^failed to call webhook: couldn't get version\/kind; json parse error: invalid character '<' looking for beginning of value$/;
      case 'error':
        return /^failed to call webhook: an error on the server \("the webhook broke"\) has prevented the request from succeeding$/;
      case 'unreachable':
        return new RegExp(`^failed to call webhook: Post "https://127\\.0\\.0\\.1:${deadPort}/nobody\\?timeout=1s": dial tcp 127\\.0\\.0\\.1:${deadPort}: connect: connection refused$`);
      case 'wrong-uid':
        return /^received invalid webhook response: expected response\.uid="[0-9a-f-]{36}", got "not-the-request"$/;
      case 'bad-ca':
        return /^failed to call webhook: Post "https:\/\/127\.0\.0\.1:\d+\/bad-ca\?timeout=1s": tls: failed to verify certificate: x509: certificate signed by unknown authority$/;
    }
  };

  for (const c of cases) {
    it(`${c}: Fail refuses with 500 InternalError naming the mutating webhook first, and stores nothing`, async () => {
      const ns = `${c}-fail`;
      const r = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'x' } });
      assert.equal(r.status, 500, r.text);
      assert.equal(r.json.kind, 'Status');
      assert.equal(r.json.status, 'Failure');
      assert.equal(r.json.reason, 'InternalError');
      assert.equal(r.json.code, 500);
      const prefix = `Internal error occurred: failed calling webhook "m.${c}.fail.test.io": `;
      assert.ok(r.json.message.startsWith(prefix), r.json.message);
      assert.match(r.json.message.slice(prefix.length), reason(c));
      assert.deepEqual(r.json.details, { causes: [{ message: r.json.message.slice('Internal error occurred: '.length) }] });
      assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/configmaps/x`)).status, 404);
    });

    it(`${c}: Fail refuses with 500 InternalError from a validating webhook too`, async () => {
      const ns = `v-${c}-fail`;
      const r = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'x' } });
      assert.equal(r.status, 500, r.text);
      assert.equal(r.json.reason, 'InternalError');
      const prefix = `Internal error occurred: failed calling webhook "${c}.fail.test.io": `;
      assert.ok(r.json.message.startsWith(prefix), r.json.message);
      assert.match(r.json.message.slice(prefix.length), reason(c));
      assert.equal((await server.request('GET', `/api/v1/namespaces/${ns}/configmaps/x`)).status, 404);
    });

    it(`${c}: Ignore lets the request through`, async () => {
      const ns = `${c}-ignore`;
      const r = await server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: 'x' }, data: { a: 'b' } });
      assert.equal(r.status, 201, r.text);
      const got = await server.request('GET', `/api/v1/namespaces/${ns}/configmaps/x`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.json.data, { a: 'b' });
    });
  }

  it('kubectl prints the failure as kube-apiserver words it', async () => {
    const kubectl = kubectlRunner(server.kubeconfig);
    const r = await kubectl.run(['create', 'configmap', 'k', '-n', 'error-fail', '--from-literal=a=b']);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.trim(),
      'error: failed to create configmap: Internal error occurred: failed calling webhook "m.error.fail.test.io": failed to call webhook: an error on the server ("the webhook broke") has prevented the request from succeeding',
    );
  });

  it('keeps serving after all of it', async () => {
    const r = await server.request('GET', '/readyz');
    assert.equal(r.status, 200);
    const created = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after' } });
    assert.equal(created.status, 201, created.text);
  });
});
