/**
 * Structural schema validation of custom resources: OpenAPI v3 keywords with kube-openapi's messages, list types,
 * embedded resources, and ratcheting on update. Given an object, want the field errors a client sees (rendered as
 * upstream's field.Error strings).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';
import { compileSchema, type JSONSchemaProps } from '../../runtime/apiextensions/schema/index.ts';

function crd(spec: JSONSchemaProps, extra: Record<string, JSONSchemaProps> = {}): JSONSchemaProps {
  return { type: 'object', properties: { spec, ...extra } };
}

function errors(schema: JSONSchemaProps, obj: unknown, old?: unknown): string[] {
  return compileSchema(schema).validate(obj, old).map(fieldErrorMessage);
}

const widget = crd({
  type: 'object',
  required: ['size'],
  properties: {
    replicas: { type: 'integer', minimum: 1, maximum: 10 },
    size: { type: 'string', enum: ['small', 'large'] },
    name: { type: 'string', maxLength: 5, minLength: 2, pattern: '^[a-z]+$' },
    ratio: { type: 'number', multipleOf: 0.5, exclusiveMaximum: true, maximum: 2 },
    tags: { type: 'array', maxItems: 2, minItems: 1, items: { type: 'string' } },
    labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
    items: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
    uniq: { type: 'array', uniqueItems: true, items: { type: 'integer' } },
    port: { 'x-kubernetes-int-or-string': true },
    maybe: { type: 'string', nullable: true },
    flag: { type: 'boolean' },
    id: { type: 'string', format: 'uuid' },
    when: { type: 'string', format: 'date-time' },
    count: { type: 'integer', format: 'int32' },
    mem: { type: 'string', format: 'quantity' },
    mode: { type: 'object', enum: [{ a: 1 }], 'x-kubernetes-preserve-unknown-fields': true },
  },
});

describe('CRD schema validation: OpenAPI keywords', () => {
  const cases: Array<{ name: string; spec: Record<string, unknown>; want: string[] }> = [
    { name: 'a valid object', spec: { size: 'small', replicas: 3, name: 'abc', ratio: 1.5, tags: ['a'], labels: { a: 'b' }, port: 80 }, want: [] },
    { name: 'type integer', spec: { size: 'small', replicas: 'three' }, want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"'] },
    { name: 'a fraction is not an integer', spec: { size: 'small', replicas: 1.5 }, want: ['spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number"'] },
    { name: 'maximum', spec: { size: 'small', replicas: 11 }, want: ['spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10'] },
    { name: 'minimum', spec: { size: 'small', replicas: 0 }, want: ['spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1'] },
    { name: 'required', spec: {}, want: ['spec.size: Required value'] },
    { name: 'enum', spec: { size: 'medium' }, want: ['spec.size: Unsupported value: "medium": supported values: "small", "large"'] },
    {
      // The value as Go's %#v prints the decoded map; the allowed ones as their JSON, quoted.
      name: 'an enum of objects',
      spec: { size: 'small', mode: { a: 2.5, b: ['x'] } },
      want: ['spec.mode: Unsupported value: map[string]interface {}{"a":2.5, "b":[]interface {}{"x"}}: supported values: "{\\"a\\":1}"'],
    },
    { name: 'maxLength', spec: { size: 'small', name: 'abcdef' }, want: ['spec.name: Too long: may not be more than 5 bytes'] },
    { name: 'minLength', spec: { size: 'small', name: 'a' }, want: ['spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long'] },
    { name: 'pattern', spec: { size: 'small', name: 'AB' }, want: ["spec.name: Invalid value: \"AB\": spec.name in body should match '^[a-z]+$'"] },
    { name: 'multipleOf', spec: { size: 'small', ratio: 0.3 }, want: ['spec.ratio: Invalid value: 0.3: spec.ratio in body should be a multiple of 0.5'] },
    { name: 'exclusiveMaximum', spec: { size: 'small', ratio: 2.5 }, want: ['spec.ratio: Invalid value: 2.5: spec.ratio in body should be less than 2'] },
    {
      // Upstream decodes whole JSON numbers as int64 and truncates a fractional multipleOf for them.
      name: 'a whole number against a fractional multipleOf (upstream quirk)',
      spec: { size: 'small', ratio: 1 },
      want: ['spec.ratio: Invalid value: 0: factor MultipleOf declared for spec.ratio must be positive: 0'],
    },
    { name: 'maxItems', spec: { size: 'small', tags: ['a', 'b', 'c'] }, want: ['spec.tags: Too many: 3: must have at most 2 items'] },
    { name: 'minItems', spec: { size: 'small', tags: [] }, want: ['spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items'] },
    { name: 'items type', spec: { size: 'small', tags: ['a', 1] }, want: ['spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"'] },
    { name: 'maxProperties', spec: { size: 'small', labels: { a: 'x', b: 'y' } }, want: ['spec.labels: Too many: 2: must have at most 1 items'] },
    { name: 'additionalProperties values', spec: { size: 'small', labels: { a: 1 } }, want: ['spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"'] },
    { name: 'nested required in array items', spec: { size: 'small', items: [{ name: 'a' }, { port: 1 }] }, want: ['spec.items[1].name: Required value'] },
    { name: 'uniqueItems', spec: { size: 'small', uniq: [1, 2, 1] }, want: ['spec.uniq: Invalid value: "": spec.uniq in body shouldn\'t contain duplicates'] },
    { name: 'int-or-string takes an integer', spec: { size: 'small', port: 8080 }, want: [] },
    { name: 'int-or-string takes a string', spec: { size: 'small', port: 'http' }, want: [] },
    { name: 'int-or-string refuses a boolean', spec: { size: 'small', port: true }, want: ['spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'] },
    { name: 'nullable takes null', spec: { size: 'small', maybe: null }, want: [] },
    { name: 'null where not nullable', spec: { size: 'small', flag: null }, want: ['spec.flag: Invalid value: "null": spec.flag in body must be of type boolean: "null"'] },
    { name: 'format uuid', spec: { size: 'small', id: 'nope' }, want: ['spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope"'] },
    { name: 'format uuid accepts a uuid', spec: { size: 'small', id: '123e4567-e89b-12d3-a456-426614174000' }, want: [] },
    { name: 'format date-time', spec: { size: 'small', when: 'yesterday' }, want: ['spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"'] },
    { name: 'format date-time accepts RFC 3339', spec: { size: 'small', when: '2024-01-02T03:04:05Z' }, want: [] },
    { name: 'int32 is not range-checked (upstream strips the format)', spec: { size: 'small', count: 2 ** 40 }, want: [] },
    { name: 'quantity is not a validated format upstream', spec: { size: 'small', mem: 'lots' }, want: [] },
    {
      name: 'several errors at once',
      spec: { replicas: 'x', size: 'huge' },
      want: ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"', 'spec.size: Unsupported value: "huge": supported values: "small", "large"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(errors(widget, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: c.spec }), c.want);
    });
  }

  it('a type mismatch at an object', () => {
    assert.deepEqual(errors(widget, { spec: 'x' }), ['spec: Invalid value: "string": spec in body must be of type object: "string"']);
  });
  it('enum of numbers lists them as strings', () => {
    const s = crd({ type: 'object', properties: { n: { type: 'integer', enum: [1, 2] } } });
    assert.deepEqual(errors(s, { spec: { n: 3 } }), ['spec.n: Unsupported value: 3: supported values: "1", "2"']);
  });
  it('large bounds and values print as Go prints a float64', () => {
    // The bad value is the decoded float64 (kube-openapi's Maximum), which the field error prints with %v.
    const s = crd({ type: 'object', properties: { n: { type: 'number', maximum: 1000000 } } });
    assert.deepEqual(errors(s, { spec: { n: 2000000.5 } }), ['spec.n: Invalid value: 2.0000005e+06: spec.n in body should be less than or equal to 1e+06']);
  });
  it('the root metadata is checked only for what the schema says of it', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 3 } } } } };
    assert.deepEqual(errors(s, { metadata: { name: 'abc', labels: { a: 'b' } } }), []);
    assert.deepEqual(errors(s, { metadata: { name: 'abcd' } }), ['metadata.name: Too long: may not be more than 3 bytes']);
  });
  it('anyOf / oneOf / not / allOf report as upstream (path "<nil>")', () => {
    const s = crd({ type: 'object', properties: { v: { type: 'integer', anyOf: [{ minimum: 5 }, { maximum: 1 }] }, w: { type: 'integer', not: { minimum: 3 } }, x: { type: 'integer', oneOf: [{ minimum: 1 }, { minimum: 2 }] } } });
    assert.deepEqual(errors(s, { spec: { v: 3, w: 4, x: 3 } }), [
      '<nil>: Invalid value: "": "spec.v" must validate at least one schema (anyOf)',
      'spec.v: Invalid value: 3: spec.v in body should be greater than or equal to 5',
      '<nil>: Invalid value: "": "spec.w" must not validate the schema (not)',
      '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives',
    ]);
    assert.deepEqual(errors(s, { spec: { v: 7, w: 1, x: 1 } }), []);
  });
  it('formats upstream knows: ipv4, ipv6, cidr, mac, hostname, email, byte, duration, date', () => {
    const fmts = ['ipv4', 'ipv6', 'cidr', 'mac', 'hostname', 'email', 'byte', 'duration', 'date', 'uri'];
    const s = crd({ type: 'object', properties: Object.fromEntries(fmts.map((f) => [f, { type: 'string', format: f }])) });
    const good = { ipv4: '10.0.0.1', ipv6: 'fe80::1', cidr: '10.0.0.0/8', mac: '00:00:5e:00:53:01', hostname: 'example.com', email: 'a@example.com', byte: 'aGVsbG8=', duration: '1h30m', date: '2024-02-29', uri: 'https://example.com/x' };
    assert.deepEqual(errors(s, { spec: good }), []);
    const bad = { ipv4: '10.0.0.256', ipv6: '10.0.0.1', cidr: '10.0.0.0/33', mac: '00:00:5e', hostname: '-bad-', email: 'nope', byte: 'a', duration: 'soon', date: '2023-02-29', uri: 'no spaces' };
    assert.deepEqual(
      errors(s, { spec: bad }).map((e) => e.split(':')[0]),
      fmts.map((f) => `spec.${f}`),
    );
  });
  it('address formats read as kube-openapi reads them: ipv4 and cidr by ParseIPSloppy, ipv6 by net.ParseIP', () => {
    const s = crd({ type: 'object', properties: Object.fromEntries(['ipv4', 'ipv6', 'cidr'].map((f) => [f, { type: 'string', format: f }])) });
    // Octets of any length with leading zeros, and an IPv4-mapped address (it has a dot) pass as ipv4.
    for (const ipv4 of ['0010.1.2.3', '::ffff:1.2.3.4']) assert.deepEqual(errors(s, { spec: { ipv4 } }), [], ipv4);
    for (const cidr of ['0010.0.0.0/8', '10.0.0.0/008', '::ffff:10.0.0.0/104']) assert.deepEqual(errors(s, { spec: { cidr } }), [], cidr);
    // Go's net.ParseIP takes no zone and no leading zeros; ParseCIDR no zone.
    for (const ipv6 of ['fe80::1%eth0', '::ffff:01.2.3.4']) assert.equal(errors(s, { spec: { ipv6 } }).length, 1, ipv6);
    assert.equal(errors(s, { spec: { cidr: 'fe80::%eth0/64' } }).length, 1);
  });
});

describe('CRD schema validation: list types', () => {
  const s = crd({
    type: 'object',
    properties: {
      set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['port', 'protocol'],
        items: { type: 'object', properties: { port: { type: 'integer' }, protocol: { type: 'string' }, name: { type: 'string' } } },
      },
      byName: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } },
    },
  });
  it('a set holds each value once', () => {
    assert.deepEqual(errors(s, { spec: { set: ['a', 'b', 'a', 'a', 'b'] } }), ['spec.set[2]: Duplicate value: "a"', 'spec.set[4]: Duplicate value: "b"']);
  });
  it('a map list holds each key once', () => {
    assert.deepEqual(
      errors(s, { spec: { ports: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }, { port: 80, protocol: 'TCP', name: 'x' }] } }),
      ['spec.ports[2]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}'],
    );
    assert.deepEqual(errors(s, { spec: { byName: [{ name: 'a' }, { name: 'a' }] } }), ['spec.byName[1]: Duplicate value: map[string]interface {}{"name":"a"}']);
  });
  it('a map list keyed by integers past 2^53 tells them apart exactly', () => {
    const big = (n: string) => ({ port: BigInt(n), protocol: 'TCP' });
    assert.deepEqual(errors(s, { spec: { ports: [big('9007199254740993'), big('9007199254740992'), big('9007199254740993')] } }), [
      'spec.ports[2]: Duplicate value: map[string]interface {}{"port":9007199254740993, "protocol":"TCP"}',
    ]);
  });
  it('an update keeps an old object with duplicates updatable (ratcheting)', () => {
    const old = { spec: { set: ['a', 'a'] } };
    assert.deepEqual(errors(s, { spec: { set: ['a', 'a', 'b'] } }, old), []);
    assert.deepEqual(errors(s, { spec: { set: ['b', 'b'] } }, { spec: { set: [] } }), ['spec.set[1]: Duplicate value: "b"']);
  });
});

describe('CRD schema validation: embedded resources', () => {
  const s = crd({
    type: 'object',
    properties: {
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
    },
  });
  it('requires apiVersion and kind and checks metadata as ObjectMeta', () => {
    assert.deepEqual(errors(s, { spec: { template: { metadata: { name: 'a/b' } } } }), [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
      "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'",
    ]);
  });
  it('accepts a well-formed embedded object', () => {
    assert.deepEqual(errors(s, { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', labels: { a: 'b' } }, spec: {} } } }), []);
  });
  it('refuses a kind that is not a DNS-1035 label', () => {
    const errs = errors(s, { spec: { template: { apiVersion: 'a/b/c', kind: 'Not_A_Kind' } } });
    assert.equal(errs[0], 'spec.template.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c');
    assert.match(errs[1], /^spec\.template\.kind: Invalid value: "Not_A_Kind": may have mixed case, but should otherwise match: a DNS-1035 label/);
  });
});

describe('CRD schema validation: ratcheting on update', () => {
  const s = crd({ type: 'object', properties: { a: { type: 'string', maxLength: 3 }, b: { type: 'string', maxLength: 3 } } });
  it('an unchanged invalid field does not block an update of another field', () => {
    const old = { spec: { a: 'toolong', b: 'x' } };
    assert.deepEqual(errors(s, { spec: { a: 'toolong', b: 'y' } }, old), []);
  });
  it('a changed invalid field is refused', () => {
    const old = { spec: { a: 'toolong', b: 'x' } };
    assert.deepEqual(errors(s, { spec: { a: 'toolong!', b: 'x' } }, old), ['spec.a: Too long: may not be more than 3 bytes']);
  });
});

describe('CRD schema validation: ratcheting correlates as upstream (CorrelatedObject)', () => {
  // Upstream (apiserver v0.32.0 pkg/cel/common/equality.go): map-list items correlate with the old item of the same
  // keys wherever it moved; items of other lists do not correlate, so such a list ratchets only as a whole.
  const s = crd({
    type: 'object',
    properties: {
      ports: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', maximum: 100 } } },
      },
      set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string', maxLength: 3 } },
      atomic: { type: 'array', items: { type: 'string', maxLength: 3 } },
      extra: { type: 'object', maxProperties: 1, 'x-kubernetes-preserve-unknown-fields': true },
    },
  });
  const old = { spec: { ports: [{ name: 'a', port: 500 }, { name: 'b', port: 1 }] } };
  it('a map-list item keeps its unchanged invalid value when the list is reordered or grows before it', () => {
    assert.deepEqual(errors(s, { spec: { ports: [{ name: 'b', port: 1 }, { name: 'a', port: 500 }] } }, old), []);
    assert.deepEqual(errors(s, { spec: { ports: [{ name: 'c', port: 7 }, { name: 'b', port: 2 }, { name: 'a', port: 500 }] } }, old), []);
  });
  it('a map-list item that changed, or is new, is held to the schema', () => {
    assert.deepEqual(errors(s, { spec: { ports: [{ name: 'b', port: 1 }, { name: 'a', port: 501 }] } }, old), ['spec.ports[1].port: Invalid value: 501: spec.ports[1].port in body should be less than or equal to 100']);
    assert.deepEqual(errors(s, { spec: { ports: [{ name: 'b', port: 1 }, { name: 'c', port: 500 }] } }, old), ['spec.ports[1].port: Invalid value: 500: spec.ports[1].port in body should be less than or equal to 100']);
  });
  it('set and atomic list items do not correlate: the list ratchets only when equal as a whole, in order', () => {
    for (const list of ['set', 'atomic']) {
      const before = { spec: { [list]: ['toolong', 'x'] } };
      assert.deepEqual(errors(s, { spec: { [list]: ['toolong', 'x'] } }, before), []);
      assert.deepEqual(errors(s, { spec: { [list]: ['x', 'toolong'] } }, before), [`spec.${list}[1]: Too long: may not be more than 3 bytes`]);
      assert.deepEqual(errors(s, { spec: { [list]: ['toolong', 'x', 'y'] } }, before), [`spec.${list}[0]: Too long: may not be more than 3 bytes`]);
    }
  });
  it('an object holding fields its schema does not describe is never unchanged', () => {
    const before = { spec: { extra: { a: 1, b: 2 } } };
    assert.deepEqual(errors(s, { spec: { extra: { a: 1, b: 2 } } }, before), ['spec.extra: Too many: 2: must have at most 1 items']);
  });
});

describe('CRD schema validation: status subresource', () => {
  const s: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: { type: 'object', properties: { replicas: { type: 'integer', maximum: 5 } } },
      status: {
        type: 'object',
        properties: { ready: { type: 'integer', minimum: 0 }, phase: { type: 'string', enum: ['Up', 'Down'] } },
        'x-kubernetes-validations': [{ rule: 'self.ready <= 10', message: 'ready over 10' }],
      },
    },
  };
  const compiled = compileSchema(s);
  it('validates status against the status schema, with paths under status', () => {
    assert.deepEqual(compiled.validateStatus({ spec: {}, status: { ready: -1, phase: 'Sideways' } }, { spec: {}, status: {} }).map(fieldErrorMessage), [
      'status.ready: Invalid value: -1: ready in body should be greater than or equal to 0',
      'status.phase: Unsupported value: "Sideways": supported values: "Up", "Down"',
      '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });
  it('does not look at spec (the status strategy keeps the old spec), but runs the rules', () => {
    assert.deepEqual(compiled.validateStatus({ spec: { replicas: 50 }, status: { ready: 11 } }, { spec: { replicas: 50 }, status: { ready: 1 } }).map(fieldErrorMessage), [
      'status: Invalid value: "object": ready over 10',
    ]);
  });
});
