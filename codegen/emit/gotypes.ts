/**
 * Go's types of each group version (generated/<group>/<version>/gotypes.ts, and generated/gotypes.ts for all):
 * the shape and Go's name of every field, so the server refuses what kube-apiserver's decoder cannot decode with
 * its words (runtime/machinery/godecode). Names come from codegen/gotypes.ts.
 */
import type { AnalysedModel } from '../analyse.ts';
import { fieldGoTypes, derivedGoType, goStructName } from '../gotypes.ts';
import type { FieldModel, GroupVersionModel, StructModel, TypeRef } from '../model.ts';
import { gvDir, structKey } from '../model.ts';
import { gvIdentifier } from '../naming.ts';
import { header, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('gotypes.ts.hbs');
const indexTemplate = loadTemplate('gotypes-index.ts.hbs');

const wellKnownShape: Record<string, string> = { Time: 't', MicroTime: 'mt', Quantity: 'q', IntOrString: 'ios' };

/** A descriptor (runtime/machinery/godecode/types.ts) of `ref`, whose Go names level by level are `names`. */
function describe(model: AnalysedModel, ref: TypeRef, names: string[], bytes: boolean): string {
  const [name, ...inner] = names;
  const q = (s: string) => `'${s}'`;
  switch (ref.kind) {
    case 'string':
      return `[${q(bytes ? 'y' : 's')}, ${q(name)}]`;
    case 'integer':
      return `[${q(ref.format === 'int32' ? 'i32' : 'i64')}, ${q(name)}]`;
    case 'number':
      return `['f', ${q(name)}]`;
    case 'boolean':
      return `['b', ${q(name)}]`;
    case 'array':
    case 'map': {
      const elem = ref.kind === 'array' ? ref.items : ref.values;
      return `[${q(ref.kind === 'array' ? '[]' : 'map')}, ${q(name)}, ${describe(model, elem, inner.length ? inner : [derivedGoType(model, elem, bytes)], bytes)}]`;
    }
    case 'struct': {
      const s = model.structs.get(structKey(ref.group, ref.version, ref.name))!;
      return `[${q(s.oneOf ? 'oneOf' : 'struct')}, ${q(name)}, ${q(structKey(ref.group, ref.version, ref.name))}]`;
    }
    case 'wellKnown':
      return `[${q(wellKnownShape[ref.name])}, ${q(name)}]`;
    case 'any':
      return `['any', ${q(name)}]`;
  }
}

function fieldDescriptor(model: AnalysedModel, s: StructModel, f: FieldModel): string {
  return describe(model, f.type, fieldGoTypes(model, s, f), f.tags.format === 'byte');
}

function structBody(model: AnalysedModel, s: StructModel): string {
  if (s.oneOf) return `oneOf: [${s.oneOf.map((t) => describe(model, t, [derivedGoType(model, t)], false)).join(', ')}]`;
  const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
  return `fields: { ${s.fields.map((f) => `${key(f.name)}: ${fieldDescriptor(model, s, f)}`).join(', ')} }`;
}

export function emitGoTypes(model: AnalysedModel, gv: GroupVersionModel): EmittedFile {
  return {
    path: `${gvDir(gv.group, gv.version)}/gotypes.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      runtime: '../../../runtime/machinery/godecode/types.ts',
      groupVersion: gv.group ? `${gv.group}/${gv.version}` : `core/${gv.version}`,
      structs: gv.structs.map((s) => ({ key: structKey(s.group, s.version, s.name), name: goStructName(model, s), body: structBody(model, s) })),
    }),
  };
}

export function emitGoTypesIndex(model: AnalysedModel): EmittedFile {
  const entries = model.groupVersions.map((gv) => ({ id: gvIdentifier(gv), from: `./${gvDir(gv.group, gv.version)}/gotypes.ts` }));
  return { path: 'gotypes.ts', content: indexTemplate({ header: header('apis/'), entries }) };
}
