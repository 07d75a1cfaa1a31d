import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FieldSet,
  FieldsV1Error,
  deserializePathElement,
  fieldElement,
  indexElement,
  keyElement,
  pathToString,
  valueElement,
} from '../../runtime/fieldmanager/smd/index.ts';

const f = fieldElement;

describe('smd path elements', () => {
  it('round-trip the serialized forms upstream writes', () => {
    // The same strings as upstream's pathelement round-trip test (k8s.io/apimachinery managedfields).
    for (const s of [
      'i:0',
      'i:1234',
      'f:',
      'f:spec',
      'f:more-complicated-string',
      'k:{"name":"my-container"}',
      'k:{"port":"8080","protocol":"TCP"}',
      'k:{"optionalField":null}',
      'k:{"jsonField":{"A":1,"B":null,"C":"D","E":{"F":"G"}}}',
      'k:{"listField":["1","2","3"]}',
      'v:null',
      'v:"some-string"',
      'v:1234',
      'v:{"some":"json"}',
    ]) {
      assert.equal(deserializePathElement(s).id, s);
    }
  });

  it('refuse malformed elements', () => {
    for (const s of ['', 'no-colon', 'i:index is not a number', 'i:1.23', 'i:', 'v:invalid json', 'v:', 'k:invalid json', 'k:{"name":invalid}']) {
      assert.throws(() => deserializePathElement(s), FieldsV1Error, s);
    }
  });

  it('sort key fields by name and write values as Go does', () => {
    assert.equal(keyElement({ protocol: 'TCP', containerPort: 80 }).id, 'k:{"containerPort":80,"protocol":"TCP"}');
    // encoding/json escapes HTML characters; so does the key of a FieldsV1 entry.
    assert.equal(valueElement('a<b').id, 'v:"a\\u003cb"');
  });

  it('print paths as upstream conflict messages do', () => {
    assert.equal(pathToString([f('spec'), f('replicas')]), '.spec.replicas');
    assert.equal(pathToString([f('spec'), f('containers'), keyElement({ name: 'nginx' }), f('image')]), '.spec.containers[name="nginx"].image');
    assert.equal(pathToString([f('metadata'), f('labels'), f('app')]), '.metadata.labels.app');
    assert.equal(pathToString([f('ports'), keyElement({ protocol: 'TCP', containerPort: 80 })]), '.ports[containerPort=80,protocol="TCP"]');
    assert.equal(pathToString([f('metadata'), f('finalizers'), valueElement('a/b')]), '.metadata.finalizers[=\"a/b\"]');
    assert.equal(pathToString([f('args'), indexElement(2)]), '.args[2]');
  });
});

describe('smd FieldSet', () => {
  it('sets made without members or children stay apart once built on (their maps are made on first use)', () => {
    const empties = [new FieldSet(), new FieldSet(), new FieldSet().union(new FieldSet()), new FieldSet().difference(new FieldSet())];
    const built = new FieldSet().insert([f('spec'), f('replicas')]).insert([f('metadata')]);
    for (const other of [...empties, new FieldSet().insert([f('a')])]) built.union(other).difference(other).intersection(other);
    for (const e of empties) {
      assert.equal(e.members.size + e.children.size, 0, 'an empty set took no member or child of another');
      assert.ok(e.isEmpty());
    }
    assert.equal(built.toFieldsV1String(), '{"f:metadata":{},"f:spec":{"f:replicas":{}}}');
    const one = FieldSet.fromFieldsV1('{"f:data":{".":{},"f:k":{}}}');
    assert.deepEqual([...one.members.keys()], ['f:data']);
    assert.deepEqual([...one.child('f:data')!.members.keys()], ['f:k']);
    assert.equal(one.child('f:data')!.children.size, 0);
  });
});

