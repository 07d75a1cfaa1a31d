/**
 * Service-account tokens without a server: TokenREST issues tokens with upstream's claims, the authenticator
 * accepts them and rejects forged, expired, foreign, mis-addressed and unsigned ones, and the lookup ends a
 * token's life with its ServiceAccount or bound object. Objects come from a plain map standing in for the store.
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { AuthenticationError } from '../../runtime/auth/authentication/types.ts';
import { serviceAccountTokenAuthenticator, type ObjectGetter } from '../../runtime/auth/authentication/serviceaccount.ts';
import { jwtTokenGenerator } from '../../runtime/auth/serviceaccount/generator.ts';
import { ensureServiceAccountKey, keyID, parsePublicKeys, parseSigningKey, readSigningKeyFile } from '../../runtime/auth/serviceaccount/keys.ts';
import { openIDMetadata } from '../../runtime/auth/serviceaccount/openid-metadata.ts';
import { TokenREST } from '../../runtime/registry/core/serviceaccount-token.ts';
import { systemContext } from '../../runtime/registry/store.ts';
import { StatusError } from '../../runtime/machinery/status.ts';

const issuer = 'https://kubernetes.default.svc.cluster.local';
const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const pair = rsa();
const signingKey = parseSigningKey(pair.privateKey, 'test');
const other = parseSigningKey(rsa().privateKey, 'other');

function world() {
  const objects = new Map<string, Record<string, any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
  const key = (r: string, ns: string, n: string) => `${r}/${ns}/${n}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const put = (resource: string, namespace: string, name: string, extra: Record<string, unknown> = {}): Record<string, any> => {
    const obj = { metadata: { name, namespace: namespace || undefined, uid: randomUUID() }, ...extra };
    objects.set(key(resource, namespace, name), obj);
    return obj;
  };
  const getObject: ObjectGetter = async (r, ns, n) => objects.get(key(r, ns, n));
  const required = async (r: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', ns: string, n: string) => {
    const o = objects.get(key(r, ns, n));
    if (!o) throw Object.assign(new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 404, reason: 'NotFound', message: `${r} "${n}" not found` }));
    return o;
  };
  return { objects, put, getObject, required, del: (r: string, ns: string, n: string) => objects.delete(key(r, ns, n)) };
}

const bearer = (token: string) => ({ method: 'GET', path: '/api', header: (n: string) => (n.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined) });

function setup(opts: { now?: () => number; maxExpirationSeconds?: number } = {}) {
  const w = world();
  const rest = new TokenREST({ generator: jwtTokenGenerator(issuer, signingKey), getObject: w.required, apiAudiences: [issuer], maxExpirationSeconds: opts.maxExpirationSeconds ?? 0, extendExpiration: true, now: opts.now });
  const authn = serviceAccountTokenAuthenticator({ issuers: [issuer], keys: [signingKey], apiAudiences: [issuer], getObject: w.getObject, legacy: { lookup: true }, now: opts.now });
  const sa = w.put('serviceaccounts', 'ns1', 'robot');
  const issue = async (spec: Record<string, unknown> = {}, name = 'robot') =>
    (await rest.create(systemContext('ns1'), name, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  return { ...w, rest, authn, sa, issue };
}

describe('service-account keys', () => {
  it('computes the key ID as upstream: base64url SHA-256 of the DER public key', () => {
    const der = Buffer.from(pair.publicKey.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    assert.equal(signingKey.kid, createHash('sha256').update(der).digest('base64url'));
    assert.equal(keyID(signingKey.key), signingKey.kid);
    assert.equal(signingKey.alg, 'RS256');
  });

  it('reads public keys, private keys and several blocks from one PEM file', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'sec1', format: 'pem' } });
    const keys = parsePublicKeys(`${pair.publicKey}${ec.privateKey}`, 'mixed.pem');
    assert.deepEqual(keys.map((k) => k.alg), ['RS256', 'ES256']);
    assert.equal(keys[0].kid, signingKey.kid);
    assert.throws(() => parsePublicKeys('nothing here', 'empty.pem'), /no RSA or ECDSA key/);
  });

  it('generates sa.key and sa.pub once in the data dir and reuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sa-keys-'));
    const first = ensureServiceAccountKey(dir);
    const kid = readSigningKeyFile(first.signingKeyFile).kid;
    ensureServiceAccountKey(dir);
    assert.equal(readSigningKeyFile(first.signingKeyFile).kid, kid);
    assert.equal(parsePublicKeys(readFileSync(first.publicKeyFile, 'utf8'), 'sa.pub')[0].kid, kid);
    writeFileSync(first.signingKeyFile, 'garbage');
    ensureServiceAccountKey(dir);
    assert.notEqual(readSigningKeyFile(first.signingKeyFile).kid, kid);
  });
});

describe('TokenRequest', () => {
  it('issues a token with upstream claims and reports its expiry', async () => {
    const t = setup();
    const before = Math.floor(Date.now() / 1000);
    const out = await t.issue({ audiences: ['vault'], expirationSeconds: 1200 });
    assert.equal(out.kind, 'TokenRequest');
    assert.equal(out.metadata.name, 'robot');
    assert.equal(out.metadata.namespace, 'ns1');
    assert.deepEqual(out.spec.audiences, ['vault']);
    const header = decodeProtectedHeader(out.status.token);
    assert.deepEqual(header, { alg: 'RS256', kid: signingKey.kid });
    const claims = decodeJwt(out.status.token) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(Object.keys(claims), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.sub, 'system:serviceaccount:ns1:robot');
    assert.deepEqual(claims.aud, ['vault']);
    assert.ok(claims.iat >= before && claims.nbf === claims.iat && claims.exp === claims.iat + 1200);
    assert.deepEqual(claims['kubernetes.io'], { namespace: 'ns1', serviceaccount: { name: 'robot', uid: t.sa.metadata.uid } });
    assert.equal(Date.parse(out.status.expirationTimestamp) / 1000, claims.exp);
    assert.match(out.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('defaults to the API audiences and one hour, and shortens to the maximum', async () => {
    const t = setup({ maxExpirationSeconds: 7200 });
    const out = await t.issue();
    assert.deepEqual(out.spec.audiences, [issuer]);
    assert.equal(out.spec.expirationSeconds, 3600);
    const warnings: string[] = [];
    const long = (await t.rest.create({ ...systemContext('ns1'), warnings }, 'robot', { spec: { expirationSeconds: 100000 } })) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(long.spec.expirationSeconds, 7200);
    assert.deepEqual(warnings, ['requested expiration of 100000 seconds shortened to 7200 seconds']);
  });

  it('refuses short durations, foreign names, missing accounts and unknown bindings', async () => {
    const t = setup();
    await assert.rejects(t.issue({ expirationSeconds: 60 }), (e: StatusError) => {
      assert.equal(e.code, 422);
      assert.equal(e.message, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
      return true;
    });
    await assert.rejects(t.issue({}, 'ghost'), (e: StatusError) => e.code === 404);
    await assert.rejects(t.issue({ boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } }), (e: StatusError) => {
      assert.equal(e.code, 400);
      assert.equal(e.message, 'cannot bind token for serviceaccount "robot" to object of type /v1, Kind=ConfigMap');
      return true;
    });
    await assert.rejects(t.rest.create(systemContext('ns1'), 'robot', { metadata: { name: 'other' }, spec: {} }), (e: StatusError) => e.code === 422 && /must match the service account name/.test(e.message));
  });

  it('binds to a pod (with its node), refusing pods of other accounts and stale uids', async () => {
    const t = setup();
    const node = t.put('nodes', '', 'n1');
    const pod = t.put('pods', 'ns1', 'p1', { spec: { serviceAccountName: 'robot', nodeName: 'n1' } });
    t.put('pods', 'ns1', 'p2', { spec: { serviceAccountName: 'default' } });
    const out = await t.issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1' } });
    const claims = decodeJwt(out.status.token) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(claims['kubernetes.io'].pod, { name: 'p1', uid: pod.metadata.uid });
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'n1', uid: node.metadata.uid });
    await assert.rejects(t.issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p2' } }), (e: StatusError) => e.code === 400 && /different serviceaccount name/.test(e.message));
    await assert.rejects(t.issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1', uid: 'stale' } }), (e: StatusError) => e.code === 409);
    await assert.rejects(t.issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'nope' } }), (e: StatusError) => e.code === 404);

    const user = (await t.authn.authenticate(bearer(out.status.token)))!.user;
    assert.deepEqual(user.extra, {
      'authentication.kubernetes.io/pod-name': ['p1'],
      'authentication.kubernetes.io/pod-uid': [pod.metadata.uid],
      'authentication.kubernetes.io/credential-id': [`JTI=${claims.jti}`],
      'authentication.kubernetes.io/node-name': ['n1'],
      'authentication.kubernetes.io/node-uid': [node.metadata.uid],
    });
  });

  it('binds to a node: the token names it and dies with it', async () => {
    const t = setup();
    const node = t.put('nodes', '', 'n1');
    const out = await t.issue({ boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } });
    const claims = decodeJwt(out.status.token) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual(claims['kubernetes.io'].node, { name: 'n1', uid: node.metadata.uid });
    assert.equal(claims['kubernetes.io'].pod, undefined);
    const user = (await t.authn.authenticate(bearer(out.status.token)))!.user;
    assert.deepEqual(user.extra!['authentication.kubernetes.io/node-name'], ['n1']);
    assert.deepEqual(user.extra!['authentication.kubernetes.io/node-uid'], [node.metadata.uid]);
    t.put('nodes', '', 'n1');
    await assert.rejects(t.authn.authenticate(bearer(out.status.token)), /node UID .* does not match/);
    t.del('nodes', '', 'n1');
    await assert.rejects(t.authn.authenticate(bearer(out.status.token)), /has been invalidated/);
  });

  it('extends pod-bound tokens that ask for 3607 s to a year with warnafter', async () => {
    const t = setup();
    t.put('pods', 'ns1', 'p1', { spec: { serviceAccountName: 'robot' } });
    const out = await t.issue({ expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1' } });
    const claims = decodeJwt(out.status.token) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(claims.exp - claims.iat, 365 * 24 * 3600);
    assert.equal(claims['kubernetes.io'].warnafter, claims.iat + 3607);
    assert.equal(Date.parse(out.status.expirationTimestamp) / 1000, claims.iat + 3607);
  });
});

describe('service-account token authenticator', () => {
  it('authenticates as the service account, with its groups and credential ID', async () => {
    const t = setup();
    const out = await t.issue();
    const res = await t.authn.authenticate(bearer(out.status.token));
    const jti = (decodeJwt(out.status.token) as { jti: string }).jti;
    assert.deepEqual(res, {
      user: {
        name: 'system:serviceaccount:ns1:robot',
        uid: t.sa.metadata.uid,
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1'],
        extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${jti}`] },
      },
      audiences: [issuer],
    });
  });

  it('leaves tokens of other issuers and non-JWTs to the next authenticator', async () => {
    const t = setup();
    const foreign = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).setIssuer('https://elsewhere').sign(signingKey.privateKey);
    assert.equal(await t.authn.authenticate(bearer(foreign)), undefined);
    assert.equal(await t.authn.authenticate(bearer('abcdef.0123456789abcdef')), undefined);
    assert.equal(await t.authn.authenticate({ method: 'GET', path: '/', header: () => undefined }), undefined);
  });

  it('rejects forged, expired, mis-addressed and unsigned tokens with AuthenticationError', async () => {
    const now = Date.now();
    const t = setup();
    const good = (await t.issue()).status.token as string;
    const claims = decodeJwt(good);
    const sign = (c: Record<string, unknown>, key = signingKey) => new SignJWT(c).setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
    const cases: Record<string, string> = {
      'forged signature': await sign(claims, other),
      'tampered payload': `${good.split('.')[0]}.${Buffer.from(JSON.stringify({ ...claims, sub: 'system:serviceaccount:ns1:admin' })).toString('base64url')}.${good.split('.')[2]}`,
      expired: await sign({ ...claims, exp: Math.floor(now / 1000) - 120 }),
      'not yet valid': await sign({ ...claims, nbf: Math.floor(now / 1000) + 600 }),
      'wrong audience': await sign({ ...claims, aud: ['someone-else'] }),
      'alg none': new UnsecuredJWT(claims).encode(),
      'unknown account uid': await sign({ ...claims, 'kubernetes.io': { namespace: 'ns1', serviceaccount: { name: 'robot', uid: 'nope' } } }),
      'missing kubernetes.io claim': await sign({ ...claims, 'kubernetes.io': undefined }),
    };
    for (const [what, token] of Object.entries(cases)) {
      await assert.rejects(t.authn.authenticate(bearer(token)), AuthenticationError, what);
    }
    // A token valid for another audience is accepted when that audience is the one asked for (TokenReview).
    const vault = (await t.issue({ audiences: ['vault'] })).status.token;
    await assert.rejects(t.authn.authenticate(bearer(vault)), /token audiences \["vault"\] is invalid for the target audiences \["https:\/\/kubernetes.default.svc.cluster.local"\]/);
    assert.deepEqual((await t.authn.authenticate({ ...bearer(vault), audiences: ['vault'] }))!.audiences, ['vault']);
  });

  it('stops accepting a token when its account or bound object goes, or is replaced', async () => {
    const t = setup();
    t.put('secrets', 'ns1', 's1');
    t.put('pods', 'ns1', 'p1', { spec: { serviceAccountName: 'robot' } });
    const plain = (await t.issue()).status.token;
    const secretBound = (await t.issue({ boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's1' } })).status.token;
    const podBound = (await t.issue({ boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p1' } })).status.token;
    for (const tok of [plain, secretBound, podBound]) assert.ok(await t.authn.authenticate(bearer(tok)));

    t.put('secrets', 'ns1', 's1'); // recreated: another uid
    await assert.rejects(t.authn.authenticate(bearer(secretBound)), /secret UID .* does not match/);
    t.del('pods', 'ns1', 'p1');
    await assert.rejects(t.authn.authenticate(bearer(podBound)), /has been invalidated/);
    // Graceful deletion keeps tokens for a minute; after that they are gone.
    t.sa.metadata.deletionTimestamp = new Date(Date.now() - 10_000).toISOString();
    assert.ok(await t.authn.authenticate(bearer(plain)));
    t.sa.metadata.deletionTimestamp = new Date(Date.now() - 120_000).toISOString();
    await assert.rejects(t.authn.authenticate(bearer(plain)), /has been deleted/);
    t.del('serviceaccounts', 'ns1', 'robot');
    await assert.rejects(t.authn.authenticate(bearer(plain)), /not found/);
  });

  it('accepts legacy secret-based tokens only while their Secret holds them', async () => {
    const t = setup();
    const legacy = await new SignJWT({
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'ns1',
      'kubernetes.io/serviceaccount/secret.name': 'robot-token',
      'kubernetes.io/serviceaccount/service-account.name': 'robot',
      'kubernetes.io/serviceaccount/service-account.uid': t.sa.metadata.uid,
      sub: 'system:serviceaccount:ns1:robot',
    })
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid })
      .sign(signingKey.privateKey);
    await assert.rejects(t.authn.authenticate(bearer(legacy)), /invalidated/);
    const secret = t.put('secrets', 'ns1', 'robot-token', { type: 'kubernetes.io/service-account-token', data: { token: Buffer.from(legacy).toString('base64') } });
    assert.equal((await t.authn.authenticate(bearer(legacy)))!.user.name, 'system:serviceaccount:ns1:robot');
    secret.metadata.labels = { 'kubernetes.io/legacy-token-invalid-since': '2024-01-01' };
    await assert.rejects(t.authn.authenticate(bearer(legacy)), /marked invalid/);
  });
});

describe('service-account issuer discovery', () => {
  it('renders the discovery document and the JWKS as upstream', async () => {
    const meta = await openIDMetadata({ issuer, externalAddress: '127.0.0.1:6443', keys: [signingKey] });
    assert.deepEqual(JSON.parse(meta.configJSON), {
      issuer,
      jwks_uri: 'https://127.0.0.1:6443/openid/v1/jwks',
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const jwks = JSON.parse(meta.keysetJSON);
    assert.equal(jwks.keys.length, 1);
    assert.deepEqual(Object.keys(jwks.keys[0]), ['use', 'kty', 'kid', 'alg', 'n', 'e']);
    assert.equal(jwks.keys[0].kid, signingKey.kid);
    await assert.rejects(openIDMetadata({ issuer: 'kubernetes/serviceaccount', externalAddress: 'x', keys: [signingKey] }));
    await assert.rejects(openIDMetadata({ issuer: 'http://insecure', externalAddress: 'x', keys: [signingKey] }), /https/);
  });
});
