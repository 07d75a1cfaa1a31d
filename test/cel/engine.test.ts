import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationSession, AuthorizerValue, compile, evaluate, evaluateAsync, toJson, typeCheck, type CelAuthzAttributes, type FieldSchema, type Program } from '../../runtime/cel/index.ts';

const vars = { object: 'dyn', oldObject: 'dyn', params: 'dyn', request: 'dyn', authorizer: 'kubernetes.authorization.Authorizer', variables: 'map' };

function program(expression: string, resultKinds?: string[]): Program {
  const r = compile(expression, { variables: vars, resultKinds });
  assert.equal(r.error, undefined, r.error);
  return r.program!;
}

function run(expression: string, activation: Record<string, unknown> = {}): unknown {
  const r = evaluate(program(expression), activation);
  assert.equal(r.error, undefined, r.error);
  return toJson(r.value);
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'a', image: 'nginx:1.25', resources: { limits: { memory: '512Mi' } } }] } } },
};

describe('CEL engine: compile', () => {
  it('reports an undeclared variable as cel-go does', () => {
    assert.equal(compile('foo.bar == 1', { variables: vars }).error, "ERROR: <input>:1:1: undeclared reference to 'foo' (in container '')\n | foo.bar == 1\n | ^");
  });
  it('reports an impossible overload at the operator', () => {
    assert.equal(compile("1 < 'asdf'", { variables: vars }).error, "ERROR: <input>:1:3: found no matching overload for '_<_' applied to '(int, string)'\n | 1 < 'asdf'\n | ..^");
  });
  it('names list, map and optional types in overload errors with their parameters, as cel-go', () => {
    const first = (expression: string, schemas?: Record<string, FieldSchema>) => compile(expression, { variables: vars, schemas }).error?.split('\n')[0];
    assert.equal(first('[1, 2] + 1'), "ERROR: <input>:1:8: found no matching overload for '_+_' applied to '(list(int), int)'");
    assert.equal(first("{'a': [true]} - 1"), "ERROR: <input>:1:15: found no matching overload for '_-_' applied to '(map(string, list(bool)), int)'");
    assert.equal(first('object.?spec + 1'), "ERROR: <input>:1:14: found no matching overload for '_+_' applied to '(optional_type(dyn), int)'");
    const schemas: Record<string, FieldSchema> = { object: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, n: { type: 'integer' } } } };
    assert.equal(first('object.tags + 1', schemas), "ERROR: <input>:1:13: found no matching overload for '_+_' applied to '(list(string), int)'");
    assert.equal(first('object.?n.isSorted()', schemas), "ERROR: <input>:1:19: found no matching overload for 'isSorted' applied to 'optional_type(int).()'");
  });
  it('reports unknown functions and syntax errors', () => {
    assert.match(compile('object.frobnicate()', { variables: vars }).error!, /undeclared reference to 'frobnicate'/);
    assert.match(compile('1 +', { variables: vars }).error!, /^ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' expecting /);
  });
  it('checks the result kind when it is known', () => {
    assert.equal(compile("'a' + 'b'", { variables: vars, resultKinds: ['bool'] }).error, 'must evaluate to bool');
    assert.equal(compile('object.spec.replicas', { variables: vars, resultKinds: ['bool'] }).error, undefined);
  });
});

