/**
 * A protobuf body whose envelope names a kind kube-apiserver's scheme does not know is refused by the decoder, with
 * the same 400 as a JSON body (test/fidelity/cases/decode/api-versions.yaml has the JSON and YAML ones); a known
 * kind of another version is refused for its version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { encodeEnvelope } from '../../runtime/machinery/protobuf.ts';
import { startServer, type TestServer } from '../support/server.ts';

const protobufType = 'application/vnd.kubernetes.protobuf';
const deployments = '/apis/apps/v1/namespaces/default/deployments';

describe('protobuf bodies of kinds the scheme does not know', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  const post = (apiVersion: string, kind: string) =>
    server.request('POST', deployments, Buffer.from(encodeEnvelope(apiVersion, kind, new Uint8Array())), { 'Content-Type': protobufType, Accept: 'application/json' });

  test('an envelope naming v1 Deployment is the decoder\'s 400', async () => {
    const res = await post('v1', 'Deployment');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.reason, 'BadRequest');
    assert.equal(res.json.message, 'Deployment in version "v1" cannot be handled as a Deployment: no kind "Deployment" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"');
  });

  test('an envelope naming apps/v1beta1 Deployment decodes, then is refused for its version', async () => {
    const res = await post('apps/v1beta1', 'Deployment');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.message, 'the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)');
  });

  test('an envelope naming another known kind decodes as that kind, which does not convert to a Deployment', async () => {
    const res = await post('apps/v1', 'ReplicaSet');
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.reason, 'BadRequest');
    assert.equal(res.json.message, 'ReplicaSet in version "v1" cannot be handled as a Deployment: converting (v1.ReplicaSet) to (apps.Deployment): unknown conversion');
  });
});
