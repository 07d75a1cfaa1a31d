/**
 * Value types in apis/ (type aliases to `unknown` or to a union of shapes): their OpenAPI definition, TypeBox
 * schema and protobuf message (`@protobufShape`), and `@pointer` on fields whose zero is a value.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../codegen/generate.ts';
import { apisTree } from './support.ts';

const files = {
  'apis/example.dev/v1/gadget.ts': `import type { ObjectMeta, int64 } from '../../meta/v1/types.ts';

/**
 * A gadget.
 * @resource gadgets
 */
export interface Gadget {
  apiVersion?: string;
  kind?: string;
  /** @protobuf 1 */
  metadata?: ObjectMeta;
  /** @protobuf 2 */
  rule?: Rule;
}

/** A rule. */
export interface Rule {
  /**
   * @protobuf 1
   * @pointer
   */
  min?: int64;
  /** @protobuf 2 */
  max?: int64;
  /** @protobuf 3 */
  value?: Any;
  /** @protobuf 4 */
  next?: RuleOrBool;
  /** @protobuf 5 */
  'x-example-flag'?: boolean;
}

/**
 * Any is any JSON value.
 * @protobufShape unknown 1
 */
export type Any = unknown;

/**
 * RuleOrBool is a rule or a boolean.
 * @protobufShape boolean 1
 * @protobufShape Rule 2
 */
export type RuleOrBool = Rule | boolean;
`,
};

describe('value types', () => {
  const tree = apisTree(files);
  const result = generate(tree.root);
  tree.cleanup();
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  const file = (path: string) => result.files.find((f) => f.path === path)!.content;

  it('get a protobuf message with one field per shape, and make the kind encodable', () => {
    const pb = file('example.dev/v1/protobuf.ts');
    assert.match(pb, /'dev\.example\.v1\.Any': \[\n\s+\{"name":"","number":1,"type":"jsonText","shape":"json"\},\n\s+\]/);
    assert.match(pb, /'dev\.example\.v1\.RuleOrBool': \[\n\s+\{"name":"","number":1,"type":"bool","shape":"boolean"\},\n\s+\{"name":"","number":2,"type":"dev\.example\.v1\.Rule","shape":"object"\},\n\s+\]/);
    // A zero minimum is a value; a zero maximum reads as absent.
    assert.match(pb, /\{"name":"min","number":1,"type":"int64"\}/);
    assert.match(pb, /\{"name":"max","number":2,"type":"int64","omitZero":true\}/);
    assert.match(pb, /\{"name":"x-example-flag","number":5,"type":"bool","omitZero":true\}/);
    assert.match(file('example.dev/v1/register.ts'), /protobuf: true/);
  });

  it('are their own OpenAPI definitions, referred to by name, and unions in TypeBox', () => {
    const openapi = file('example.dev/v1/openapi.ts');
    assert.match(openapi, /"dev\.example\.v1\.RuleOrBool": \{\n\s+"description": "RuleOrBool is a rule or a boolean\."\n\s+\}/);
    assert.match(openapi, /"\$ref": "#\/components\/schemas\/dev\.example\.v1\.Any"/);
    assert.match(file('example.dev/v1/schemas.ts'), /"RuleOrBool": Type\.Union\(\[Type\.Ref\("Rule"\), Type\.Boolean\(\)\]\)/);
  });

  it('refuse a @protobufShape that names no shape, and shapes left without a number', () => {
    const bad = apisTree({
      'apis/example.dev/v1/gadget.ts': files['apis/example.dev/v1/gadget.ts'].replace('@protobufShape Rule 2', '@protobufShape Rules 2'),
    });
    const r = generate(bad.root);
    bad.cleanup();
    assert.equal(r.ok, false);
    const messages = r.ok ? [] : r.errors.map((e) => e.message.replace(/:\d+:/, ':N:'));
    assert.deepEqual(messages, [
      'apis/example.dev/v1/gadget.ts:N: @protobufShape expects "<shape> <field number>" with a shape of RuleOrBool (Rule, boolean), got "Rules 2"',
      'apis/example.dev/v1/gadget.ts:N: RuleOrBool has no @protobufShape for Rule, though other shapes have one',
    ]);
  });
});
