/**
 * cel-go's optional syntax and types, as every Kubernetes CEL environment has them (OptionalTypes): given an
 * expression and variables, want the value, or the compile error as cel-go words and places it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, evaluate, toJson, typeCheck, Optional, type FieldSchema } from '../../runtime/cel/index.ts';

const vars = { object: 'dyn', self: 'dyn' };
const object = { spec: { replicas: 3, ports: [80, 443], tier: '' }, metadata: { name: 'web', labels: { app: 'web' } } };

/** The value as JSON; an optional as `{ optional: value }` or `'none'`. */
function show(v: unknown): unknown {
  if (v instanceof Optional) return v.present ? { optional: show(v.value) } : 'none';
  return toJson(v);
}

function run(expression: string, activation: Record<string, unknown> = { object }): unknown {
  const r = compile(expression, { variables: vars });
  assert.equal(r.error, undefined, r.error);
  const out = evaluate(r.program!, activation);
  assert.equal(out.error, undefined, `${expression}: ${out.error}`);
  return show(out.value);
}

function compileError(expression: string, schemas?: Record<string, FieldSchema>): string | undefined {
  return compile(expression, { variables: vars, schemas }).error;
}

describe('CEL optional syntax: evaluation', () => {
  const cases: Array<[string, unknown]> = [
    // Optional field selection and its default.
    ['object.?spec.?replicas.orValue(1)', 3],
    ['object.?spec.?paused.orValue(false)', false],
    ['object.?status.?replicas.orValue(1)', 1],
    ['object.?spec.?replicas', { optional: 3 }],
    ['object.?status', 'none'],
    // After an optional qualifier every later one is optional, selections and indexes alike.
    ['object.?status.replicas', 'none'],
    ['object.?spec.replicas', { optional: 3 }],
    ['object.?spec.ports[1]', { optional: 443 }],
    ['object.?spec.ports[7]', 'none'],
    ["object.?metadata.labels['app']", { optional: 'web' }],
    ["object.?metadata.labels['team'].orValue('none')", 'none'],
    // Optional indexes on lists and maps.
    ["object.metadata.labels[?'app'].orValue('')", 'web'],
    ["object.metadata.?labels[?'team'].hasValue()", false],
    ['object.spec.ports[?0].value()', 80],
    ['object.spec.ports[?2].hasValue()', false],
    ['object.spec.ports[?-1].hasValue()', false],
    ["{'a': 1}[?'a']", { optional: 1 }],
    ['{1: 2}[?1]', { optional: 2 }],
    // Optional list elements and map entries are left out when none.
    ['[1, ?optional.none(), ?optional.of(3)]', [1, 3]],
    ['[?object.?status.?replicas, ?object.?spec.?replicas]', [3]],
    ["{?'a': optional.none(), 'b': 2, ?'c': object.?spec.?replicas}", { b: 2, c: 3 }],
    ["{?'a': object.?metadata.?labels[?'team']}.size()", 0],
    // The library: of, none, ofNonZeroValue, hasValue, value, or, orValue.
    ['optional.of(1).value() + optional.none().orValue(2)', 3],
    ["optional.ofNonZeroValue('').hasValue() || optional.ofNonZeroValue([]).hasValue() || optional.ofNonZeroValue({}).hasValue() || optional.ofNonZeroValue(0u).hasValue()", false],
    ["optional.ofNonZeroValue('x').value()", 'x'],
    ["object.?spec.?tier.optFlatMap(t, optional.ofNonZeroValue(t)).orValue('default')", 'default'],
    ['optional.none().or(optional.of(4)).or(optional.of(5)).value()', 4],
    ['object.?status.or(object.?spec).?replicas.orValue(0)', 3],
    // optMap and optFlatMap, with cel-go's macro expansion.
    ['object.?spec.?ports.optMap(p, p.size()).orValue(0)', 2],
    ['object.?status.?ports.optMap(p, p.size()).orValue(0)', 0],
    ['object.?spec.?ports.optFlatMap(p, p[?5])', 'none'],
    ['object.?spec.?ports.optFlatMap(p, p[?1])', { optional: 443 }],
    // Optionals compare as values.
    ['object.?spec.?replicas == optional.of(3) && object.?status == optional.none()', true],
    ["optional.of('optional.none()') == optional.none() || optional.of(1) == optional.of(2)", false],
    // A ternary `?` and `?`s in strings and comments are no optional syntax.
    ["object.?spec.?replicas.orValue(0) > 2 ? 'many?' : r'.?few' // a comment.?\n", 'many?'],
    ['object . ? spec . ? replicas', { optional: 3 }],
  ];
  for (const [expression, want] of cases) {
    it(expression, () => assert.deepEqual(run(expression), want));
  }

  it('or and orValue evaluate their argument only when the optional is empty, as cel-go', () => {
    assert.equal(run('object.?spec.?replicas.orValue(object.missing)'), 3);
    assert.deepEqual(run('object.?spec.or(object.missing)'), { optional: { replicas: 3, ports: [80, 443], tier: '' } });
    const r = compile('object.?status.?x.orValue(object.missing)', { variables: vars });
    assert.equal(evaluate(r.program!, { object }).error, 'no such key: missing');
  });

  it('reports run-time errors with cel-go words', () => {
    const err = (expression: string) => evaluate(compile(expression, { variables: vars }).program!, { object }).error;
    assert.equal(err('object.?status.value()'), 'optional.none() dereference');
    assert.equal(err('[?object.spec.replicas]'), 'cannot initialize optional list element from non-optional value 3');
    assert.equal(err("{?'r': object.spec.replicas}"), "cannot initialize optional entry 'r' from non-optional value 3");
    // Only the qualifiers after the first optional one are optional.
    assert.equal(err('object.status.?replicas'), 'no such key: status');
  });

  it('costs an optional selection as a selection', () => {
    const cost = (expression: string) => evaluate(compile(expression, { variables: vars }).program!, { object }).cost;
    const big = { spec: { replicas: 1, filler: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])) } };
    const c = compile('object.?spec.?replicas', { variables: vars });
    assert.equal(evaluate(c.program!, { object: big }).cost, cost('object.?spec.?replicas'));
  });
});

