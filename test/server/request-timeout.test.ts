/**
 * `--request-timeout`: a request still running when its time is up is answered 504 with upstream's Status (and
 * kubectl's words for it); the request itself is not stopped. Here a validating webhook never answers (its own
 * timeout, 30s, is far off), so a create that calls it can only end through the server's timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from '../support/server.ts';
import { startWebhookServer } from '../support/webhook-server.ts';
import { install, webhook } from '../admission/webhook-support.ts';

test('a request that outlives --request-timeout is answered 504 Timeout, as kube-apiserver answers it', async (t) => {
  const server = await startServer({ args: ['--request-timeout', '2s'], t });
  const hooks = await startWebhookServer((path) => (path === '/hang' ? { hang: true } : { response: { allowed: true } }), { t });
  await install(server, hooks, 'validating', 'hangs', [webhook(hooks, 'hang.test.io', '/hang', { timeoutSeconds: 30, objectSelector: { matchLabels: { hang: 'yes' } } })]);

  const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'slow', labels: { hang: 'yes' } } });
  assert.equal(res.status, 504, res.text);
  assert.deepEqual(res.json, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
    reason: 'Timeout',
    details: {},
    code: 504,
  });

  const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow-too', namespace: 'default', labels: { hang: 'yes' } } });
  const kubectl = spawnSync('kubectl', ['--kubeconfig', server.kubeconfig, 'create', '-f', '-'], { input: manifest, encoding: 'utf8' });
  assert.equal(kubectl.status, 1);
  assert.equal(kubectl.stderr.trim(), 'Error from server (Timeout): error when creating "STDIN": Timeout: request did not complete within requested timeout - context deadline exceeded');
});
