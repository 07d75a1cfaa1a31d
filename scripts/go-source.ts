/**
 * Reads upstream's Go API types for the maintainer scripts that check `apis/` against them (go-shapes.ts,
 * go-type-facts.ts, openapi-compare.ts): the structs and named types of a Go package, parsed from its source at a
 * tag in a local git mirror. Only what API types use is understood: structs with json tags and doc-comment markers,
 * and named types (`type Protocol string`, `type ResourceList map[ResourceName]resource.Quantity`).
 *
 * Mirrors and tags (override with `<path to .git or checkout>@<tag>`): K8S_API (k8s.io/api), K8S_APIMACHINERY,
 * K8S_APIEXTENSIONS (apiextensions-apiserver), K8S_AGGREGATOR (kube-aggregator). MIRROR moves the default root.
 */
import { execFileSync } from 'node:child_process';

const mirror = process.env.MIRROR ?? '/work/.mirror';

interface Repo {
  dir: string;
  tag: string;
}

function repo(env: string, name: string): Repo {
  const [dir, tag] = (process.env[env] ?? `${mirror}/${name}/repo@v0.32.0`).split('@');
  return { dir, tag };
}

/** The module each import path belongs to, and where its source is. */
export const goSources: Readonly<Record<string, Repo>> = {
  'k8s.io/api': repo('K8S_API', 'kubernetes+api'),
  'k8s.io/apimachinery': repo('K8S_APIMACHINERY', 'kubernetes+apimachinery'),
  'k8s.io/apiextensions-apiserver': repo('K8S_APIEXTENSIONS', 'kubernetes+apiextensions-apiserver'),
  'k8s.io/kube-aggregator': repo('K8S_AGGREGATOR', 'kubernetes+kube-aggregator'),
};

/** The module of an import path, and the path inside it. */
function locate(importPath: string): { repo: Repo; dir: string } | undefined {
  const module = Object.keys(goSources).find((p) => importPath === p || importPath.startsWith(`${p}/`));
  return module ? { repo: goSources[module], dir: importPath.slice(module.length + 1) } : undefined;
}

function git(r: Repo, ...args: string[]): string {
  return execFileSync('git', ['-C', r.dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** The tag a package is read at. */
export function goTagOf(importPath: string): string | undefined {
  return locate(importPath)?.repo.tag;
}

/** The Go package of an `apis/<group>/<version>` folder. */
export function goImportPath(group: string, version: string): string {
  if (group === 'meta') return `k8s.io/apimachinery/pkg/apis/meta/${version}`;
  if (group === 'apiextensions.k8s.io') return `k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/${version}`;
  if (group === 'apiregistration.k8s.io') return `k8s.io/kube-aggregator/pkg/apis/apiregistration/${version}`;
  return `k8s.io/api/${group === '' ? 'core' : group.split('.')[0]}/${version}`;
}

export interface GoField {
  /** The JSON name; '' for an embedded struct whose fields are promoted (`json:",inline"`, or no tag). */
  json: string;
  omitempty: boolean;
  /** The type as written, each package alias replaced by its import path: `k8s.io/api/core/v1#Container`. */
  type: string;
  /** The `+marker` lines of the field's doc comment (`+optional`, `+listType=map`), without `//`. */
  markers: string[];
}

export interface GoType {
  name: string;
  /** The import path of the package that declares it. */
  pkg: string;
  /** A struct's fields; absent for a named non-struct type. */
  fields?: GoField[];
  /** A named type's underlying type expression, qualified as GoField.type. */
  underlying?: string;
  /** The `+marker` lines of a named type's doc comment (`+enum`). */
  markers?: string[];
}

const packages = new Map<string, Map<string, GoType>>();
const importsOf = new Map<string, Set<string>>();

/** The source files of a package at its tag, generated and test files left out. */
function packageFiles(importPath: string): string[] {
  const at = locate(importPath);
  if (!at) return [];
  let names: string[];
  try {
    names = git(at.repo, 'ls-tree', '--name-only', `${at.repo.tag}:${at.dir}`).split('\n').filter(Boolean);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go') && !n.startsWith('zz_generated') && !n.startsWith('generated.') && !n.endsWith('.pb.go'))
    .map((n) => git(at.repo, 'show', `${at.repo.tag}:${at.dir}/${n}`));
}

/** The structs and named types a package declares (empty when its source is not in a mirror). */
export function goPackage(importPath: string): Map<string, GoType> {
  let types = packages.get(importPath);
  if (types) return types;
  types = new Map();
  packages.set(importPath, types);
  const imported = new Set<string>();
  importsOf.set(importPath, imported);
  for (const text of packageFiles(importPath)) parseFile(text, importPath, types, imported);
  return types;
}

/** The packages a package imports, those in a mirror only. */
export function goPackageImports(importPath: string): string[] {
  goPackage(importPath);
  return [...(importsOf.get(importPath) ?? [])].filter((p) => locate(p));
}

function parseFile(text: string, importPath: string, types: Map<string, GoType>, imported: Set<string>): void {
  const imports = new Map<string, string>();
  for (const m of text.matchAll(/^\s*(?:import\s+)?(?:(\w+)\s+)?"([\w./-]+)"\s*$/gm)) {
    imports.set(m[1] ?? m[2].split('/').pop()!, m[2]);
    imported.add(m[2]);
  }
  const qualify = (expr: string) => expr.replace(/\b([a-z]\w*)\.([A-Z]\w*)/g, (all, alias, name) => (imports.has(alias) ? `${imports.get(alias)}#${name}` : all));
  const lines = text.split('\n');
  // The doc comment above the current top-level line: a named type's markers.
  let doc: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('//')) {
      doc.push(lines[i].replace(/^\/\/\s?/, ''));
      continue;
    }
    const markers = doc.filter((c) => c.startsWith('+'));
    doc = [];
    const empty = /^type (\w+) struct\s*\{\s*\}/.exec(lines[i]);
    if (empty) {
      types.set(empty[1], { name: empty[1], pkg: importPath, fields: [] });
      continue;
    }
    const struct = /^type (\w+) struct \{\s*$/.exec(lines[i]);
    if (struct) {
      const fields: GoField[] = [];
      let comments: string[] = [];
      for (i++; i < lines.length && !/^\}/.test(lines[i]); i++) {
        const raw = lines[i].trim();
        if (raw.startsWith('//')) {
          comments.push(raw.replace(/^\/\/\s?/, ''));
          continue;
        }
        const markers = comments.filter((c) => c.startsWith('+'));
        comments = [];
        const line = raw.replace(/\/\/.*$/, '').trim();
        const m = /^(?:(\w+)\s+)?([*\w.[\]{}]+)\s*(?:`(.*)`)?$/.exec(line);
        if (!m) continue;
        const tag = /json:"([^"]*)"/.exec(m[3] ?? '')?.[1];
        const [name = '', ...options] = (tag ?? '').split(',');
        if (name === '-' || (m[1] && tag === undefined)) continue; // not in the JSON
        // A named field with an empty json name keeps its Go name; an embedded one is promoted.
        fields.push({ json: options.includes('inline') ? '' : name || m[1] || '', omitempty: options.includes('omitempty'), type: qualify(m[2]), markers });
      }
      types.set(struct[1], { name: struct[1], pkg: importPath, fields });
      continue;
    }
    const named = /^type (\w+) (?:= )?([*\w.[\]]+)\s*$/.exec(lines[i].replace(/\/\/.*$/, ''));
    if (named) types.set(named[1], { name: named[1], pkg: importPath, underlying: qualify(named[2]), markers });
  }
}

