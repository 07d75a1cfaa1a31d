/**
 * Service-account tokens with keys and issuers from flags: an ECDSA signing key, an extra RSA verification key
 * (another issuer's, e.g. during a key rotation), two issuers, --api-audiences, a maximum expiration, and legacy
 * secret-based tokens that live exactly as long as their Secret.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { parseSigningKey } from '../../runtime/auth/serviceaccount/keys.ts';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { call, kubeconfigCA, whoami } from './support.ts';

describe('service-account tokens with keys and issuers from flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sa-keys-flags-'));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const oldKey = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const signing = parseSigningKey(ec.privateKey, 'ec');
  const old = parseSigningKey(oldKey.privateKey, 'old');
  let server: TestServer;
  let ca: string;
  let admin: ReturnType<typeof kubectlRunner>;

  before(async () => {
    writeFileSync(join(dir, 'sa.key'), ec.privateKey);
    writeFileSync(join(dir, 'keys.pem'), `${ec.publicKey}${oldKey.publicKey}`);
    server = await startServer({
      args: [
        '--service-account-signing-key-file', join(dir, 'sa.key'),
        '--service-account-key-file', join(dir, 'keys.pem'),
        '--service-account-issuer', 'https://issuer.example.com',
        '--service-account-issuer', 'https://old-issuer.example.com',
        '--api-audiences', 'api,https://issuer.example.com',
        '--service-account-max-token-expiration', '2h',
      ],
    });
    ca = kubeconfigCA(server.kubeconfig);
    admin = kubectlRunner(server.kubeconfig);
    assert.equal((await admin.run(['create', 'serviceaccount', 'bot'])).code, 0);
  });
  after(async () => {
    await server?.stop();
  });

  const who = (token: string) => whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } });

  it('signs with the ECDSA key for the first issuer and the API audiences, capped at the maximum', async () => {
    const res = await admin.run(['create', 'token', 'bot', '--duration', '48h']);
    assert.equal(res.code, 0, res.stderr);
    const token = res.stdout.trim();
    assert.deepEqual(decodeProtectedHeader(token), { alg: 'ES256', kid: signing.kid });
    const claims = decodeJwt(token);
    assert.equal(claims.iss, 'https://issuer.example.com');
    assert.deepEqual(claims.aud, ['api', 'https://issuer.example.com']);
    assert.equal((claims.exp as number) - (claims.iat as number), 7200);
    assert.equal((await who(token)).user.username, 'system:serviceaccount:default:bot');
    assert.match(res.stderr, /requested expiration of 172800 seconds shortened to 7200 seconds/);
  });

  it('accepts tokens of the second issuer signed with the other published key, and publishes both keys', async () => {
    const sa = await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/bot');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({
      aud: ['api'],
      exp: now + 600,
      iat: now,
      iss: 'https://old-issuer.example.com',
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'bot', uid: sa.json.metadata.uid } },
      nbf: now,
      sub: 'system:serviceaccount:default:bot',
    })
      .setProtectedHeader({ alg: 'RS256', kid: old.kid })
      .sign(old.privateKey);
    assert.equal((await who(token)).status, 201);
    const jwks = await call(server.url, { path: '/openid/v1/jwks', ca, headers: { Authorization: `Bearer ${token}` } });
    assert.deepEqual(jwks.json.keys.map((k: { kid: string; alg: string }) => [k.kid, k.alg]), [[signing.kid, 'ES256'], [old.kid, 'RS256']]);
    const cfg = await call(server.url, { path: '/.well-known/openid-configuration', ca, headers: { Authorization: `Bearer ${token}` } });
    assert.equal(cfg.json.issuer, 'https://issuer.example.com');
    assert.deepEqual(cfg.json.id_token_signing_alg_values_supported, ['ES256', 'RS256']);
  });

  it('accepts a legacy secret-based token while its Secret holds it', async () => {
    const sa = await server.request('GET', '/api/v1/namespaces/default/serviceaccounts/bot');
    const legacy = await new SignJWT({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'bot-token',
      'kubernetes.io/serviceaccount/service-account.name': 'bot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.json.metadata.uid,
      sub: 'system:serviceaccount:default:bot',
    })
      .setProtectedHeader({ alg: 'RS256', kid: old.kid })
      .sign(old.privateKey);
    assert.equal((await who(legacy)).status, 401);
    const secret = await server.request('POST', '/api/v1/namespaces/default/secrets', {
      metadata: { name: 'bot-token', annotations: { 'kubernetes.io/service-account.name': 'bot' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: Buffer.from(legacy).toString('base64') },
    });
    assert.equal(secret.status, 201, secret.text);
    await eventually(async () => (await who(legacy)).status === 201, 'the legacy token to work');
    const me = await who(legacy);
    const today = new Date().toISOString().slice(0, 10);
    await eventually(async () => (await server.request('GET', '/api/v1/namespaces/default/secrets/bot-token')).json.metadata.labels?.['kubernetes.io/legacy-token-last-used'] === today, 'the last-used label');
    assert.deepEqual(me.user, { username: 'system:serviceaccount:default:bot', uid: sa.json.metadata.uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] });
    assert.equal((await server.request('DELETE', '/api/v1/namespaces/default/secrets/bot-token')).status, 200);
    await eventually(async () => (await who(legacy)).status === 401, 'the legacy token to stop working');
  });
});
