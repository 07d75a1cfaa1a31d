/**
 * Pruning and defaulting of custom resources as upstream's decoder does them: given an object, want the object
 * after prune/applyDefaults and the pruned paths (which become `unknown field "..."` warnings or strict errors).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, strictDecodingError, unknownFieldWarnings, type JSONSchemaProps } from '../../runtime/apiextensions/schema/index.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'auto' },
        opts: { type: 'object', default: { a: [1] }, properties: { a: { type: 'array', items: { type: 'integer' } } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 5 } } } },
        labels: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string', default: 'x' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object', properties: { k: { type: 'string' } } } } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } },
        nn: { type: 'string' },
        nd: { type: 'string', default: 'filled' },
        nul: { type: 'string', nullable: true },
        strs: { type: 'array', items: { type: 'string', default: 'z' } },
      },
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

function prune(obj: Record<string, unknown>): { obj: Record<string, unknown>; paths: string[] } {
  const paths = compileSchema(schema).prune(obj);
  return { obj, paths };
}

describe('CRD pruning', () => {
  it('drops unknown fields at every level and reports them sorted', () => {
    const r = prune({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { replicas: 2, foo: 1, items: [{ name: 'a', bar: true }], labels: { x: { v: 'y', extra: 1 } } },
      status: { ready: true, phase: 'x' },
      top: 1,
    });
    assert.deepEqual(r.paths, ['spec.foo', 'spec.items[0].bar', 'spec.labels.x.extra', 'status.phase', 'top']);
    assert.deepEqual(r.obj, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', labels: { a: 'b' } },
      spec: { replicas: 2, items: [{ name: 'a' }], labels: { x: { v: 'y' } } },
      status: { ready: true },
    });
  });
  it('keeps unknown fields under x-kubernetes-preserve-unknown-fields, still pruning what it specifies', () => {
    const r = prune({ spec: { free: { anything: { deep: 1 }, known: { k: 'v', drop: 1 } } } });
    assert.deepEqual(r.paths, ['spec.free.known.drop']);
    assert.deepEqual(r.obj, { spec: { free: { anything: { deep: 1 }, known: { k: 'v' } } } });
  });
  it('keeps apiVersion, kind and metadata of embedded resources', () => {
    const r = prune({ spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'a', y: 'b' }, other: 1 } } });
    assert.deepEqual(r.paths, ['spec.template.other', 'spec.template.spec.y']);
    assert.deepEqual(r.obj, { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 'a' } } } });
  });
  it('drops nulls the schema neither allows nor defaults', () => {
    const r = prune({ spec: { nn: null, nul: null, nd: null } });
    assert.deepEqual(r.paths, []);
    assert.deepEqual(r.obj, { spec: { nul: null, nd: null } });
  });
  it('renders warnings and the strict error as upstream', () => {
    assert.deepEqual(unknownFieldWarnings(['spec.foo']), ['unknown field "spec.foo"']);
    assert.equal(strictDecodingError(['spec.foo', 'spec.bar']), 'strict decoding error: unknown field "spec.foo", unknown field "spec.bar"');
  });
  it('prunes nothing with preserveUnknownFields', () => {
    const obj = { spec: { foo: 1 } };
    assert.deepEqual(compileSchema(schema, { preserveUnknownFields: true }).prune(obj), []);
    assert.deepEqual(obj, { spec: { foo: 1 } });
  });
});

describe('CRD defaulting', () => {
  it('fills absent fields top-down, in array items and map values', () => {
    const obj: Record<string, unknown> = { spec: { items: [{ name: 'a' }, { name: 'b', weight: 2 }], labels: { k: {} } } };
    compileSchema(schema).applyDefaults(obj);
    assert.deepEqual(obj, {
      spec: { replicas: 1, mode: 'auto', opts: { a: [1] }, items: [{ name: 'a', weight: 5 }, { name: 'b', weight: 2 }], labels: { k: { v: 'x' } }, nd: 'filled' },
    });
  });
  it('does not default inside an absent parent without a default', () => {
    const obj: Record<string, unknown> = {};
    compileSchema(schema).applyDefaults(obj);
    assert.deepEqual(obj, {});
  });
  it('replaces a null that is not nullable, keeps a nullable null', () => {
    const obj: Record<string, unknown> = { spec: { mode: null, nul: null, strs: ['a', null] } };
    compileSchema(schema).applyDefaults(obj);
    const spec = obj.spec as Record<string, unknown>;
    assert.equal(spec.mode, 'auto');
    assert.equal(spec.nul, null);
    assert.deepEqual(spec.strs, ['a', 'z']);
  });
  it('copies defaults, so objects never share them', () => {
    const compiled = compileSchema(schema);
    const a: Record<string, { opts: { a: number[] } }> = { spec: {} as { opts: { a: number[] } } };
    const b: Record<string, { opts: { a: number[] } }> = { spec: {} as { opts: { a: number[] } } };
    compiled.applyDefaults(a);
    compiled.applyDefaults(b);
    a.spec.opts.a.push(2);
    assert.deepEqual(b.spec.opts.a, [1]);
    assert.deepEqual((schema.properties!.spec.properties!.opts.default as { a: number[] }).a, [1]);
  });
});
