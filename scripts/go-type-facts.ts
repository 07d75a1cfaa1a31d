/**
 * Writes `apis/<group>/<version>/gotypes.ts`: Go's names of the declared types where codegen cannot derive them
 * (named types such as `v1.Protocol`, `types.UID`, `v1.ResourceList`; Go struct names that differ from ours), read
 * from upstream's Go sources. kube-apiserver's decoder names these types in its errors.
 *
 *   npx tsx scripts/go-type-facts.ts [--check]
 *
 * Upstream sources are read by go-source.ts (its header names the environment variables that point it at other
 * checkouts or tags). Also prints fields whose declared
 * type is not Go's (a string where Go has an integer, int64 for int32, ...) and fields Go does not have.
 * `--check` writes nothing and fails when a file would change.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse } from '../codegen/analyse.ts';
import { derivedGoType } from '../codegen/gotypes.ts';
import type { ApiModel, FieldModel, StructModel, TypeRef } from '../codegen/model.ts';
import { structKey } from '../codegen/model.ts';
import { parseApis } from '../codegen/parse.ts';
import { deref, goImportPath, goPackage, goTagOf, jsonFields, reflectString, resolveNamed, underlying, type GoExpr as Expr, type GoType } from './go-source.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const wellKnownGo: Record<string, string> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1#Time': 'Time',
  'k8s.io/apimachinery/pkg/apis/meta/v1#MicroTime': 'MicroTime',
  'k8s.io/apimachinery/pkg/api/resource#Quantity': 'Quantity',
  'k8s.io/apimachinery/pkg/util/intstr#IntOrString': 'IntOrString',
};

const { model, diag } = parseApis(root);
const analysed = analyse(model, diag);
if (diag.failed) {
  for (const e of diag.errors) console.error(e.message);
  process.exit(1);
}

/** Facts found, per group version dir. */
const facts = new Map<string, { fields: Map<string, string>; structs: Map<string, string> }>();
const problems: string[] = [];
const mapped = new Map<string, GoType>();
const queue: Array<[StructModel, GoType]> = [];

function factsOf(s: StructModel) {
  const dir = `${s.group === '' ? 'core' : s.group}/${s.version}`;
  let f = facts.get(dir);
  if (!f) facts.set(dir, (f = { fields: new Map(), structs: new Map() }));
  return f;
}

function map(s: StructModel, g: GoType): void {
  const key = structKey(s.group, s.version, s.name);
  const known = mapped.get(key);
  if (known) {
    if (known !== g) problems.push(`${s.name} is Go's ${known.pkg}.${known.name} in one place and ${g.pkg}.${g.name} in another`);
    return;
  }
  mapped.set(key, g);
  if (g.name !== s.name) factsOf(s).structs.set(s.name, g.name);
  queue.push([s, g]);
}

/** A declared type against Go's, level by level: records Go's names where they differ from the derived ones. */
function compare(s: StructModel, field: FieldModel, ref: TypeRef, e: Expr, key: string, bytes: boolean): void {
  const target = deref(e);
  const goName = reflectString(target);
  // Struct names are derived through the facts of the struct's own group version, which this run is writing.
  const derived = derivedGoType(analysed as ApiModel, ref, bytes);
  // Free-form values (RawExtension, FieldsV1) decode whatever they are given: their name never shows.
  if (goName !== derived && ref.kind !== 'any') factsOf(s).fields.set(key, goName);
  const u = underlying(target);
  const wk = target.k === 'named' ? wellKnownGo[`${target.pkg}#${target.name}`] : undefined;
  const where = `${s.name}.${field.name}`;
  switch (ref.kind) {
    case 'array':
      if (u.k === 'slice') compare(s, field, ref.items, u.elem, `${key}.elem`, bytes);
      else problems.push(`${where}: declared a list, Go's type is ${goName}`);
      return;
    case 'map':
      if (u.k === 'map') compare(s, field, ref.values, u.elem, `${key}.elem`, bytes);
      else problems.push(`${where}: declared a map, Go's type is ${goName}`);
      return;
    case 'struct': {
      const g = resolveNamed(target);
      const declared = analysed.structs.get(structKey(ref.group, ref.version, ref.name))!;
      if (declared.oneOf) return; // value types decode themselves (custom unmarshalers upstream)
      if (g?.fields) map(declared, g);
      else problems.push(`${where}: declared struct ${ref.name}, Go's type is ${goName}`);
      return;
    }
    case 'wellKnown':
      if (wk !== ref.name) problems.push(`${where}: declared ${ref.name}, Go's type is ${goName}`);
      return;
    case 'any':
      return;
    case 'string':
      if (bytes ? !(u.k === 'slice' && reflectString(u.elem) === 'uint8') : !(u.k === 'builtin' && u.name === 'string')) problems.push(`${where}: declared ${bytes ? 'bytes' : 'a string'}, Go's type is ${goName}`);
      return;
    case 'integer':
      if (!(u.k === 'builtin' && u.name === ref.format)) problems.push(`${where}: declared ${ref.format}, Go's type is ${goName}${u.k === 'builtin' && u.name !== goName ? ` (${u.name})` : ''}`);
      return;
    case 'number':
      if (!(u.k === 'builtin' && u.name === 'float64')) problems.push(`${where}: declared a number, Go's type is ${goName}`);
      return;
    case 'boolean':
      if (!(u.k === 'builtin' && u.name === 'bool')) problems.push(`${where}: declared a boolean, Go's type is ${goName}`);
      return;
  }
}

