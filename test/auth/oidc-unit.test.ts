/**
 * The OIDC authenticator against a real HTTPS issuer started by the test (discovery document + JWKS, tokens
 * signed with jose): user and group mapping with upstream's prefixes, required claims, the CA file, and the
 * tokens it must refuse (forged, expired, wrong audience, wrong algorithm, unverified email).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair, UnsecuredJWT } from 'jose';
import { effectiveUsernamePrefix, oidcAuthenticator, type OIDCOptions } from '../../runtime/auth/authentication/oidc.ts';
import { AuthenticationError } from '../../runtime/auth/authentication/types.ts';
import { startHTTPSServer, testPKI, type TestHTTPSServer, type TestPKI } from './remote-support.ts';

const bearer = (token: string) => ({ method: 'GET', path: '/api', header: (n: string) => (n.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined) });

describe('OIDC authenticator', () => {
  let pki: TestPKI;
  let issuerServer: TestHTTPSServer;
  let issuer: string;
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwksRequests = 0;
  const opened: Array<{ close(): void }> = [];

  before(async () => {
    pki = await testPKI();
    keys = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    issuerServer = await startHTTPSServer(pki, (req, res) => {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      } else if (req.url === '/keys') {
        jwksRequests++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      } else res.writeHead(404).end();
    });
    issuer = issuerServer.url;
  });
  after(async () => {
    for (const a of opened) a.close();
    await issuerServer.close();
  });

  const make = async (o: Partial<OIDCOptions> = {}) => {
    const a = oidcAuthenticator({ issuerURL: issuer, clientID: 'kube', usernameClaim: 'sub', caFile: pki.caFile, requiredClaims: {}, signingAlgs: ['RS256'], ...o }, { retryIntervalMs: 100 });
    opened.push(a);
    await a.ready();
    return a;
  };
  const token = (claims: Record<string, unknown>, opts: { kid?: string; key?: CryptoKey; alg?: string } = {}) =>
    new SignJWT({ iss: issuer, aud: 'kube', sub: 'alice', ...claims })
      .setProtectedHeader({ alg: opts.alg ?? 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(opts.key ?? keys.privateKey);

  it('maps sub with the issuer# prefix, and groups with their prefix', async () => {
    const a = await make({ groupsClaim: 'groups', groupsPrefix: 'oidc:' });
    const res = await a.authenticate(bearer(await token({ groups: ['dev', 'ops'] })));
    assert.deepEqual(res, { user: { name: `${issuer}#alice`, groups: ['oidc:dev', 'oidc:ops'] } });
    const single = await a.authenticate(bearer(await token({ groups: 'dev' })));
    assert.deepEqual(single!.user.groups, ['oidc:dev']);
  });

  it('uses email without a prefix, and refuses unverified email', async () => {
    const a = await make({ usernameClaim: 'email' });
    assert.equal((await a.authenticate(bearer(await token({ email: 'a@example.com', email_verified: true }))))!.user.name, 'a@example.com');
    assert.equal((await a.authenticate(bearer(await token({ email: 'a@example.com' }))))!.user.name, 'a@example.com');
    await assert.rejects(a.authenticate(bearer(await token({ email: 'a@example.com', email_verified: false }))), /email not verified/);
    await assert.rejects(a.authenticate(bearer(await token({}))), /claim not present/);
  });

  it('follows the prefix flags as upstream', () => {
    assert.equal(effectiveUsernamePrefix({ issuerURL: 'https://i', usernameClaim: 'sub' }), 'https://i#');
    assert.equal(effectiveUsernamePrefix({ issuerURL: 'https://i', usernameClaim: 'sub', usernamePrefix: '-' }), '');
    assert.equal(effectiveUsernamePrefix({ issuerURL: 'https://i', usernameClaim: 'email' }), '');
    assert.equal(effectiveUsernamePrefix({ issuerURL: 'https://i', usernameClaim: 'name', usernamePrefix: 'corp:' }), 'corp:');
  });

  it('checks required claims', async () => {
    const a = await make({ usernamePrefix: '-', requiredClaims: { hd: 'example.com' } });
    assert.equal((await a.authenticate(bearer(await token({ hd: 'example.com' }))))!.user.name, 'alice');
    await assert.rejects(a.authenticate(bearer(await token({ hd: 'evil.com' }))), /required claim hd value does not match/);
    await assert.rejects(a.authenticate(bearer(await token({}))), /required claim hd not present/);
  });

  it('refuses forged, expired, foreign-audience, unsigned and wrongly signed tokens', async () => {
    const a = await make();
    const other = await generateKeyPair('RS256');
    const es = await generateKeyPair('ES256');
    const cases: Record<string, string> = {
      forged: await token({}, { key: other.privateKey }),
      'unknown kid': await token({}, { key: other.privateKey, kid: 'k9' }),
      expired: await new SignJWT({ iss: issuer, aud: 'kube', sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(keys.privateKey),
      'no exp': await new SignJWT({ iss: issuer, aud: 'kube', sub: 'alice' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(keys.privateKey),
      'wrong audience': await token({ aud: 'other-client' }),
      'alg none': new UnsecuredJWT({ iss: issuer, aud: 'kube', sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 }).encode(),
      'ES256 not allowed': await token({}, { key: es.privateKey, alg: 'ES256' }),
    };
    for (const [what, t] of Object.entries(cases)) await assert.rejects(a.authenticate(bearer(t)), AuthenticationError, what);
    // Other issuers' tokens are not ours.
    assert.equal(await a.authenticate(bearer(await token({ iss: 'https://elsewhere' }))), undefined);
    assert.ok(jwksRequests >= 1);
  });

  it('answers 401 until the issuer can be reached, then starts working', async () => {
    let up = false;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
    const late = await startHTTPSServer(pki, (req, res) => {
      if (!up) return void res.writeHead(503).end();
      if (req.url === '/.well-known/openid-configuration') res.writeHead(200).end(JSON.stringify({ issuer: late.url, jwks_uri: `${late.url}/keys` }));
      else res.writeHead(200).end(JSON.stringify({ keys: [jwk] }));
    });
    try {
      const a = oidcAuthenticator({ issuerURL: late.url, clientID: 'kube', usernameClaim: 'sub', usernamePrefix: '-', caFile: pki.caFile, requiredClaims: {}, signingAlgs: ['RS256'] }, { retryIntervalMs: 100 });
      opened.push(a);
      const t = await new SignJWT({ iss: late.url, aud: 'kube', sub: 'bob' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(keys.privateKey);
      await assert.rejects(a.authenticate(bearer(t)), /authenticator not initialized/);
      up = true;
      await a.ready();
      assert.equal((await a.authenticate(bearer(t)))!.user.name, 'bob');
    } finally {
      await late.close();
    }
  });

  it('does not trust an issuer certificate outside the CA file', async () => {
    const otherPki = await testPKI();
    const a = oidcAuthenticator({ issuerURL: issuer, clientID: 'kube', usernameClaim: 'sub', caFile: otherPki.caFile, requiredClaims: {}, signingAlgs: ['RS256'] }, { retryIntervalMs: 60_000 });
    opened.push(a);
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(a.authenticate(bearer(await token({}))), /not initialized/);
  });
});
