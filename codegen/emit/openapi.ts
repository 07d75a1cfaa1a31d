/**
 * OpenAPI definitions of a group version, as OpenAPI 3.0 component schemas: its types and list kinds. The runtime
 * derives the Swagger 2.0 form (only the reference prefix differs) and the paths, so kinds added at run time get
 * both too.
 */
import type { OpenAPIV3 } from 'openapi-types';
import type { AnalysedModel } from '../analyse.ts';
import { typeOnlyGroups } from '../analyse.ts';
import type { FieldModel, FreeFormTypeModel, GroupVersionModel, StructModel, TypeRef, WellKnownName } from '../model.ts';
import { gvDir } from '../model.ts';
import { structOpenapiName, wellKnownOpenapiNames, openapiName } from '../naming.ts';
import { header, lookup, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('openapi.ts.hbs');

export type Schema = Record<string, unknown>;

const wellKnownSchemas: Record<WellKnownName, Schema> = {
  Time: { description: 'A timestamp in RFC 3339 form with second precision.', type: 'string', format: 'date-time' },
  MicroTime: { description: 'A timestamp in RFC 3339 form with microsecond precision.', type: 'string', format: 'date-time' },
  // The two scalar unions have no single type in v3, as kube-openapi writes them (OpenAPIV3OneOfTypes); kubectl
  // explain names such a reference by its type (`<map[string]Quantity>`, `<IntOrString>`). Swagger 2.0 has no
  // oneOf: runtime/endpoints/openapi.ts writes them as strings there.
  Quantity: {
    description: 'A fixed-point amount with an optional suffix: a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (e.g. 1e3).',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  IntOrString: { description: 'A value that holds either an integer or a string.', format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
};

const ref = (name: string) => `#/components/schemas/${name}`;

function typeSchema(t: TypeRef, model: AnalysedModel): Schema {
  switch (t.kind) {
    case 'string':
      return t.enum ? { type: 'string', enum: t.enum } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: t.format };
    case 'number':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return { type: 'array', items: typeSchema(t.items, model) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.values, model) };
    case 'struct':
      return { $ref: ref(structOpenapiName(lookup(model, t))) };
    case 'wellKnown':
      return { $ref: ref(wellKnownOpenapiNames[t.name]) };
    case 'any':
      return t.named ? { $ref: ref(openapiName(t.named.group, t.named.version, t.named.name)) } : { type: 'object' };
  }
}

/**
 * The schema keywords a field's tags add, in the order OpenAPI documents list them. Shared with the CRD manifests
 * (emit/crds.ts), so a tag means the same in both. A format on a map applies to its values and is left to the caller.
 */
export function tagKeywords(f: FieldModel): Schema {
  const extra: Schema = {};
  const t = f.tags;
  if (t.default !== undefined) extra.default = t.default;
  if (t.minimum !== undefined) extra.minimum = t.minimum;
  if (t.maximum !== undefined) extra.maximum = t.maximum;
  if (t.exclusiveMinimum) extra.exclusiveMinimum = true;
  if (t.exclusiveMaximum) extra.exclusiveMaximum = true;
  if (t.minLength !== undefined) extra.minLength = t.minLength;
  if (t.maxLength !== undefined) extra.maxLength = t.maxLength;
  if (t.pattern !== undefined) extra.pattern = t.pattern;
  if (t.format !== undefined && f.type.kind !== 'map') extra.format = t.format;
  if (t.minItems !== undefined) extra.minItems = t.minItems;
  if (t.maxItems !== undefined) extra.maxItems = t.maxItems;
  if (t.uniqueItems) extra.uniqueItems = true;
  if (t.minProperties !== undefined) extra.minProperties = t.minProperties;
  if (t.maxProperties !== undefined) extra.maxProperties = t.maxProperties;
  if (t.listType) extra['x-kubernetes-list-type'] = t.listType;
  if (t.listMapKeys) extra['x-kubernetes-list-map-keys'] = t.listMapKeys;
  if (t.mapType) extra['x-kubernetes-map-type'] = t.mapType;
  if (t.patchStrategy) extra['x-kubernetes-patch-strategy'] = t.patchStrategy;
  if (t.patchMergeKey) extra['x-kubernetes-patch-merge-key'] = t.patchMergeKey;
  if (t.preserveUnknownFields) extra['x-kubernetes-preserve-unknown-fields'] = true;
  if (t.embeddedResource) extra['x-kubernetes-embedded-resource'] = true;
  if (f.type.kind === 'wellKnown' && f.type.name === 'IntOrString') extra['x-kubernetes-int-or-string'] = true;
  return extra;
}

function fieldSchema(f: FieldModel, model: AnalysedModel): Schema {
  const base = typeSchema(f.type, model);
  const extra: Schema = {};
  if (f.doc) extra.description = f.doc;
  Object.assign(extra, tagKeywords(f));
  if (f.tags.format !== undefined && f.type.kind === 'map') (base.additionalProperties as Schema).format = f.tags.format;
  if ('$ref' in base && Object.keys(extra).length) {
    // OpenAPI 3.0 ignores siblings of $ref, so a described reference is wrapped in allOf (as kube-apiserver does).
    return { allOf: [base], ...extra };
  }
  return { ...base, ...extra };
}

function structSchema(s: StructModel, model: AnalysedModel, gvk?: Schema[]): Schema {
  // A value type (arbitrary JSON, or one of two shapes) has no single OpenAPI type: upstream publishes only its
  // description, and each field that uses it refers to it by name.
  if (s.oneOf) return s.doc ? { description: s.doc } : {};
  const properties: Record<string, Schema> = {};
  for (const f of s.fields) properties[f.name] = fieldSchema(f, model);
  const required = s.fields.filter((f) => !f.optional).map((f) => f.name);
  const schema: Schema = {};
  if (s.doc) schema.description = s.doc;
  schema.type = 'object';
  if (required.length) schema.required = required;
  schema.properties = properties;
  if (s.structType) schema['x-kubernetes-map-type'] = s.structType;
  if (gvk) schema['x-kubernetes-group-version-kind'] = gvk;
  return schema;
}

/** A free-form type is an object of any fields, as kube-openapi writes Go types that hold raw JSON (RawExtension). */
function freeFormSchema(t: FreeFormTypeModel): Schema {
  return t.doc ? { description: t.doc, type: 'object' } : { type: 'object' };
}

function listSchema(kind: StructModel, gvk: Schema[]): Schema {
  return {
    description: `A list of ${kind.name} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'Versioned schema of this representation of the object.', type: 'string' },
      items: { description: `The ${kind.name} objects.`, type: 'array', items: { $ref: ref(structOpenapiName(kind)) } },
      kind: { description: 'The REST resource this object represents.', type: 'string' },
      metadata: { allOf: [{ $ref: ref(openapiName('meta', 'v1', 'ListMeta')) }], description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': gvk,
  };
}

/**
 * The definitions a group version owns: its own types, and for a served one its list kinds. Types of other group
 * versions are theirs to define (the server assembles each document's closure from every group version); the
 * shared types of apis/meta, with the well-known scalars, are defined once, in meta's own file.
 */
function definitions(model: AnalysedModel, gv: GroupVersionModel, kinds: StructModel[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const gvkOf = (kind: string) => [{ group: gv.group, kind, version: gv.version }];
  const kindNames = new Set(kinds.map((k) => k.name));
  // Shared types that travel with a TypeMeta of their own (Status, DeleteOptions) are kinds of the core v1 wire.
  const carriesTypeMeta = (st: StructModel) => typeOnlyGroups.has(gv.group) && ['apiVersion', 'kind'].every((f) => st.fields.some((x) => x.name === f));
  for (const s of gv.structs) {
    const gvk = kindNames.has(s.name) ? gvkOf(s.name) : carriesTypeMeta(s) ? [{ group: '', kind: s.name, version: 'v1' }] : undefined;
    out[structOpenapiName(s)] = structSchema(s, model, gvk);
  }
  for (const t of gv.freeFormTypes) out[openapiName(gv.group, gv.version, t.name)] = freeFormSchema(t);
  for (const k of kinds.filter((k) => !k.kind?.subresourceKind)) out[openapiName(gv.group, gv.version, `${k.name}List`)] = listSchema(k, gvkOf(`${k.name}List`));
  if (typeOnlyGroups.has(gv.group)) for (const [w, name] of Object.entries(wellKnownOpenapiNames)) out[name] = wellKnownSchemas[w as WellKnownName];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** `kinds`: the served kinds of the group version (none for a type-only group such as meta). */
export function emitOpenapi(model: AnalysedModel, gv: GroupVersionModel, kinds: StructModel[]): EmittedFile {
  const defs = definitions(model, gv, kinds) as Record<string, OpenAPIV3.SchemaObject>;
  return {
    path: `${gvDir(gv.group, gv.version)}/openapi.ts`,
    content: template({ header: header(`apis/${gv.dir}`), v3: JSON.stringify(defs, null, 2) }),
  };
}