/** Maps every declared struct to Go's, starting from those Go has under the same name and following fields. */
function walk(): void {
  facts.clear();
  problems.length = 0;
  mapped.clear();
  for (const gv of analysed.groupVersions) {
    const pkg = goPackage(goImportPath(gv.group, gv.version));
    if (!pkg.size) {
      problems.push(`no Go sources for ${gv.dir} (${goImportPath(gv.group, gv.version)})`);
      continue;
    }
    for (const s of gv.structs) {
      const g = pkg.get(s.name);
      if (g?.fields && !s.oneOf) map(s, g);
    }
  }
  while (queue.length) {
    const [s, g] = queue.shift()!;
    const goFields = jsonFields(g);
    for (const f of s.fields) {
      if (f.embeddedFrom) continue; // checked as the embedded struct's own fields
      const e = goFields.get(f.name)?.expr;
      if (!e) {
        problems.push(`${s.name}.${f.name}: Go's ${g.name} has no such field`);
        continue;
      }
      compare(s, f, f.type, e, `${s.name}.${f.name}`, f.tags.format === 'byte');
    }
  }
  for (const s of analysed.structs.values()) {
    if (!s.oneOf && !mapped.has(structKey(s.group, s.version, s.name)) && s.group !== 'meta') problems.push(`${s.group || 'core'}/${s.version} ${s.name}: no Go struct found`);
  }
}

// Twice: the first walk finds Go's struct names, which the second derives field types with.
walk();
for (const gv of analysed.groupVersions) gv.goTypes = { fields: {}, structs: Object.fromEntries(facts.get(gv.dir)?.structs ?? []) };
walk();

function render(dir: string, f: { fields: Map<string, string>; structs: Map<string, string> }): string {
  const entries = (m: Map<string, string>) => [...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  '${k}': '${v}',\n`).join('');
  const gv = analysed.groupVersions.find((g) => g.dir === dir)!;
  const importPath = goImportPath(gv.group, gv.version);
  return (
    `/**\n` +
    ` * Go's names of this version's types where they are not what codegen derives from the declarations (named types,\n` +
    ` * Go struct names): the decoder's errors name them. Facts of ${importPath} at ${goTagOf(importPath)},\n` +
    ` * written by scripts/go-type-facts.ts.\n` +
    ` */\n` +
    `export const goTypes: Record<string, string> = {\n${entries(f.fields)}};\n` +
    (f.structs.size ? `\nexport const goStructNames: Record<string, string> = {\n${entries(f.structs)}};\n` : '')
  );
}

let stale = 0;
for (const gv of analysed.groupVersions) {
  const f = facts.get(gv.dir);
  const path = join(root, 'apis', gv.dir, 'gotypes.ts');
  const want = f && (f.fields.size || f.structs.size) ? render(gv.dir, f) : undefined;
  const have = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (want === have) continue;
  stale++;
  if (check) console.error(`apis/${gv.dir}/gotypes.ts is out of date`);
  else if (want) writeFileSync(path, want);
  else rmSync(path);
}
for (const p of problems) console.log(p);
console.log(`${problems.length} difference(s) between the declarations and Go's types; ${stale} gotypes.ts file(s) ${check ? 'out of date' : 'written'}.`);
if (check && stale) process.exit(1);
