/**
 * `x-kubernetes-validations` rules of custom resources: given a schema with rules and an object (and an old object
 * for updates), want the field errors (and warnings) a client sees, worded as upstream's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';
import { compileSchema, costErrorMessage, estimateRuleCosts, ruleCompileErrors, ruleCostErrors, StaticEstimatedCostLimit, type JSONSchemaProps, type ValidationRule } from '../../runtime/apiextensions/schema/index.ts';

function withRules(specRules: ValidationRule[], props: Record<string, JSONSchemaProps> = {}, rootRules: ValidationRule[] = []): JSONSchemaProps {
  return {
    type: 'object',
    'x-kubernetes-validations': rootRules,
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': specRules,
        properties: {
          replicas: { type: 'integer' },
          minReplicas: { type: 'integer' },
          port: { 'x-kubernetes-int-or-string': true },
          ratio: { type: 'number' },
          mem: { type: 'string' },
          name: { type: 'string' },
          ...props,
        },
      },
    },
  };
}

function run(schema: JSONSchemaProps, spec: unknown, oldSpec?: unknown, name = 'w1'): { errors: string[]; warnings: string[] } {
  const warnings: string[] = [];
  const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec };
  const old = oldSpec === undefined ? undefined : { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec: oldSpec };
  const errors = compileSchema(schema).validate(obj, old, { warnings }).map(fieldErrorMessage);
  return { errors, warnings };
}

describe('CRD validation rules: results and messages', () => {
  const cases: Array<{ name: string; rules: ValidationRule[]; spec: unknown; want: string[] }> = [
    { name: 'a passing rule', rules: [{ rule: 'self.minReplicas <= self.replicas' }], spec: { replicas: 3, minReplicas: 1 }, want: [] },
    {
      name: 'a failing rule without message',
      rules: [{ rule: 'self.minReplicas <= self.replicas' }],
      spec: { replicas: 1, minReplicas: 2 },
      want: ['spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas'],
    },
    { name: 'message', rules: [{ rule: 'self.replicas < 10', message: 'too many replicas' }], spec: { replicas: 11 }, want: ['spec: Invalid value: "object": too many replicas'] },
    {
      name: 'messageExpression',
      rules: [{ rule: 'self.replicas < 10', messageExpression: "'replicas ' + string(self.replicas) + ' is over 9'" }],
      spec: { replicas: 12 },
      want: ['spec: Invalid value: "object": replicas 12 is over 9'],
    },
    {
      name: 'messageExpression that fails falls back to the message',
      rules: [{ rule: 'self.replicas < 10', message: 'fallback', messageExpression: "self.missing + 'x'" }],
      spec: { replicas: 12 },
      want: ['spec: Invalid value: "object": fallback'],
    },
    {
      name: 'messageExpression giving an empty string falls back to the default message',
      rules: [{ rule: 'self.replicas < 10', messageExpression: "'  '" }],
      spec: { replicas: 12 },
      want: ['spec: Invalid value: "object": failed rule: self.replicas < 10'],
    },
    { name: 'reason FieldValueForbidden', rules: [{ rule: 'false', message: 'never', reason: 'FieldValueForbidden' }], spec: {}, want: ['spec: Forbidden: never'] },
    { name: 'reason FieldValueRequired', rules: [{ rule: 'has(self.name)', message: 'name please', reason: 'FieldValueRequired' }], spec: {}, want: ['spec: Required value: name please'] },
    { name: 'reason FieldValueDuplicate', rules: [{ rule: 'false', reason: 'FieldValueDuplicate' }], spec: {}, want: ['spec: Duplicate value: "object"'] },
    {
      name: 'fieldPath moves the error to the field',
      rules: [{ rule: 'self.replicas >= 0', message: 'negative', fieldPath: '.replicas' }],
      spec: { replicas: -1 },
      want: ['spec.replicas: Invalid value: "object": negative'],
    },
    { name: 'int-or-string as an int', rules: [{ rule: 'type(self.port) == int && self.port > 1000' }], spec: { port: 8080 }, want: [] },
    { name: 'int-or-string as a string', rules: [{ rule: "type(self.port) == string && self.port == 'http'" }], spec: { port: 'http' }, want: [] },
    { name: 'number is a double even when whole', rules: [{ rule: 'self.ratio == 2.0 && type(self.ratio) == double' }], spec: { ratio: 2 }, want: [] },
    { name: 'quantities are strings, readable with quantity()', rules: [{ rule: "quantity(self.mem).isLessThan(quantity('1Gi'))" }], spec: { mem: '512Mi' }, want: [] },
    {
      name: 'a run-time error names the rule',
      rules: [{ rule: 'self.name == "x"' }],
      spec: {},
      want: ['spec: Invalid value: "object": no such key: name evaluating rule: self.name == "x"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(run(withRules(c.rules), c.spec).errors, c.want);
    });
  }

  it('date-time, date, duration and byte strings are timestamps, durations and bytes', () => {
    const schema = withRules(
      [
        { rule: 'self.end > self.start', message: 'end before start' },
        { rule: "self.timeout <= duration('1h')", message: 'timeout over 1h' },
        { rule: "self.day == timestamp('2024-02-29T00:00:00Z')", message: 'wrong day' },
        { rule: 'size(self.data) == 5', message: 'five bytes' },
        { rule: 'self.start.getFullYear() == 2024' },
      ],
      {
        start: { type: 'string', format: 'date-time' },
        end: { type: 'string', format: 'date-time' },
        timeout: { type: 'string', format: 'duration' },
        day: { type: 'string', format: 'date' },
        data: { type: 'string', format: 'byte' },
      },
    );
    const good = { start: '2024-01-01T00:00:00Z', end: '2024-01-01T00:00:00.5+00:00', timeout: '59m30s', day: '2024-02-29', data: 'aGVsbG8=' };
    assert.deepEqual(run(schema, good).errors, []);
    assert.deepEqual(run(schema, { ...good, end: '2023-12-31T23:00:00Z', timeout: '1h0m1s', data: 'aGk=' }).errors, [
      'spec: Invalid value: "object": end before start',
      'spec: Invalid value: "object": timeout over 1h',
      'spec: Invalid value: "object": five bytes',
    ]);
  });
  it('rules at the root see apiVersion, kind, metadata.name and report at <nil>', () => {
    const schema = withRules([], {}, [{ rule: "self.metadata.name.startsWith('w') && self.kind == 'Widget'", message: 'bad name' }]);
    assert.deepEqual(run(schema, {}).errors, []);
    assert.deepEqual(run(schema, {}, undefined, 'x1').errors, ['<nil>: Invalid value: "object": bad name']);
  });
  it('only metadata.name and generateName are visible to rules', () => {
    const schema = withRules([], {}, [{ rule: 'has(self.metadata.labels)' }]);
    assert.deepEqual(
      ruleCompileErrors(schema).map((e) => e.error.split('\n')[0]),
      ["compilation failed: ERROR: <input>:1:1: undefined field 'labels'"],
    );
    assert.match(run(schema, {}).errors[0], /^<nil>: Invalid value: "object": rule compile error: compilation failed: .*undefined field 'labels'/);
  });
  it('rules on array items and map values report at their index and key', () => {
    const schema = withRules([], {
      list: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() <= 3' }] } },
      map: { type: 'object', additionalProperties: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0', message: 'positive' }] } },
    });
    assert.deepEqual(run(schema, { list: ['abc', 'abcd'], map: { a: 1, b: 0 } }).errors, [
      'spec.list[1]: Invalid value: "string": failed rule: self.size() <= 3',
      'spec.map[b]: Invalid value: "integer": positive',
    ]);
  });
  it('rules are not run after a blocking schema error', () => {
    const schema = withRules([{ rule: 'self.replicas > 100' }], { size: { type: 'string', enum: ['a'] } });
    assert.deepEqual(run(schema, { replicas: 1, size: 'b' }).errors, [
      'spec.size: Unsupported value: "b": supported values: "a"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
  it('a stored rule that does not compile is reported at validation', () => {
    assert.match(run(withRules([{ rule: 'self.replicas +' }]), {}).errors[0], /^spec: Invalid value: "object": rule compile error: compilation failed: ERROR: <input>:1:/);
    assert.deepEqual(run(withRules([{ rule: 'self.replicas' }]), { replicas: 1 }).errors, ['spec: Invalid value: "object": rule compile error: cel expression must evaluate to a bool']);
  });
  it('ruleCompileErrors lists the rules that do not compile, for CRD validation', () => {
    const errs = ruleCompileErrors(withRules([{ rule: 'self.replicas == 1' }, { rule: 'self.nope == 1' }, { rule: 'true', messageExpression: '1' }]));
    assert.deepEqual(
      errs.map((e) => [e.path, e.index, e.field, e.error.split('\n')[0]]),
      [
        ['openAPIV3Schema.properties[spec]', 1, 'rule', "compilation failed: ERROR: <input>:1:5: undefined field 'nope'"],
        ['openAPIV3Schema.properties[spec]', 2, 'messageExpression', 'messageExpression must evaluate to a string'],
      ],
    );
  });
});

describe('CRD validation rules: type checking', () => {
  it('refuses a field selection on a list or a scalar, as cel-go\'s checker', () => {
    const errs = ruleCompileErrors(withRules([{ rule: "self.tags.name == 'a'" }, { rule: 'self.replicas.value > 0' }, { rule: "self.?tags.?name.orValue('') == 'a'" }], { tags: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 5 } } }));
    assert.deepEqual(
      errs.map((e) => e.error.split('\n')[0]),
      [
        "compilation failed: ERROR: <input>:1:10: type 'list(string)' does not support field selection",
        "compilation failed: ERROR: <input>:1:14: type 'int' does not support field selection",
        "compilation failed: ERROR: <input>:1:11: type 'list(string)' does not support field selection",
      ],
    );
  });
});

describe('CRD validation rules: transition rules (oldSelf)', () => {
  const schema = withRules([{ rule: 'self.replicas >= oldSelf.replicas', message: 'no scale down' }, { rule: 'self.name == oldSelf.name', message: 'name is immutable', fieldPath: '.name' }]);
  it('are skipped on create', () => {
    assert.deepEqual(run(schema, { replicas: 1, name: 'a' }).errors, []);
  });
  it('run on update against the old value', () => {
    assert.deepEqual(run(schema, { replicas: 1, name: 'b' }, { replicas: 2, name: 'a' }).errors, ['spec: Invalid value: "object": no scale down', 'spec.name: Invalid value: "object": name is immutable']);
    assert.deepEqual(run(schema, { replicas: 3, name: 'a' }, { replicas: 2, name: 'a' }).errors, []);
  });
  it('are skipped where the old object has no value', () => {
    const s = withRules([], { opt: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] } });
    assert.deepEqual(run(s, { opt: 'x' }, {}).errors, []);
    assert.deepEqual(run(s, { opt: 'x' }, { opt: 'y' }).errors, ['spec.opt: Invalid value: "string": immutable']);
  });
  it('optionalOldSelf runs on create with oldSelf = optional.none()', () => {
    const s = withRules([{ rule: '!oldSelf.hasValue() || self.replicas >= oldSelf.value().replicas', optionalOldSelf: true, message: 'no scale down' }, { rule: 'oldSelf.hasValue() || self.replicas < 5', optionalOldSelf: true, message: 'start small' }]);
    assert.deepEqual(run(s, { replicas: 7 }).errors, ['spec: Invalid value: "object": start small']);
    assert.deepEqual(run(s, { replicas: 1 }, { replicas: 2 }).errors, ['spec: Invalid value: "object": no scale down']);
  });
  it('with optionalOldSelf, oldSelf has self\'s type: its fields are checked, and selecting through it gives an optional', () => {
    const errs = ruleCompileErrors(withRules([{ rule: 'oldSelf.value().replicaz == self.replicas', optionalOldSelf: true }, { rule: 'oldSelf.?replicaz.orValue(0) == self.replicas', optionalOldSelf: true }]));
    assert.deepEqual(
      errs.map((e) => e.error.split('\n')[0]),
      ["compilation failed: ERROR: <input>:1:16: undefined field 'replicaz'", "compilation failed: ERROR: <input>:1:8: undefined field 'replicaz'"],
    );
    const s = withRules([{ rule: 'oldSelf.replicas.orValue(0) <= self.replicas', optionalOldSelf: true, message: 'no scale down' }]);
    assert.deepEqual(run(s, { replicas: 1 }).errors, []);
    assert.deepEqual(run(s, { replicas: 1 }, { replicas: 2 }).errors, ['spec: Invalid value: "object": no scale down']);
  });
  it('list-type map items correlate with the old item of the same key', () => {
    const s = withRules([], {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.port == oldSelf.port', message: 'port is immutable' }] },
      },
    });
    const old = { ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }] };
    assert.deepEqual(run(s, { ports: [{ name: 'b', port: 2 }, { name: 'a', port: 1 }, { name: 'c', port: 3 }] }, old).errors, []);
    assert.deepEqual(run(s, { ports: [{ name: 'b', port: 5 }] }, old).errors, ['spec.ports[0]: Invalid value: "object": port is immutable']);
  });
  it('a failing rule on an unchanged value is a warning on update (ratcheting)', () => {
    const s = withRules([], { a: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.size() < 3' }] }, b: { type: 'string' } });
    const r = run(s, { a: 'toolong', b: 'new' }, { a: 'toolong', b: 'old' });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, ['spec.a: Invalid value: "string": failed rule: self.size() < 3']);
    assert.deepEqual(run(s, { a: 'toolong2' }, { a: 'toolong' }).errors, ['spec.a: Invalid value: "string": failed rule: self.size() < 3']);
  });
});

describe('CRD validation rules: ratcheting correlates as upstream (CorrelatedObject)', () => {
  const s = withRules([], {
    ports: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-validations': [{ rule: "self.all(p, p.name != 'bad')", message: 'no bad ports' }],
      items: { type: 'object', properties: { name: { type: 'string' } } },
    },
    tags: { type: 'array', 'x-kubernetes-list-type': 'set', 'x-kubernetes-validations': [{ rule: "!self.exists(t, t == 'bad')", message: 'no bad tags' }], items: { type: 'string' } },
  });
  it('a reordered map list is unchanged: its failing rule is a warning', () => {
    const r = run(s, { ports: [{ name: 'ok' }, { name: 'bad' }] }, { ports: [{ name: 'bad' }, { name: 'ok' }] });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, ['spec.ports: Invalid value: "array": no bad ports']);
  });
  it('a reordered set changed: its failing rule is an error', () => {
    assert.deepEqual(run(s, { tags: ['ok', 'bad'] }, { tags: ['bad', 'ok'] }).errors, ['spec.tags: Invalid value: "array": no bad tags']);
  });
});

describe('CRD validation rules: cost limits', () => {
  const bigList = Array.from({ length: 2000 }, (_, i) => `item-${i}`);
  it('one expression over the per-call limit stops all rules', () => {
    const schema = withRules([{ rule: 'self.list.all(x, self.list.all(y, x == y || x != y))' }, { rule: 'false', message: 'never reached' }], { list: { type: 'array', items: { type: 'string' } } });
    assert.deepEqual(run(schema, { list: bigList }).errors, [
      "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.list.all(x, self.list.all(y, x == y || x != y))",
    ]);
  });
  it('rules together over the runtime budget stop with upstream\'s message', () => {
    const schema = withRules([], {
      groups: {
        type: 'array',
        items: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: 'self.all(x, self.exists(y, x == y))' }] },
      },
    });
    const group = Array.from({ length: 400 }, (_, i) => `g${i}`);
    const errs = run(schema, { groups: Array.from({ length: 60 }, () => group) }).errors;
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^spec\.groups\[\d+\]: Invalid value: "array": validation failed due to running out of cost budget, no further validation rules will be run$/);
  });
  it('limits can be lowered per schema', () => {
    const schema = withRules([{ rule: 'self.list.all(x, x.size() > 0)' }], { list: { type: 'array', items: { type: 'string' } } });
    const compiled = compileSchema(schema, { perCallLimit: 50 });
    const errs = compiled.validate({ spec: { list: bigList } }).map(fieldErrorMessage);
    assert.match(errs[0], /call cost exceeds limit for rule: self\.list\.all/);
    assert.deepEqual(compileSchema(schema).validate({ spec: { list: bigList } }), []);
  });
});

describe('CRD validation rules: static cost estimates (for CRD validation)', () => {
  const withList = (list: JSONSchemaProps, rule: string): JSONSchemaProps => ({
    type: 'object',
    properties: { spec: { type: 'object', 'x-kubernetes-validations': [{ rule }], properties: { list, name: { type: 'string' }, replicas: { type: 'integer' } } } },
  });
  it('prices a two-variable comprehension over a list with its first variable an index, as cel-go\'s estimator', () => {
    const list: JSONSchemaProps = { type: 'array', items: { type: 'string' } };
    // Arithmetic on the index is cheap; the element is a string of unbounded length.
    assert.deepEqual(ruleCostErrors(withList(list, 'self.list.all(i, v, i + 1 > 0)')), []);
    assert.match(ruleCostErrors(withList(list, "self.list.all(i, v, v + 'x' != '')"))[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of more than 100x/);
    assert.match(ruleCostErrors(withList(list, 'self.list.all(i, v, self.list.all(j, w, v != w))'))[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of more than 100x/);
  });
  it('a nested loop over an unbounded list is refused with upstream\'s message', () => {
    const errs = ruleCostErrors(withList({ type: 'array', items: { type: 'string' } }, 'self.list.all(x, self.list.all(y, x != y))'));
    assert.deepEqual(errs[0], {
      path: 'openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule',
      detail: 'estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)',
    });
    assert.equal(errs.at(-1)!.path, 'openAPIV3Schema');
    assert.match(errs.at(-1)!.detail, /^x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x/);
  });
  it('rules with the optional syntax are costed as well', () => {
    const errs = ruleCostErrors(withList({ type: 'array', items: { type: 'string' } }, 'self.list.all(x, self.list.all(y, x != y || self.?name.hasValue()))'));
    assert.match(errs[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of more than 100x/);
  });
  it("sizes what is read from a comprehension's result as the rule's own node, and prices a list append at 1 (cel-go's estimator)", () => {
    // cel-go gives map()'s result no field path, so its elements have the path `@items`, which the CRD size
    // estimator resolves to the rule's node (an object: size 0); the macro's appends to its result are O(1).
    const bounded: JSONSchemaProps = { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10 } };
    assert.deepEqual(ruleCostErrors(withList(bounded, "self.list.map(n, n + 'x').all(y, y.contains('a'))")), []);
    assert.deepEqual(ruleCostErrors(withList(bounded, "self.list.filter(n, n != '')[0].contains('a')")), []);
    // On a list's own rules the elements are sized as that list: unbounded, still refused.
    const onList: JSONSchemaProps = { type: 'object', properties: { list: { type: 'array', items: { type: 'string' }, 'x-kubernetes-validations': [{ rule: "self.map(n, n + 'x').all(y, y.contains('a'))" }] } } };
    assert.match(ruleCostErrors(onList)[0]?.detail ?? '', /^estimated rule cost exceeds budget by factor of more than 100x/);
  });
  it('the same loop with maxItems and maxLength is fine', () => {
    assert.deepEqual(ruleCostErrors(withList({ type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } }, 'self.list.all(x, self.list.all(y, x != y))')), []);
  });
  it('simple rules are cheap', () => {
    const costs = estimateRuleCosts(withList({ type: 'array', items: { type: 'string' } }, 'self.replicas >= 0 && self.list.size() < 5'));
    assert.ok(costs[0].cost < 100, String(costs[0].cost));
  });
  it('a rule on the items of an unbounded list runs once per possible item', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: 'self.name.contains("a")' }] } } } } },
    };
    assert.match(ruleCostErrors(s)[0].detail, /^estimated rule cost exceeds budget by factor of more than 100x/);
    s.properties!.spec.properties!.items.maxItems = 10;
    s.properties!.spec.properties!.items.items = { ...(s.properties!.spec.properties!.items.items as JSONSchemaProps), properties: { name: { type: 'string', maxLength: 63 } } };
    assert.deepEqual(ruleCostErrors(s), []);
  });
  it('factors below 1.5 print with six decimals, as Go\'s %f', () => {
    assert.ok(costErrorMessage('estimated rule cost', 11_000_000, StaticEstimatedCostLimit).startsWith('estimated rule cost exceeds budget by factor of 1.100000x '));
    assert.ok(costErrorMessage('estimated rule cost', 25_000_000, StaticEstimatedCostLimit).startsWith('estimated rule cost exceeds budget by factor of 2.5x '));
  });
});
