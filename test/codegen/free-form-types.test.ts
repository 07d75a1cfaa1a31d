/**
 * Free-form types in apis/ (exported aliases to `Record<string, unknown>`): a named OpenAPI definition that fields
 * refer to, so kubectl explain shows the name; everything on the wire stays what an inline free-form field gets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { generate } from '../../codegen/generate.ts';
import { apisTree } from './support.ts';

/** A kind with free-form fields; `blob` is written as given (`Blob`, or inline with its tags). */
const gadget = (blobType = 'Blob', blobTags = '') => `import type { ObjectMeta, RawExtension } from '../../meta/v1/types.ts';

/**
 * A gadget.
 * @resource gadgets
 */
export interface Gadget {
  apiVersion?: string;
  kind?: string;
  /** @protobuf 1 */
  metadata?: ObjectMeta;
  /**
   * Settings of any shape.
   * @protobuf 2${blobTags}
   */
  blob?: ${blobType};
  /**
   * An object of any kind.
   * @protobuf 3
   */
  embedded?: RawExtension;
  /** @protobuf 4 */
  blobs?: Blob[];
}

/** Blob is an object with any fields. */
export type Blob = Record<string, unknown>;
`;

function run(files: Record<string, string>) {
  const tree = apisTree(files);
  try {
    return generate(tree.root);
  } finally {
    tree.cleanup();
  }
}

function filesOf(files: Record<string, string>): (path: string) => string {
  const result = run(files);
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return (path) => result.files.find((f) => f.path === path)!.content;
}

/** The `v3` object literal of a generated openapi.ts. */
function definitionsOf(openapiTs: string): Record<string, any> {
  return JSON.parse(/const v3 = (\{[\s\S]*?\n\});/.exec(openapiTs)![1]);
}

describe('free-form types', () => {
  const named = filesOf({ 'apis/example.dev/v1/gadget.ts': gadget() });
  // The same field written inline, as free-form JSON had to be before: the wire must not tell them apart.
  const inline = filesOf({ 'apis/example.dev/v1/gadget.ts': gadget('Record<string, unknown>', '\n   * @preserveUnknownFields') });

  it('are definitions of their own (an object and its description), which fields refer to', () => {
    const defs = definitionsOf(named('example.dev/v1/openapi.ts'));
    assert.deepEqual(defs['dev.example.v1.Blob'], { description: 'Blob is an object with any fields.', type: 'object' });
    const props = defs['dev.example.v1.Gadget'].properties;
    assert.deepEqual(props.blob, { allOf: [{ $ref: '#/components/schemas/dev.example.v1.Blob' }], description: 'Settings of any shape.' });
    assert.deepEqual(props.embedded, { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension' }], description: 'An object of any kind.' });
    assert.deepEqual(props.blobs, { type: 'array', items: { $ref: '#/components/schemas/dev.example.v1.Blob' } });
  });

  it('include meta\'s FieldsV1 and RawExtension, under the Go packages upstream names them by', () => {
    const meta = definitionsOf(named('meta/v1/openapi.ts'));
    assert.equal(meta['io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1'].type, 'object');
    assert.equal(meta['io.k8s.apimachinery.pkg.runtime.RawExtension'].type, 'object');
    assert.deepEqual(meta['io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry'].properties.fieldsV1.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1' }]);
  });

  it('validate, encode and decode as inline free-form JSON does', () => {
    for (const path of ['example.dev/v1/schemas.ts', 'example.dev/v1/protobuf.ts', 'example.dev/v1/shapes.ts', 'example.dev/v1/gotypes.ts']) {
      assert.equal(named(path), inline(path), path);
    }
    assert.match(named('example.dev/v1/protobuf.ts'), /\{"name":"blob","number":2,"type":"rawJSON"\}/);
  });

  it('are re-exported by the types module', () => {
    assert.match(named('example.dev/v1/types.ts'), /import type \{ Blob, Gadget \} from '\.\.\/\.\.\/\.\.\/apis\/example\.dev\/v1\/gadget\.ts';/);
  });

  it('keep their fields in a CustomResourceDefinition, whose schema cannot refer to a definition', () => {
    const crd = filesOf({ 'apis/example.dev/doc.ts': '/**\n * CRDs.\n * @crd\n */\nexport {};\n', 'apis/example.dev/v1/gadget.ts': gadget() });
    const schema = parse(crd('crds/example.dev_gadgets.yaml')).spec.versions[0].schema.openAPIV3Schema;
    assert.deepEqual(schema.properties.blob, { description: 'Settings of any shape.', type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(schema.properties.blobs.items, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('refuse tags other than standard JSDoc ones', () => {
    const r = run({ 'apis/example.dev/v1/gadget.ts': gadget().replace('/** Blob is an object with any fields. */', '/**\n * Blob.\n * @minProperties 1\n */') });
    assert.equal(r.ok, false);
    assert.deepEqual(r.ok ? [] : r.errors.map((e) => e.message.replace(/:\d+:/, ':N:')), [
      'apis/example.dev/v1/gadget.ts:N: unknown tag @minProperties on free-form type Blob (see shared/design/markers.md)',
    ]);
  });
});
