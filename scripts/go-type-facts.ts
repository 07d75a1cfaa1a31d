/**
 * Writes `apis/<group>/<version>/gotypes.ts`: Go's names of the declared types where codegen cannot derive them
 * (named types such as `v1.Protocol`, `types.UID`, `v1.ResourceList`; Go struct names that differ from ours), read
 * from upstream's Go sources. kube-apiserver's decoder names these types in its errors.
 *
 *   npx tsx scripts/go-type-facts.ts [--check]
 *
 * Upstream sources are read with git from checkouts given by environment variables (defaults: the mirrors kube-ts
 * was developed with): K8S_API (k8s.io/api), K8S_APIMACHINERY, K8S_APIEXTENSIONS (apiextensions-apiserver),
 * K8S_AGGREGATOR (kube-aggregator), each `<path to .git or checkout>@<tag>`. Also prints fields whose declared
 * type is not Go's (a string where Go has an integer, int64 for int32, ...) and fields Go does not have.
 * `--check` writes nothing and fails when a file would change.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyse } from '../codegen/analyse.ts';
import { derivedGoType } from '../codegen/gotypes.ts';
import type { ApiModel, FieldModel, StructModel, TypeRef } from '../codegen/model.ts';
import { structKey } from '../codegen/model.ts';
import { parseApis } from '../codegen/parse.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

function source(env: string, fallback: string): { dir: string; tag: string } {
  const [dir, tag] = (process.env[env] ?? fallback).split('@');
  return { dir, tag };
}
const sources = {
  'k8s.io/api': source('K8S_API', '/work/.mirror/kubernetes+api/repo@v0.32.0'),
  'k8s.io/apimachinery': source('K8S_APIMACHINERY', '/work/.mirror/kubernetes+apimachinery/repo@v0.32.0'),
  'k8s.io/apiextensions-apiserver': source('K8S_APIEXTENSIONS', '/work/.mirror/kubernetes+apiextensions-apiserver/repo@v0.32.0'),
  'k8s.io/kube-aggregator': source('K8S_AGGREGATOR', '/work/.mirror/kubernetes+kube-aggregator/repo@v0.32.0'),
};

function git(repo: { dir: string; tag: string }, ...args: string[]): string {
  return execFileSync('git', ['-C', repo.dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Go source files of a package, by import path. */
function packageFiles(importPath: string): string[] {
  const repoPath = Object.keys(sources).find((p) => importPath === p || importPath.startsWith(`${p}/`));
  if (!repoPath) return [];
  const repo = sources[repoPath as keyof typeof sources];
  const dir = importPath.slice(repoPath.length + 1);
  let names: string[];
  try {
    names = git(repo, 'ls-tree', '--name-only', `${repo.tag}:${dir}`).split('\n').filter(Boolean);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go') && !n.startsWith('zz_generated') && !n.startsWith('generated.'))
    .map((n) => git(repo, 'show', `${repo.tag}:${dir}/${n}`));
}

interface GoField {
  /** JSON name; '' for an embedded (inline) struct. */
  json: string;
  /** The type expression as written, with the file's import aliases resolved to import paths (`<path>.Name`). */
  type: string;
}
interface GoType {
  name: string;
  pkg: string;
  /** A struct's fields, or the underlying type expression of a named type. */
  fields?: GoField[];
  underlying?: string;
}

const packages = new Map<string, Map<string, GoType>>();

/** The types a package declares, parsed from its source (only what API types use: structs and named types). */
function goPackage(importPath: string): Map<string, GoType> {
  let types = packages.get(importPath);
  if (types) return types;
  types = new Map();
  packages.set(importPath, types);
  for (const text of packageFiles(importPath)) {
    const imports = new Map<string, string>();
    for (const m of text.matchAll(/^\s*(?:import\s+)?(?:(\w+)\s+)?"([\w./-]+)"\s*$/gm)) imports.set(m[1] ?? m[2].split('/').pop()!, m[2]);
    const qualify = (expr: string) => expr.replace(/\b([a-z]\w*)\.([A-Z]\w*)/g, (all, alias, name) => (imports.has(alias) ? `${imports.get(alias)}#${name}` : all));
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const empty = /^type (\w+) struct\s*\{\s*\}/.exec(lines[i]);
      if (empty) {
        types.set(empty[1], { name: empty[1], pkg: importPath, fields: [] });
        continue;
      }
      const struct = /^type (\w+) struct \{\s*$/.exec(lines[i]);
      if (struct) {
        const fields: GoField[] = [];
        for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
          const line = lines[i].replace(/\/\/.*$/, '').trim();
          if (!line) continue;
          const m = /^(?:(\w+)\s+)?([*\w.[\]{}]+)\s*(?:`(.*)`)?$/.exec(line);
          if (!m) continue;
          const tag = /json:"([^"]*)"/.exec(m[3] ?? '')?.[1];
          const jsonName = tag?.split(',')[0] ?? '';
          if (jsonName === '-') continue;
          if (m[1] && !tag) continue; // untagged named fields are not in the API
          fields.push({ json: m[1] ? jsonName : jsonName, type: qualify(m[2]) });
        }
        types.set(struct[1], { name: struct[1], pkg: importPath, fields });
        continue;
      }
      const named = /^type (\w+) (?:= )?([*\w.[\]]+)\s*$/.exec(lines[i].replace(/\/\/.*$/, ''));
      if (named) types.set(named[1], { name: named[1], pkg: importPath, underlying: qualify(named[2]) });
    }
  }
  return types;
}

