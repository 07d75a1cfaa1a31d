/**
 * Conversion of a served version to and from its group's hub (the storage version). For every struct that has a
 * same-named struct in the hub, an `autoToHub_<T>`/`autoFromHub_<T>` copies the fields both sides share (structs
 * recursively, lists and maps element-wise); `toHub_<T>`/`fromHub_<T>` call the hand-written
 * `convert_<T>_to_hub`/`_from_hub` hook instead when `conversion.ts` has one, passing the auto function so the
 * hook only fixes up what differs. Fields without a counterpart are not copied: such a version needs a hook, and
 * the round-trip tests show where one is missing.
 */
import type { AnalysedGroupVersion, AnalysedModel } from '../analyse.ts';
import type { FieldModel, StructModel, TypeRef } from '../model.ts';
import { gvDir } from '../model.ts';
import { header, type EmittedFile } from './context.ts';
import { propAccess } from '../naming.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('conversion.ts.hbs');

type Direction = 'ToHub' | 'FromHub';

function sameType(a: TypeRef, b: TypeRef): boolean {
  // Free-form JSON is copied as it is, whichever free-form type (if any) each side names it by.
  if (a.kind === 'any' && b.kind === 'any') return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether values of type `from` can be converted to `to` by generated code, and the expression that does it. */
function convertExpr(from: TypeRef, to: TypeRef, expr: string, dir: Direction, convertible: (name: string) => boolean, depth = 0): string | undefined {
  if (sameType(from, to)) return from.kind === 'struct' || from.kind === 'array' || from.kind === 'map' || from.kind === 'any' ? `structuredClone(${expr})` : expr;
  if (from.kind === 'struct' && to.kind === 'struct' && from.name === to.name && convertible(from.name)) return `${dir === 'ToHub' ? 'toHub' : 'fromHub'}_${from.name}(${expr})`;
  const v = `v${depth}`;
  if (from.kind === 'array' && to.kind === 'array') {
    const inner = convertExpr(from.items, to.items, v, dir, convertible, depth + 1);
    return inner && `(${expr} as any[]).map((${v}: any) => ${inner})`;
  }
  if (from.kind === 'map' && to.kind === 'map') {
    const inner = convertExpr(from.values, to.values, v, dir, convertible, depth + 1);
    return inner && `Object.fromEntries(Object.entries(${expr} as Record<string, any>).map(([k, ${v}]) => [k, ${inner}]))`;
  }
  return undefined;
}

function autoBody(src: StructModel, dst: StructModel, dir: Direction, convertible: (name: string) => boolean): string[] {
  const lines: string[] = [];
  const dstFields = new Map(dst.fields.map((f) => [f.name, f]));
  for (const f of src.fields) {
    const target: FieldModel | undefined = dstFields.get(f.name);
    if (!target) {
      lines.push(`  // ${f.name}: no counterpart in ${dir === 'ToHub' ? 'the hub' : 'this version'}`);
      continue;
    }
    const expr = convertExpr(f.type, target.type, propAccess('src', f.name), dir, convertible);
    if (!expr) {
      lines.push(`  // ${f.name}: types differ; a convert_${src.name}_${dir === 'ToHub' ? 'to' : 'from'}_hub hook converts it`);
      continue;
    }
    lines.push(`  if (${propAccess('src', f.name)} !== undefined) ${propAccess('dst', f.name)} = ${expr};`);
  }
  return lines;
}

/** Whether a group version needs conversion code: it is served beside a different storage version. */
export function needsConversion(gv: AnalysedGroupVersion): boolean {
  return gv.version !== gv.storageVersion;
}

/**
 * Whether a kind of `gv` converts through its group's hub: a kind the hub version does not declare (a subresource
 * body served in one version only, as autoscaling/v1 Scale) is never stored and converts to nothing.
 */
export function convertsThroughHub(model: AnalysedModel, gv: AnalysedGroupVersion, kind: string): boolean {
  if (!needsConversion(gv)) return false;
  const hub = model.groupVersions.find((g) => g.group === gv.group && g.version === gv.storageVersion);
  return Boolean(hub?.structs.some((s) => s.name === kind));
}

export function emitConversion(model: AnalysedModel, gv: AnalysedGroupVersion): EmittedFile | undefined {
  if (!needsConversion(gv)) return undefined;
  const hub = model.groupVersions.find((g) => g.group === gv.group && g.version === gv.storageVersion)!;
  const hubStructs = new Map(hub.structs.map((s) => [s.name, s]));
  const pairs = gv.structs.filter((s) => hubStructs.has(s.name));
  const convertible = (name: string) => pairs.some((p) => p.name === name);
  const hooks = new Set(gv.hooks.conversion.map((h) => h.name));
  const kinds = new Set(gv.kinds.map((k) => k.name));
  const hubApiVersion = gv.group ? `${gv.group}/${hub.version}` : hub.version;
  const apiVersion = gv.group ? `${gv.group}/${gv.version}` : gv.version;
  const functions = pairs.flatMap((s) => {
    const h = hubStructs.get(s.name)!;
    return (['ToHub', 'FromHub'] as const).map((dir) => {
      const [from, to] = dir === 'ToHub' ? [s, h] : [h, s];
      const hook = `convert_${s.name}_${dir === 'ToHub' ? 'to' : 'from'}_hub`;
      const lower = dir === 'ToHub' ? 'toHub' : 'fromHub';
      const setApiVersion = kinds.has(s.name) ? `\n  dst.apiVersion = ${JSON.stringify(dir === 'ToHub' ? hubApiVersion : apiVersion)};` : '';
      return {
        auto: `auto${dir}_${s.name}`,
        name: `${lower}_${s.name}`,
        body: autoBody(from, to, dir, convertible).join('\n'),
        call: hooks.has(hook) ? `hooks.${hook}(src, dst, auto${dir}_${s.name});` : `auto${dir}_${s.name}(src, dst);`,
        setApiVersion,
      };
    });
  });
  return {
    path: `${gvDir(gv.group, gv.version)}/conversion.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      hooksImport: hooks.size ? `../../../apis/${gv.dir}/conversion.ts` : '',
      functions,
    }),
  };
}