describe('smd FieldsV1', () => {
  // FieldsV1 of upstream's managedFields tests, as the JSON kube-apiserver stores.
  const upstream = [
    '{"f:metadata":{".":{},"f:name":{}}}',
    '{}',
    '{"v:3":{"f:alsoPi":{}},"v:3.1415":{"f:pi":{}},"v:false":{"f:notTrue":{}}}',
    '{"i:5":{"f:i":{}}}',
    '{"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{"f:image":{},"f:name":{}}}}}',
    '{"f:apiVersion":{},"f:kind":{},"f:metadata":{"f:labels":{"f:app":{}},"f:name":{}},"f:spec":{"f:replicas":{},"f:selector":{"f:matchLabels":{"f:app":{}}},"f:template":{"f:medatada":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"i:0":{"f:containerPort":{}}}}}}}}}',
    '{"f:data":{"f:key":{}},"f:metadata":{"f:labels":{"f:test-label":{}}}}',
  ];

  it('decode and encode upstream FieldsV1 byte for byte', () => {
    for (const s of upstream) assert.equal(FieldSet.fromFieldsV1(s).toFieldsV1String(), s);
  });

  it('encode in upstream order whatever order the input had', () => {
    const shuffled = '{"f:metadata":{"f:name":{},".":{}},"v:false":{},"i:1":{},"k:{\\"b\\":1,\\"a\\":2}":{},"v:3":{}}';
    assert.equal(FieldSet.fromFieldsV1(shuffled).toFieldsV1String(), '{"f:metadata":{".":{},"f:name":{}},"k:{\\"a\\":2,\\"b\\":1}":{},"v:3":{},"v:false":{},"i:1":{}}');
  });

  it('encode the FieldsV1 object as the text parses, members in the same order', () => {
    const shuffled = '{"f:metadata":{"f:name":{},".":{}},"v:false":{},"i:1":{},"k:{\\"b\\":1,\\"a\\":2}":{},"v:3":{},"f:<&>":{"i:0":{".":{}}}}';
    for (const s of [...upstream, shuffled]) {
      const set = FieldSet.fromFieldsV1(s);
      assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(JSON.parse(set.toFieldsV1String())), s);
    }
  });

  it("write field names as jsoniter's WriteString does ('<', '>', '&' raw) and values with Go's HTML escapes", () => {
    const set = FieldSet.fromPaths([[f('data'), f('a&b')], [f('spec'), f('finalizers'), valueElement('x<y')]]);
    assert.equal(set.toFieldsV1String(), '{"f:data":{"f:a&b":{}},"f:spec":{"f:finalizers":{"v:\\"x\\\\u003cy\\"":{}}}}');
  });

  it('decode the parsed object the same as the text', () => {
    const s = upstream[5];
    assert.ok(FieldSet.fromFieldsV1(JSON.parse(s)).equals(FieldSet.fromFieldsV1(s)));
  });

  it('drop elements of unknown type, as upstream', () => {
    assert.equal(FieldSet.fromFieldsV1('{"r:Hello":{},"f:a":{}}').toFieldsV1String(), '{"f:a":{}}');
  });

  it('refuse malformed FieldsV1 with an error that says why', () => {
    assert.throws(() => FieldSet.fromFieldsV1('{"k:{invalid json}":{"f:name":{},".":{}}}'), /ReadObjectCB|parsing key as path element/);
    assert.throws(() => FieldSet.fromFieldsV1('{"f:a":[]}'), FieldsV1Error);
    assert.throws(() => FieldSet.fromFieldsV1('{"f:a":3}'), FieldsV1Error);
    assert.throws(() => FieldSet.fromFieldsV1('[1]'), FieldsV1Error);
    assert.throws(() => FieldSet.fromFieldsV1('{"f:a":'), FieldsV1Error);
    assert.throws(() => FieldSet.fromFieldsV1('{"nocolon":{}}'), FieldsV1Error);
    assert.throws(() => FieldSet.fromFieldsV1('{"f:a":'.repeat(5000) + '{}' + '}'.repeat(5000)), FieldsV1Error);
  });
});

describe('smd field sets', () => {
  const p = (...names: string[]) => names.map((n) => f(n));
  const a = FieldSet.fromPaths([p('spec', 'replicas'), p('spec', 'template', 'x'), p('metadata', 'labels', 'app')]);
  const b = FieldSet.fromPaths([p('spec', 'replicas'), p('metadata', 'labels', 'tier'), p('metadata', 'labels')]);

  it('has set algebra', () => {
    assert.deepEqual([...a.union(b).paths()].map(pathToString), ['.metadata.labels', '.metadata.labels.app', '.metadata.labels.tier', '.spec.replicas', '.spec.template.x']);
    assert.deepEqual([...a.intersection(b).paths()].map(pathToString), ['.spec.replicas']);
    assert.deepEqual([...a.difference(b).paths()].map(pathToString), ['.metadata.labels.app', '.spec.template.x']);
    assert.ok(a.has(p('spec', 'replicas')));
    assert.ok(!a.has(p('spec')));
    assert.ok(a.equals(FieldSet.fromPaths([...a.paths()])));
    assert.ok(!a.equals(b));
    assert.ok(new FieldSet().isEmpty());
    assert.ok(a.difference(a).isEmpty());
    assert.equal(a.union(b).size, 5);
  });

  it('iterate as upstream does: a level\'s members first, then its children', () => {
    const s = FieldSet.fromPaths([p('z'), p('a', 'b'), p('a'), p('m', 'n', 'o'), p('m', 'c')]);
    assert.deepEqual([...s.paths()].map(pathToString), ['.a', '.z', '.a.b', '.m.c', '.m.n.o']);
  });

  it('keep only leaves, and drop subtrees under a member with recursiveDifference', () => {
    assert.deepEqual([...b.leaves().paths()].map(pathToString), ['.metadata.labels.tier', '.spec.replicas']);
    const spec = FieldSet.fromPaths([p('spec')]);
    assert.deepEqual([...a.recursiveDifference(spec).paths()].map(pathToString), ['.metadata.labels.app']);
  });

  it('serialize a member with children with a "." entry', () => {
    assert.equal(b.toFieldsV1String(), '{"f:metadata":{"f:labels":{".":{},"f:tier":{}}},"f:spec":{"f:replicas":{}}}');
  });
});
