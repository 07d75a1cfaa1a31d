/**
 * Upstream v1.32's two CEL environments: expressions written now get the libraries of the compatibility version
 * (1.31), stored ones every library of 1.32, which adds cel-go's two-variable comprehensions. Results and messages
 * are cel-go's (ext/comprehensions.go's documented examples).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compile, evaluate, toJson, useCompatibilityVersion, type EnvironmentType } from '../../runtime/cel/index.ts';

const variables = { self: 'dyn' };

function run(expression: string, self: unknown = {}, environment: EnvironmentType = 'StoredExpressions'): unknown {
  const r = compile(expression, { variables, environment });
  assert.equal(r.error, undefined, r.error);
  const out = evaluate(r.program!, { self });
  assert.equal(out.error, undefined, out.error);
  return toJson(out.value);
}

function evalError(expression: string, self: unknown): string | undefined {
  const r = compile(expression, { variables });
  assert.equal(r.error, undefined, r.error);
  return evaluate(r.program!, { self }).error;
}

const compileError = (expression: string, environment: EnvironmentType = 'StoredExpressions') => compile(expression, { variables, environment }).error;

describe('CEL environments: two-variable comprehensions in stored expressions', () => {
  it('all, exists and existsOne over lists (index, value) and maps (key, value)', () => {
    assert.equal(run('[1, 2, 3].all(i, j, i < j)'), true);
    assert.equal(run("{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)"), false);
    assert.equal(run("{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))"), true);
    assert.equal(run("{'greeting': 'hello', 'farewell': 'goodbye'}.exists(k, v, k.startsWith('good') || v.endsWith('bye'))"), true);
    assert.equal(run('[1, 2, 4, 8, 16].exists(i, v, v == 1024 && i == 10)'), false);
    assert.equal(run('[1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)'), false);
    assert.equal(run('[1, 1, 2, 2, 3, 3].existsOne(i, v, i == 2 && v == 2)'), true);
    assert.equal(run("{'i': 0, 'j': 1, 'k': 2}.exists_one(i, v, i == 'l' || v == 1)"), true);
  });

  it('transformList, transformMap and transformMapEntry, with and without a filter', () => {
    assert.deepEqual(run('[1, 2, 3].transformList(i, v, (i * v) + v)'), [1, 4, 9]);
    assert.deepEqual(run('[1, 2, 3].transformList(i, v, i % 2 == 0, (i * v) + v)'), [1, 9]);
    assert.deepEqual(run("{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, _, k)"), ['greeting', 'farewell']);
    assert.deepEqual(run('[1, 2, 3].transformMap(i, v, (i * v) + v)'), { 0: 1, 1: 4, 2: 9 });
    assert.deepEqual(run("{'greeting': 'hello'}.transformMap(k, v, v + '!')"), { greeting: 'hello!' });
    assert.deepEqual(run("{'greeting': 'hello'}.transformMapEntry(k, v, {v: k})"), { hello: 'greeting' });
    assert.deepEqual(run('self.transformMapEntry(k, v, v > 1, {v: k})', { a: 1, b: 2 }), { 2: 'b' });
  });

  it('works on object data, the variables shadowing outer names', () => {
    const self = { limits: { cpu: 2, memory: 4 }, names: ['a', 'b'] };
    assert.equal(run('self.limits.all(k, v, v <= 4 && k.size() > 2)', self), true);
    assert.equal(run('self.names.all(i, self, self == ["a", "b"][i])', self), true);
  });

  it("a duplicate key from transformMapEntry is cel-go's run-time error", () => {
    assert.equal(evalError('self.transformMapEntry(k, v, {v: k})', { x: 'same', y: 'same' }), 'insert failed: key same already exists');
  });

  it('builds a new map for each run of transformMap, though each run adds to its own in place', () => {
    assert.deepEqual(run("[1, 2].map(i, {'a': i}.transformMap(k, v, v * 10))"), [{ a: 10 }, { a: 20 }]);
    assert.deepEqual(run('[1, 2].map(i, self.transformMapEntry(k, v, v >= i, {k: v + i}))', { a: 1, b: 2 }), [{ a: 2, b: 3 }, { b: 4 }]);
    // An int and a uint of one value are one key, as CEL compares keys.
    assert.equal(evalError('[0, 1].transformMapEntry(i, v, i == 0 ? {1: v} : {1u: v})', {}), 'insert failed: key 1 already exists');
  });

  it("refuses cel-go's macro errors", () => {
    assert.equal(compileError('[1].all(k, k, true)'), 'ERROR: <input>:1:12: duplicate variable name: k\n | [1].all(k, k, true)\n | ...........^');
    assert.equal(compileError('[1].all(k.x, v, true)'), 'ERROR: <input>:1:10: argument must be a simple name\n | [1].all(k.x, v, true)\n | .........^');
    assert.equal(compileError('[1].exists(__result__, v, true)'), 'ERROR: <input>:1:12: iteration variable overwrites accumulator variable\n | [1].exists(__result__, v, true)\n | ...........^');
  });
});

describe('CEL environments: new expressions get the compatibility version (1.31)', () => {
  it('refuses two-variable comprehensions with the errors of an environment without them, sorted by place', () => {
    assert.equal(
      compileError('self.all(k, v, v > 0)', 'NewExpressions'),
      [
        "ERROR: <input>:1:9: undeclared reference to 'all' (in container '')",
        ' | self.all(k, v, v > 0)',
        ' | ........^',
        "ERROR: <input>:1:10: undeclared reference to 'k' (in container '')",
        ' | self.all(k, v, v > 0)',
        ' | .........^',
        "ERROR: <input>:1:13: undeclared reference to 'v' (in container '')",
        ' | self.all(k, v, v > 0)',
        ' | ............^',
        "ERROR: <input>:1:16: undeclared reference to 'v' (in container '')",
        ' | self.all(k, v, v > 0)',
        ' | ...............^',
      ].join('\n'),
    );
    assert.match(compileError("self.transformMapEntry(k, v, {v: k})", 'NewExpressions')!, /^ERROR: <input>:1:23: undeclared reference to 'transformMapEntry' \(in container ''\)/);
  });

  it('keeps every library of 1.31 and the one-variable macros', () => {
    assert.equal(run('[1, 2].all(x, x > 0) && [1].exists_one(x, x == 1)', {}, 'NewExpressions'), true);
    assert.equal(run("sets.contains([1, 2], [2]) && isCIDR('10.0.0.0/8') && format.dns1123Label().validate('a').hasValue() == false", {}, 'NewExpressions'), true);
  });

  it('follows the compatibility version the server sets (its effective version), stored expressions keeping every library', () => {
    const formatRule = "format.dns1123Label().validate('a').hasValue() == false";
    try {
      useCompatibilityVersion(30);
      assert.match(compileError(formatRule, 'NewExpressions')!, /^ERROR: <input>:1:1: undeclared reference to 'format' \(in container ''\)/);
      assert.equal(compileError(formatRule, 'StoredExpressions'), undefined);
      useCompatibilityVersion(32);
      assert.equal(run('[1].all(i, v, v > i)', {}, 'NewExpressions'), true);
    } finally {
      useCompatibilityVersion(31);
    }
    assert.match(compileError('[1].all(i, v, v > i)', 'NewExpressions')!, /undeclared reference to 'all'/);
  });
});

describe('CEL environments: macros cel-go does not have', () => {
  it('existsOne with one variable is a plain (undeclared) call in both environments', () => {
    for (const env of ['NewExpressions', 'StoredExpressions'] as const) {
      assert.equal(compileError('[1].existsOne(x, x == 1)', env)?.split('\n')[0], "ERROR: <input>:1:14: undeclared reference to 'existsOne' (in container '')");
    }
  });
});
