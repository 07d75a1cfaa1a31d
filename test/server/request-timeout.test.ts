/**
 * The request deadline: the server's `--request-timeout`, or the client's `?timeout=` (kubectl's
 * `--request-timeout`) when shorter. A request still running at its deadline is answered 504 with upstream's Status
 * (and kubectl's words for it); the work still under way then stops (test/admission/webhook-cancellation.test.ts).
 * Here a validating webhook never answers (its own timeout, 30s, is far off), so a create that calls it can only end
 * through the deadline; a token webhook that never answers does the same for authentication, which the deadline
 * covers too. Answers are awaited with a generous bound, far below what the request would take without the deadline
 * under test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, type TestServer } from '../support/server.ts';
import { startWebhookServer } from '../support/webhook-server.ts';
import { install, webhook } from '../admission/webhook-support.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { startHTTPSServer, testPKI, webhookKubeconfig } from '../auth/remote-support.ts';
import { call, kubeconfigCA, writeKubeconfig } from '../auth/support.ts';
import type { Teardown } from '../support/teardown.ts';
import { within } from '../support/within.ts';
import { deadlineExceededStatus } from '../support/timeout-status.ts';

/** A server whose creates of ConfigMaps labelled `hang: yes` wait on a validating webhook that never answers. */
async function serverWithHangingWebhook(t: Teardown, args: string[]): Promise<TestServer> {
  const server = await startServer({ args, t });
  const hooks = await startWebhookServer((path) => (path === '/hang' ? { hang: true } : { response: { allowed: true } }), { t });
  await install(server, hooks, 'validating', 'hangs', [webhook(hooks, 'hang.test.io', '/hang', { timeoutSeconds: 30, objectSelector: { matchLabels: { hang: 'yes' } } })]);
  return server;
}

const hanging = (name: string) => ({ metadata: { name, labels: { hang: 'yes' } } });
const hangingManifest = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { hang: 'yes' } } });

test("the server's --request-timeout: 504 Timeout as kube-apiserver answers it, a longer ?timeout= capped, slow authentication bound too", async (t) => {
  const pki = await testPKI();
  // A token webhook that never answers (the server's own wait for it, 30s, is far off).
  const tokenHook = await startHTTPSServer(pki, () => {}, { requestCert: true });
  t.after(() => tokenHook.close());
  const tokenConfig = webhookKubeconfig(pki, `${tokenHook.url}/tokenreview`, join(pki.dir, 'webhook.kubeconfig'));
  const server = await serverWithHangingWebhook(t, ['--request-timeout', '2s', '--authentication-token-webhook-config-file', tokenConfig, '--authentication-token-webhook-version', 'v1']);

  const res = await within(20_000, 'POST', server.request('POST', '/api/v1/namespaces/default/configmaps', hanging('slow')));
  assert.equal(res.status, 504, res.text);
  assert.deepEqual(res.json, deadlineExceededStatus);

  const kubectl = spawnSync('kubectl', ['--kubeconfig', server.kubeconfig, 'create', '-f', '-'], { input: hangingManifest('slow-too'), encoding: 'utf8' });
  assert.equal(kubectl.status, 1);
  assert.equal(kubectl.stderr.trim(), 'Error from server (Timeout): error when creating "STDIN": Timeout: request did not complete within requested timeout - context deadline exceeded');

  // A client asking for longer than the server allows gets the server's deadline (its hanging webhook waits 30s).
  const capped = await within(20_000, 'POST ?timeout=1h', server.request('POST', '/api/v1/namespaces/default/configmaps?timeout=1h', hanging('capped')));
  assert.equal(capped.status, 504, capped.text);
  assert.deepEqual(capped.json, deadlineExceededStatus);

  // Authentication runs under the deadline: a token webhook that never answers ends in the same 504, not a 401 later.
  const ca = kubeconfigCA(server.kubeconfig);
  const slowAuth = await within(20_000, 'GET with a token', call(server.url, { path: '/api/v1/namespaces/default/configmaps', ca, headers: { Authorization: 'Bearer slow-token' } }));
  assert.equal(slowAuth.status, 504, slowAuth.text);
  assert.deepEqual(slowAuth.json, deadlineExceededStatus);
  const k = kubectlRunner(writeKubeconfig(join(server.dataDir, 'token.kubeconfig'), server.url, ca, { token: 'slow-token' }));
  const got = await within(20_000, 'kubectl get with a token', k.run(['get', '--raw', '/api/v1/namespaces/default/configmaps']));
  assert.equal(got.code, 1);
  assert.equal(got.stderr.trim(), 'Error from server (Timeout): Timeout: request did not complete within requested timeout - context deadline exceeded');
});

