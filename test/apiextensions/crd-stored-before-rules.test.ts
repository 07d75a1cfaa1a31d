/**
 * CustomResourceDefinitions stored under looser rules (by older servers, or as v1beta1 allowed them) stay writable:
 * kube-apiserver v1.32 loosens each rule on update where the stored CRD already breaks it
 * (apiextensions-apiserver v0.32.0 pkg/apis/apiextensions/validation/validation.go ValidateCustomResourceDefinitionUpdate:
 * requireValidPropertyType, requireAtomicSetType, requireStructuralSchema, requireOpenAPISchema,
 * requireRecognizedConversionReviewVersion, requireMapListKeysMapSetValidation, suppressPerExpressionCost for versions
 * whose schema is unchanged; validatePreserveUnknownFields). The cases are the update table's
 * (TestValidateCustomResourceDefinitionUpdate in validation_test.go) whose old CRD the API refuses today: each is
 * created in a form the API takes and then written into the store as the old server left it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';
import { restartWithStoredBytes, type StoredBytesRewrite } from '../support/stored-bytes.ts';
import { crdManifest, crdsPath, waitEstablished } from '../support/crd.ts';

const group = 'stored.example.com';
const keyOf = (plural: string) => `/registry/apiextensions.k8s.io/customresourcedefinitions/${plural}.${group}`;
/** `text` blanked out: JSON whitespace of its length, so the member (with its comma) is gone from the stored CRD. */
const blank = (text: string) => ' '.repeat(Buffer.byteLength(text));
/** `replacement` in place of `text`, padded with JSON whitespace to its length. */
const padded = (text: string, replacement: string) => replacement.padEnd(text.length, ' ');
/** The stored v1beta1 form keeps `preserveUnknownFields` always; true is what v1beta1 CRDs defaulted to. */
const preserveUnknownFields: [string, string] = ['"preserveUnknownFields":false', padded('"preserveUnknownFields":false', '"preserveUnknownFields":true')];

const str = { type: 'string' };
const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });
const setOf = (items: object) => ({ type: 'array', 'x-kubernetes-list-type': 'set', items });
const mapListOf = (items: object) => ({ type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['key'], items });
const expensive = 'self[0] + self[1] + self[2] + self[3] + self[4] + self[5] + self[6] + self[7]';
/** A messageExpression of the expensive one's length that costs nothing. */
const cheap = `'${'x'.repeat(expensive.length - 2)}'`;
const costly = (messageExpression: string) => object({ f: { type: 'array', items: str, 'x-kubernetes-validations': [{ rule: 'true', messageExpression }] } });
/** A messageExpression only kube-apiserver v1.32's stored-expression environment compiles (two-variable comprehensions). */
// (No `<`, `>` or `&`: the store escapes them as Go's JSON encoder does, so the stored text would differ.)
const newerMessage = "self.exists(k, v, v == 10) ? 'ten' : 'other'";
/** What the API takes today, of its length. */
const olderMessage = "size(self) == 10 ? 'ten' : 'other'".padEnd(newerMessage.length, ' ');
const version = (name: string, schema: object | undefined, storage = false) => ({ name, served: true, storage, ...(schema && { schema: { openAPIV3Schema: schema } }) });

interface Planted {
  plural: string;
  kind: string;
  /** The CRD as the API takes it today. */
  versions: object[];
  conversion?: object;
  /** What the older server stored instead: [text, replacement] in the stored bytes. */
  rewrites: Array<[string, string]>;
}

