/**
 * Service-account tokens through the real server and kubectl: `kubectl create token` (audiences, duration, pod
 * binding), the token's identity (`kubectl auth whoami`), TokenReview, issuer discovery, revocation when the
 * ServiceAccount or bound Pod goes, and the bad-input suite: forged, expired, wrong-issuer, wrong-audience,
 * unsigned and whitespace-damaged tokens are all 401, never anonymous, and the server stays up.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify, createLocalJWKSet } from 'jose';
import { parseSigningKey } from '../../runtime/auth/serviceaccount/keys.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { call, kubeconfigCA, whoami, writeKubeconfig } from './support.ts';

const issuer = 'https://kubernetes.default.svc.cluster.local';

describe('service-account tokens through the server', () => {
  let server: TestServer;
  let ca: string;
  let admin: ReturnType<typeof kubectlRunner>;
  const dir = mkdtempSync(join(tmpdir(), 'sa-tokens-'));
  const asToken = (token: string) => whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } });

  before(async () => {
    server = await startServer();
    ca = kubeconfigCA(server.kubeconfig);
    admin = kubectlRunner(server.kubeconfig);
    for (const name of ['robot', 'doomed', 'podder']) assert.equal((await admin.run(['create', 'serviceaccount', name])).code, 0);
  });
  after(async () => {
    await server.stop();
  });

  const createToken = async (args: string[]) => {
    const res = await admin.run(['create', 'token', ...args]);
    assert.equal(res.code, 0, res.stderr);
    return res.stdout.trim();
  };

  it('kubectl create token issues a token that authenticates as the service account (kubectl auth whoami)', async () => {
    const token = await createToken(['robot']);
    const claims = decodeJwt(token);
    assert.equal(claims.iss, issuer);
    assert.deepEqual(claims.aud, [issuer]);
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.equal((claims.exp as number) - (claims.iat as number), 3600);
    const sa = await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/robot');
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'default', serviceaccount: { name: 'robot', uid: sa.json.metadata.uid } });

    const me = await asToken(token);
    assert.equal(me.status, 201);
    assert.deepEqual(me.user, {
      username: 'system:serviceaccount:default:robot',
      uid: sa.json.metadata.uid,
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`] },
    });
    const k = kubectlRunner(writeKubeconfig(join(dir, 'robot.kubeconfig'), server.url, ca, { token }));
    const who = await k.run(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal(who.stdout, 'system:serviceaccount:default:robot');
  });

  it('honours --audience and --duration, and the audience decides where the token works', async () => {
    const token = await createToken(['robot', '--audience', 'vault', '--audience', 'other', '--duration', '20m']);
    const claims = decodeJwt(token);
    assert.deepEqual(claims.aud, ['vault', 'other']);
    assert.equal((claims.exp as number) - (claims.iat as number), 1200);
    // Not for this API server ...
    assert.equal((await asToken(token)).status, 401);
    // ... but TokenReview for its audience accepts it.
    const review = await server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, audiences: ['vault'] } });
    assert.equal(review.status, 201, review.text);
    assert.equal(review.json.status.authenticated, true);
    assert.equal(review.json.status.user.username, 'system:serviceaccount:default:robot');
    assert.deepEqual(review.json.status.audiences, ['vault']);
    const short = await admin.run(['create', 'token', 'robot', '--duration', '1m']);
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /may not specify a duration less than 10 minutes/);
  });

  it('answers a TokenRequest over HTTP as upstream', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 700 } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(res.json.kind, 'TokenRequest');
    assert.equal(res.json.metadata.name, 'robot');
    assert.equal(res.json.metadata.namespace, 'default');
    // boundObjectRef is a pointer without omitempty in Go: null when unset.
    assert.deepEqual(res.json.spec, { audiences: [issuer], expirationSeconds: 700, boundObjectRef: null });
    assert.equal(Date.parse(res.json.status.expirationTimestamp) / 1000, decodeJwt(res.json.status.token).exp);
    const missing = await server.request('POST', '/api/v1/namespaces/default/serviceaccounts/ghost/token', { spec: {} });
    assert.equal(missing.status, 404);
    assert.equal(missing.json.message, 'serviceaccounts "ghost" not found');
    assert.equal((await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/robot/token')).status, 405);
  });

  it('serves issuer discovery to service accounts (RBAC), and its keys verify the tokens', async () => {
    const token = await createToken(['robot']);
    const auth = { Authorization: `Bearer ${token}` };
    // Upstream's system:service-account-issuer-discovery role is bound to system:serviceaccounts, not to anonymous.
    assert.equal((await call(server.url, { path: '/.well-known/openid-configuration', ca })).status, 403);
    const cfg = await call(server.url, { path: '/.well-known/openid-configuration', ca, headers: auth });
    assert.equal(cfg.status, 200);
    assert.deepEqual(cfg.json, {
      issuer,
      jwks_uri: `https://127.0.0.1:${server.port}/openid/v1/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = await call(server.url, { path: '/openid/v1/jwks', ca, headers: auth });
    assert.equal(jwks.status, 200);
    assert.equal(decodeProtectedHeader(token).kid, jwks.json.keys[0].kid);
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.json), { issuer, audience: issuer });
    assert.equal(payload.sub, 'system:serviceaccount:default:robot');
    // The key in the data dir is the one published.
    const key = parseSigningKey(readFileSync(join(server.dataDir, 'pki', 'sa.key'), 'utf8'), 'sa.key');
    assert.equal(key.kid, jwks.json.keys[0].kid);
    assert.ok(await importJWK(jwks.json.keys[0]));
  });

  it('binds a token to a pod: it names the pod and dies with it', async () => {
    const pod = await server.request('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p1' }, spec: { serviceAccountName: 'podder', containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(pod.status, 201, pod.text);
    const token = await createToken(['podder', '--bound-object-kind', 'Pod', '--bound-object-name', 'p1']);
    const me = await asToken(token);
    assert.equal(me.status, 201);
    assert.deepEqual(me.user.extra['authentication.kubernetes.io/pod-name'], ['p1']);
    assert.deepEqual(me.user.extra['authentication.kubernetes.io/pod-uid'], [pod.json.metadata.uid]);
    const wrong = await admin.run(['create', 'token', 'robot', '--bound-object-kind', 'Pod', '--bound-object-name', 'p1']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /cannot bind token for serviceaccount "robot" to pod running with different serviceaccount name/);
    assert.equal((await admin.run(['delete', 'pod', 'p1', '--grace-period=0', '--force'])).code, 0);
    await eventually(async () => (await asToken(token)).status === 401, 'the pod-bound token to stop working');
  });

  it('stops accepting a token once its service account is deleted, and recreating it does not revive it', async () => {
    const token = await createToken(['doomed']);
    assert.equal((await asToken(token)).status, 201);
    assert.equal((await admin.run(['delete', 'serviceaccount', 'doomed'])).code, 0);
    await eventually(async () => (await asToken(token)).status === 401, 'the token to stop working');
    assert.equal((await admin.run(['create', 'serviceaccount', 'doomed'])).code, 0);
    const res = await asToken(token);
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, 'Unauthorized');
  });

  it('fills a service-account-token Secret with a legacy token that works until the account is deleted', async () => {
    assert.equal((await admin.run(['create', 'serviceaccount', 'legacy'])).code, 0);
    const created = await server.request('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'legacy-token', annotations: { 'kubernetes.io/service-account.name': 'legacy' } },
      type: 'kubernetes.io/service-account-token',
    });
    assert.equal(created.status, 201, created.text);
    let secret: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    await eventually(async () => {
      secret = (await server.request('GET', '/api/v1/namespaces/default/secrets/legacy-token')).json;
      return Boolean(secret.data?.token);
    }, 'the tokens controller to fill the secret');
    const sa = await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/legacy');
    assert.equal(secret.metadata.annotations['kubernetes.io/service-account.uid'], sa.json.metadata.uid);
    assert.equal(Buffer.from(secret.data.namespace, 'base64').toString(), 'default');
    assert.equal(Buffer.from(secret.data['ca.crt'], 'base64').toString(), ca);
    const token = Buffer.from(secret.data.token, 'base64').toString();
    const claims = decodeJwt(token);
    assert.equal(claims.iss, 'kubernetes/serviceaccount');
    assert.equal(claims['kubernetes.io/serviceaccount/secret.name'], 'legacy-token');
    assert.equal(claims.exp, undefined);
    assert.equal((await asToken(token)).user.username, 'system:serviceaccount:default:legacy');
    assert.equal((await admin.run(['delete', 'serviceaccount', 'legacy'])).code, 0);
    await eventually(async () => (await server.request('GET', '/api/v1/namespaces/default/secrets/legacy-token')).status === 404, 'the token secret to be deleted');
    assert.equal((await asToken(token)).status, 401);
  });

  it('refuses forged, expired, foreign, mis-addressed, unsigned and damaged tokens with 401', async () => {
    const good = await createToken(['robot']);
    const claims = decodeJwt(good);
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    const key = parseSigningKey(readFileSync(join(server.dataDir, 'pki', 'sa.key'), 'utf8'), 'sa.key');
    const signWith = (c: Record<string, unknown>, k = key.privateKey) => new SignJWT(c).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(k);
    const [h, p, s] = good.split('.');
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string> = {
      'forged signature': await signWith(claims, privateKey),
      'tampered claims': `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:kube-system:admin' })).toString('base64url')}.${s}`,
      expired: await signWith({ ...claims, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
      'wrong issuer': await signWith({ ...claims, iss: 'https://evil.example.com' }),
      'wrong audience': await signWith({ ...claims, aud: ['someone-else'] }),
      'alg none': new UnsecuredJWT(claims).encode(),
      'truncated signature': `${h}.${p}.${s.slice(0, -4)}`,
      'tab inside': `${h}.${p}\t.${s}`,
      'space inside': `${h}.${p} .${s}`,
      'not a JWT': 'x'.repeat(40),
    };
    for (const [what, token] of Object.entries(cases)) {
      const res = await asToken(token);
      assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body?.reason, 'Unauthorized', what);
    }
    // Two spaces after Bearer: no token at all (upstream), so the request is anonymous, not the service account.
    const spaced = await whoami(server.url, { ca, headers: { Authorization: `Bearer  ${good}` } });
    assert.notEqual(spaced.user?.username, 'system:serviceaccount:default:robot');
    // Whitespace around the header value is trimmed, as upstream.
    assert.equal((await whoami(server.url, { ca, headers: { Authorization: `  Bearer ${good}  ` } })).user.username, 'system:serviceaccount:default:robot');
    // The server is still serving.
    assert.equal((await asToken(good)).status, 201);
  });
});
