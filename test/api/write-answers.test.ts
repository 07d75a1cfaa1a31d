/**
 * What a write answers is what was stored: the body of a create, an update, a patch and an apply is byte for byte
 * the body of a GET that follows it, in JSON and in protobuf (upstream answers with the object its storage decoded
 * from what it wrote, and a GET reads the same). The store hands its writer the written object without decoding
 * the bytes back (storage/store.ts decodeWrite), so this is what holds that shortcut to a real read.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const json = { 'Content-Type': 'application/json' };
const protobuf = 'application/vnd.kubernetes.protobuf';

const objects = [
  {
    path: '/api/v1/namespaces/default/configmaps',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'answer-cm', labels: { b: '1', a: '2' } }, data: { '10': 'x', '9': 'y', k: 'v' } },
  },
  {
    path: '/api/v1/namespaces/default/pods',
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'answer-pod' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { limits: { cpu: '1000m', memory: '1Gi' } } }] } },
  },
  {
    path: '/apis/apps/v1/namespaces/default/deployments',
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'answer-deploy' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    },
  },
];

describe('a write answers with the bytes a later GET reads', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  /** The object at `item` now, as JSON text and protobuf bytes. */
  async function read(item: string) {
    const asJson = await server.request('GET', item);
    const asProto = await server.request('GET', item, undefined, { Accept: protobuf });
    assert.equal(asJson.status, 200, asJson.text);
    return { text: asJson.text, bytes: asProto.bytes };
  }

  for (const { path, body } of objects) {
    it(`${body.kind}: create, update, merge patch, apply`, async () => {
      const item = `${path}/${body.metadata.name}`;
      const created = await server.request('POST', path, JSON.stringify(body), json);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.text, (await read(item)).text);

      const current = created.json;
      current.metadata.labels = { ...current.metadata.labels, updated: 'yes' };
      const updated = await server.request('PUT', item, JSON.stringify(current), { ...json, Accept: protobuf });
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.bytes, (await read(item)).bytes);

      const patched = await server.request('PATCH', item, JSON.stringify({ metadata: { annotations: { patched: 'yes' } } }), { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(patched.text, (await read(item)).text);

      const applied = await server.request('PATCH', `${item}?fieldManager=answers`, JSON.stringify({ apiVersion: body.apiVersion, kind: body.kind, metadata: { name: body.metadata.name, labels: { applied: 'yes' } } }), {
        'Content-Type': 'application/apply-patch+yaml',
      });
      assert.equal(applied.status, 200, applied.text);
      assert.ok(applied.text.includes('"applied":"yes"'), applied.text);
      assert.equal(applied.text, (await read(item)).text);
    });
  }
});
