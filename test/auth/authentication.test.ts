// Authentication through the real server: client certificates, static and bootstrap tokens, the front proxy,
// anonymous access, impersonation, TokenReview and SelfSubjectReview, with raw HTTPS and with kubectl.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type TestServer } from '../support/server.ts';
import { kubectlRunner } from '../support/kubectl.ts';
import { call, clientCert, intermediateCA, kubeconfigCA, makeCA, whoami, writeKubeconfig, type Pair } from './support.ts';

let server: TestServer;
let ca: string;
let dir: string;
const frontCA = makeCA('front-proxy-ca');
const otherCA = makeCA('some-other-ca');
const proxy = clientCert(frontCA, 'front-proxy-client');
const TOKEN = 'static-token-0123456789';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kube-ts-authn-'));
  writeFileSync(join(dir, 'tokens.csv'), `${TOKEN},alice,alice-uid,"dev,ops"\nother-token,bob,bob-uid\n`);
  writeFileSync(join(dir, 'front-ca.crt'), frontCA.certPem);
  server = await startServer({
    args: [
      '--token-auth-file', join(dir, 'tokens.csv'),
      '--enable-bootstrap-token-auth',
      '--requestheader-client-ca-file', join(dir, 'front-ca.crt'),
      '--requestheader-allowed-names', 'front-proxy-client',
      '--requestheader-username-headers', 'X-Remote-User',
      '--requestheader-group-headers', 'X-Remote-Group',
      '--requestheader-extra-headers-prefix', 'X-Remote-Extra-',
      // These tests ask who the server says a caller is, anonymous callers included (upstream's default RBAC lets
      // only authenticated users create SelfSubjectReviews); authorization has its own tests.
      '--authorization-mode', 'AlwaysAllow',
    ],
  });
  ca = kubeconfigCA(server.kubeconfig);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the admin client certificate is system:masters, plus system:authenticated (kubectl auth whoami)', async () => {
  const k = kubectlRunner(server.kubeconfig);
  const res = await k.run(['auth', 'whoami', '-o', 'json']);
  assert.equal(res.code, 0, res.stderr);
  const review = JSON.parse(res.stdout);
  assert.equal(review.kind, 'SelfSubjectReview');
  assert.deepEqual(review.status.userInfo, { username: 'kube-ts-admin', groups: ['system:masters', 'system:authenticated'] });
  const table = await k.run(['auth', 'whoami']);
  assert.match(table.stdout, /Username\s+kube-ts-admin/);
});

test('no credentials: system:anonymous in system:unauthenticated', async () => {
  const res = await whoami(server.url, { ca });
  assert.equal(res.name, 'system:anonymous');
  // (With an authorizer that lets anonymous review itself, the groups show too.)
  if (res.user) assert.deepEqual(res.user, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
});

test('a certificate from another CA is 401, never anonymous', async () => {
  const res = await call(server.url, { path: '/api/v1/namespaces', ca, cert: clientCert(otherCA, 'mallory', ['system:masters']) });
  assert.equal(res.status, 401);
  assert.deepEqual(res.json, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
});

test('an expired certificate, and a server-only certificate, from the right CA are 401', async () => {
  const pki = { certPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'ca.crt'), 'utf8'), keyPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'ca.key'), 'utf8') };
  const expired = clientCert(pki, 'old', [], { notBefore: new Date(Date.now() - 7200_000), notAfter: new Date(Date.now() - 3600_000) });
  assert.equal((await call(server.url, { path: '/api', ca, cert: expired })).status, 401);
  const serverOnly = clientCert(pki, 'srv', [], { usage: 'serverAuth' });
  assert.equal((await call(server.url, { path: '/api', ca, cert: serverOnly })).status, 401);
  const good = clientCert(pki, 'carol', ['team-a', 'team-b']);
  assert.deepEqual((await whoami(server.url, { ca, cert: good })).user, { username: 'carol', groups: ['team-a', 'team-b', 'system:authenticated'] });
});

