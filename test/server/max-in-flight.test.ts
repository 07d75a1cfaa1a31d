/**
 * The max-in-flight filter (API Priority and Fairness turned off): a mutating request past
 * --max-mutating-requests-inflight is turned away with 429, and counted as upstream's maxinflight.go counts it,
 * RecordRequestTermination(r, requestInfo, "apiserver", 429). A validating webhook that never answers holds the one
 * mutating request allowed; the user is not in system:masters, which the limits exempt.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer } from '../support/server.ts';
import { startWebhookServer } from '../support/webhook-server.ts';
import { install, webhook } from '../admission/webhook-support.ts';
import { testUser } from '../support/users.ts';
import { eventually } from '../support/kubectl.ts';

test('--max-mutating-requests-inflight: the request past the limit is 429, counted in apiserver_request_terminations_total', async (t) => {
  const server = await startServer({ args: ['--enable-priority-and-fairness=false', '--max-mutating-requests-inflight', '1'], t });
  const hooks = await startWebhookServer((path) => (path === '/hang' ? { hang: true } : { response: { allowed: true } }), { t });
  await install(server, hooks, 'validating', 'hangs', [webhook(hooks, 'hang.test.io', '/hang', { timeoutSeconds: 30, objectSelector: { matchLabels: { hang: 'yes' } } })]);
  const binding = { metadata: { name: 'busy-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'busy' }] };
  assert.equal((await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding)).status, 201);
  const busy = testUser(server, 'busy');

  // Held by the webhook until the request's deadline (60 s), far past the test.
  const held = busy.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'held', labels: { hang: 'yes' } } });
  held.catch(() => {});
  await eventually(() => hooks.received.some((r) => r.path === '/hang'), 'the held create at the webhook');
  const refused = await busy.request('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'refused' } });
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.text, 'Too many requests, please try again later.\n');

  const metrics = (await server.request('GET', '/metrics')).text;
  assert.match(metrics, /^apiserver_request_terminations_total\{verb="POST",group="",version="v1",resource="configmaps",subresource="",scope="resource",component="apiserver",code="429"\} 1$/m);
});
