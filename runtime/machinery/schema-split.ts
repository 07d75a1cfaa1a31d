/**
 * A kind's schema, for compiling its check, with every nested struct (an object schema with properties) moved
 * into a definition of its own and referred to where it was. TypeBox compiles a schema into one expression: a
 * Pod's is a single function of about 240 KB of source, far past the size V8 optimizes, so every pod write ran it
 * in the interpreter (about 40 µs a pod, forty times its optimized speed). Compiled from the split schema, each
 * struct is a small function of its own, which V8 optimizes, and one used in several places (a Container in
 * containers and initContainers) is compiled once. A reference checks exactly what the schema it stands for
 * checks, so what passes is unchanged.
 *
 * Schemas that already hold references or definitions (apiextensions' recursive JSONSchemaProps) are left whole.
 */
import { Type, type TSchema } from 'typebox';

/** Keywords whose value is a schema, a list of schemas, or a record of schemas. */
const oneSchema = ['additionalProperties', 'items', 'not', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'] as const;
const schemaLists = ['anyOf', 'allOf', 'oneOf', 'prefixItems', 'items'] as const;
const schemaRecords = ['properties', 'patternProperties', 'dependentSchemas'] as const;

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The split schema, with its definitions; undefined when the schema is to be compiled whole. */
export function splitSchema(root: TSchema): { context: Record<string, TSchema>; type: TSchema } | undefined {
  if (holdsReferences(root)) return undefined;
  const names = new Map<Schema, string>();
  const context: Record<string, TSchema> = {};
  const child = (s: unknown): unknown => {
    if (!isStruct(s)) return rewrite(s);
    let name = names.get(s);
    if (name === undefined) {
      name = `struct${names.size}`;
      names.set(s, name);
      context[name] = rewrite(s) as TSchema;
    }
    return referenceTo(s, name);
  };
  const rewrite = (s: unknown): unknown => {
    if (!isObject(s)) return s;
    const copy = Object.create(Object.getPrototypeOf(s), Object.getOwnPropertyDescriptors(s)) as Schema;
    for (const k of oneSchema) if (isObject(s[k])) copy[k] = child(s[k]);
    for (const k of schemaLists) if (Array.isArray(s[k])) copy[k] = (s[k] as unknown[]).map(child);
    for (const k of schemaRecords) {
      const record = s[k];
      if (isObject(record)) copy[k] = Object.fromEntries(Object.entries(record).map(([name, v]) => [name, child(v)]));
    }
    return copy;
  };
  return { context, type: rewrite(root) as TSchema };
}

/** A struct: an object schema with properties (a Go struct), worth a function of its own. */
function isStruct(s: unknown): s is Schema {
  return isObject(s) && s.type === 'object' && isObject(s.properties) && Object.keys(s.properties).length > 0;
}

/** A reference to `name` that keeps the modifiers (`~optional`, `~readonly`) of the schema it stands for. */
function referenceTo(s: Schema, name: string): TSchema {
  const ref = Type.Ref(name) as unknown as Schema;
  for (const key of Object.getOwnPropertyNames(s)) {
    if (key.startsWith('~') && key !== '~kind') Object.defineProperty(ref, key, Object.getOwnPropertyDescriptor(s, key)!);
  }
  return ref as unknown as TSchema;
}

/** Whether a schema refers to definitions anywhere (`$ref`, `$defs`, `$id`). */
function holdsReferences(s: unknown): boolean {
  if (Array.isArray(s)) return s.some(holdsReferences);
  if (!isObject(s)) return false;
  if ('$ref' in s || '$defs' in s || '$id' in s) return true;
  for (const k of oneSchema) if (holdsReferences(s[k])) return true;
  for (const k of schemaLists) if (Array.isArray(s[k]) && holdsReferences(s[k])) return true;
  for (const k of schemaRecords) if (isObject(s[k]) && Object.values(s[k] as Schema).some(holdsReferences)) return true;
  return false;
}