describe('CEL engine: evaluate', () => {
  it('reads objects as maps, integers as int and fractions as double', () => {
    assert.equal(run('object.spec.replicas <= 5', { object: deployment }), true);
    assert.equal(run('object.spec.replicas + 1', { object: deployment }), 4);
    assert.equal(run("type(object.spec.replicas) == int && type(object.x) == double", { object: { ...deployment, x: 0.5 } }), true);
    assert.equal(run("has(object.metadata.labels) && !has(object.metadata.annotations) && object.metadata.labels.app == 'web'", { object: deployment }), true);
    assert.equal(run("object.spec.template.spec.containers.all(c, c.image.startsWith('nginx'))", { object: deployment }), true);
    assert.deepEqual(run('object.spec.template.spec.containers.map(c, c.name)', { object: deployment }), ['a']);
    assert.equal(run('params == null', { params: null }), true);
  });
  it('reports a missing field with cel-go words', () => {
    assert.equal(evaluate(program('object.spec.paused'), { object: deployment }).error, 'no such key: paused');
  });
  it('has the Kubernetes strings, lists and regex libraries', () => {
    assert.equal(run("'Hello'.lowerAscii() + 'x'.upperAscii() + ' a,b '.trim().split(',').join('-') + 'abc'.substring(1) + string('abcb'.lastIndexOf('b'))"), 'helloXa-bbc3');
    assert.equal(run("'abc'.replace('b', 'x') + string('abc'.indexOf('c'))"), 'axc2');
    assert.equal(run('[1, 2, 3].isSorted() && [3, 1].sum() == 4 && [4, 9, 2].max() == 9 && [4, 9, 2].min() == 2 && [1, 2, 1].lastIndexOf(1) == 2 && [1, 2].indexOf(2) == 1'), true);
    assert.deepEqual(run("'a1b22c333'.findAll('[0-9]+')"), ['1', '22', '333']);
    assert.deepEqual(run("'a1b22c333'.findAll('[0-9]+', 2)"), ['1', '22']);
    assert.equal(run("'image:V1'.find('(?i)v[0-9]')"), 'V1');
    assert.equal(run("'abc'.matches('^a.c$')"), true);
    // RE2 semantics in linear time: no catastrophic backtracking.
    assert.equal(run(`'${'a'.repeat(5000)}b'.matches('^(a+)+$')`), false);
  });
  it('has the quantity library', () => {
    assert.equal(run("quantity('1.5Gi').isGreaterThan(quantity('1Gi')) && quantity('500m').isLessThan(quantity('1'))"), true);
    assert.equal(run("quantity('1') == quantity('1000m') && quantity('2k').asInteger() == 2000 && quantity('250m').asApproximateFloat() == 0.25"), true);
    assert.equal(run("quantity('1Gi').add(quantity('1Gi')).compareTo(quantity('2Gi')) == 0 && sign(quantity('1').sub(2)) == -1 && quantity('1.5').isInteger() == false"), true);
    assert.equal(run("isQuantity('12Mi') && !isQuantity('12 apples')"), true);
    // apimachinery v0.32.0 ParseQuantity: binary amounts past int64 are capped at its maximum (held as an inf.Dec, so
    // asInteger refuses it, as AsInt64 does); an amount far below a nano-unit is one nano-unit (and is read at once).
    assert.equal(run("quantity('9Ei') == quantity('9223372036854775807') && quantity('-9Ei') == quantity('-9223372036854775807') && !quantity('9Ei').isInteger()"), true);
    assert.equal(run("quantity('1e-2000000000') == quantity('1n') && sign(quantity('-1e-2000000000')) == -1"), true);
    assert.equal(run('quantity(object.spec.template.spec.containers[0].resources.limits.memory).isLessThan(quantity("1Gi"))', { object: deployment }), true);
    assert.equal(evaluate(program("quantity('12 apples')"), {}).error, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assert.equal(evaluate(program("quantity('1.5').asInteger()"), {}).error, 'cannot convert value to integer');
  });
  it('has the url library', () => {
    assert.equal(run("url('https://example.com:8443/a/b?x=1&x=2').getHost() + url('https://example.com:8443/a').getEscapedPath()"), 'example.com:8443/a');
    assert.deepEqual(run("url('https://e.com/?x=1&x=2').getQuery()"), { x: ['1', '2'] });
    assert.equal(run("isURL('https://e.com') && isURL('/path') && !isURL('not a url')"), true);
  });
});

describe('CEL engine: cost', () => {
  const big = { spec: { items: Array.from({ length: 2000 }, (_, i) => i) } };
  it('stops a runaway expression with the upstream message', () => {
    const r = evaluate(program('object.spec.items.all(x, object.spec.items.all(y, x >= 0 || y >= 0))'), { object: big });
    assert.equal(r.error, 'operation cancelled: actual cost limit exceeded');
    assert.equal(r.costExceeded, true);
  });
  it('cannot be absorbed by logical operators', () => {
    const r = evaluate(program('true || object.spec.items.exists(x, object.spec.items.exists(y, x < 0 && y < 0)) || true'), { object: big });
    assert.equal(r.error, undefined); // short-circuit: never evaluated
    const r2 = evaluate(program('object.spec.items.exists(x, object.spec.items.exists(y, x < 0 && y < 0)) || true'), { object: big });
    assert.equal(r2.error, 'operation cancelled: actual cost limit exceeded');
  });
  it('lets an ordinary expression through and honours a custom limit', () => {
    const r = evaluate(program('object.spec.items.all(x, x >= 0)'), { object: big });
    assert.equal(r.value, true);
    assert.ok(r.cost > 2000 && r.cost < 20000, String(r.cost));
    assert.equal(evaluate(program('object.spec.items.all(x, x >= 0)'), { object: big }, { costLimit: 100 }).error, 'operation cancelled: actual cost limit exceeded');
  });
});

describe('CEL engine: authorizer', () => {
  it('asks the authorizer, caches decisions and acts as a service account', async () => {
    const asked: CelAuthzAttributes[] = [];
    const session = new AuthorizationSession(async (a) => {
      asked.push(a);
      if (a.user.name === 'alice' && a.resource === 'deployments' && a.verb === 'update') return { decision: 'allow' };
      if (a.path === '/healthz') return { decision: 'allow' };
      return { decision: 'no-opinion', reason: 'no rule' };
    });
    const authorizer = new AuthorizerValue(session, { name: 'alice', groups: ['dev'] }, { group: 'apps', resource: 'deployments', subresource: '', namespace: 'ns', name: 'web' });
    const p = program(
      "authorizer.group('apps').resource('deployments').namespace('ns').name('web').check('update').allowed() && authorizer.path('/healthz').check('get').allowed()",
    );
    const r = await evaluateAsync(p, { authorizer }, { session });
    assert.equal(r.error, undefined, r.error);
    assert.equal(r.value, true);
    assert.equal(asked.length, 2);
    const sa = await evaluateAsync(program("authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('list').allowed()"), { authorizer }, { session });
    assert.equal(sa.value, false);
    assert.equal(asked[2].user.name, 'system:serviceaccount:ns:sa');
    const reason = await evaluateAsync(program("authorizer.requestResource.check('delete').reason()"), { authorizer }, { session });
    assert.equal(reason.value, 'no rule');
    await evaluateAsync(p, { authorizer }, { session });
    assert.equal(asked.length, 4); // cached
  });
  it('charges upstream cost for checks', async () => {
    const session = new AuthorizationSession(async () => ({ decision: 'allow' }));
    const authorizer = new AuthorizerValue(session, { name: 'bob', groups: [] });
    const r = await evaluateAsync(program("['a','b','c'].all(r, authorizer.group('').resource(r).check('get').allowed())"), { authorizer }, { session });
    assert.equal(r.error, 'operation cancelled: actual cost limit exceeded');
  });
});

describe('CEL engine: type checking against schemas', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { replicas: { type: 'integer' }, containers: { type: 'array', items: { type: 'object', properties: { image: { type: 'string' } } } } } },
      metadata: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } } },
    },
  };
  it('finds undefined fields and type errors, following lists, maps and comprehensions', () => {
    assert.equal(typeCheck('object.spec.replicass > 1', { variables: vars, schemas: { object: schema } }), "ERROR: <input>:1:12: undefined field 'replicass'\n | object.spec.replicass > 1\n | ...........^");
    assert.match(typeCheck("object.spec.replicas > 'a'", { variables: vars, schemas: { object: schema } })!, /found no matching overload for '_>_' applied to '\(int, string\)'/);
    assert.match(typeCheck('object.spec.containers.all(c, c.imag != "")', { variables: vars, schemas: { object: schema } })!, /undefined field 'imag'/);
    assert.equal(typeCheck("object.spec.containers[0].image.startsWith('a') && object.metadata.labels['x'] == 'y' && object.metadata.labels.all(k, k.size() > 0)", { variables: vars, schemas: { object: schema } }), undefined);
  });
});