test('?timeout=: a shorter client timeout is the deadline (kubectl --request-timeout); one that is not a Go duration is 400', async (t) => {
  const server = await serverWithHangingWebhook(t, []);

  const res = await within(20_000, 'POST ?timeout=1s', server.request('POST', '/api/v1/namespaces/default/configmaps?timeout=1s', hanging('quick')));
  assert.equal(res.status, 504, res.text);
  assert.deepEqual(res.json, deadlineExceededStatus);

  // kubectl's --request-timeout sends ?timeout= but also gives up itself at the same moment, before the server's
  // answer can arrive (as against kube-apiserver); `--raw` sends the same query with no client timeout.
  const k = kubectlRunner(server.kubeconfig);
  const created = await within(20_000, 'kubectl create --raw ?timeout=1s', k.run(['create', '--raw', '/api/v1/namespaces/default/configmaps?timeout=1s', '-f', '-'], hangingManifest('quick-too')));
  assert.equal(created.code, 1);
  assert.equal(created.stderr.trim(), 'Error from server (Timeout): Timeout: request did not complete within requested timeout - context deadline exceeded');
  const badRaw = await k.run(['get', '--raw', '/api/v1/namespaces/default/configmaps?timeout=abc']);
  assert.equal(badRaw.code, 1);
  assert.equal(badRaw.stderr.trim(), 'Error from server (BadRequest): invalid timeout specified in the request URL - time: invalid duration "abc"');

  for (const [timeout, error] of [
    ['abc', 'time: invalid duration "abc"'],
    ['5', 'time: missing unit in duration "5"'],
    ['5sec', 'time: unknown unit "sec" in duration "5sec"'],
  ]) {
    const bad = await server.request('GET', `/api/v1/namespaces/default/configmaps?timeout=${timeout}`);
    assert.equal(bad.status, 400, bad.text);
    assert.deepEqual(bad.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `invalid timeout specified in the request URL - ${error}`, reason: 'BadRequest', code: 400 });
  }
  // Zero or less asks for the server's own deadline.
  for (const timeout of ['0', '-1s']) assert.equal((await server.request('GET', `/api/v1/namespaces/default/configmaps?timeout=${timeout}`)).status, 200, timeout);
});

test('--request-timeout=0: the deadline has passed before any handler runs, so every request but a long-running one is 504; a bad ?timeout= is still 400', async (t) => {
  // Upstream's WithRequestDeadline always runs: it refuses a bad ?timeout= first, then sets the deadline to the
  // request's start plus the server's timeout, which its timeout filter finds already passed.
  const server = await startServer({ args: ['--request-timeout', '0'], t, readyStatus: 504 });
  const get = await server.request('GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(get.status, 504, get.text);
  assert.deepEqual(get.json, { ...deadlineExceededStatus, message: 'Timeout: request did not complete within the allotted timeout' });
  const bad = await server.request('GET', '/api/v1/namespaces/default/configmaps?timeout=abc');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.message, 'invalid timeout specified in the request URL - time: invalid duration "abc"');
  // A watch is long-running: it has no deadline, and ends at its own timeoutSeconds.
  const watch = await within(20_000, 'watch with timeoutSeconds=1', server.request('GET', '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1'));
  assert.equal(watch.status, 200, watch.text);
});
