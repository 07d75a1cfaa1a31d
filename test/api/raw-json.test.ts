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
import { parseJsonExact, rawForm } from '../../runtime/machinery/raw-json.ts';
import { Scheme } from '../../runtime/machinery/scheme.ts';
import { newStorageCodec } from '../../runtime/storage/codec.ts';
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
    // Upstream's YAML prints an integer past 2^53 with its exact digits (yaml.v2 reads it as uint64); the key `n`
    // is quoted, as yaml.v2 would read it back plain as the bool false.
    assert.match(got.text, /\n {2}"n": 12345678901234567890\n/);
  });

  it('YAML: a body\'s integers past 2^53 stay exact in the field\'s JSON', async () => {
    const yaml = 'apiVersion: apps/v1\nkind: ControllerRevision\nmetadata:\n  name: big-yaml\ndata:\n  n: 12345678901234567890\n  m: -9007199254740993\n  s: 7\nrevision: 1\n';
    const created = await server.request('POST', path, yaml, { 'Content-Type': 'application/yaml' });
    assert.equal(created.status, 201, created.text);
    assert.ok(created.text.includes('"data":{"m":-9007199254740993,"n":12345678901234567890,"s":7}'), created.text);
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

describe('RawExtension fields in YAML storage (--storage-media-type application/yaml)', () => {
  const fields = (_apiVersion: unknown, kind: unknown) => (kind === 'ControllerRevision' ? ['data'] : undefined);
  const codec = newStorageCodec({ mediaType: 'application/yaml', rawJsonFields: fields });

  it('stores the field as its YAML value, integers exact, never the in-memory raw form', () => {
    const stored = Buffer.from(codec.encode({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, data: rawForm(sent), revision: 1 })).toString();
    assert.ok(!stored.includes('raw'), stored);
    // As upstream's YAML serializer writes it (JSONToYAML): keys sorted, 1.0 as 1, `n` quoted (go-yaml reads it as a bool).
    assert.match(stored, /^apiVersion: apps\/v1\ndata:\n {2}"1":\n {2}- 2\n {2}- 3.5\n {2}b: 1\n {2}f: 1\n {2}"n": 12345678901234567890\nkind: ControllerRevision\n/);
    assert.deepEqual(parseYaml(stored, { intAsBigInt: true }).data, { b: 1n, 1: [2n, 3.5], n: 12345678901234567890n, f: 1n });
    // Read back as upstream reads YAML storage (YAMLToJSON, then the JSON's bytes): keys sorted, Go's number forms.
    assert.deepEqual(codec.decode(Buffer.from(stored)).data, rawForm('{"1":[2,3.5],"b":1,"f":1,"n":12345678901234567890}'));
  });

  it('reads a field\'s text with integers exact and everything else as JSON.parse does', () => {
    const text = ' { "a" : [ 1 , -12345678901234567890 , 9007199254740991, 1.5e300, 12345678901234567890.5, "12345678901234567890" ], "__proto__": {}, "e": {}, "l": [] } ';
    const v = parseJsonExact(text) as Record<string, unknown>;
    assert.deepEqual(v.a, [1, -12345678901234567890n, 9007199254740991, 1.5e300, 12345678901234567890.5, '12345678901234567890']);
    assert.ok(Object.hasOwn(v, '__proto__') && Object.getPrototypeOf(v) === Object.prototype);
    assert.deepEqual([v.e, v.l], [{}, []]);
    assert.deepEqual(parseJsonExact('{"x":[1,2.5,"s"]}'), { x: [1, 2.5, 's'] });
  });

  it('a server storing YAML answers what it read back from storage', async () => {
    const server = await startServer({ args: ['--storage-media-type', 'application/yaml'] });
    try {
      const created = await server.request('POST', path, revision('in-yaml', sent));
      assert.equal(created.status, 201, created.text);
      const normalized = '"data":{"1":[2,3.5],"b":1,"f":1,"n":12345678901234567890}';
      assert.ok(created.text.includes(normalized), created.text);
      const got = await server.request('GET', `${path}/in-yaml`);
      assert.ok(got.text.includes(normalized), got.text);
    } finally {
      await server.stop();
    }
  });
});
