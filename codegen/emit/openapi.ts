/**
 * OpenAPI definitions of a served group version: every kind, its list kind, and every type they reach, in both
 * v3 (components.schemas, OpenAPI 3.0) and v2 (definitions). Paths are not emitted here: the runtime derives
 * them from the registrations, so kinds added at run time get them too.
 */
import type { OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import type { AnalysedGroupVersion, AnalysedModel } from '../analyse.ts';
import { typeOnlyGroups } from '../analyse.ts';
import type { FieldModel, StructModel, TypeRef, WellKnownName } from '../model.ts';
import { gvDir } from '../model.ts';
import { structOpenapiName, wellKnownOpenapiNames, openapiName } from '../naming.ts';
import { closure, header, lookup, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('openapi.ts.hbs');

type Schema = Record<string, unknown>;

const wellKnownSchemas: Record<WellKnownName, Schema> = {
  Time: { description: 'A timestamp in RFC 3339 form with second precision.', type: 'string', format: 'date-time' },
  MicroTime: { description: 'A timestamp in RFC 3339 form with microsecond precision.', type: 'string', format: 'date-time' },
  Quantity: {
    description: 'A fixed-point amount with an optional suffix: a binary SI suffix (Ki, Mi, Gi, Ti, Pi, Ei), a decimal SI suffix (n, u, m, k, M, G, T, P, E) or a decimal exponent (e.g. 1e3).',
    type: 'string',
  },
  IntOrString: { description: 'A value that holds either an integer or a string.', type: 'string', format: 'int-or-string' },
};

interface Dialect {
  ref(name: string): string;
}
const v3: Dialect = { ref: (n) => `#/components/schemas/${n}` };
const v2: Dialect = { ref: (n) => `#/definitions/${n}` };

function typeSchema(t: TypeRef, model: AnalysedModel, d: Dialect, used: Set<WellKnownName>): Schema {
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
      return { type: 'array', items: typeSchema(t.items, model, d, used) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.values, model, d, used) };
    case 'struct':
      return { $ref: d.ref(structOpenapiName(lookup(model, t))) };
    case 'wellKnown':
      used.add(t.name);
      return { $ref: d.ref(wellKnownOpenapiNames[t.name]) };
    case 'any':
      return { type: 'object' };
  }
}

function fieldSchema(f: FieldModel, model: AnalysedModel, d: Dialect, used: Set<WellKnownName>): Schema {
  const base = typeSchema(f.type, model, d, used);
  const extra: Schema = {};
  if (f.doc) extra.description = f.doc;
  const t = f.tags;
  if (t.default !== undefined) extra.default = t.default;
  if (t.minimum !== undefined) extra.minimum = t.minimum;
  if (t.maximum !== undefined) extra.maximum = t.maximum;
  if (t.exclusiveMinimum) extra.exclusiveMinimum = true;
  if (t.exclusiveMaximum) extra.exclusiveMaximum = true;
  if (t.minLength !== undefined) extra.minLength = t.minLength;
  if (t.maxLength !== undefined) extra.maxLength = t.maxLength;
  if (t.pattern !== undefined) extra.pattern = t.pattern;
  if (t.format !== undefined) {
    if (f.type.kind === 'map') (base.additionalProperties as Schema).format = t.format;
    else extra.format = t.format;
  }
  if (t.minItems !== undefined) extra.minItems = t.minItems;
  if (t.maxItems !== undefined) extra.maxItems = t.maxItems;
  if (t.uniqueItems) extra.uniqueItems = true;
  if (t.minProperties !== undefined) extra.minProperties = t.minProperties;
  if (t.maxProperties !== undefined) extra.maxProperties = t.maxProperties;
  if (t.listType) extra['x-kubernetes-list-type'] = t.listType;
  if (t.listMapKeys) extra['x-kubernetes-list-map-keys'] = t.listMapKeys;
  if (t.patchStrategy) extra['x-kubernetes-patch-strategy'] = t.patchStrategy;
  if (t.patchMergeKey) extra['x-kubernetes-patch-merge-key'] = t.patchMergeKey;
  if (t.preserveUnknownFields) extra['x-kubernetes-preserve-unknown-fields'] = true;
  if (f.type.kind === 'wellKnown' && f.type.name === 'IntOrString') extra['x-kubernetes-int-or-string'] = true;
  if ('$ref' in base && Object.keys(extra).length) {
    // OpenAPI 3.0 ignores siblings of $ref, so a described reference is wrapped in allOf (as kube-apiserver does).
    return d === v3 ? { allOf: [base], ...extra } : { ...base, ...extra };
  }
  return { ...base, ...extra };
}

