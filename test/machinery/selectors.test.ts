// Label and field selectors: upstream's grammar, matching rules and error texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultSelectableFields,
  labelSelectorFromObject,
  parseFieldSelector,
  parseLabelSelector,
} from '../../runtime/machinery/selectors.ts';
import { evaluateJSONPath, parseSimpleJSONPath } from '../../runtime/machinery/jsonpath.ts';

const labels = { app: 'web', tier: 'frontend', 'example.com/owner': 'team-a', replicas: '3', empty: '' };

test('label selector operators match as upstream', () => {
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app in (db)', false],
    ['missing in (x)', false],
    ['app notin (db)', true],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['example.com/owner=team-a', true],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['  app = web , tier in ( frontend ) ', true],
    ['replicas>2', true],
    ['replicas<3', false],
    ['app>2', false],
    ['empty=', true],
    ['empty in (,x)', true],
    ['app in (in,notin,web)', true],
  ];
  for (const [sel, want] of cases) assert.equal(parseLabelSelector(sel).matches(labels), want, sel);
  assert.equal(parseLabelSelector('app').matches(undefined), false);
  assert.equal(parseLabelSelector('!app').matches(null), true);
});

test('label selector canonical form, exact matches and emptiness', () => {
  const s = parseLabelSelector('tier in (b,a), app=web ,!gone');
  assert.equal(s.toString(), 'app=web,!gone,tier in (a,b)');
  assert.equal(s.requiresExactMatch('app'), 'web');
  assert.equal(s.requiresExactMatch('tier'), undefined);
  assert.equal(parseLabelSelector('x in (y)').requiresExactMatch('x'), 'y');
  assert.equal(parseLabelSelector('').empty, true);
  assert.equal(s.empty, false);
  assert.deepEqual(parseLabelSelector('a notin (z,y,y)').requirements, [{ key: 'a', operator: 'notin', values: ['y', 'z'] }]);
});

test('label selector syntax errors carry upstream messages', () => {
  const bad: Array<[string, RegExp]> = [
    ['app=web tier', /found 'tier', expected: ',' or 'end of string'/],
    ['app=web,', /found '', expected: identifier after ','/],
    ['app in web', /unable to parse requirement: found 'web' expected: '\('/],
    ['app in (a b)', /found 'b', expected: ',', '\)' or identifier/],
    ['=web', /found '=', expected: !, identifier, or 'end of string'/],
    ['a b', /unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt/],
    ['app=a=b', /found '=', expected: ',' or 'end of string'/],
    ['-bad=x', /unable to parse requirement: Invalid value: "-bad": name part must consist of alphanumeric/],
    ['app=-x', /unable to parse requirement: values\[0\]\[app\]: Invalid value: "-x"/],
    ['a>x', /the value must be an integer/],
    ['Bad_Prefix/x=y', /prefix part a lowercase RFC 1123 subdomain must consist of/],
    [`a=${'v'.repeat(64)}`, /must be no more than 63 characters/],
    ['!a=b', /found '=', expected: ',' or 'end of string'/],
    ['a=>b', /found '>', expected: identifier/],
  ];
  for (const [sel, msg] of bad) assert.throws(() => parseLabelSelector(sel), msg, sel);
});

test('labelSelectorFromObject: matchLabels AND matchExpressions; null matches nothing, {} everything', () => {
  const s = labelSelectorFromObject({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['frontend', 'edge'] },
      { key: 'gone', operator: 'DoesNotExist' },
    ],
  });
  assert.equal(s.matches(labels), true);
  assert.equal(s.matches({ app: 'web', tier: 'db' }), false);
  assert.equal(labelSelectorFromObject(null).matches(labels), false);
  assert.equal(labelSelectorFromObject(undefined).matches({}), false);
  assert.equal(labelSelectorFromObject({}).matches(labels), true);
  assert.equal(labelSelectorFromObject({}).empty, true);
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Foo' }] }), /"Foo" is not a valid label selector operator/);
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), /values set can't be empty/);
  assert.throws(() => labelSelectorFromObject({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), /values set must be empty/);
});

