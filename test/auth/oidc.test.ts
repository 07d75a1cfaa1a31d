/**
 * OIDC through the real server: a small HTTPS issuer started by the test (discovery document and JWKS, tokens
 * signed with jose) and the server started with the --oidc-* flags; kubectl with an ID token is the mapped user,
 * and bad tokens of that issuer are 401.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { startHTTPSServer, testPKI, type TestHTTPSServer } from './remote-support.ts';
import { kubeconfigCA, whoami, writeKubeconfig } from './support.ts';

describe('OIDC authentication through the server', () => {
  let issuerServer: TestHTTPSServer;
  let server: TestServer;
  let ca: string;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  const dir = mkdtempSync(join(tmpdir(), 'oidc-'));

  before(async () => {
    const pki = await testPKI();
    keys = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'e1', alg: 'ES256', use: 'sig' };
    issuerServer = await startHTTPSServer(pki, (req, res) => {
      if (req.url === '/realm/.well-known/openid-configuration') res.writeHead(200).end(JSON.stringify({ issuer: `${issuerServer.url}/realm`, jwks_uri: `${issuerServer.url}/realm/certs` }));
      else if (req.url === '/realm/certs') res.writeHead(200).end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end();
    });
    server = await startServer({
      args: [
        '--oidc-issuer-url', `${issuerServer.url}/realm`,
        '--oidc-client-id', 'kubernetes',
        '--oidc-ca-file', pki.caFile,
        '--oidc-username-claim', 'email',
        '--oidc-groups-claim', 'roles',
        '--oidc-groups-prefix', 'oidc:',
        '--oidc-required-claim', 'tenant=acme',
        '--oidc-signing-algs', 'ES256',
      ],
    });
    ca = kubeconfigCA(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await issuerServer?.close();
  });

  const idToken = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ iss: `${issuerServer.url}/realm`, aud: 'kubernetes', sub: '1234', email: 'jane@acme.example', email_verified: true, roles: ['dev'], tenant: 'acme', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 300, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'e1' })
      .sign(keys.privateKey);

  it('an ID token is its email user with prefixed groups (kubectl auth whoami)', async () => {
    const token = await idToken();
    // The issuer is discovered in the background after start-up.
    await eventually(async () => (await whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } })).status === 201, 'the OIDC authenticator to initialize');
    const k = kubectlRunner(writeKubeconfig(join(dir, 'jane.kubeconfig'), server.url, ca, { token }));
    const res = await k.run(['auth', 'whoami', '-o', 'json']);
    assert.equal(res.code, 0, res.stderr);
    assert.deepEqual(JSON.parse(res.stdout).status.userInfo, { username: 'jane@acme.example', groups: ['oidc:dev', 'system:authenticated'] });
  });

  it('refuses tokens of the issuer that fail a check with 401', async () => {
    const other = await generateKeyPair('ES256');
    const cases: Record<string, string> = {
      'forged signature': await new SignJWT({ iss: `${issuerServer.url}/realm`, aud: 'kubernetes', email: 'jane@acme.example', tenant: 'acme' }).setProtectedHeader({ alg: 'ES256', kid: 'e1' }).setExpirationTime('5m').sign(other.privateKey),
      expired: await idToken({ exp: Math.floor(Date.now() / 1000) - 60 }),
      'wrong audience': await idToken({ aud: 'grafana' }),
      'email not verified': await idToken({ email_verified: false }),
      'missing required claim': await idToken({ tenant: 'other' }),
    };
    for (const [what, token] of Object.entries(cases)) {
      const res = await whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 401, what);
    }
  });
});
