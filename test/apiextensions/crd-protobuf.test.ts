/**
 * CustomResourceDefinitions in the protobuf wire format, checked with an independent decoder (upstream's .proto
 * field numbers in test/fixtures, read by protobufjs): the value types of JSON schemas (JSON as its text,
 * JSONSchemaPropsOrBool as `allows`/`schema`, JSONSchemaPropsOrArray as `schema`/`jSONSchemas`), zero values that
 * are values (`minimum: 0`), and a body built from upstream's schema read back as the same JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { startServer, type TestServer } from '../support/server.ts';

const root = protobuf.loadSync(new URL('../fixtures/upstream-apiextensions-v1.proto', import.meta.url).pathname);
const type = (name: string) => root.lookupType(`k8s.${name}`);
const magic = Buffer.from('k8s\0', 'latin1');
const protobufType = 'application/vnd.kubernetes.protobuf';
const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function envelope(obj: object): Buffer {
  const m = type('CustomResourceDefinition');
  const raw = m.encode(m.fromObject(obj)).finish();
  return Buffer.concat([magic, Buffer.from(type('Unknown').encode({ typeMeta: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' }, raw }).finish())]);
}

function unwrap(bytes: Buffer): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.deepEqual(bytes.subarray(0, 4), magic, 'the k8s\\0 magic prefix');
  const unknown = type('Unknown').decode(bytes.subarray(4)) as unknown as { typeMeta: { kind: string }; raw: Uint8Array };
  assert.equal(unknown.typeMeta.kind, 'CustomResourceDefinition');
  const m = type('CustomResourceDefinition');
  return m.toObject(m.decode(unknown.raw), { longs: Number, bytes: String, defaults: false });
}

const text = (b64: string) => JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));

describe('CustomResourceDefinitions over protobuf', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(async () => server?.stop());

  it('answers in upstream encoding, value types included', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.pb.example.com' },
      spec: {
        group: 'pb.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', kind: 'Widget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: {
                      size: { type: 'integer', minimum: 0, default: 1, enum: [1, 2, 3] },
                      labels: { type: 'object', additionalProperties: { type: 'string', minLength: 0 } },
                      tags: { type: 'array', items: { type: 'string' } },
                      free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                    },
                  },
                },
              },
            },
          },
        ],
      },
    };
    const created = await server.request('POST', crdPath, crd, { Accept: protobufType });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers['content-type'], protobufType);
    const obj = unwrap(created.bytes);
    assert.equal(obj.metadata.name, 'widgets.pb.example.com');
    assert.equal(obj.spec.conversion.strategy, 'None');
    assert.deepEqual(obj.spec.versions[0].subresources, { status: {} });
    const spec = obj.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties;
    // JSON values travel as their JSON text.
    assert.equal(text(spec.size.default.raw), 1);
    assert.deepEqual(spec.size.enum.map((e: { raw: string }) => text(e.raw)), [1, 2, 3]);
    assert.equal(spec.size.minimum, 0);
    // A schema in additionalProperties: allows is set with it, as Go's JSONSchemaPropsOrBool.
    assert.equal(spec.labels.additionalProperties.allows, true);
    assert.equal(spec.labels.additionalProperties.schema.type, 'string');
    assert.equal(spec.labels.additionalProperties.schema.minLength, 0);
    assert.equal(spec.tags.items.schema.type, 'string');
    assert.equal(spec.free.xKubernetesPreserveUnknownFields, true);
    assert.deepEqual(obj.status.storedVersions, ['v1']);

    // Lists are CustomResourceDefinitionList messages.
    const list = await server.request('GET', crdPath, undefined, { Accept: protobufType });
    assert.equal(list.status, 200);
    const unknown = type('Unknown').decode(list.bytes.subarray(4)) as unknown as { typeMeta: { kind: string }; raw: Uint8Array };
    assert.equal(unknown.typeMeta.kind, 'CustomResourceDefinitionList');
    const items = (type('CustomResourceDefinitionList').toObject(type('CustomResourceDefinitionList').decode(unknown.raw)) as { items: Array<{ metadata: { name: string } }> }).items;
    assert.ok(items.some((i) => i.metadata.name === 'widgets.pb.example.com'));
  });

  it('takes a body in upstream encoding and reads it back as the same JSON', async () => {
    const json = (v: unknown) => ({ raw: Buffer.from(JSON.stringify(v)) });
    const body = envelope({
      metadata: { name: 'gadgets.pb.example.com' },
      spec: {
        group: 'pb.example.com',
        scope: 'Cluster',
        names: { plural: 'gadgets', kind: 'Gadget' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    required: ['mode'],
                    properties: {
                      mode: { type: 'string', enum: [json('a'), json('b')], default: json('a') },
                      limit: { type: 'number', minimum: 0 },
                      port: { xKubernetesIntOrString: true },
                      meta: { type: 'object', additionalProperties: { allows: true, schema: { type: 'string' } } },
                    },
                    xKubernetesValidations: [{ rule: 'self.mode != "c"', message: 'no c' }],
                  },
                },
              },
            },
          },
        ],
      },
    });
    const res = await server.request('POST', crdPath, body, { 'Content-Type': protobufType });
    assert.equal(res.status, 201, res.text);
    const got = await server.request('GET', `${crdPath}/gadgets.pb.example.com`);
    const spec = got.json.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    assert.deepEqual(spec.required, ['mode']);
    assert.deepEqual(spec.properties.mode, { type: 'string', enum: ['a', 'b'], default: 'a' });
    assert.deepEqual(spec.properties.limit, { type: 'number', minimum: 0 });
    assert.deepEqual(spec.properties.port, { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(spec.properties.meta, { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(spec['x-kubernetes-validations'], [{ rule: 'self.mode != "c"', message: 'no c' }]);
  });
});
