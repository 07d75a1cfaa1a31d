/**
 * The @structType and @mapType tags reach the OpenAPI the type converter reads (x-kubernetes-map-type), and wrong
 * values fail the generator with file and line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../codegen/generate.ts';
import { apisTree } from '../codegen/support.ts';

const gadget = (structTag: string, fieldTag: string) => `import type { ObjectMeta } from '../../meta/v1/types.ts';

/**
 * A gadget.
 * @resource gadgets
 */
export interface Gadget {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  /**
   * Where it points.
   * @structType granular
   */
  ref?: Ref;
  /**
   * Labels it selects.
   * ${fieldTag}
   */
  selector?: Record<string, string>;
}

/**
 * A reference.
 * ${structTag}
 */
export interface Ref {
  name?: string;
}
`;

function run(structTag: string, fieldTag: string) {
  const tree = apisTree({ 'apis/example.dev/v1/gadget.ts': gadget(structTag, fieldTag) });
  try {
    return generate(tree.root);
  } finally {
    tree.cleanup();
  }
}

describe('smd markers in the generator', () => {
  it('emit x-kubernetes-map-type on the struct definition and on fields', () => {
    const result = run('@structType atomic', '@mapType atomic');
    assert.ok(result.ok, result.ok ? '' : result.errors.map((e) => e.message).join('\n'));
    const openapi = result.files.find((f) => f.path === 'example.dev/v1/openapi.ts')!.content;
    const json = openapi.slice(openapi.indexOf('const v3 = ') + 'const v3 = '.length, openapi.indexOf(';\n\n/**'));
    const defs = JSON.parse(json);
    assert.equal(defs['dev.example.v1.Ref']['x-kubernetes-map-type'], 'atomic');
    assert.equal(defs['dev.example.v1.Gadget'].properties.selector['x-kubernetes-map-type'], 'atomic');
    assert.equal(defs['dev.example.v1.Gadget'].properties.ref['x-kubernetes-map-type'], 'granular');
  });

  it('refuse values other than atomic and granular, and the tags on the wrong types', () => {
    const result = run('@structType loose', '@structType atomic');
    assert.equal(result.ok, false);
    const messages = result.ok ? [] : result.errors.map((e) => e.message);
    assert.ok(messages.some((m) => /gadget\.ts:\d+: @structType must be atomic or granular, got "loose"/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /gadget\.ts:\d+: @structType does not apply to a field of type map/.test(m)), messages.join('\n'));
  });
});
