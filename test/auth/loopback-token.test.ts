// The server's own bearer token (upstream's loopback client token): the exact token is system:apiserver in the
// privileged group, nothing near it is, and the token never shows in JSON or inspected output (so in no log).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { LoopbackToken, loopbackTokenAuthenticator } from '../../runtime/auth/authentication/loopback-token.ts';
import { requestAuthenticator, unionAuthenticator } from '../../runtime/auth/authentication/union.ts';
import { apiserverUser } from '../../runtime/auth/user.ts';

const withBearer = (token: string, audiences?: string[]) => ({ method: 'GET', path: '/api', header: (n: string) => (n.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined), audiences });
const tokenOf = (t: LoopbackToken) => t.authorization().slice('Bearer '.length);

test('the loopback token is the API server: system:apiserver, a UID of this run, system:authenticated and system:masters', async () => {
  const token = new LoopbackToken();
  const authenticate = requestAuthenticator(unionAuthenticator('request', [loopbackTokenAuthenticator(token, [])]), { anonymous: true });
  const { user } = await authenticate(withBearer(tokenOf(token)));
  assert.equal(user.name, 'system:apiserver');
  assert.deepEqual(user.groups, ['system:authenticated', 'system:masters']);
  assert.match(user.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  // In-process calls are the same user.
  assert.deepEqual(user, apiserverUser);
});

test('only the exact loopback token is accepted; another run\'s, a prefix or a longer one is an invalid bearer token', async () => {
  const token = new LoopbackToken();
  const t = tokenOf(token);
  const authenticate = requestAuthenticator(unionAuthenticator('request', [loopbackTokenAuthenticator(token, [])]), { anonymous: true });
  for (const wrong of [tokenOf(new LoopbackToken()), t.slice(0, -1), `${t}x`, `${t[0] === 'x' ? 'y' : 'x'}${t.slice(1)}`]) {
    assert.throws(() => authenticate(withBearer(wrong)), { message: 'invalid bearer token' });
  }
  assert.equal((await authenticate({ method: 'GET', path: '/api', header: () => undefined })).user.name, 'system:anonymous');
});

test('with --api-audiences, the loopback token is good for those audiences only (upstream wraps it audience-agnostic)', async () => {
  const token = new LoopbackToken();
  const tokens = unionAuthenticator('token', [loopbackTokenAuthenticator(token, ['https://kubernetes.default.svc'])], { unknownTokenFails: false });
  assert.equal((await tokens.authenticate(withBearer(tokenOf(token), ['https://kubernetes.default.svc'])))?.user.name, 'system:apiserver');
  assert.equal(await tokens.authenticate(withBearer(tokenOf(token), ['vault'])), undefined);
});

test('the token never shows in JSON or util.inspect output', () => {
  const token = new LoopbackToken();
  const t = tokenOf(token);
  assert.ok(t.length >= 40);
  const holder = { loopback: { url: 'https://127.0.0.1:6443', token } };
  assert.ok(!JSON.stringify(holder).includes(t));
  assert.ok(!inspect(holder, { depth: 10, showHidden: true }).includes(t));
  assert.ok(!String(token).includes(t));
});
