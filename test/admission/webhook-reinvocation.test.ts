/**
 * Reinvocation as upstream's reinvoker: when a mutating webhook changes the object, the whole mutating chain runs
 * again, so built-in plug-ins (here DefaultTolerationSeconds) see what the webhook did, and webhooks with
 * reinvocationPolicy IfNeeded are called again when the built-ins changed the object after them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { jsonPatch, startWebhookServer, type WebhookAnswer, type WebhookServer } from '../support/webhook-server.ts';
import { install, namespace, reviewsOn, webhook } from './webhook-support.ts';

const podRule = { operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };

function answer(path: string, review: any): WebhookAnswer { // eslint-disable-line @typescript-eslint/no-explicit-any
  const pod = review.request?.object;
  if (path === '/strip-tolerations' && pod?.spec?.tolerations?.length && !pod.metadata?.annotations?.stripped) {
    return { response: { allowed: true, ...jsonPatch([{ op: 'remove', path: '/spec/tolerations' }, { op: 'add', path: '/metadata/annotations', value: { stripped: 'yes' } }]) } };
  }
  return { response: { allowed: true } };
}

describe('admission reinvocation', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  before(async () => {
    hooks = await startWebhookServer(answer);
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('built-in mutating plug-ins run again after a webhook changed the object; IfNeeded webhooks see their result', async () => {
    await namespace(server, 'again', { test: 'again' });
    const sel = { namespaceSelector: { matchLabels: { test: 'again' } } };
    await install(server, hooks, 'mutating', 'tolerations', [
      webhook(hooks, 'observe.test.io', '/observe', { ...sel, rules: [podRule], reinvocationPolicy: 'IfNeeded' }),
      webhook(hooks, 'strip.test.io', '/strip-tolerations', { ...sel, rules: [podRule] }),
    ]);
    const r = await server.request('POST', '/api/v1/namespaces/again/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.annotations.stripped, 'yes');
    // DefaultTolerationSeconds put back what the webhook removed.
    assert.deepEqual(
      r.json.spec.tolerations.map((t: { key: string; tolerationSeconds: number }) => [t.key, t.tolerationSeconds]),
      [['node.kubernetes.io/not-ready', 300], ['node.kubernetes.io/unreachable', 300]],
    );
    // The IfNeeded webhook was called twice; the second time it saw the annotation and the restored tolerations.
    const observed = reviewsOn(hooks, '/observe').filter((x) => x.request.name === 'p');
    assert.equal(observed.length, 2);
    assert.equal(observed[1].request.object.metadata.annotations.stripped, 'yes');
    assert.equal(observed[1].request.object.spec.tolerations.length, 2);
    assert.equal(reviewsOn(hooks, '/strip-tolerations').filter((x) => x.request.name === 'p').length, 1, 'a Never webhook is called once');
  });
});
