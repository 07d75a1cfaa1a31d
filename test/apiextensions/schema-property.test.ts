/**
 * Property tests of the compiled CRD schema: over many generated schemas and values (seeded, so failures
 * reproduce), the TypeBox fast path never accepts what the kube-openapi-faithful validator refuses, validation
 * never throws, and pruning and defaulting are idempotent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchema, type JSONSchemaProps } from '../../runtime/apiextensions/schema/index.ts';
import { compileGate } from '../../runtime/apiextensions/schema/gate.ts';
import { compileSlowValidator } from '../../runtime/apiextensions/schema/validation.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: R, p: number) => r() < p;

const formats = ['uuid', 'date-time', 'date', 'ipv4', 'ipv6', 'cidr', 'mac', 'hostname', 'email', 'byte', 'duration', 'int32', 'quantity', 'uri'];
const strings = ['', 'a', 'abc', 'ABC', 'abcdefghij', '10.0.0.1', 'fe80::1', '10.0.0.0/8', '2024-01-02', '2024-01-02T03:04:05Z', '1h', 'a@b.c', 'aGVsbG8=', '123e4567-e89b-12d3-a456-426614174000', 'héllo', '😀😀', 'x y'];
const numbers = [0, 1, -1, 2, 3, 5, 10, 11, 1.5, 0.5, -2.5, 100, 1e6, 2 ** 53, 1e300, 0.3];

function genSchema(r: R, depth: number): JSONSchemaProps {
  const kind = depth > 2 ? pick(r, ['string', 'integer', 'number', 'boolean']) : pick(r, ['object', 'object', 'array', 'string', 'integer', 'number', 'boolean', 'int-or-string', 'map']);
  const s: JSONSchemaProps = {};
  if (kind === 'int-or-string') s['x-kubernetes-int-or-string'] = true;
  else if (kind === 'map') {
    s.type = 'object';
    s.additionalProperties = genSchema(r, depth + 1);
    if (chance(r, 0.2)) s.maxProperties = Math.floor(r() * 3);
  } else s.type = kind;
  if (chance(r, 0.15)) s.nullable = true;
  if (kind === 'object') {
    s.properties = {};
    for (const k of ['a', 'b', 'c'].slice(0, 1 + Math.floor(r() * 3))) s.properties[k] = genSchema(r, depth + 1);
    if (chance(r, 0.3)) s.required = ['a'];
    if (chance(r, 0.1)) s.additionalProperties = false;
    if (chance(r, 0.1)) s.minProperties = 1;
  }
  if (kind === 'array') {
    s.items = genSchema(r, depth + 1);
    if (chance(r, 0.3)) s.maxItems = Math.floor(r() * 3);
    if (chance(r, 0.2)) s.minItems = 1;
    if (chance(r, 0.2)) s.uniqueItems = true;
  }
  if (kind === 'string' || kind === 'int-or-string') {
    if (chance(r, 0.3)) s.maxLength = Math.floor(r() * 6);
    if (chance(r, 0.2)) s.minLength = Math.floor(r() * 3);
    if (chance(r, 0.2)) s.pattern = pick(r, ['^[a-z]+$', '^a', 'b', '^\\d+$']);
    if (chance(r, 0.3)) s.format = pick(r, formats);
    if (chance(r, 0.15)) s.enum = ['a', 'abc', 'ABC'];
  }
  if (kind === 'integer' || kind === 'number' || kind === 'int-or-string') {
    if (chance(r, 0.3)) s.maximum = pick(r, [10, 1.5, -1.5, 0, 1e6]);
    if (chance(r, 0.3)) s.minimum = pick(r, [0, 1, 1.5, -1.5]);
    if (chance(r, 0.2)) s.exclusiveMaximum = true;
    if (chance(r, 0.2)) s.exclusiveMinimum = true;
    if (chance(r, 0.2)) s.multipleOf = pick(r, [2, 0.5, 1.5, 0.1]);
    if (chance(r, 0.1)) s.enum = [1, 2, 3];
  }
  if (chance(r, 0.08)) s.anyOf = [{ minLength: 2 }, { maximum: 3 }];
  if (chance(r, 0.05)) s.oneOf = [{ required: ['a'] }, { required: ['b'] }];
  if (chance(r, 0.05)) s.not = { enum: ['a'] };
  if (chance(r, 0.05)) s.allOf = [{ minProperties: 1 }, { maxLength: 4 }];
  return s;
}

function genValue(r: R, s: JSONSchemaProps | undefined, depth: number): unknown {
  if (chance(r, 0.1) || depth > 5) return pick<unknown>(r, [null, true, 'x', 3, 1.5, [], {}]);
  if (!s) return pick<unknown>(r, [1, 'a', null]);
  if (s['x-kubernetes-int-or-string']) return chance(r, 0.5) ? pick(r, numbers) : pick(r, strings);
  switch (s.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) if (chance(r, 0.75)) o[k] = genValue(r, p, depth + 1);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        for (const k of ['x', 'y', 'z'].slice(0, Math.floor(r() * 3))) o[k] = genValue(r, s.additionalProperties, depth + 1);
      }
      if (chance(r, 0.1)) o.extra = 1;
      return o;
    }
    case 'array':
      return Array.from({ length: Math.floor(r() * 4) }, () => genValue(r, s.items as JSONSchemaProps, depth + 1));
    case 'string':
      return pick(r, strings);
    case 'integer':
    case 'number':
      return pick(r, numbers);
    case 'boolean':
      return chance(r, 0.5);
    default:
      return null;
  }
}

describe('CRD schema properties', () => {
  it('the fast path never accepts a value the faithful validator refuses', () => {
    let accepted = 0;
    let refused = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const schema: JSONSchemaProps = { type: 'object', properties: { spec: genSchema(r, 0) } };
      const gate = compileGate(schema);
      const slow = compileSlowValidator(schema);
      for (let i = 0; i < 40; i++) {
        const value = { spec: genValue(r, schema.properties!.spec, 0) };
        const errs = slow(value);
        if (gate(value)) {
          accepted++;
          assert.deepEqual(errs, [], `seed ${seed}: fast path accepted ${JSON.stringify(value)} against ${JSON.stringify(schema)}`);
        } else refused++;
      }
    }
    // Both outcomes must occur, or the property says nothing.
    assert.ok(accepted > 500 && refused > 500, `accepted ${accepted}, refused ${refused}`);
  });

  it('validation never throws, and pruning and defaulting are idempotent', () => {
    for (let seed = 1000; seed < 1200; seed++) {
      const r = rng(seed);
      const spec = genSchema(r, 0);
      if (spec.type === 'string') spec.default = 'abc';
      const schema: JSONSchemaProps = { type: 'object', properties: { spec } };
      const compiled = compileSchema(schema);
      for (let i = 0; i < 10; i++) {
        const obj = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'a' }, spec: genValue(r, spec, 0), junk: 1 } as Record<string, unknown>;
        compiled.validate(obj);
        compiled.validate(obj, structuredClone(obj));
        const first = compiled.prune(obj);
        assert.ok(first.includes('junk'));
        assert.deepEqual(compiled.prune(obj), [], `seed ${seed}: second prune of ${JSON.stringify(obj)}`);
        compiled.applyDefaults(obj);
        const once = structuredClone(obj);
        compiled.applyDefaults(obj);
        assert.deepEqual(obj, once);
      }
    }
  });
});