const planted: Planted[] = [
  { plural: 'bogustypes', kind: 'BogusType', versions: [version('v1', object({ foo: { type: 'number' } }), true)], rewrites: [['"type":"number"', '"type":"numbar"']] },
  {
    plural: 'nonatomicsets',
    kind: 'NonAtomicSet',
    versions: [version('v1', object({ foo: setOf({ type: 'object', 'x-kubernetes-map-type': 'atomic' }) }), true)],
    rewrites: [[',"x-kubernetes-map-type":"atomic"', blank(',"x-kubernetes-map-type":"atomic"')]],
  },
  {
    plural: 'nonstructurals',
    kind: 'NonStructural',
    versions: [version('v1', object({ foo: { type: 'integer' } }), true)],
    rewrites: [['{"type":"integer"}', padded('{"type":"integer"}', '{}')], preserveUnknownFields],
  },
  {
    plural: 'oldreviews',
    kind: 'OldReview',
    versions: [version('v1', object({}), true)],
    conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { name: 'conv', namespace: 'default' } }, conversionReviewVersions: ['v1'] } },
    rewrites: [['"conversionReviewVersions":["v1"]', '"conversionReviewVersions":["v3"]']],
  },
  {
    plural: 'noschemas',
    kind: 'NoSchema',
    versions: [version('v1', { type: 'object' }, true)],
    rewrites: [['"validation":{"openAPIV3Schema":{"type":"object"}},', blank('"validation":{"openAPIV3Schema":{"type":"object"}},')], preserveUnknownFields],
  },
  {
    plural: 'someschemas',
    kind: 'SomeSchema',
    versions: [version('v1', { type: 'object', description: '1' }, true), version('v2', { type: 'object', description: '2' })],
    rewrites: [[',"schema":{"openAPIV3Schema":{"type":"object","description":"2"}}', blank(',"schema":{"openAPIV3Schema":{"type":"object","description":"2"}}')], preserveUnknownFields],
  },
  {
    plural: 'allschemas',
    kind: 'AllSchema',
    versions: [version('v1', { type: 'object', description: '1' }, true), version('v2', { type: 'object', description: '2' })],
    rewrites: [preserveUnknownFields],
  },
  {
    plural: 'optionalkeys',
    kind: 'OptionalKey',
    versions: [version('v1', object({ foo: mapListOf({ type: 'object', required: ['key'], properties: { key: str } }) }), true)],
    rewrites: [['"required":["key"],', blank('"required":["key"],')]],
  },
  {
    plural: 'nullablesets',
    kind: 'NullableSet',
    versions: [version('v1', object({ foo: setOf({ type: 'string', description: 'x' }) }), true)],
    rewrites: [['"description":"x"', padded('"description":"x"', '"nullable":true')]],
  },
  {
    plural: 'structurals',
    kind: 'Structural',
    versions: [version('v1', object({ foo: { type: 'integer' } }), true)],
    rewrites: [preserveUnknownFields],
  },
  { plural: 'defaultlesses', kind: 'Defaultless', versions: [version('v1', object({ foo: { type: 'number' } }), true)], rewrites: [preserveUnknownFields] },
  {
    plural: 'switchoffs',
    kind: 'SwitchOff',
    versions: [version('v1', object({ foo: { type: 'integer' } }), true)],
    rewrites: [['{"type":"integer"}', padded('{"type":"integer"}', '{}')], preserveUnknownFields],
  },
  {
    plural: 'nullablekeys',
    kind: 'NullableKey',
    versions: [version('v1', object({ foo: mapListOf({ type: 'object', required: ['key'], properties: { key: { type: 'string', description: 'x' } } }) }), true)],
    rewrites: [['"description":"x"', padded('"description":"x"', '"nullable":true')]],
  },
  {
    plural: 'newermessages',
    kind: 'NewerMessage',
    versions: [version('v1', object({ limits: { type: 'object', additionalProperties: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'true', messageExpression: olderMessage }] } }), true)],
    rewrites: [[olderMessage, newerMessage]],
  },
  {
    plural: 'costlies',
    kind: 'Costly',
    versions: [version('v1', costly(cheap), true), version('v2', costly(cheap))],
    rewrites: [[cheap, expensive]],
  },
];

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('CRDs stored before a rule existed stay writable', () => {
  let dataDir: string;
  let server: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kube-ts-crd-stored-'));
    server = await startServer({ dataDir });
    for (const p of planted) {
      const crd: Obj = crdManifest({ group, names: { plural: p.plural, kind: p.kind }, versions: p.versions });
      if (p.conversion) crd.spec.conversion = p.conversion;
      const created = await server.request('POST', crdsPath, crd);
      assert.equal(created.status, 201, created.text);
      await waitEstablished(server, crd.metadata.name);
    }
    const rewrites: StoredBytesRewrite[] = planted.flatMap((p) => p.rewrites.map(([text, replacement]) => [keyOf(p.plural), text, replacement] as const));
    server = await restartWithStoredBytes(server, rewrites);
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** GETs the stored CRD, lets `change` edit its spec, PUTs it: the answer's code and causes (field, reason, message). */
  async function update(plural: string, change: (spec: Obj) => void) {
    const current = await server.request('GET', `${crdsPath}/${plural}.${group}`);
    assert.equal(current.status, 200, current.text);
    change(current.json.spec);
    const r = await server.request('PUT', `${crdsPath}/${plural}.${group}`, current.json);
    const causes = ((r.json?.details?.causes ?? []) as Obj[]).map((c) => `${c.reason} ${c.field}: ${c.message}`);
    return { status: r.status, causes, text: r.text };
  }
  const openAPI = (spec: Obj, i = 0) => spec.versions[i].schema.openAPIV3Schema;

  it('an invalid property type may stay, and change to another, where the stored schema has one', async () => {
    const r = await update('bogustypes', (spec) => {
      assert.equal(openAPI(spec).properties.foo.type, 'numbar');
      openAPI(spec).properties.foo.type = 'bogus2';
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a set of non-atomic objects may be added where the stored schema has one', async () => {
    const r = await update('nonatomicsets', (spec) => {
      openAPI(spec).properties.bar = setOf({ type: 'object', properties: {} });
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a non-structural schema may stay, with preserveUnknownFields true, where the stored one is non-structural', async () => {
    const r = await update('nonstructurals', (spec) => {
      assert.equal(spec.preserveUnknownFields, true);
      assert.deepEqual(openAPI(spec).properties.foo, {});
      openAPI(spec).properties.bar = {};
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('conversionReviewVersions without v1 or v1beta1 may stay where the stored ones have neither', async () => {
    const r = await update('oldreviews', (spec) => {
      assert.deepEqual(spec.conversion.webhook.conversionReviewVersions, ['v3']);
      spec.conversion.webhook.conversionReviewVersions = ['v4'];
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a version may stay without a schema where the stored CRD has one without', async () => {
    const r = await update('noschemas', (spec) => {
      assert.equal(spec.versions[0].schema, undefined);
      spec.versions[0].deprecated = true;
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('every schema may go where the stored CRD has a version without one', async () => {
    const r = await update('someschemas', (spec) => {
      assert.equal(spec.versions[1].schema, undefined);
      delete spec.versions[0].schema;
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('schemas stay required where every stored version has one, even with preserveUnknownFields true', async () => {
    const r = await update('allschemas', (spec) => {
      assert.equal(spec.preserveUnknownFields, true);
      for (const v of spec.versions) delete v.schema;
    });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.causes, [
      'FieldValueRequired spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
      'FieldValueRequired spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required',
    ]);
  });

  it('a list-map key that is neither required nor defaulted may be added where the stored schema has one', async () => {
    const r = await update('optionalkeys', (spec) => {
      assert.equal(openAPI(spec).properties.foo.items.required, undefined);
      openAPI(spec).properties.bar = mapListOf({ type: 'object', properties: { key: str } });
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('nullable set items may be added where the stored schema has some', async () => {
    const r = await update('nullablesets', (spec) => {
      assert.equal(openAPI(spec).properties.foo.items.nullable, true);
      openAPI(spec).properties.bar = setOf({ type: 'string', nullable: true });
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a structural schema may not become non-structural, even with preserveUnknownFields true', async () => {
    const r = await update('structurals', (spec) => {
      assert.equal(spec.preserveUnknownFields, true);
      openAPI(spec).properties.foo = {};
    });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.causes, ['FieldValueRequired spec.validation.openAPIV3Schema.properties[foo].type: Required value: must not be empty for specified object fields']);
  });

  it('a default may not be added while preserveUnknownFields stays true', async () => {
    const r = await update('defaultlesses', (spec) => {
      openAPI(spec).properties.foo.default = 42;
    });
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.causes, ['FieldValueInvalid spec.preserveUnknownFields: Invalid value: true: must be false in order to use defaults in the schema']);
  });

  it('preserveUnknownFields may be switched off with a structural schema where the stored one is not', async () => {
    const r = await update('switchoffs', (spec) => {
      spec.preserveUnknownFields = false;
      openAPI(spec).properties.foo = { type: 'integer' };
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a nullable list-map key may be added where the stored schema has one', async () => {
    const r = await update('nullablekeys', (spec) => {
      assert.equal(openAPI(spec).properties.foo.items.properties.key.nullable, true);
      openAPI(spec).properties.bar = mapListOf({ type: 'object', required: ['key'], properties: { key: { type: 'string', nullable: true } } });
    });
    assert.deepEqual([r.status, r.causes], [200, []], r.text);
  });

  it('a stored messageExpression of the newer CEL environment keeps compiling while unchanged, not once changed', async () => {
    const messagePath = 'spec.validation.openAPIV3Schema.properties[limits].x-kubernetes-validations[0].messageExpression';
    const unchanged = await update('newermessages', (spec) => {
      assert.equal(openAPI(spec).properties.limits['x-kubernetes-validations'][0].messageExpression, newerMessage);
      openAPI(spec).properties.other = str;
    });
    assert.deepEqual([unchanged.status, unchanged.causes], [200, []], unchanged.text);
    const changed = await update('newermessages', (spec) => {
      openAPI(spec).properties.limits['x-kubernetes-validations'][0].messageExpression = "self.exists(k, v, v == 20) ? 'twenty' : 'other'";
    });
    assert.equal(changed.status, 422, changed.text);
    assert.deepEqual(changed.causes.map((c) => c.split(':')[0]), [`FieldValueInvalid ${messagePath}`], changed.text);
  });

  it('an expression over its cost limit may stay in a version whose schema is unchanged, not in a changed or new one', async () => {
    const r = await update('costlies', (spec) => {
      assert.equal(openAPI(spec, 0).properties.f['x-kubernetes-validations'][0].messageExpression, expensive);
      spec.versions[1].schema.openAPIV3Schema = costly(`${expensive} + self[8]`);
      spec.versions.push(version('v3', costly(expensive)));
    });
    assert.equal(r.status, 422, r.text);
    const at = (i: number) => `spec.versions[${i}].schema.openAPIV3Schema.properties[f].x-kubernetes-validations[0].messageExpression`;
    assert.deepEqual(
      r.causes.map((c) => c.split(':')[0]),
      [`FieldValueForbidden ${at(1)}`, `FieldValueForbidden ${at(2)}`],
      r.text,
    );
  });
});
