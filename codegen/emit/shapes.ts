/**
 * Go's wire shapes (`@alwaysWritten`, `@pointer`): for every struct of a group version, each field's JSON type and
 * whether Go always writes it and holds it by pointer, as a table the runtime compiles once
 * (`runtime/machinery/goshape.ts`); and which struct each kind of the group version is.
 */
import type { AnalysedModel } from '../analyse.ts';
import type { FieldModel, GroupVersionModel, TypeRef } from '../model.ts';
import { gvDir } from '../model.ts';
import { openapiName, structOpenapiName } from '../naming.ts';
import { header, lookup, type EmittedFile } from './context.ts';

/** The shape type of meta/v1's and apimachinery's types that encode themselves. */
const wellKnownTypes: Record<string, string> = { Time: 'time', MicroTime: 'microTime', Quantity: 'quantity' };

function fieldType(t: TypeRef, f: FieldModel): string {
  switch (t.kind) {
    case 'string':
      return f.tags.format === 'byte' ? 'bytes' : 'string';
    case 'wellKnown':
      return wellKnownTypes[t.name] ?? 'intOrString';
    default:
      return t.kind;
  }
}

function fieldEntry(model: AnalysedModel, f: FieldModel): string {
  const t = f.type;
  const entry: Record<string, unknown> = { name: f.name, type: fieldType(t, f) };
  if (f.tags.alwaysWritten) entry.always = true;
  if (f.tags.pointer) entry.pointer = true;
  const inner = t.kind === 'array' ? t.items : t.kind === 'map' ? t.values : t;
  if (inner.kind === 'struct') {
    const s = lookup(model, inner);
    // A value type (JSONSchemaPropsOrBool) is free-form as far as shapes go.
    if (s.oneOf) entry.type = t.kind === 'struct' ? 'any' : entry.type;
    else entry.struct = structOpenapiName(s);
  }
  return JSON.stringify(entry);
}

export function emitShapes(model: AnalysedModel, gv: GroupVersionModel): EmittedFile | undefined {
  const structs = gv.structs.filter((s) => !s.oneOf);
  if (!structs.length) return undefined;
  const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
  const lines = [header(`apis/${gv.dir}`) + "import type { GoShapeTable } from '../../../runtime/machinery/goshape.ts';", '', '/** Go\'s wire shape of this group version\'s structs (@alwaysWritten, @pointer). */', 'export const goShapeTable: GoShapeTable = {', '  structs: {'];
  for (const s of structs) {
    lines.push(`    '${structOpenapiName(s)}': [`);
    for (const f of s.fields) lines.push(`      ${fieldEntry(model, f)},`);
    lines.push('    ],');
  }
  lines.push('  },', '  kinds: {');
  for (const s of structs.filter((s) => s.kind && gv.group !== 'meta')) {
    lines.push(`    '${apiVersion}/${s.name}': '${openapiName(s.group, s.version, s.name)}',`);
  }
  lines.push('  },', '};', '');
  return { path: `${gvDir(gv.group, gv.version)}/shapes.ts`, content: lines.join('\n') };
}
