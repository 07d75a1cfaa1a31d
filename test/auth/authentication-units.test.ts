// The parts of authentication that need no server: bearer token parsing, the token file's CSV, certificate chain
// verification with intermediates, impersonation refused by an authorizer (the 403 users see), and which credentials
// the server's authenticator answers at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAuthenticator } from '../../runtime/auth/authentication/build.ts';
import { LoopbackToken } from '../../runtime/auth/authentication/loopback-token.ts';
import type { AuthenticationRequest, AuthenticationResponse } from '../../runtime/auth/authentication/types.ts';
import { bearerToken } from '../../runtime/auth/authentication/types.ts';
import { parseCSV } from '../../runtime/auth/authentication/token-file.ts';
import { verifyClientChain } from '../../runtime/auth/authentication/x509.ts';
import { impersonate, type AuthorizationAttributes } from '../../runtime/auth/authentication/impersonation.ts';
import { StatusError } from '../../runtime/machinery/status.ts';
import { clientCert, intermediateCA, makeCA, type Pair } from './support.ts';

const req = (headers: Record<string, string | string[]>) => {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v : [v]]));
  return { header: (n: string) => lower[n.toLowerCase()]?.join(', '), headerValues: (n: string) => lower[n.toLowerCase()] ?? [], headerNames: () => Object.keys(lower) };
};

test('bearer tokens are read as upstream reads them', () => {
  const t = (v: string) => bearerToken(req({ Authorization: v }));
  assert.equal(t('Bearer abc'), 'abc');
  assert.equal(t('bEaReR abc'), 'abc');
  assert.equal(t('  Bearer abc  '), 'abc');
  assert.equal(t('Bearer abc def'), 'abc');
  assert.equal(t('Bearer  abc'), undefined);
  assert.equal(t('Bearer'), undefined);
  assert.equal(t('Bearer '), undefined);
  assert.equal(t('Basic YTpi'), undefined);
  assert.equal(t('Bearer\tabc'), undefined);
  assert.equal(bearerToken(req({})), undefined);
  assert.equal(bearerToken({ header: () => undefined, token: ' spaced ' }), ' spaced ');
});