test('static token file: user, uid and groups; kubectl with the token', async () => {
  const res = await whoami(server.url, { ca, headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.deepEqual(res.user, { username: 'alice', uid: 'alice-uid', groups: ['dev', 'ops', 'system:authenticated'] });
  const k = kubectlRunner(writeKubeconfig(join(dir, 'alice.kubeconfig'), server.url, ca, { token: TOKEN }));
  const who = await k.run(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  assert.equal(who.stdout, 'alice', who.stderr);
  // The scheme is case-insensitive and surrounding whitespace is trimmed, as upstream.
  assert.equal((await whoami(server.url, { ca, headers: { Authorization: `bearer ${TOKEN}  ` } })).user.username, 'alice');
});

test('an unknown bearer token is 401 (kubectl: Unauthorized), never anonymous', async () => {
  const res = await call(server.url, { path: '/api/v1/namespaces', ca, headers: { Authorization: 'Bearer not-a-token' } });
  assert.equal(res.status, 401);
  assert.equal(res.json.reason, 'Unauthorized');
  const k = kubectlRunner(writeKubeconfig(join(dir, 'bad.kubeconfig'), server.url, ca, { token: 'not-a-token' }));
  const out = await k.run(['get', 'namespaces']);
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /You must be logged in to the server/);
});

test('a token with stray whitespace is not that token: `Bearer  <token>` is no bearer token at all', async () => {
  const res = await whoami(server.url, { ca, headers: { Authorization: `Bearer  ${TOKEN}` } });
  assert.equal(res.name, 'system:anonymous');
  const tab = await whoami(server.url, { ca, headers: { Authorization: `Bearer\t${TOKEN}` } });
  assert.equal(tab.name, 'system:anonymous');
});

function bootstrapSecret(id: string, data: Record<string, string>, type = 'bootstrap.kubernetes.io/token') {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' }, type, stringData: data };
}

test('bootstrap tokens: a valid Secret authenticates as system:bootstrap:<id>; wrong, expired or unusable ones are 401', async () => {
  const future = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const past = new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const secrets = [
    bootstrapSecret('abcdef', { 'token-id': 'abcdef', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', expiration: future, 'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token' }),
    bootstrapSecret('expird', { 'token-id': 'expird', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true', expiration: past }),
    bootstrapSecret('nouse1', { 'token-id': 'nouse1', 'token-secret': '0123456789abcdef', 'usage-bootstrap-signing': 'true' }),
    bootstrapSecret('opaque', { 'token-id': 'opaque', 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'true' }, 'Opaque'),
  ];
  for (const s of secrets) {
    const res = await server.request('POST', '/api/v1/namespaces/kube-system/secrets', s);
    assert.equal(res.status, 201, res.text);
  }
  const as = (token: string) => whoami(server.url, { ca, headers: { Authorization: `Bearer ${token}` } });
  // The watch cache may lag the write by a moment.
  let ok;
  for (let i = 0; i < 50 && ok?.status !== 201; i++) {
    ok = await as('abcdef.0123456789abcdef');
    if (ok.status !== 201) await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(ok!.user, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] });
  for (const bad of ['abcdef.0123456789abcdeX', 'abcdef.fedcba9876543210', 'expird.0123456789abcdef', 'nouse1.0123456789abcdef', 'opaque.0123456789abcdef', 'zzzzzz.0123456789abcdef']) {
    assert.equal((await as(bad)).status, 401, bad);
  }
});

test('front proxy: headers count only from a certificate of the requestheader CA with an allowed CN', async () => {
  const headers = {
    'X-Remote-User': 'frank',
    'X-Remote-Group': ['g1', 'g2'],
    'X-Remote-Extra-Scopes': ['read', 'write'],
    'X-Remote-Extra-Example.com%2fteam': 'blue',
  };
  const viaProxy = await whoami(server.url, { ca, cert: proxy, headers });
  assert.deepEqual(viaProxy.user, { username: 'frank', groups: ['g1', 'g2', 'system:authenticated'], extra: { scopes: ['read', 'write'], 'example.com/team': ['blue'] } });

  // Forged: no certificate, the headers are ignored.
  assert.equal((await whoami(server.url, { ca, headers })).name, 'system:anonymous');
  // Forged: a valid client certificate of the client CA authenticates as itself, the headers are ignored.
  const admin = await whoami(server.url, { ca, cert: { certPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'admin.crt'), 'utf8'), keyPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'admin.key'), 'utf8') }, headers });
  assert.equal(admin.user.username, 'kube-ts-admin');
  // The requestheader CA, but a CN that is not allowed: 401.
  const stranger = clientCert(frontCA, 'not-the-proxy');
  assert.equal((await whoami(server.url, { ca, cert: stranger, headers })).status, 401);
  // Another CA with the allowed CN: 401.
  assert.equal((await whoami(server.url, { ca, cert: clientCert(otherCA, 'front-proxy-client'), headers })).status, 401);
  // The proxy without a username header asserts nobody, and its certificate is not from the client CA: 401.
  assert.equal((await whoami(server.url, { ca, cert: proxy })).status, 401);
});

test('front proxy through an intermediate CA it sends with its certificate; the same certificate on a new connection', async () => {
  const mid = intermediateCA(frontCA, 'front-proxy-intermediate');
  const leaf = clientCert(mid, 'front-proxy-client');
  const withChain = { certPem: leaf.certPem + mid.certPem, keyPem: leaf.keyPem };
  const headers = { 'X-Remote-User': 'ivy' };
  assert.equal((await whoami(server.url, { ca, cert: withChain, headers })).name, 'ivy');
  // Every call is a fresh connection: the second is answered from the verdict kept for this chain, as the first.
  assert.equal((await whoami(server.url, { ca, cert: withChain, headers })).name, 'ivy');
  // Without the intermediate the leaf reaches no trusted root: 401, also after the chain above was accepted.
  assert.equal((await whoami(server.url, { ca, cert: leaf, headers })).status, 401);
});

test('impersonation by system:masters: kubectl --as, --as-group, service accounts, uid and extras', async () => {
  const k = kubectlRunner(server.kubeconfig);
  const res = await k.run(['auth', 'whoami', '-o', 'json', '--as', 'bob', '--as-group', 'g1', '--as-group', 'g2']);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(JSON.parse(res.stdout).status.userInfo, { username: 'bob', groups: ['g1', 'g2', 'system:authenticated'] });

  const sa = await k.run(['auth', 'whoami', '-o', 'json', '--as', 'system:serviceaccount:default:builder']);
  assert.deepEqual(JSON.parse(sa.stdout).status.userInfo, {
    username: 'system:serviceaccount:default:builder',
    groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
  });

  const adminCert = { certPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'admin.crt'), 'utf8'), keyPem: (await import('node:fs')).readFileSync(join(server.dataDir, 'pki', 'admin.key'), 'utf8') };
  const raw = await whoami(server.url, {
    ca,
    cert: adminCert,
    headers: { 'Impersonate-User': 'dora', 'Impersonate-Uid': 'u-1', 'Impersonate-Extra-Example.com%2fscopes': ['a', 'b'], 'Impersonate-Group': 'qa' },
  });
  assert.deepEqual(raw.user, { username: 'dora', uid: 'u-1', groups: ['qa', 'system:authenticated'], extra: { 'example.com/scopes': ['a', 'b'] } });

  const anon = await whoami(server.url, { ca, cert: adminCert, headers: { 'Impersonate-User': 'system:anonymous' } });
  assert.equal(anon.name, 'system:anonymous');
  if (anon.user) assert.deepEqual(anon.user, { username: 'system:anonymous', groups: ['system:unauthenticated'] });
  // Impersonating system:unauthenticated explicitly: system:authenticated is not added.
  const unauth = await call(server.url, { path: '/api/v1/namespaces', ca, cert: adminCert, headers: { 'Impersonate-User': 'erin', 'Impersonate-Group': 'system:unauthenticated' } });
  if (unauth.status === 403) assert.match(unauth.json.message, /User "erin" cannot list/);
  else assert.equal(unauth.status, 200);

  // Groups without a user: refused, as upstream (500).
  const groupOnly = await whoami(server.url, { ca, cert: adminCert, headers: { 'Impersonate-Group': 'system:masters' } });
  assert.equal(groupOnly.status, 500);
  assert.match(groupOnly.body.message, /without impersonating a user/);
});

test('TokenReview runs the token authenticators', async () => {
  const review = (token: string, audiences?: string[]) =>
    server.request('POST', '/apis/authentication.k8s.io/v1/tokenreviews', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences ? { audiences } : {}) } });
  const good = await review(TOKEN);
  assert.equal(good.status, 201, good.text);
  assert.equal(good.json.status.authenticated, true);
  assert.deepEqual(good.json.status.user, { username: 'alice', uid: 'alice-uid', groups: ['dev', 'ops', 'system:authenticated'] });

  const bad = await review('nope');
  assert.equal(bad.status, 201);
  assert.equal(bad.json.status.authenticated, undefined);
  assert.deepEqual(bad.json.status, { user: {} }, 'a token no authenticator knows is no error, as upstream');

  const empty = await review('');
  assert.equal(empty.status, 400);
  assert.match(empty.json.message, /token is required/);
});
