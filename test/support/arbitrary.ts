/**
 * fast-check arbitraries from a kind's generated schema: random objects that satisfy the schema's types, enums,
 * formats and bounds (hand-written validation rules are not modelled). Used by the round-trip property tests of
 * conversion and protobuf.
 */
import fc from 'fast-check';

type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const quantities = ['0', '1', '2', '100m', '500m', '1500m', '1k', '64Mi', '1Gi', '1536Mi', '3e3'];

function timestamp(): fc.Arbitrary<string> {
  // From 1 s: the zero time is how Go clients say 'unset'.
  return fc.integer({ min: 1, max: 4102444800 }).map((s) => new Date(s * 1000).toISOString().replace(/\.\d+Z$/, 'Z'));
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as string[]));
  switch (schema.format) {
    case 'date-time':
      return timestamp();
    case 'quantity':
      return fc.constantFrom(...quantities);
    case 'byte':
      return fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64'));
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  const maxLength = Math.min(schema.maxLength ?? 12, 12);
  const minLength = Math.min(schema.minLength ?? 0, maxLength);
  return fc.string({ minLength, maxLength, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'.split('')) });
}

function integerFor(schema: Schema): fc.Arbitrary<number> {
  let min = schema.minimum ?? (schema.format === 'int64' ? -1e12 : -1000);
  let max = schema.maximum ?? (schema.format === 'int64' ? 1e12 : 1000);
  if (typeof schema.exclusiveMinimum === 'number') min = schema.exclusiveMinimum + 1;
  if (typeof schema.exclusiveMaximum === 'number') max = schema.exclusiveMaximum - 1;
  return fc.integer({ min: Math.max(min, -2147483648), max: Math.min(max, 2147483647) });
}

/** An arbitrary for any value the schema accepts; `depth` bounds recursive types. */
export function arbitraryFor(schema: Schema, defs: Record<string, Schema> = {}, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$defs) defs = { ...defs, ...schema.$defs };
  if (schema.$ref !== undefined) return arbitraryFor(defs[schema.$ref], defs, depth + 1);
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map((s) => arbitraryFor(s, defs, depth)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return integerFor(schema);
    case 'number':
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0) && (schema.exclusiveMinimum === undefined || n > schema.exclusiveMinimum));
    case 'boolean':
      return fc.boolean();
    case 'array': {
      if (depth > 3) return fc.constant([]);
      const items = arbitraryFor(schema.items, defs, depth + 1);
      return fc.array(items, { maxLength: 2 }).map((a) => (schema.uniqueItems ? [...new Map(a.map((x) => [JSON.stringify(x), x])).values()] : a));
    }
    case 'object': {
      if (schema.properties) {
        if (depth > 4) return fc.constant({});
        const required = (schema.required ?? []) as string[];
        const props = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [k, arbitraryFor(v, defs, depth + 1)]));
        return fc.record(props, { requiredKeys: required, noNullPrototype: true });
      }
      const values = schema.patternProperties ? Object.values(schema.patternProperties as Record<string, Schema>)[0] : schema.additionalProperties;
      if (values && typeof values === 'object') {
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom(...'abcdefgh.-'.split('')) }), arbitraryFor(values, defs, depth + 1), { maxKeys: 2, noNullPrototype: true });
      }
      return fc.constant({});
    }
  }
  // Unknown (free-form JSON): a small plain object.
  return fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.boolean()), { maxKeys: 2, noNullPrototype: true });
}

/** A random object of a kind: the schema's arbitrary with apiVersion/kind set, no server-owned metadata. */
export function arbitraryObject(kind: { group: string; version: string; kind: string; schema: unknown }): fc.Arbitrary<Record<string, unknown>> {
  const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  return (arbitraryFor(kind.schema as Schema) as fc.Arbitrary<Record<string, unknown>>).map((o) => ({ ...o, apiVersion, kind: kind.kind }));
}