test('WebSocket upgrades may carry the bearer token as a base64url subprotocol', () => {
  const ws = (protocols: string | string[], extra: Record<string, string> = {}) =>
    bearerToken(req({ Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Protocol': protocols, ...extra }));
  const enc = (t: string) => `base64url.bearer.authorization.k8s.io.${Buffer.from(t).toString('base64url')}`;
  assert.equal(ws(`${enc('my-token')}, v5.channel.k8s.io`), 'my-token');
  assert.equal(ws([enc('my-token'), 'v5.channel.k8s.io']), 'my-token');
  // The Authorization header wins; a plain request ignores the subprotocol header.
  assert.equal(ws(`${enc('my-token')}, v5.channel.k8s.io`, { Authorization: 'Bearer header-token' }), 'header-token');
  assert.equal(bearerToken(req({ 'Sec-WebSocket-Protocol': `${enc('my-token')}, x` })), undefined);
  assert.throws(() => ws(enc('my-token')), /missing additional subprotocol/);
  assert.throws(() => ws(`${enc('a')}, ${enc('b')}, x`), /multiple/);
  assert.throws(() => ws('base64url.bearer.authorization.k8s.io.!!, x'), /encoding/);
  assert.throws(() => ws(`base64url.bearer.authorization.k8s.io.${Buffer.from([0xff, 0xfe]).toString('base64url')}, x`), /invalid base64.bearer.authorization token$/);
  assert.equal(ws('v5.channel.k8s.io'), undefined);
});

test('the token file CSV: quoted groups, escaped quotes, leading spaces and CRLF', () => {
  assert.deepEqual(parseCSV('t1,alice,1,"a,b"\r\nt2, bob,2\n\n"t""3",carol,3,x\n'), [
    ['t1', 'alice', '1', 'a,b'],
    ['t2', 'bob', '2'],
    ['t"3', 'carol', '3', 'x'],
  ]);
  assert.throws(() => parseCSV('"open,alice,1\n'), /unterminated/);
});

test('client chains verify through intermediates the client sends, and only up to a trusted root', () => {
  const root = makeCA('root');
  const mid = intermediateCA(root, 'intermediate');
  const leaf = clientCert(mid, 'deep-user');
  const x = (p: Pair) => new X509Certificate(p.certPem);
  const roots = [x(root)];
  verifyClientChain([x(leaf), x(mid)], roots);
  assert.throws(() => verifyClientChain([x(leaf)], roots), /unknown authority/);
  // A self-made "root" sent along by the client is no trust anchor.
  const fake = makeCA('root');
  assert.throws(() => verifyClientChain([x(clientCert(fake, 'u')), x(fake)], roots), /unknown authority/);
  // A leaf is no CA: a certificate signed by a leaf does not chain.
  const leafSigned = clientCert(leaf, 'grandchild');
  assert.throws(() => verifyClientChain([x(leafSigned), x(leaf), x(mid)], roots), /unknown authority/);
});

test('impersonation refused by the authorizer is 403 with upstream wording; nothing is half-applied', async () => {
  const alice = { name: 'alice', groups: ['dev', 'system:authenticated'] };
  const asked: AuthorizationAttributes[] = [];
  // alice may impersonate the user bob and nothing else.
  const authorize = async (a: AuthorizationAttributes) => {
    asked.push(a);
    return { decision: a.resource === 'users' && a.name === 'bob' ? ('allow' as const) : ('no-opinion' as const) };
  };
  assert.deepEqual(await impersonate(alice, req({ 'Impersonate-User': 'bob' }), authorize), { name: 'bob', groups: ['system:authenticated'] });
  assert.deepEqual(asked[0], { user: alice, verb: 'impersonate', apiGroup: '', apiVersion: 'v1', resource: 'users', subresource: '', namespace: '', name: 'bob', resourceRequest: true, path: '' });

  const refused = async (headers: Record<string, string | string[]>) => {
    try {
      await impersonate(alice, req(headers), authorize);
    } catch (e) {
      assert.ok(e instanceof StatusError);
      return e.status;
    }
    assert.fail('impersonation was allowed');
  };
  // Repeated Impersonate-User lines: the first counts, never "bob, carol".
  assert.deepEqual(await impersonate(alice, req({ 'Impersonate-User': ['bob', 'carol'] }), authorize), { name: 'bob', groups: ['system:authenticated'] });

  const masters = await refused({ 'Impersonate-User': 'bob', 'Impersonate-Group': 'system:masters' });
  assert.equal(masters.code, 403);
  assert.equal(masters.reason, 'Forbidden');
  assert.equal(masters.message, 'groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope');
  assert.deepEqual(masters.details, { name: 'system:masters', kind: 'groups' });

  const sa = await refused({ 'Impersonate-User': 'system:serviceaccount:kube-system:admin' });
  assert.equal(sa.message, 'serviceaccounts "admin" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "kube-system"');
  const extra = await refused({ 'Impersonate-User': 'bob', 'Impersonate-Extra-Scopes%2Fx': 'all' });
  assert.equal(extra.message, 'userextras.authentication.k8s.io "all" is forbidden: User "alice" cannot impersonate resource "userextras/scopes/x" in API group "authentication.k8s.io" at the cluster scope');
  const uid = await refused({ 'Impersonate-User': 'bob', 'Impersonate-Uid': '<script>' });
  assert.equal(uid.message, 'uids.authentication.k8s.io "<script>" is forbidden: User "alice" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope');
  const carol = await refused({ 'Impersonate-User': 'carol' });
  assert.equal(carol.message, 'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope');
});

test('client certificates, the front proxy, static tokens and the loopback token authenticate at once; other tokens wait; failures keep their order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-ts-authn-'));
  const clientCA = makeCA('client-ca');
  const proxyCA = makeCA('front-proxy-ca');
  writeFileSync(join(dir, 'client-ca.crt'), clientCA.certPem);
  writeFileSync(join(dir, 'proxy-ca.crt'), proxyCA.certPem);
  writeFileSync(join(dir, 'tokens.csv'), 'static-token,alice,1,"dev"\n');
  const loopback = new LoopbackToken();
  // A token authenticator that must wait (as a webhook's or a service account's lookups do).
  const waiting = { name: 'waiting', authenticate: async (r: AuthenticationRequest) => (bearerToken(r) === 'remote-token' ? { user: { name: 'bob', groups: [] } } : undefined) };
  const authn = buildAuthenticator(
    { anonymousAuth: false, clientCaFile: join(dir, 'client-ca.crt'), tokenAuthFile: join(dir, 'tokens.csv'), enableBootstrapTokenAuth: false, requestheaderClientCaFile: join(dir, 'proxy-ca.crt'), requestheaderAllowedNames: [], requestheaderUsernameHeaders: ['X-Remote-User'], requestheaderGroupHeaders: ['X-Remote-Group'], requestheaderExtraHeadersPrefix: [] },
    { getSecret: async () => undefined, tokenAuthenticators: [waiting], loopbackToken: loopback, apiAudiences: ['https://kubernetes.default.svc'] },
  );
  const request = (headers: Record<string, string>, cert?: { certPem: string }): AuthenticationRequest => ({ method: 'GET', path: '/api', ...req(headers), peerCertificates: cert && [new X509Certificate(cert.certPem)] });
  const atOnce = (r: AuthenticationRequest): AuthenticationResponse => {
    const res = authn.authenticate(r);
    assert.ok(!(res instanceof Promise), 'answered with a promise');
    return res;
  };
  try {
    // The admin's way (a client certificate, which the front proxy refuses first), twice: the second from the cache.
    const admin = clientCert(clientCA, 'admin', ['system:masters']);
    for (let i = 0; i < 2; i++) assert.deepEqual(atOnce(request({}, admin)).user, { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
    // A certificate already in system:authenticated: its cached user is handed out as is, and cannot be changed.
    const member = clientCert(clientCA, 'member', ['system:authenticated']);
    const first = atOnce(request({}, member)).user;
    assert.throws(() => first.groups.push('system:masters'), TypeError);
    assert.deepEqual(atOnce(request({}, member)).user, { name: 'member', groups: ['system:authenticated'] });
    assert.deepEqual(atOnce(request({ 'X-Remote-User': 'carol', 'X-Remote-Group': 'ops' }, clientCert(proxyCA, 'front-proxy-client'))).user, { name: 'carol', groups: ['ops', 'system:authenticated'] });
    assert.deepEqual(atOnce(request({ Authorization: 'Bearer static-token' })).user, { name: 'alice', uid: '1', groups: ['dev', 'system:authenticated'] });
    assert.equal(atOnce(request({ Authorization: loopback.authorization() })).user.name, 'system:apiserver');

    const remote = authn.authenticate(request({ Authorization: 'Bearer remote-token' }));
    assert.ok(remote instanceof Promise);
    assert.equal((await remote).user.name, 'bob');
    // A certificate of another CA with an unknown token: 401 naming both refusals, in the authenticators' order.
    const stranger = clientCert(makeCA('other-ca'), 'mallory');
    await assert.rejects(async () => authn.authenticate(request({ Authorization: 'Bearer unknown' }, stranger)), /^AuthenticationError: \[front proxy: x509: certificate signed by unknown authority .*, verifying certificate failed: x509: certificate signed by unknown authority .*\]$/);
  } finally {
    authn.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
