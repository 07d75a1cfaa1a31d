/**
 * Defaulting functions: for each struct that has something to default (a `@default` tag, a `setDefaults_*` hook,
 * or a field whose type has one), a `default_<Name>(obj)` that fills absent fields in place. Order per struct, as
 * upstream's generated defaulters: tag defaults, then the hand-written hook, then nested structs, so a hook that
 * creates a nested object still gets that object's defaults.
 */
import type { AnalysedModel } from '../analyse.ts';
import type { GroupVersionModel, StructModel, TypeRef } from '../model.ts';
import { gvDir, structKey } from '../model.ts';
import { header, importPath, lookup, type EmittedFile } from './context.ts';
import { propAccess } from '../naming.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('defaults.ts.hbs');

/** Keys (group/version/Name) of every struct whose default function does something. Computed to a fixpoint. */
export function structsNeedingDefaults(model: AnalysedModel): Set<string> {
  const hooked = new Set<string>();
  for (const gv of model.groupVersions) {
    for (const h of gv.hooks.defaults) hooked.add(structKey(gv.group, gv.version, h.name.slice('setDefaults_'.length)));
  }
  const needs = new Set<string>();
  const all = [...model.structs.values()];
  let changed = true;
  const refNeeds = (t: TypeRef): boolean =>
    t.kind === 'struct' ? needs.has(structKey(t.group, t.version, t.name)) : t.kind === 'array' ? refNeeds(t.items) : t.kind === 'map' ? refNeeds(t.values) : false;
  while (changed) {
    changed = false;
    for (const s of all) {
      const key = structKey(s.group, s.version, s.name);
      if (needs.has(key)) continue;
      if (hooked.has(key) || s.fields.some((f) => f.tags.default !== undefined || refNeeds(f.type))) {
        needs.add(key);
        changed = true;
      }
    }
  }
  return needs;
}

/**
 * Statements that default the value `expr` of type `t` (recursing through arrays and maps). A struct Go holds by
 * value (`byValue`) always exists there, so its defaults apply even when the body left it out: a CSIDriver sent
 * without `spec` gets `spec.attachRequired: true` and the rest, as upstream's defaulters give it.
 */
function nestedDefaults(t: TypeRef, expr: string, fnName: (t: Extract<TypeRef, { kind: 'struct' }>) => string | undefined, depth: number, byValue = false): string[] {
  const pad = '  '.repeat(depth);
  if (t.kind === 'struct') {
    const fn = fnName(t);
    if (!fn) return [];
    return byValue ? [`${pad}${fn}(${expr} ??= {});`] : [`${pad}if (${expr} != null) ${fn}(${expr});`];
  }
  const item = `v${depth}`;
  if (t.kind === 'array' || t.kind === 'map') {
    const inner = nestedDefaults(t.kind === 'array' ? t.items : t.values, item, fnName, depth + 1);
    if (!inner.length) return [];
    const iterate = t.kind === 'array' ? `Array.isArray(${expr}) ? ${expr} : []` : `Object.values(${expr} ?? {})`;
    return [`${pad}for (const ${item} of ${iterate}) {`, ...inner, `${pad}}`];
  }
  return [];
}

function functionBody(s: StructModel, hook: string | undefined, fnName: (t: Extract<TypeRef, { kind: 'struct' }>) => string | undefined): string[] {
  const lines: string[] = [];
  for (const f of s.fields) {
    if (f.tags.default !== undefined) lines.push(`  if (${propAccess('obj', f.name)} === undefined) ${propAccess('obj', f.name)} = ${JSON.stringify(f.tags.default)};`);
  }
  if (hook) lines.push(`  hooks.${hook}(obj);`);
  for (const f of s.fields) lines.push(...nestedDefaults(f.type, propAccess('obj', f.name), fnName, 1, !!f.tags.alwaysWritten && !f.tags.pointer));
  return lines;
}

export function emitDefaults(model: AnalysedModel, gv: GroupVersionModel, needs: Set<string>): EmittedFile | undefined {
  const dir = gvDir(gv.group, gv.version);
  const own = gv.structs.filter((s) => needs.has(structKey(s.group, s.version, s.name)));
  if (!own.length) return undefined;
  const imports = new Map<string, Set<string>>();
  const fnName = (t: Extract<TypeRef, { kind: 'struct' }>) => {
    if (!needs.has(structKey(t.group, t.version, t.name))) return undefined;
    if (t.group === gv.group && t.version === gv.version) return `default_${t.name}`;
    const target = lookup(model, t);
    const alias = `default_${(target.group || 'core').replace(/\W/g, '_')}_${target.version}_${target.name}`;
    const from = importPath(dir, gvDir(t.group, t.version), 'defaults.ts');
    imports.set(from, (imports.get(from) ?? new Set()).add(`default_${t.name} as ${alias}`));
    return alias;
  };
  const hookNames = new Set(gv.hooks.defaults.map((h) => h.name));
  const functions = own.map((s) => ({
    name: s.name,
    body: functionBody(s, hookNames.has(`setDefaults_${s.name}`) ? `setDefaults_${s.name}` : undefined, fnName).join('\n'),
  }));
  return {
    path: `${dir}/defaults.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      hooksImport: hookNames.size ? `../../../apis/${gv.dir}/defaults.ts` : '',
      imports: [...imports].sort(([a], [b]) => a.localeCompare(b)).map(([from, names]) => ({ from, names: [...names].sort().join(', ') })),
      functions,
    }),
  };
}
