/**
 * Pruning: drops the fields of an object that its kind's schema does not declare, as kube-apiserver's decoder
 * does for built-in kinds (and structural pruning for custom resources), and reports each dropped field with
 * upstream's path syntax (`spec.foo`, `spec.containers[0].bar`, `data[key].x`) so the REST layer can refuse,
 * warn about or ignore them according to `fieldValidation`.
 *
 * The walk follows `properties`, `additionalProperties`, `patternProperties` and `items`. A schema that says
 * nothing about an object's fields (no `properties` and no `additionalProperties`/`patternProperties`, e.g.
 * TypeBox's `Unknown()` for `fieldsV1`), a union (`anyOf`/`oneOf`/`allOf`, e.g. IntOrString), a `$ref`, or
 * `x-kubernetes-preserve-unknown-fields: true` keeps everything below it. Two exceptions let recursive types be
 * pruned too (TypeBox's `Cyclic`): a `$ref` to a `$defs` entry in scope is followed, and a union with exactly one
 * branch of the value's JSON type (an object, or an array) is walked through that branch.
 */

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>;
  items?: Schema | Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  $defs?: Record<string, Schema>;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

type Defs = Record<string, Schema> | undefined;

/** The schema behind a `$ref` to a definition in scope, or the schema itself. */
function resolve(s: Schema, defs: Defs): Schema {
  return typeof s.$ref === 'string' && defs?.[s.$ref] && !s.$defs ? defs[s.$ref] : s;
}

/** The one branch of a union that can hold `value` (same JSON type), if exactly one can. */
function unionBranch(s: Schema, value: unknown, defs: Defs): Schema | undefined {
  const branches = s.anyOf ?? s.oneOf;
  if (!branches || s.allOf) return undefined;
  const want = Array.isArray(value) ? 'array' : isPlainObject(value) ? 'object' : undefined;
  if (!want) return undefined;
  const fits = branches.map((b) => resolve(b, defs)).filter((b) => b.type === want);
  return fits.length === 1 ? fits[0] : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function childPath(parent: string, key: string, asMapKey: boolean): string {
  if (asMapKey) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** Whether a schema leaves the shape of what is below it open. */
function keepsEverything(s: Schema): boolean {
  return Boolean(s['x-kubernetes-preserve-unknown-fields'] || s.anyOf || s.oneOf || s.allOf || s.$ref);
}

/**
 * The patterns of a `patternProperties`, compiled once per schema (which lives as long as its kind). Every map of a
 * built-in kind has one (TypeBox's Record: `^.*$`), so labels, annotations and a ConfigMap's data were matched with
 * a RegExp made per key of every create, update and patch. Without the `g` or `y` flag a RegExp's test keeps no
 * state, so one serves every key.
 */
const compiledPatterns = new WeakMap<Record<string, Schema>, [RegExp, Schema][]>();

function patternsOf(patternProperties: Record<string, Schema>): [RegExp, Schema][] {
  let patterns = compiledPatterns.get(patternProperties);
  if (!patterns) compiledPatterns.set(patternProperties, (patterns = Object.entries(patternProperties).map(([p, sub]) => [new RegExp(p, 'u'), sub])));
  return patterns;
}

/** The schema of one map value, when the schema is a map (`additionalProperties` / `patternProperties`). */
function mapValueSchema(s: Schema, key: string): Schema | 'unknown' | undefined {
  if (s.patternProperties) {
    for (const [pattern, sub] of patternsOf(s.patternProperties)) if (pattern.test(key)) return sub;
  }
  if (s.additionalProperties === true) return {};
  if (isPlainObject(s.additionalProperties)) return s.additionalProperties as Schema;
  if (s.patternProperties || s.additionalProperties === false) return 'unknown';
  return undefined;
}

function walk(value: unknown, schema: Schema, path: string, unknown: string[], defs?: Defs): void {
  if (keepsEverything(schema)) {
    // Recursive types (a $ref into $defs) and unions with one branch of the value's type are walked through.
    if (schema.$defs) defs = { ...defs, ...schema.$defs };
    if (defs && typeof schema.$ref === 'string' && defs[schema.$ref]) return walk(value, defs[schema.$ref], path, unknown, defs);
    const branch = unionBranch(schema, value, defs);
    if (branch) return walk(value, branch, path, unknown, defs);
    return;
  }
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items || Array.isArray(items)) return;
    value.forEach((item, i) => walk(item, items, `${path}[${i}]`, unknown, defs));
    return;
  }
  if (!isPlainObject(value)) return;
  const props = schema.properties;
  const isMap = !props && (schema.patternProperties !== undefined || schema.additionalProperties !== undefined);
  if (!props && !isMap) return; // an object schema that declares nothing: free-form
  for (const key of Object.keys(value)) {
    const declared = props?.[key];
    if (declared) {
      walk(value[key], declared, childPath(path, key, false), unknown, defs);
      continue;
    }
    const sub = mapValueSchema(schema, key);
    if (sub === undefined || sub === 'unknown') {
      if (sub === undefined && !props) continue;
      unknown.push(childPath(path, key, false));
      delete value[key];
      continue;
    }
    walk(value[key], sub, childPath(path, key, true), unknown, defs);
  }
}

/**
 * Removes, in place, every field of `obj` that `schema` does not declare. Returns the paths of the removed
 * fields in document order ([] when nothing was removed).
 */
export function prune(obj: Record<string, unknown>, schema: unknown): string[] {
  const unknown: string[] = [];
  if (isPlainObject(schema)) walk(obj, schema as Schema, '', unknown);
  return unknown;
}