const builtins = new Set(['string', 'bool', 'int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'byte']);

/** A type expression, by its outer constructor. */
export type GoExpr =
  | { k: 'ptr'; elem: GoExpr }
  | { k: 'slice'; elem: GoExpr }
  | { k: 'map'; key: GoExpr; elem: GoExpr }
  | { k: 'builtin'; name: string }
  | { k: 'named'; pkg: string; name: string };

/** Parses a qualified type expression written in package `pkg`. */
export function parseGoExpr(text: string, pkg: string): GoExpr {
  if (text.startsWith('*')) return { k: 'ptr', elem: parseGoExpr(text.slice(1), pkg) };
  if (text.startsWith('[]')) return { k: 'slice', elem: parseGoExpr(text.slice(2), pkg) };
  if (text.startsWith('map[')) {
    let depth = 0;
    let i = 3;
    for (; i < text.length; i++) {
      if (text[i] === '[') depth++;
      else if (text[i] === ']' && --depth === 0) break;
    }
    return { k: 'map', key: parseGoExpr(text.slice(4, i), pkg), elem: parseGoExpr(text.slice(i + 1), pkg) };
  }
  if (builtins.has(text)) return { k: 'builtin', name: text === 'byte' ? 'uint8' : text };
  const hash = text.indexOf('#');
  return hash >= 0 ? { k: 'named', pkg: text.slice(0, hash), name: text.slice(hash + 1) } : { k: 'named', pkg, name: text };
}

/** Go's reflect.Type.String() of an expression. */
export function reflectString(e: GoExpr): string {
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

/** What a decoder writes into: pointers followed. */
export const deref = (e: GoExpr): GoExpr => (e.k === 'ptr' ? deref(e.elem) : e);

/** The declaration of a named type, when its package is in a mirror. */
export function resolveNamed(e: GoExpr): GoType | undefined {
  return e.k === 'named' ? goPackage(e.pkg).get(e.name) : undefined;
}

/** A named non-struct type's underlying constructor (a named map stays a map), or the expression itself. */
export function underlying(e: GoExpr): GoExpr {
  const t = resolveNamed(e);
  if (t?.underlying) return underlying(parseGoExpr(t.underlying, t.pkg));
  return e;
}

/** A struct's JSON fields by name, with embedded structs' fields promoted unless the struct has its own. */
export function jsonFields(t: GoType): Map<string, { field: GoField; expr: GoExpr }> {
  const own = new Map<string, { field: GoField; expr: GoExpr }>();
  const promoted: Array<[string, { field: GoField; expr: GoExpr }]> = [];
  for (const field of t.fields ?? []) {
    const expr = parseGoExpr(field.type, t.pkg);
    if (field.json !== '') {
      own.set(field.json, { field, expr });
      continue;
    }
    const embedded = resolveNamed(deref(expr));
    if (embedded?.fields) promoted.push(...jsonFields(embedded));
  }
  for (const [k, v] of promoted) if (!own.has(k)) own.set(k, v);
  return own;
}
