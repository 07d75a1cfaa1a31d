/**
 * A RawExtension field (ControllerRevision.data) in every format a client reads and writes it in: its JSON text is
 * kept as sent and written compacted in JSON (responses, lists, watches), as its value in YAML, and as its bytes in
 * protobuf; a YAML body's is Go's encoding of the YAML value (upstream converts YAML to JSON first, map keys sorted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { addToScheme } from '../../generated/index.ts';
import { encodeEnvelope, protobufContentType } from '../../runtime/machinery/protobuf.ts';
import { rawForm } from '../../runtime/machinery/raw-json.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { startServer, type TestServer } from '../support/server.ts';

const scheme = new Scheme();
addToScheme(scheme);
const path = '/apis/apps/v1/namespaces/default/controllerrevisions';
const sent = '{"b": 1, "1": [2, 3.50], "n": 12345678901234567890, "f": 1.0}';
const written = '"data":{"b":1,"1":[2,3.50],"n":12345678901234567890,"f":1.0}';

function revision(name: string, data: string): string {
  return `{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"${name}"},"data":${data},"revision":1}`;
}

describe('RawExtension fields (ControllerRevision.data)', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server.stop();
  });

  it('managed fields own the field whole, as an atomic value', async () => {
    const created = await server.request('POST', `${path}?fieldManager=raw`, revision('managed', sent));
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(created.json.metadata.managedFields.map((e: { fieldsV1: unknown }) => e.fieldsV1), [{ 'f:data': {}, 'f:revision': {} }]);
  });

  it('a watch writes the text as sent, compacted', async () => {
    const list = await server.request('GET', path);
    const w = await server.watch(`${path}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}`);
    try {
      const created = await server.request('POST', path, revision('watched', sent));
      assert.equal(created.status, 201, created.text);
      const line = await w.nextLine();
      assert.ok(line.includes(written), line);
    } finally {
      w.close();
    }
  });

  it('YAML: a body keeps Go\'s encoding of its value; an answer writes the value', async () => {
    const yaml = 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: from-yaml\ndata:\n  b: 1\n  a: 1.0\nrevision: 1\n';
    const created = await server.request('POST', path, yaml, { 'Content-Type': 'application/yaml' });
    assert.equal(created.status, 201, created.text);
    assert.ok(created.text.includes('"data":{"a":1,"b":1}'), created.text);

    await server.request('POST', path, revision('to-yaml', sent));
    const got = await server.request('GET', `${path}/to-yaml`, undefined, { Accept: 'application/yaml' });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(parseYaml(got.text).data, { b: 1, 1: [2, 3.5], n: 12345678901234567890, f: 1 });
  });

  it('protobuf: a body\'s raw bytes are kept as they are, and written back as they are', async () => {
    const body = encodeEnvelope('apps/v1', 'ControllerRevision', scheme.protobuf.encodeRaw('apps/v1', 'ControllerRevision', { metadata: { name: 'from-pb' }, data: rawForm(sent), revision: 1 }));
    const created = await server.request('POST', path, Buffer.from(body), { 'Content-Type': protobufContentType });
    assert.equal(created.status, 201, created.text);
    assert.ok(created.text.includes(written), created.text);

    const got = await server.request('GET', `${path}/from-pb`, undefined, { Accept: protobufContentType });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(scheme.protobuf.decodeObject(got.bytes).data, rawForm(sent));
    // A JSON body's text (spacing included) is what protobuf answers too.
    await server.request('POST', path, revision('json-to-pb', sent));
    const fromJson = await server.request('GET', `${path}/json-to-pb`, undefined, { Accept: protobufContentType });
    assert.deepEqual(scheme.protobuf.decodeObject(fromJson.bytes).data, rawForm(sent));
  });
});