function structSchema(s: StructModel, model: AnalysedModel, d: Dialect, used: Set<WellKnownName>, gvk?: Schema[]): Schema {
  const properties: Record<string, Schema> = {};
  for (const f of s.fields) properties[f.name] = fieldSchema(f, model, d, used);
  const required = s.fields.filter((f) => !f.optional).map((f) => f.name);
  const schema: Schema = {};
  if (s.doc) schema.description = s.doc;
  schema.type = 'object';
  if (required.length) schema.required = required;
  schema.properties = properties;
  if (gvk) schema['x-kubernetes-group-version-kind'] = gvk;
  return schema;
}

function listSchema(kind: StructModel, d: Dialect, gvk: Schema[]): Schema {
  return {
    description: `A list of ${kind.name} objects.`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: 'Versioned schema of this representation of the object.', type: 'string' },
      items: { description: `The ${kind.name} objects.`, type: 'array', items: { $ref: d.ref(structOpenapiName(kind)) } },
      kind: { description: 'The REST resource this object represents.', type: 'string' },
      metadata: d === v3 ? { allOf: [{ $ref: d.ref(openapiName('meta', 'v1', 'ListMeta')) }], description: 'Standard list metadata.' } : { $ref: d.ref(openapiName('meta', 'v1', 'ListMeta')), description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': gvk,
  };
}

function definitions(model: AnalysedModel, gv: AnalysedGroupVersion, d: Dialect): Record<string, Schema> {
  const used = new Set<WellKnownName>();
  const out: Record<string, Schema> = {};
  const gvkOf = (kind: string) => [{ group: gv.group, kind, version: gv.version }];
  const kindNames = new Set(gv.kinds.map((k) => k.name));
  const listMeta = lookup(model, { group: 'meta', version: 'v1', name: 'ListMeta' });
  // Types of other served group versions are theirs to define (the server assembles each document's closure
  // from every group version); shared meta types are carried here, since no served group owns them.
  const owned = (s: StructModel) => (s.group === gv.group && s.version === gv.version) || typeOnlyGroups.has(s.group);
  for (const s of closure(model, [...gv.structs, listMeta]).filter(owned)) {
    const isKind = s.group === gv.group && s.version === gv.version && kindNames.has(s.name);
    out[structOpenapiName(s)] = structSchema(s, model, d, used, isKind ? gvkOf(s.name) : undefined);
  }
  for (const k of gv.kinds) out[openapiName(gv.group, gv.version, `${k.name}List`)] = listSchema(k, d, gvkOf(`${k.name}List`));
  for (const w of [...used].sort()) out[wellKnownOpenapiNames[w]] = wellKnownSchemas[w];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

export function emitOpenapi(model: AnalysedModel, gv: AnalysedGroupVersion): EmittedFile {
  const defsV3 = definitions(model, gv, v3) as Record<string, OpenAPIV3.SchemaObject>;
  const defsV2 = definitions(model, gv, v2) as Record<string, OpenAPIV2.SchemaObject>;
  return {
    path: `${gvDir(gv.group, gv.version)}/openapi.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      v3: JSON.stringify(defsV3, null, 2),
      v2: JSON.stringify(defsV2, null, 2),
    }),
  };
}