test("a bad requirement's values print as Go's %#v of a []string, a bad key or value as %q (field.Error)", () => {
  const message = (expr: { key: string; operator: string; values?: string[] | null }) => {
    try {
      labelSelectorFromObject({ matchExpressions: [expr] });
    } catch (e) {
      return (e as Error).message;
    }
    assert.fail('accepted');
  };
  // LabelSelectorAsSelector copies the values with append([]string(nil), ...): none at all is a nil slice.
  assert.equal(message({ key: 'a', operator: 'In', values: [] }), "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
  assert.equal(message({ key: 'a', operator: 'NotIn' }), "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
  assert.equal(
    message({ key: 'a', operator: 'Exists', values: ['x', 'b'] }),
    'values: Invalid value: []string{"x", "b"}: values set must be empty for exists and does not exist',
  );
  assert.equal(
    message({ key: 'a', operator: 'In', values: ['ok', 'bad"\u00e9\u0001'] }),
    "values[1][a]: Invalid value: \"bad\\\"é\\x01\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  );
  assert.match(message({ key: 'a\u0001', operator: 'Exists' }), /^key: Invalid value: "a\\x01": /);
  assert.equal(message({ key: 'a', operator: 'In\u0001' }), '"In\\x01" is not a valid label selector operator');
  // The string form's own errors: a key as %q.
  assert.throws(() => parseLabelSelector('a\u0001b=c'), (e: Error) => e.message.startsWith('unable to parse requirement: Invalid value: "a\\x01b": '));
});

test('field selectors: =, ==, != with escapes; missing fields read as empty', () => {
  const fields = { 'metadata.name': 'c1', 'metadata.namespace': 'ns', 'spec.x': 'a,b=c' };
  const cases: Array<[string, boolean]> = [
    ['', true],
    ['metadata.name=c1', true],
    ['metadata.name==c1', true],
    ['metadata.name!=c1', false],
    ['metadata.name=c1,metadata.namespace=ns', true],
    ['metadata.name=c1,metadata.namespace=other', false],
    ['spec.x=a\\,b\\=c', true],
    ['missing=', true],
    ['missing!=', false],
  ];
  for (const [sel, want] of cases) assert.equal(parseFieldSelector(sel).matches(fields), want, sel);
  const s = parseFieldSelector('metadata.namespace!=kube-system,metadata.name=web');
  assert.equal(s.requiresExactMatch('metadata.name'), 'web');
  assert.equal(s.requiresExactMatch('metadata.namespace'), undefined);
  assert.deepEqual(s.requirements, [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'metadata.namespace', operator: '!=', value: 'kube-system' },
  ]);
  assert.equal(parseFieldSelector('spec.x=a\\,b').toString(), 'spec.x=a\\,b');
  assert.equal(parseFieldSelector('').empty, true);
});

test('no selector (nearly every list and watch) is one shared selector that matches everything, not a parse per request', () => {
  assert.equal(parseLabelSelector(''), parseLabelSelector(''));
  assert.equal(parseFieldSelector(''), parseFieldSelector(''));
  for (const s of [parseLabelSelector(''), parseFieldSelector('')]) {
    assert.equal(s.toString(), '');
    assert.deepEqual(s.requirements, []);
    assert.equal(s.requiresExactMatch('metadata.name'), undefined);
  }
  assert.equal(parseLabelSelector('').matches({ app: 'web' }), true);
  assert.equal(parseFieldSelector('').matches({ 'metadata.name': 'c1' }), true);
});

test('field selector errors', () => {
  assert.throws(() => parseFieldSelector('metadata.name'), /invalid selector: 'metadata.name'; can't understand 'metadata.name'/);
  assert.throws(() => parseFieldSelector('a=b\\x'), /invalid escape sequence/);
  assert.throws(() => parseFieldSelector('a=b=c'), /unescaped character in value: =/);
  const supported = defaultSelectableFields({}, true);
  assert.throws(() => parseFieldSelector('spec.nodeName=n1', Object.keys(supported)), { message: 'field label not supported: spec.nodeName' });
  assert.doesNotThrow(() => parseFieldSelector('metadata.name=a,metadata.namespace=b', Object.keys(supported)));
});

test('defaultSelectableFields: name, and namespace for namespaced kinds', () => {
  assert.deepEqual(defaultSelectableFields({ metadata: { name: 'a', namespace: 'n' } }, true), { 'metadata.name': 'a', 'metadata.namespace': 'n' });
  assert.deepEqual(defaultSelectableFields({ metadata: { name: 'a' } }, false), { 'metadata.name': 'a' });
  assert.deepEqual(defaultSelectableFields({}, true), { 'metadata.name': '', 'metadata.namespace': '' });
});

test('simple JSONPath: fields, indexes, quoted keys, braces', () => {
  const obj = {
    metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'web', 'a.b': 1 } },
    spec: { containers: [{ image: 'nginx' }, { image: 'sidecar' }] },
  };
  assert.equal(evaluateJSONPath(obj, '.metadata.name'), 'x');
  assert.equal(evaluateJSONPath(obj, '{.spec.containers[0].image}'), 'nginx');
  assert.equal(evaluateJSONPath(obj, '.spec.containers[-1].image'), 'sidecar');
  assert.equal(evaluateJSONPath(obj, ".metadata.labels['app.kubernetes.io/name']"), 'web');
  assert.equal(evaluateJSONPath(obj, '.metadata.labels["app.kubernetes.io/name"]'), 'web');
  assert.equal(evaluateJSONPath(obj, '.metadata.labels.a\\.b'), 1);
  assert.equal(evaluateJSONPath(obj, '.spec.containers[5].image'), undefined);
  assert.equal(evaluateJSONPath(obj, '.metadata.name.deeper'), undefined);
  assert.equal(evaluateJSONPath(obj, '.spec.containers.image'), undefined);
  assert.equal(evaluateJSONPath(obj, '.'), obj);
  assert.deepEqual(parseSimpleJSONPath('$.a[2].b'), ['a', 2, 'b']);
  assert.throws(() => parseSimpleJSONPath('.a[*]'), /unsupported subscript/);
  assert.throws(() => parseSimpleJSONPath('a.b'), /unexpected "a"/);
});
