/**
 * The webhook token authenticator against a real HTTPS webhook started by the test: the TokenReview it sends,
 * the user it takes from the answer, caching, and every failure upstream turns into 401 — timeouts, garbage,
 * 500s and an unreachable service.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { webhookTokenAuthenticator } from '../../runtime/auth/authentication/webhook.ts';
import { AuthenticationError } from '../../runtime/auth/authentication/types.ts';
import { freePort } from '../support/server.ts';
import { startHTTPSServer, testPKI, webhookKubeconfig, type TestHTTPSServer, type TestPKI } from './remote-support.ts';

const bearer = (token: string) => ({ method: 'GET', path: '/api', header: (n: string) => (n.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined) });

describe('webhook token authenticator', () => {
  let pki: TestPKI;
  let hook: TestHTTPSServer;
  const seen: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  let clientCN: string | undefined;

  before(async () => {
    pki = await testPKI();
    hook = await startHTTPSServer(
      pki,
      (req, res, body) => {
        const review = JSON.parse(body);
        seen.push(review);
        clientCN = (req.socket as import('node:tls').TLSSocket).getPeerCertificate()?.subject?.CN as string | undefined;
        const token: string = review.spec.token;
        const answer = (status: object) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'TokenReview', status }));
        if (req.url !== '/authenticate') return void res.writeHead(404).end();
        if (token === 'good') return answer({ authenticated: true, user: { username: 'jane', uid: '42', groups: ['devs'], extra: { team: ['a'] } } });
        if (token === 'rejected') return answer({ authenticated: false });
        if (token === 'rejected-with-error') return answer({ authenticated: false, error: 'token revoked' });
        if (token === 'garbage') return void res.writeHead(200).end('<html>not json');
        if (token === 'fail') return void res.writeHead(500).end('boom');
        if (token === 'slow') return void setTimeout(() => answer({ authenticated: true, user: { username: 'late' } }), 2000);
        if (token === 'other-audience') return answer({ authenticated: true, user: { username: 'x' }, audiences: ['elsewhere'] });
        answer({ authenticated: false });
      },
      { requestCert: true },
    );
  });
  after(async () => {
    await hook.close();
  });

  const config = (server = `${hook.url}/authenticate`) => webhookKubeconfig(pki, server, join(pki.dir, `webhook-${Math.random()}.kubeconfig`));

  it('sends a TokenReview with the audiences and takes the user from the answer', async () => {
    const a = webhookTokenAuthenticator({ configFile: config(), cacheTTLSeconds: 120, version: 'v1' }, { apiAudiences: ['https://kubernetes.default.svc'] });
    const res = await a.authenticate(bearer('good'));
    assert.deepEqual(res, { user: { name: 'jane', uid: '42', groups: ['devs'], extra: { team: ['a'] } }, audiences: ['https://kubernetes.default.svc'] });
    const review = seen.at(-1);
    assert.equal(review.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(review.kind, 'TokenReview');
    assert.deepEqual(review.spec, { token: 'good', audiences: ['https://kubernetes.default.svc'] });
    assert.equal(clientCN, 'kube-ts-admin');
  });

  it('caches answers for the TTL, successes and rejections alike', async () => {
    let clock = Date.now();
    const a = webhookTokenAuthenticator({ configFile: config(), cacheTTLSeconds: 120, version: 'v1beta1' }, { apiAudiences: [], now: () => clock });
    const before = seen.length;
    await a.authenticate(bearer('good'));
    await a.authenticate(bearer('good'));
    assert.equal(await a.authenticate(bearer('rejected')), undefined);
    assert.equal(await a.authenticate(bearer('rejected')), undefined);
    assert.equal(seen.length - before, 2);
    assert.equal(seen.at(-1).apiVersion, 'authentication.k8s.io/v1beta1');
    clock += 121_000;
    await a.authenticate(bearer('good'));
    assert.equal(seen.length - before, 3);
  });

  it('turns errors, garbage, 500s, timeouts and an unreachable webhook into AuthenticationError', async () => {
    const a = webhookTokenAuthenticator({ configFile: config(), cacheTTLSeconds: 120, version: 'v1' }, { apiAudiences: [], requestTimeoutMs: 500 });
    await assert.rejects(a.authenticate(bearer('rejected-with-error')), (e: Error) => e instanceof AuthenticationError && e.message === 'token revoked');
    await assert.rejects(a.authenticate(bearer('garbage')), AuthenticationError);
    await assert.rejects(a.authenticate(bearer('fail')), AuthenticationError);
    await assert.rejects(a.authenticate(bearer('slow')), /timeout after 500 ms/);
    const port = await freePort();
    const gone = webhookTokenAuthenticator({ configFile: config(`https://127.0.0.1:${port}/authenticate`), cacheTTLSeconds: 120, version: 'v1' }, { apiAudiences: [], retries: 1 });
    await assert.rejects(gone.authenticate(bearer('good')), /could not be completed/);
    // Errors are not cached: the next try asks again.
    const before = seen.length;
    await assert.rejects(a.authenticate(bearer('garbage')), AuthenticationError);
    assert.equal(seen.length - before, 1);
  });

  it('refuses answers for audiences nobody asked for', async () => {
    const a = webhookTokenAuthenticator({ configFile: config(), cacheTTLSeconds: 0, version: 'v1' }, { apiAudiences: ['api'] });
    assert.equal(await a.authenticate(bearer('other-audience')), undefined);
  });
});
