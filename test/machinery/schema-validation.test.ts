import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Type from 'typebox';
import { compileSchemaValidator } from '../../runtime/machinery/schema-validation.ts';

describe('schema validation as field errors', () => {
  const Part = Type.Cyclic({ Part: Type.Object({ name: Type.String({ maxLength: 5 }), children: Type.Optional(Type.Array(Type.Ref('Part'))) }) }, 'Part');
  const Kind = Type.Object({
    spec: Type.Object({
      replicas: Type.Optional(Type.Integer({ minimum: 0 })),
      policy: Type.Optional(Type.Enum(['Always', 'Never'])),
      port: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
      tags: Type.Optional(Type.Array(Type.String(), { uniqueItems: true })),
      labels: Type.Optional(Type.Record(Type.String(), Type.String())),
      root: Type.Optional(Part),
    }),
  });
  const validate = compileSchemaValidator(Kind);

  it('reports every bad field with its Kubernetes path and reason', () => {
    const errors = validate({ spec: { replicas: -1, policy: 'Sometimes', port: true, labels: { 'a.b/c': 1 }, root: { name: 'ok', children: [{ name: 'toolong' }, {}] } } });
    assert.deepEqual(
      errors.map((e) => [e.type, e.field]),
      [
        ['FieldValueInvalid', 'spec.replicas'],
        ['FieldValueNotSupported', 'spec.policy'],
        ['FieldValueTypeInvalid', 'spec.port'],
        ['FieldValueTypeInvalid', 'spec.labels[a.b/c]'],
        ['FieldValueTooLong', 'spec.root.children[0].name'],
        ['FieldValueRequired', 'spec.root.children[1].name'],
      ],
    );
    assert.equal(errors[0].detail, 'must be greater than or equal to 0');
    assert.equal(errors[1].detail, 'supported values: "Always", "Never"');
  });

  it('reports a missing required object and duplicates in a set', () => {
    assert.deepEqual(validate({}).map((e) => [e.type, e.field]), [['FieldValueRequired', 'spec']]);
    assert.deepEqual(validate({ spec: { tags: ['a', 'a'] } }).map((e) => [e.type, e.field]), [['FieldValueDuplicate', 'spec.tags']]);
  });

  it('accepts a valid object', () => {
    assert.deepEqual(validate({ spec: { replicas: 0, policy: 'Never', port: 'http', tags: ['a', 'b'], root: { name: 'a', children: [{ name: 'b' }] } } }), []);
  });

  it("lets a kind's hand-written errors stand in for its own at the same field, and keeps the rest", () => {
    const hook = [{ type: 'FieldValueInvalid' as const, field: 'spec.policy', badValue: 'Sometimes', detail: "must be 'Always' or 'Never'" }];
    const errors = validate({ spec: { replicas: -1, policy: 'Sometimes' } }, hook);
    assert.deepEqual(
      errors.map((e) => [e.type, e.field]),
      [
        ['FieldValueInvalid', 'spec.replicas'],
        ['FieldValueInvalid', 'spec.policy'],
      ],
    );
    assert.equal(errors[1].detail, "must be 'Always' or 'Never'");
    // A valid object gives the hook's errors alone.
    assert.deepEqual(validate({ spec: {} }, hook), hook);
  });
});
