/**
 * A maintainer's tool, not part of `npm test`: derives the `@alwaysWritten` and `@pointer` tags of `apis/` from
 * upstream's Go types, reports where `apis/` disagrees and, with `--apply`, fixes the tags in place.
 *
 *   tsx scripts/go-shapes.ts            # report; exit code 1 when a tag is missing or wrong
 *   tsx scripts/go-shapes.ts --apply    # rewrite the JSDoc of the fields that disagree, then `npm run generate`
 *
 * What Go writes is decided by the json tag and the Go type: a field without `omitempty`, or a struct held by value
 * (`omitempty` never omits a struct: ObjectMeta, PodTemplateSpec, metav1.Time, resource.Quantity, ...), is always
 * in Go's JSON. A pointer tells a set zero (`*int32` = 0) from unset, and makes an always-written field `null`.
 *
 * Sources, read with git from local mirrors (fetch them with the `fetch` tool or `git clone --mirror`):
 *   k8s.io/api v0.32.0                 /work/.mirror/kubernetes+api/repo            <group>/<version>/types.go
 *   k8s.io/apimachinery v0.32.0        /work/.mirror/kubernetes+apimachinery/repo   pkg/apis/meta/v1
 *   k8s.io/apiextensions-apiserver     /work/.mirror/kubernetes+apiextensions-apiserver/repo   pkg/apis/apiextensions/v1
 *   k8s.io/kube-aggregator             /work/.mirror/kubernetes+kube-aggregator/repo pkg/apis/apiregistration/v1
 * Override the mirror root with MIRROR=/path. New kinds in apis/ need nothing here: the script maps every
 * `apis/<group>/<version>` folder to its Go package by the group's first label and reads the structs of the same name.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseApis } from '../codegen/parse.ts';
import type { FieldModel, StructModel } from '../codegen/model.ts';

const mirror = process.env.MIRROR ?? '/work/.mirror';
const tag = 'v0.32.0';
const root = resolve(import.meta.dirname, '..');
const applyFixes = process.argv.includes('--apply');

interface Source {
  repo: string;
  dir: string;
}

/** Where the Go package of an `apis/` folder lives. */
function sourceOf(groupDir: string, version: string): Source {
  if (groupDir === 'meta') return { repo: 'kubernetes+apimachinery', dir: `pkg/apis/meta/${version}` };
  if (groupDir === 'apiextensions.k8s.io') return { repo: 'kubernetes+apiextensions-apiserver', dir: `pkg/apis/apiextensions/${version}` };
  if (groupDir === 'apiregistration.k8s.io') return { repo: 'kubernetes+kube-aggregator', dir: `pkg/apis/apiregistration/${version}` };
  return { repo: 'kubernetes+api', dir: `${groupDir.split('.')[0]}/${version}` };
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-C', `${mirror}/${repo}/repo`, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

// ---- Go side -------------------------------------------------------------------------------------------------

interface GoField {
  /** json name; '' for an inline embedded struct. */
  json: string;
  omitempty: boolean;
  type: string;
}

interface GoPackage {
  key: string;
  structs: Map<string, GoField[]>;
  /** Named non-struct types: `type Protocol string`, `type ResourceList map[...]...`. */
  named: Map<string, string>;
  /** import alias -> package key (only for packages this script loads). */
  imports: Map<string, string>;
}

const packages = new Map<string, GoPackage>();

/** Import paths of the packages the script can load, by their key. */
function keyOfImport(path: string): string | undefined {
  let m = /^k8s\.io\/api\/(\w+)\/(v\w+)$/.exec(path);
  if (m) return `kubernetes+api:${m[1]}/${m[2]}`;
  if ((m = /^k8s\.io\/apimachinery\/pkg\/apis\/meta\/(v\w+)$/.exec(path))) return `kubernetes+apimachinery:pkg/apis/meta/${m[1]}`;
  return undefined;
}

function loadPackage(src: Source): GoPackage {
  const key = `${src.repo}:${src.dir}`;
  const cached = packages.get(key);
  if (cached) return cached;
  const pkg: GoPackage = { key, structs: new Map(), named: new Map(), imports: new Map() };
  packages.set(key, pkg);
  const files = git(src.repo, 'ls-tree', '--name-only', `${tag}:${src.dir}`)
    .split('\n')
    .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.endsWith('.pb.go') && !f.includes('swagger_doc'));
  for (const file of files) parseGoFile(pkg, git(src.repo, 'show', `${tag}:${src.dir}/${file}`));
  return pkg;
}

