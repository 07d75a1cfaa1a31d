/**
 * Webhook token authentication through the real server: a TokenReview webhook started by the test (HTTPS, client
 * certificate from the kubeconfig); its users reach the server, its answers are cached, and a webhook that fails
 * (500, garbage, down) gives 401, never anonymous, while service-account tokens keep working.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { startHTTPSServer, testPKI, webhookKubeconfig, type TestHTTPSServer } from './remote-support.ts';
import { kubeconfigCA, whoami, writeKubeconfig } from './support.ts';

describe('webhook token authentication through the server', () => {
  let hook: TestHTTPSServer;
  let server: TestServer;
  let ca: string;
  let mode: 'ok' | 'fail' | 'garbage' = 'ok';
  const reviews: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    const pki = await testPKI();
    hook = await startHTTPSServer(
      pki,
      (_req, res, body) => {
        const review = JSON.parse(body);
        reviews.push(review);
        if (mode === 'fail') return void res.writeHead(500).end('internal');
        if (mode === 'garbage') return void res.writeHead(200).end('{"status": 12');
        const ok = review.spec.token.startsWith('team-');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ apiVersion: review.apiVersion, kind: 'TokenReview', status: ok ? { authenticated: true, user: { username: review.spec.token.slice(5), uid: 'u-1', groups: ['webhook-users'] } } : { authenticated: false } }),
        );
      },
      { requestCert: true },
    );
    const config = webhookKubeconfig(pki, `${hook.url}/tokenreview`, join(pki.dir, 'webhook.kubeconfig'));
    server = await startServer({ args: ['--authentication-token-webhook-config-file', config, '--authentication-token-webhook-version', 'v1', '--authentication-token-webhook-cache-ttl', '1s'] });
    ca = kubeconfigCA(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await hook?.close();
  });

  const who = (token: string) => whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } });

  it('a token the webhook accepts is its user (kubectl auth whoami); the review carries the API audiences', async () => {
    const k = kubectlRunner(writeKubeconfig(join(server.dataDir, 'w.kubeconfig'), server.url, ca, { token: 'team-walter' }));
    const res = await k.run(['auth', 'whoami', '-o', 'json']);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).status.userInfo, { username: 'walter', uid: 'u-1', groups: ['webhook-users', 'system:authenticated'] });
    const review = reviews.at(-1);
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
    assert.deepEqual(review.spec, { token: 'team-walter', audiences: ['https://kubernetes.default.svc.cluster.local'] });
  });

  it('a token the webhook rejects is 401', async () => {
    assert.equal((await who('stranger')).status, 401);
  });

  it('caches answers for the TTL', async () => {
    const before = reviews.length;
    for (let i = 0; i < 3; i++) assert.equal((await who('team-cached')).status, 201);
    assert.equal(reviews.length - before, 1);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await who('team-cached')).status, 201);
    assert.equal(reviews.length - before, 2);
  });

  it('a failing webhook (500, garbage, down) gives 401, never anonymous, and the server keeps serving', async () => {
    for (const m of ['fail', 'garbage'] as const) {
      mode = m;
      const res = await who(`team-${m}`);
      assert.equal(res.status, 401, m);
    }
    mode = 'ok';
    await hook.close();
    const res = await who('team-after-close');
    assert.equal(res.status, 401);
    assert.equal((await server.request('GET', '/readyz')).status, 200);
  });
});