const builtins = new Set(['string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'byte']);

/** A type expression split into its outer constructor. */
type Expr =
  | { k: 'ptr'; elem: Expr }
  | { k: 'slice'; elem: Expr }
  | { k: 'map'; key: Expr; elem: Expr }
  | { k: 'builtin'; name: string }
  | { k: 'named'; pkg: string; name: string };

function parseExpr(text: string, pkg: string): Expr {
  if (text.startsWith('*')) return { k: 'ptr', elem: parseExpr(text.slice(1), pkg) };
  if (text.startsWith('[]')) return { k: 'slice', elem: parseExpr(text.slice(2), pkg) };
  if (text.startsWith('map[')) {
    let depth = 0;
    let i = 3;
    for (; i < text.length; i++) {
      if (text[i] === '[') depth++;
      else if (text[i] === ']' && --depth === 0) break;
    }
    return { k: 'map', key: parseExpr(text.slice(4, i), pkg), elem: parseExpr(text.slice(i + 1), pkg) };
  }
  if (builtins.has(text)) return { k: 'builtin', name: text === 'byte' ? 'uint8' : text };
  const hash = text.indexOf('#');
  return hash >= 0 ? { k: 'named', pkg: text.slice(0, hash), name: text.slice(hash + 1) } : { k: 'named', pkg, name: text };
}

/** Go's reflect.Type.String(). */
function reflectString(e: Expr): string {
  switch (e.k) {
    case 'ptr':
      return `*${reflectString(e.elem)}`;
    case 'slice':
      return `[]${reflectString(e.elem)}`;
    case 'map':
      return `map[${reflectString(e.key)}]${reflectString(e.elem)}`;
    case 'builtin':
      return e.name;
    case 'named':
      return `${e.pkg.split('/').pop()}.${e.name}`;
  }
}

/** What a decoder writes into: pointers are followed. */
const deref = (e: Expr): Expr => (e.k === 'ptr' ? deref(e.elem) : e);

function resolveNamed(e: Expr): GoType | undefined {
  return e.k === 'named' ? goPackage(e.pkg).get(e.name) : undefined;
}

/** A named type's underlying constructor (a named map stays a map), or the expression itself. */
function underlying(e: Expr): Expr {
  const t = resolveNamed(e);
  if (t?.underlying) return underlying(parseExpr(t.underlying, t.pkg));
  return e;
}

/** JSON fields of a Go struct, embedded (inline) structs' promoted. */
function jsonFields(t: GoType): Map<string, Expr> {
  const out = new Map<string, Expr>();
  for (const f of t.fields ?? []) {
    const e = parseExpr(f.type, t.pkg);
    if (f.json === '') {
      const embedded = resolveNamed(deref(e));
      if (embedded?.fields) for (const [k, v] of jsonFields(embedded)) if (!out.has(k)) out.set(k, v);
      continue;
    }
    out.set(f.json, e);
  }
  return out;
}

/** Where each served group version's Go types live. */
function goImportPath(group: string, version: string): string {
  if (group === 'meta') return `k8s.io/apimachinery/pkg/apis/meta/${version}`;
  if (group === 'apiextensions.k8s.io') return `k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/${version}`;
  if (group === 'apiregistration.k8s.io') return `k8s.io/kube-aggregator/pkg/apis/apiregistration/${version}`;
  return `k8s.io/api/${group === '' ? 'core' : group.split('.')[0]}/${version}`;
}

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
      const e = goFields.get(f.name);
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
  const repo = Object.entries(sources).find(([p]) => importPath.startsWith(p))!;
  return (
    `/**\n` +
    ` * Go's names of this version's types where they are not what codegen derives from the declarations (named types,\n` +
    ` * Go struct names): the decoder's errors name them. Facts of ${importPath} at ${repo[1].tag},\n` +
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
