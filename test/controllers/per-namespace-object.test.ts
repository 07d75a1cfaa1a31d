/**
 * The controllers that keep one object in every namespace (the root CA publisher's kube-root-ca.crt, the default
 * ServiceAccount), against a real server: what a client changes or deletes is put back, as kube-controller-manager
 * does. Their watch of the objects keeps only which object changed (identityOnly), so these guard that it still
 * says which.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/kubectl.ts';

let server: TestServer;
const ns = `pno-${process.pid}`;
const rootCA = `/api/v1/namespaces/${ns}/configmaps/kube-root-ca.crt`;
const defaultAccount = `/api/v1/namespaces/${ns}/serviceaccounts/default`;

before(async () => {
  server = await startServer();
  assert.equal((await server.request('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  await eventually(async () => (await server.request('GET', rootCA)).status === 200, 'kube-root-ca.crt');
  await eventually(async () => (await server.request('GET', defaultAccount)).status === 200, 'the default ServiceAccount');
});
after(async () => {
  await server?.stop();
});

test('a changed kube-root-ca.crt gets its CA back, and a deleted one comes back', async () => {
  const published = (await server.request('GET', rootCA)).json;
  const changed = await server.request('PUT', rootCA, { ...published, data: { 'ca.crt': 'not a CA' } });
  assert.equal(changed.status, 200);
  await eventually(async () => (await server.request('GET', rootCA)).json.data?.['ca.crt'] === published.data['ca.crt'], 'the CA put back');

  assert.equal((await server.request('DELETE', rootCA)).status, 200);
  await eventually(async () => {
    const res = await server.request('GET', rootCA);
    return res.status === 200 && res.json.metadata.uid !== published.metadata.uid && res.json.data['ca.crt'] === published.data['ca.crt'];
  }, 'kube-root-ca.crt published again');
});

test('a deleted default ServiceAccount comes back', async () => {
  const before = (await server.request('GET', defaultAccount)).json;
  assert.equal((await server.request('DELETE', defaultAccount)).status, 200);
  await eventually(async () => {
    const res = await server.request('GET', defaultAccount);
    return res.status === 200 && res.json.metadata.uid !== before.metadata.uid;
  }, 'the default ServiceAccount made again');
});
