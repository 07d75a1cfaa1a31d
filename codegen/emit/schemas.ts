/**
 * TypeBox schemas, one exported constant per struct, compiled into validators by the registration module at
 * start-up. Struct references are plain constant references (imported across group versions), so the schema
 * of a kind is the whole tree of its fields.
 */
import type { AnalysedModel } from '../analyse.ts';
import type { FieldModel, GroupVersionModel, StructModel, TypeRef } from '../model.ts';
import { gvDir } from '../model.ts';
import { dependencyGroups, header, importPath, isRecursive, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('schemas.ts.hbs');

function options(entries: Record<string, unknown>): string {
  const defined = Object.entries(entries).filter(([, v]) => v !== undefined);
  return defined.length ? `{ ${defined.map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')} }` : '';
}

function withOptions(call: string, opts: string, leading = ''): string {
  const args = [leading, opts].filter(Boolean).join(', ');
  return `${call}(${args})`;
}

/** The TypeBox expression of a type; field tags constrain the outermost schema. */
export function typeboxExpr(t: TypeRef, tags: FieldModel['tags'] = {}, refName: (t: Extract<TypeRef, { kind: 'struct' }>) => string): string {
  switch (t.kind) {
    case 'string':
      // An `@openEnum` lists its values in OpenAPI only: the schema takes any string.
      if (t.enum && !tags.openEnum) return withOptions('Type.Enum', '', JSON.stringify(t.enum));
      return withOptions('Type.String', options({ minLength: tags.minLength, maxLength: tags.maxLength, pattern: tags.pattern, format: tags.format }));
    case 'integer':
    case 'number': {
      const bounds = {
        minimum: tags.exclusiveMinimum ? undefined : tags.minimum,
        maximum: tags.exclusiveMaximum ? undefined : tags.maximum,
        exclusiveMinimum: tags.exclusiveMinimum ? tags.minimum : undefined,
        exclusiveMaximum: tags.exclusiveMaximum ? tags.maximum : undefined,
      };
      return withOptions(t.kind === 'integer' ? 'Type.Integer' : 'Type.Number', options(bounds));
    }
    case 'boolean':
      return 'Type.Boolean()';
    case 'array':
      // `@listType set` alone does not refuse duplicates: kube-apiserver stores a Go list as sent (finalizers listed
      // twice are kept), and a kind's own validation reports the duplicates upstream reports. `@uniqueItems` does.
      return withOptions('Type.Array', options({ minItems: tags.minItems, maxItems: tags.maxItems, uniqueItems: tags.uniqueItems || undefined }), typeboxExpr(t.items, { openEnum: tags.openEnum }, refName));
    case 'map':
      return withOptions('Type.Record', options({ minProperties: tags.minProperties, maxProperties: tags.maxProperties }), `Type.String(), ${typeboxExpr(t.values, { format: tags.format }, refName)}`);
    case 'struct':
      return refName(t);
    case 'wellKnown':
      if (t.name === 'IntOrString') return 'Type.Union([Type.Integer(), Type.String()])';
      if (t.name === 'Quantity') return "Type.String({ format: 'quantity' })";
      return "Type.String({ format: 'date-time' })";
    case 'any':
      return 'Type.Unknown()';
  }
}

/**
 * Whether the field is one Go writes always and can hold as nil (`@alwaysWritten` on a list, a map, free-form JSON,
 * a Time or a `@pointer`): Go's decoder takes it absent without complaint, and only the kind's own validation says
 * whether it is required (a LimitRange's `limits` may be absent, a Pod's `containers` may not). So the schema does
 * not enforce it; OpenAPI still lists it as required, as upstream's does. Other always-written fields are never
 * absent by the time validation runs (the Go shape's `write` pass gives them their zero: `""`, `0`, `{}`), and a
 * required field of a kind of one's own, with no Go behind it, stays enforced.
 */
export function nilInGo(f: FieldModel): boolean {
  const t = f.type;
  const nilable = !!f.tags.pointer || t.kind === 'array' || t.kind === 'map' || t.kind === 'any' || (t.kind === 'wellKnown' && (t.name === 'Time' || t.name === 'MicroTime'));
  return nilable && !!f.tags.alwaysWritten;
}

/**
 * A `@crd` group's kinds are served here as they would be as custom resources elsewhere, where apiextensions
 * refuses duplicates in an `x-kubernetes-list-type: set`: there a set is unique, as if marked `@uniqueItems`.
 */
function fieldTags(f: FieldModel, crdGroup: boolean): FieldModel['tags'] {
  return crdGroup && f.tags.listType === 'set' && !f.tags.uniqueItems ? { ...f.tags, uniqueItems: true } : f.tags;
}

function structExpr(s: StructModel, refName: (t: Extract<TypeRef, { kind: 'struct' }>) => string, crdGroup: boolean): string {
  if (s.oneOf) return s.oneOf.length === 1 ? typeboxExpr(s.oneOf[0], {}, refName) : `Type.Union([${s.oneOf.map((t) => typeboxExpr(t, {}, refName)).join(', ')}])`;
  if (s.fields.length === 0) return 'Type.Object({})';
  const props = s.fields.map((f) => {
    const expr = typeboxExpr(f.type, fieldTags(f, crdGroup), refName);
    return `  ${JSON.stringify(f.name)}: ${f.optional || nilInGo(f) ? `Type.Optional(${expr})` : expr},`;
  });
  return `Type.Object({\n${props.join('\n')}\n})`;
}

export function emitSchemas(model: AnalysedModel, gv: GroupVersionModel): EmittedFile {
  const dir = gvDir(gv.group, gv.version);
  const crdGroup = !!model.groups.get(gv.group)?.crd;
  const imports = new Map<string, Set<string>>();
  const refName = (t: Extract<TypeRef, { kind: 'struct' }>) => {
    if (t.group === gv.group && t.version === gv.version) return t.name;
    const from = importPath(dir, gvDir(t.group, t.version), 'schemas.ts');
    const alias = `${(t.group || 'core').replace(/\W/g, '_')}_${t.version}_${t.name}`;
    imports.set(from, (imports.get(from) ?? new Set()).add(`${t.name} as ${alias}`));
    return alias;
  };
  const schemas = dependencyGroups(gv).flatMap((group) => {
    if (!isRecursive(group)) return [{ name: group[0].name, expr: structExpr(group[0], refName, crdGroup) }];
    // Recursive types: every member of the cycle is a $def, referred to by name inside it.
    const members = new Set(group.map((s) => s.name));
    const inCycle = (t: Extract<TypeRef, { kind: 'struct' }>) => (t.group === gv.group && t.version === gv.version && members.has(t.name) ? `Type.Ref(${JSON.stringify(t.name)})` : refName(t));
    const defs = `{\n${group.map((s) => `  ${JSON.stringify(s.name)}: ${structExpr(s, inCycle, crdGroup).replace(/\n/g, '\n  ')},`).join('\n')}\n}`;
    const defsName = `${group[0].name}Cycle`;
    return [{ name: defsName, expr: defs }, ...group.map((s) => ({ name: s.name, expr: `Type.Cyclic(${defsName}, ${JSON.stringify(s.name)})` }))];
  });
  const content = template({
    header: header(`apis/${gv.dir}`),
    imports: [...imports].sort(([a], [b]) => a.localeCompare(b)).map(([from, names]) => ({ from, names: [...names].sort().join(', ') })),
    schemas,
  });
  return { path: `${dir}/schemas.ts`, content };
}