describe('CEL optional syntax: compile errors', () => {
  it('places errors at the user\'s columns', () => {
    assert.equal(compileError("object.?spec.?replicas.orValue(1) > 0 && nope"), "ERROR: <input>:1:42: undeclared reference to 'nope' (in container '')\n | object.?spec.?replicas.orValue(1) > 0 && nope\n | .........................................^");
    assert.match(compileError('object.?spec.?replicas > ')!, /^ERROR: <input>:1:26: Syntax error: .*\n \| object.\?spec.\?replicas > \n \| \.{25}\^$/);
  });
  it('refuses a non-optional value as an optional list element or map entry, as cel-go\'s checker', () => {
    assert.equal(compileError('[1, ?2]'), "ERROR: <input>:1:6: expected type 'optional_type(int)' but found 'int'\n | [1, ?2]\n | .....^");
    assert.equal(compileError("{?'a': 'b'}"), "ERROR: <input>:1:8: expected type 'optional_type(string)' but found 'string'\n | {?'a': 'b'}\n | .......^");
  });
  it('refuses has() on an optional selection and a macro variable that is not a name', () => {
    assert.equal(compileError('has(object.?spec)'), 'ERROR: <input>:1:11: invalid argument to has() macro\n | has(object.?spec)\n | ..........^');
    assert.equal(compileError('object.?spec.optMap(1, 2)'), 'ERROR: <input>:1:21: optMap() variable name must be a simple identifier\n | object.?spec.optMap(1, 2)\n | ....................^');
  });
  it('types an optional selection as optional_type and checks the field against the schema', () => {
    const schemas: Record<string, FieldSchema> = { self: { type: 'object', properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } } } };
    assert.equal(compileError('self.?spec.?replicas.orValue(1) > 0', schemas), undefined);
    assert.equal(compileError('self.?spec.?replicaz.orValue(1) > 0', schemas), "ERROR: <input>:1:11: undefined field 'replicaz'\n | self.?spec.?replicaz.orValue(1) > 0\n | ..........^");
    assert.equal(compileError("self.?spec.?replicas.value() + 'x'", schemas), "ERROR: <input>:1:30: found no matching overload for '_+_' applied to '(int, string)'\n | self.?spec.?replicas.value() + 'x'\n | .............................^");
    assert.equal(compile('self.?spec.?replicas', { variables: vars, schemas, resultKinds: ['bool'] }).error, 'must evaluate to bool');
    assert.equal(typeCheck('object.?spec.?replicaz', { variables: vars, schemas: { object: schemas.self } }), "ERROR: <input>:1:13: undefined field 'replicaz'\n | object.?spec.?replicaz\n | ............^");
  });

  it("types optional.of(x) with x's type, as cel-go's messages show it", () => {
    const first = (expression: string) => compileError(expression)?.split('\n')[0];
    assert.equal(first('optional.of(1) + 1'), "ERROR: <input>:1:16: found no matching overload for '_+_' applied to '(optional_type(int), int)'");
    assert.equal(first('optional.ofNonZeroValue([1, 2]) + 1'), "ERROR: <input>:1:33: found no matching overload for '_+_' applied to '(optional_type(list(int)), int)'");
  });

  it('refuses comparing an optional with a plain value, as cel-go types equality (A, A) -> bool', () => {
    assert.equal(compileError("optional.of('a') == 1"), "ERROR: <input>:1:18: found no matching overload for '_==_' applied to '(optional_type(string), int)'\n | optional.of('a') == 1\n | .................^");
    assert.equal(compileError('optional.of(1) != optional.of(2.0)')?.split('\n')[0], "ERROR: <input>:1:16: found no matching overload for '_!=_' applied to '(optional_type(int), optional_type(double))'");
    // A value whose type is dyn may be an optional: only run time tells.
    assert.equal(compileError('optional.of(1) == object.spec'), undefined);
  });
});

describe('CEL optional values: type()', () => {
  it('is optional_type, not the map the value presents itself as', () => {
    assert.equal(String(run('type(optional.of(1))')), 'optional_type');
    assert.equal(run('type(optional.of(1)) == type(optional.none())'), true);
    assert.equal(run("type(optional.of(1)) == type({'a': 1})"), false);
    assert.equal(run("type(quantity('1')) == type(optional.of(1))"), false);
    assert.equal(run('type(1) == int && type([1]) == list'), true);
  });
});
