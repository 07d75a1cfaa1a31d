/**
 * The tokens controller against a real server: a token Secret naming an account is filled, and goes with the
 * account. Its watch of Secrets keeps only the type, the account annotation and which Secret it is
 * (tokenSecretReference), so these guard that it still keeps what the controller acts on: without the type no
 * Secret is filled, without the annotation a deleted account's Secrets are not found.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/kubectl.ts';

let server: TestServer;
const ns = `sat-${process.pid}`;
const secrets = `/api/v1/namespaces/${ns}/secrets`;
const accounts = `/api/v1/namespaces/${ns}/serviceaccounts`;
const accountAnnotation = 'kubernetes.io/service-account.name';

before(async () => {
  server = await startServer();
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
});
after(async () => {
  await server?.stop();
});

test('a token Secret is filled for its account and deleted with it; another type naming the account is left alone', async () => {
  assert.equal((await server.request('POST', accounts, { metadata: { name: 'robot' } })).status, 201);
  const token = await server.request('POST', secrets, { metadata: { name: 'robot-token', annotations: { [accountAnnotation]: 'robot' } }, type: 'kubernetes.io/service-account-token' });
  assert.equal(token.status, 201, token.text);
  const opaque = await server.request('POST', secrets, { metadata: { name: 'robot-notes', annotations: { [accountAnnotation]: 'robot' } }, data: { note: 'aGk=' } });
  assert.equal(opaque.status, 201, opaque.text);

  await eventually(async () => Boolean((await server.request('GET', `${secrets}/robot-token`)).json.data?.token), 'the token Secret filled');
  const account = (await server.request('GET', `${accounts}/robot`)).json;
  const filled = (await server.request('GET', `${secrets}/robot-token`)).json;
  assert.equal(filled.metadata.annotations['kubernetes.io/service-account.uid'], account.metadata.uid);
  assert.deepEqual(Object.keys(filled.data).sort(), ['ca.crt', 'namespace', 'token']);

  assert.equal((await server.request('DELETE', `${accounts}/robot`)).status, 200);
  await eventually(async () => (await server.request('GET', `${secrets}/robot-token`)).status === 404, 'the token Secret deleted with its account');
  const notes = await server.request('GET', `${secrets}/robot-notes`);
  assert.equal(notes.status, 200);
  assert.deepEqual(notes.json.data, { note: 'aGk=' });
  assert.equal(notes.json.metadata.resourceVersion, opaque.json.metadata.resourceVersion);
});