function parseGoFile(pkg: GoPackage, text: string): void {
  const lines = text.split('\n');
  for (const m of text.matchAll(/^\s*(\w+\s+)?"([^"]+)"\s*$/gm)) {
    const key = keyOfImport(m[2]);
    if (key) pkg.imports.set(m[1]?.trim() || m[2].split('/').pop()!, key);
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const empty = /^type (\w+) struct\s*\{\s*\}/.exec(line);
    if (empty) {
      pkg.structs.set(empty[1], []);
      continue;
    }
    const s = /^type (\w+) struct \{\s*$/.exec(line);
    if (s) {
      const fields: GoField[] = [];
      for (i++; i < lines.length && lines[i] !== '}'; i++) {
        const f = lines[i].replace(/\/\/.*$/, '').trim();
        if (!f) continue;
        const m = /^(?:(\w+)\s+)?([^`\s]+)\s*`([^`]*)`/.exec(f);
        if (!m) continue;
        const json = /json:"([^"]*)"/.exec(m[3])?.[1];
        if (json === undefined || json === '-') continue;
        const [name, ...opts] = json.split(',');
        // An embedded struct is inline (`json:",inline"`) or a field named by its tag (`metav1.ObjectMeta json:"metadata"`).
        if (!m[1] && !opts.includes('inline') && !name) continue;
        fields.push({ json: opts.includes('inline') ? '' : name || m[1]!, omitempty: opts.includes('omitempty'), type: m[2] });
      }
      pkg.structs.set(s[1], fields);
      continue;
    }
    const n = /^type (\w+) ([^{=]+)$/.exec(line);
    if (n && !n[2].startsWith('interface')) pkg.named.set(n[1], n[2].trim());
  }
}

/** What a Go type is, as far as its JSON shape goes. */
type GoClass = 'scalar' | 'bytes' | 'slice' | 'map' | 'struct' | 'time' | 'quantity' | 'intOrString' | 'raw' | 'duration';

interface Resolved {
  cls: GoClass;
  pointer: boolean;
  /** For structs: where to find its fields. */
  struct?: { pkg: GoPackage; name: string };
}

const special: Record<string, GoClass> = {
  Time: 'time',
  MicroTime: 'time',
  Quantity: 'quantity',
  IntOrString: 'intOrString',
  RawExtension: 'raw',
  JSON: 'raw',
  Duration: 'duration',
};
const scalars = new Set(['string', 'bool', 'int', 'int32', 'int64', 'uint64', 'float64', 'UID', 'byte']);

function resolveType(pkg: GoPackage, type: string, depth = 0): Resolved {
  if (depth > 10) throw new Error(`type ${type} does not resolve`);
  if (type.startsWith('*')) return { ...resolveType(pkg, type.slice(1), depth + 1), pointer: true };
  if (type === '[]byte') return { cls: 'bytes', pointer: false };
  if (type.startsWith('[]')) return { cls: 'slice', pointer: false };
  if (type.startsWith('map[')) return { cls: 'map', pointer: false };
  const dot = type.indexOf('.');
  const qual = dot < 0 ? '' : type.slice(0, dot);
  const name = dot < 0 ? type : type.slice(dot + 1);
  if (special[name] && (qual !== '' || pkg.key.includes('meta/v1') || pkg.key.includes('apiextensions'))) return { cls: special[name], pointer: false };
  if (scalars.has(name) && !pkg.structs.has(name)) return { cls: 'scalar', pointer: false };
  const target = qual ? packageOf(pkg, qual) : pkg;
  if (!target) throw new Error(`type ${type}: package ${qual} is not loaded`);
  if (target.structs.has(name)) return { cls: 'struct', pointer: false, struct: { pkg: target, name } };
  const under = target.named.get(name);
  if (under !== undefined) return resolveType(target, under, depth + 1);
  throw new Error(`type ${type} is unknown in ${pkg.key}`);
}

function packageOf(from: GoPackage, alias: string): GoPackage | undefined {
  const key = from.imports.get(alias);
  if (!key) return undefined;
  const [repo, dir] = key.split(':');
  return loadPackage({ repo, dir });
}

interface FieldFacts {
  omitempty: boolean;
  resolved: Resolved;
}

/** The JSON fields of a Go struct, inline embeds flattened, by json name. */
function goFields(pkg: GoPackage, name: string): Map<string, FieldFacts> {
  const out = new Map<string, FieldFacts>();
  for (const f of pkg.structs.get(name) ?? []) {
    const resolved = resolveType(pkg, f.type);
    if (f.json === '') {
      if (resolved.struct) for (const [k, v] of goFields(resolved.struct.pkg, resolved.struct.name)) out.set(k, v);
      continue;
    }
    out.set(f.json, { omitempty: f.omitempty, resolved });
  }
  return out;
}

/** The tags a field should carry, from its Go facts. */
function wantedTags(facts: FieldFacts): { alwaysWritten: boolean; pointer: boolean } {
  const { cls, pointer } = facts.resolved;
  const byValueStruct = !pointer && ['struct', 'time', 'quantity', 'intOrString', 'raw', 'duration'].includes(cls);
  const alwaysWritten = !facts.omitempty || byValueStruct;
  // A pointer matters where a zero scalar is a value, and where an always-written field is null when unset.
  return { alwaysWritten, pointer: pointer && (cls === 'scalar' || alwaysWritten) };
}

// ---- apis/ side ----------------------------------------------------------------------------------------------

interface Edit {
  field: FieldModel;
  struct: StructModel;
  add: string[];
  remove: string[];
}

function main(): void {
  const { model, diag } = parseApis(root);
  if (diag.failed) {
    for (const e of diag.errors) console.error(e.message);
    process.exit(2);
  }
  const edits: Edit[] = [];
  const unmatched: string[] = [];
  for (const gv of model.groupVersions) {
    const [groupDir, version] = gv.dir.split('/');
    let pkg: GoPackage;
    try {
      pkg = loadPackage(sourceOf(groupDir, version));
    } catch (e) {
      unmatched.push(`${gv.dir}: no Go package (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    for (const s of gv.structs) {
      if (s.oneOf) continue;
      // A copy of another package's struct (events.k8s.io's EventSource is core/v1's) is read from there.
      const home = pkg.structs.has(s.name) ? pkg : [...pkg.imports.values()].map((k) => packageOf(pkg, [...pkg.imports].find(([, v]) => v === k)![0])!).find((p) => p.structs.has(s.name));
      if (!home) {
        unmatched.push(`${gv.dir} ${s.name}: no Go struct of that name in ${pkg.key} or the packages it imports`);
        continue;
      }
      const go = goFields(home, s.name);
      for (const f of s.fields) {
        if (f.embeddedFrom) continue;
        const facts = go.get(f.name);
        if (!facts) {
          unmatched.push(`${f.loc.file}:${f.loc.line} ${s.name}.${f.name}: not a json field of Go's ${s.name}`);
          continue;
        }
        const want = wantedTags(facts);
        const add: string[] = [];
        const remove: string[] = [];
        const has = { alwaysWritten: !!f.tags.alwaysWritten, pointer: !!f.tags.pointer };
        for (const t of ['alwaysWritten', 'pointer'] as const) {
          if (want[t] && !has[t]) add.push(t);
          if (!want[t] && has[t]) remove.push(t);
        }
        if (add.length || remove.length) edits.push({ field: f, struct: s, add, remove });
      }
    }
  }
  for (const u of unmatched) console.log(`skipped: ${u}`);
  for (const e of edits) {
    const what = [...e.add.map((t) => `+@${t}`), ...e.remove.map((t) => `-@${t}`)].join(' ');
    console.log(`${e.field.loc.file}:${e.field.loc.line} ${e.struct.name}.${e.field.name}: ${what}`);
  }
  console.log(`${edits.length} field(s) disagree with Go's types at ${tag}`);
  if (!applyFixes) {
    process.exit(edits.length ? 1 : 0);
  }
  applyEdits(edits);
  console.log('applied; now run npm run -s generate');
}

/** Rewrites the JSDoc above each field: removes the wrong tags, adds the missing ones. Bottom-up per file. */
function applyEdits(edits: Edit[]): void {
  const byFile = new Map<string, Edit[]>();
  for (const e of edits) byFile.set(e.field.loc.file, [...(byFile.get(e.field.loc.file) ?? []), e]);
  for (const [file, list] of byFile) {
    const path = resolve(root, file);
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const e of list.sort((a, b) => b.field.loc.line - a.field.loc.line)) {
      const at = e.field.loc.line - 1; // index of the property line
      const indent = /^\s*/.exec(lines[at])![0];
      let end = at - 1;
      const prev = lines[end]?.trim() ?? '';
      if (prev.startsWith('/**') && prev.endsWith('*/')) {
        // One-line JSDoc: open it up.
        const text = prev.slice(3, -2).trim();
        lines.splice(end, 1, `${indent}/**`, ...(text ? [`${indent} * ${text}`] : []), `${indent} */`);
        end = at - 1 + (text ? 2 : 1);
      } else if (!prev.endsWith('*/')) {
        lines.splice(at, 0, `${indent}/**`, `${indent} */`);
        end = at + 1;
      }
      let start = end;
      while (start > 0 && !lines[start].trim().startsWith('/**')) start--;
      for (let i = end - 1; i > start; i--) {
        const m = /^\s*\*\s*@(\w+)\s*$/.exec(lines[i]);
        if (m && e.remove.includes(m[1])) lines.splice(i, 1), end--;
      }
      lines.splice(end, 0, ...e.add.map((t) => `${indent} * @${t}`));
    }
    writeFileSync(path, lines.join('\n'));
  }
}

main();
