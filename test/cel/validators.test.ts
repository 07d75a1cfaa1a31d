/**
 * The compile-time checks Kubernetes' base environment adds through cel-go since 1.29: the literal validators
 * (duration, timestamp, regex) and homogeneous list and map literals. Given an expression, want cel-go's error (as
 * cel-go's own validator tests word and place it) or none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, evaluate, toJson, typeCheck, type FieldSchema } from '../../runtime/cel/index.ts';

const vars = { object: 'dyn', s: 'string' };

function compileError(expression: string, schemas?: Record<string, FieldSchema>): string | undefined {
  return compile(expression, { variables: vars, schemas }).error;
}

describe('CEL literal validators', () => {
  it('refuses a duration literal that does not parse, at the literal', () => {
    assert.equal(compileError("duration('1d')"), "ERROR: <input>:1:10: invalid duration argument\n | duration('1d')\n | .........^");
    assert.equal(compileError("duration('1us')\n < duration('1nns')"), "ERROR: <input>:2:13: invalid duration argument\n |  < duration('1nns')\n | ............^");
    assert.equal(compileError("duration('2h3m4s5us') > duration('0s')"), undefined);
    assert.equal(compileError('duration(s) > duration(object.spec.timeout)'), undefined); // not literals
  });

  it('refuses a timestamp literal that does not parse or is out of range', () => {
    assert.equal(compileError("timestamp('1000-00-00T00:00:00Z')"), "ERROR: <input>:1:11: invalid timestamp argument\n | timestamp('1000-00-00T00:00:00Z')\n | ..........^");
    assert.equal(compileError("timestamp('1000-01-01T00:00:00ZZ')")?.split('\n')[0], 'ERROR: <input>:1:11: invalid timestamp argument');
    assert.equal(compileError('timestamp(-62135596801)')?.split('\n')[0], 'ERROR: <input>:1:11: invalid timestamp argument');
    assert.equal(compileError("timestamp('1000-01-01T00:00:00Z') < timestamp(0)"), undefined);
    assert.equal(compileError('timestamp(s)'), undefined);
  });

  it('refuses a regex literal RE2 does not accept', () => {
    assert.equal(compileError("'hello'.matches('x++')"), "ERROR: <input>:1:17: invalid matches argument\n | 'hello'.matches('x++')\n | ................^");
    assert.equal(compileError("s.matches('[')")?.split('\n')[0], 'ERROR: <input>:1:11: invalid matches argument');
    assert.equal(compileError("'hello'.matches('(?<name%>el*)')")?.split('\n')[0], 'ERROR: <input>:1:17: invalid matches argument');
    assert.equal(compileError("'hello'.matches('el*') && 'x'.matches(s)"), undefined);
  });

  it('checks the first argument of the global matches(s, re), as cel-go does; the pattern fails when evaluated', () => {
    assert.equal(compileError("matches('[', 'a')"), "ERROR: <input>:1:9: invalid matches argument\n | matches('[', 'a')\n | ........^");
    const r = compile("matches('a', '[')", { variables: vars });
    assert.equal(r.error, undefined);
    assert.equal(evaluate(r.program!, {}).error, 'error parsing regexp: missing closing ]: `[`');
  });

  it('runs in ValidatingAdmissionPolicy type checking too (upstream compiles with env.Compile there)', () => {
    const schemas: Record<string, FieldSchema> = { object: { type: 'object', properties: { name: { type: 'string' } } } };
    assert.equal(typeCheck("object.name.matches('x++')", { variables: { object: 'dyn' }, schemas }), "ERROR: <input>:1:21: invalid matches argument\n | object.name.matches('x++')\n | ....................^");
    assert.equal(typeCheck("duration('1d') > duration(object.name)", { variables: { object: 'dyn' }, schemas })?.split('\n')[0], 'ERROR: <input>:1:10: invalid duration argument');
    assert.equal(typeCheck("object.name.matches('x+')", { variables: { object: 'dyn' }, schemas }), undefined);
  });
});

describe('CEL standard library', () => {
  it('has the global form of matches (cel-go overload "matches"), RE2 as the method form', () => {
    for (const [expression, want] of [["matches('abc', 'a.c')", true], ["matches(s, '^b')", false], ["matches('k8s', '[0-9]')", true]] as const) {
      const r = compile(expression, { variables: vars });
      assert.equal(r.error, undefined, r.error);
      assert.equal(toJson(evaluate(r.program!, { s: 'abc' }).value!), want, expression);
    }
    assert.equal(compileError("matches('a', 1)")?.split('\n')[0], "ERROR: <input>:1:8: found no matching overload for 'matches' applied to '(string, int)'");
  });
});

describe('CEL homogeneous aggregate literals', () => {
  it('refuses a list whose elements differ in type, at the first that differs from the first element', () => {
    assert.equal(compileError("s in ['hello', 0]"), "ERROR: <input>:1:16: expected type 'string' but found 'int'\n | s in ['hello', 0]\n | ...............^");
    assert.equal(compileError("[1, 2, 'a', 2.0]"), "ERROR: <input>:1:8: expected type 'int' but found 'string'\n | [1, 2, 'a', 2.0]\n | .......^");
    assert.equal(compileError("[[1], ['a']]")?.split('\n')[0], "ERROR: <input>:1:7: expected type 'list(int)' but found 'list(string)'");
  });

  it('refuses a map whose keys or values differ in type, reporting each', () => {
    assert.equal(compileError("{'hello':'world', 1:'!'}"), "ERROR: <input>:1:19: expected type 'string' but found 'int'\n | {'hello':'world', 1:'!'}\n | ..................^");
    assert.equal(compileError("s in {'hello':'world', 'goodbye':true}"), "ERROR: <input>:1:34: expected type 'string' but found 'bool'\n | s in {'hello':'world', 'goodbye':true}\n | .................................^");
    assert.equal(compileError("{'a': 1, 2: 'x'}")?.split('\n').filter((l) => l.startsWith('ERROR')).join('\n'), "ERROR: <input>:1:10: expected type 'string' but found 'int'\nERROR: <input>:1:13: expected type 'int' but found 'string'");
  });

  it('counts a dyn value as its own type, as cel-go does', () => {
    assert.equal(compileError("['a', object.metadata.name]")?.split('\n')[0], "ERROR: <input>:1:22: expected type 'string' but found 'dyn'");
    assert.equal(compileError("[1, dyn('a')]")?.split('\n')[0], "ERROR: <input>:1:8: expected type 'int' but found 'dyn'");
    assert.equal(compileError("[dyn(1), dyn('a')] == object.spec.items && [object.a, object.b].size() == 2"), undefined);
  });

  it('accepts uniform literals, optional elements of the same type, and mixed literals inside format()', () => {
    assert.equal(compileError("s in ['hello', ?optional.ofNonZeroValue('')]"), undefined);
    assert.equal(compileError("s in [?optional.ofNonZeroValue(''), 'hello', ?optional.of('')]"), undefined);
    assert.equal(compileError("{'hello': false, ?'world': optional.ofNonZeroValue(true)}.size() > 0"), undefined);
    assert.equal(compileError("'%s %d %s'.format(['a', 1, [2, 'b']])"), undefined);
    const schemas: Record<string, FieldSchema> = { self: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'integer' } } } };
    assert.equal(compile("[self.name, 'x'].size() == 2", { variables: { self: 'dyn' }, schemas }).error, undefined);
    assert.equal(compile("[self.n, 'x']", { variables: { self: 'dyn' }, schemas }).error?.split('\n')[0], "ERROR: <input>:1:10: expected type 'int' but found 'string'");
  });
});

describe('CEL equality', () => {
  it('refuses comparing values of two different known types, as cel-go declares _==_ (A, A)', () => {
    assert.equal(compileError("1 == 'a'"), "ERROR: <input>:1:3: found no matching overload for '_==_' applied to '(int, string)'\n | 1 == 'a'\n | ..^");
    assert.equal(compileError('[1] != 1.0')?.split('\n')[0], "ERROR: <input>:1:5: found no matching overload for '_!=_' applied to '(list(int), double)'");
    assert.equal(compileError("object.spec == 1 && s == 'a' && s != object.name"), undefined);
  });

  it('compares null only with nullable types: objects, timestamps, durations, optionals (checker_test.go: (int, null))', () => {
    assert.equal(compileError('s == null'), "ERROR: <input>:1:3: found no matching overload for '_==_' applied to '(string, null)'\n | s == null\n | ..^");
    assert.equal(compileError('[1] != null')?.split('\n')[0], "ERROR: <input>:1:5: found no matching overload for '_!=_' applied to '(list(int), null)'");
    assert.equal(compileError("{'a': 1} == null")?.split('\n')[0], "ERROR: <input>:1:10: found no matching overload for '_==_' applied to '(map(string, int), null)'");
    const schemas: Record<string, FieldSchema> = {
      self: { type: 'object', properties: { n: { type: 'integer' }, spec: { type: 'object', properties: { a: { type: 'string' } } }, at: { type: 'string', celKind: 'google.protobuf.Timestamp' } } },
    };
    assert.equal(compile('self.n == null', { variables: { self: 'dyn' }, schemas }).error?.split('\n')[0], "ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(int, null)'");
    assert.equal(compile('self.spec != null && self.at != null && null == self.spec', { variables: { self: 'dyn' }, schemas }).error, undefined);
    assert.equal(compileError("null == null && object == null && duration('1s') != null && optional.none() != null"), undefined);
  });

  it('refuses timestamps, durations, types and optionals compared with another type, printed as cel-go prints them', () => {
    assert.equal(compileError("duration('1s') == timestamp('2020-01-01T00:00:00Z')")?.split('\n')[0], "ERROR: <input>:1:16: found no matching overload for '_==_' applied to '(duration, timestamp)'");
    assert.equal(compileError('optional.none() == 1')?.split('\n')[0], "ERROR: <input>:1:17: found no matching overload for '_==_' applied to '(optional_type(dyn), int)'");
    assert.equal(compileError('type([1]) == 1')?.split('\n')[0], "ERROR: <input>:1:11: found no matching overload for '_==_' applied to '(type(list(int)), int)'");
    assert.equal(compileError('int + 1')?.split('\n')[0], "ERROR: <input>:1:5: found no matching overload for '_+_' applied to '(type(int), int)'");
    assert.equal(compileError('null + 1')?.split('\n')[0], "ERROR: <input>:1:6: found no matching overload for '_+_' applied to '(null, int)'");
    assert.equal(compileError("duration('1s') + 1")?.split('\n')[0], "ERROR: <input>:1:16: found no matching overload for '_+_' applied to '(duration, int)'");
    // Any two type values compare (checker_test.go: `list == type([1])`, `type(null) == null_type`).
    assert.equal(compileError('list == type([1]) && map == type({1: 2u}) && type(null) == null_type && type(s) == string'), undefined);
    assert.equal(compileError('optional.of(1) == optional.none() && object.x == type(1)'), undefined);
  });
});

describe('CEL types of literal elements', () => {
  it('types a comprehension variable over a literal by its elements', () => {
    assert.equal(compileError("[1, 2].all(x, x == 'a')")?.split('\n')[0], "ERROR: <input>:1:17: found no matching overload for '_==_' applied to '(int, string)'");
    assert.equal(compileError("{'a': 1}.all(k, k == 1)")?.split('\n')[0], "ERROR: <input>:1:19: found no matching overload for '_==_' applied to '(string, int)'");
    assert.equal(compileError("[1].exists(i, v, i == 'a')")?.split('\n')[0], "ERROR: <input>:1:20: found no matching overload for '_==_' applied to '(int, string)'");
    assert.equal(compileError("[1].map(x, [x, 'a'])")?.split('\n')[0], "ERROR: <input>:1:16: expected type 'int' but found 'string'");
    assert.equal(compileError('[1, 2].all(x, x > 0) && [[1]].all(l, l.all(x, x == 1)) && object.items.all(x, x == 1)'), undefined);
  });

  it('types an index into a literal by its elements', () => {
    assert.equal(compileError("[[1]][0] == 'a'")?.split('\n')[0], "ERROR: <input>:1:10: found no matching overload for '_==_' applied to '(list(int), string)'");
    assert.equal(compileError("{'a': [1]}['a'][0] == 'b'")?.split('\n')[0], "ERROR: <input>:1:20: found no matching overload for '_==_' applied to '(int, string)'");
    assert.equal(compileError("[1, 2][0] + 1 == 2 && {'a': 'b'}['a'].size() == 1 && [object.x][0] == 'a'"), undefined);
  });
});
