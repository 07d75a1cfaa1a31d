/**
 * Maintainer tool: compares our served OpenAPI v3 schemas with upstream's, definition by definition.
 *
 *   npx tsx scripts/openapi-compare.ts <upstreamDir> <oursDir> [--only <definition-prefix>] [--api-repo <git dir>]
 *
 * Both folders hold OpenAPI v3 documents (any *.json below them, e.g. `npm run openapi -- /tmp/ours` writes
 * `/tmp/ours/v3/...`; upstream's `api/openapi-spec/v3/*.json` or partial documents with just `components.schemas`).
 * Every `components.schemas` entry of every document is merged by name. For definitions present upstream it reports
 * properties missing on either side, type / format / $ref / items / additionalProperties differences,
 * x-kubernetes-list-type / list-map-keys differences and required-list differences. Descriptions and defaults are
 * ignored.
 *
 * With `--api-repo` (a git dir of k8s.io/api, default /work/.mirror/kubernetes+api/repo) and `--tag` (default
 * v0.32.0), a property that upstream has but the Go struct at that tag lacks is reported as a version gap, not as a
 * difference; likewise a property we have that the upstream document lacks but the Go struct has is an older
 * upstream document.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

type Schema = Record<string, any>;

const args = process.argv.slice(2);
function option(name: string, dflt?: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}
const only = option('--only');
const apiRepo = option('--api-repo', '/work/.mirror/kubernetes+api/repo')!;
const apimachineryRepo = option('--apimachinery-repo', '/work/.mirror/kubernetes+apimachinery/repo')!;
const tag = option('--tag', 'v0.32.0')!;
const [upDir, ourDir] = args;
if (!upDir || !ourDir) {
  console.error('usage: openapi-compare.ts <upstreamDir> <oursDir> [--only <prefix>] [--api-repo <dir>] [--tag <tag>]');
  process.exit(2);
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsonFiles(full));
    else if (name.endsWith('.json')) out.push(full);
  }
  return out;
}

function loadSchemas(dir: string): Map<string, Schema> {
  const all = new Map<string, Schema>();
  for (const file of jsonFiles(dir)) {
    let doc: any;
    try {
      doc = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      console.error(`skipping ${file}: ${(e as Error).message}`);
      continue;
    }
    const schemas = doc?.components?.schemas ?? doc?.definitions ?? {};
    for (const [name, s] of Object.entries(schemas)) if (!all.has(name)) all.set(name, s as Schema);
  }
  return all;
}

const refName = (ref: string) => ref.replace(/^#\/(components\/schemas|definitions)\//, '');

/** A one-line shape of a schema, without descriptions or defaults: `string/int-or-string`, `[]ref:Foo`, `map[string]`. */
function shape(s: Schema | undefined): string {
  if (!s) return '(none)';
  if (s.$ref) return `ref:${refName(s.$ref)}`;
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && s.allOf[0].$ref) return `ref:${refName(s.allOf[0].$ref)}`;
  const t = s.type ?? '';
  if (t === 'array') return `[]${shape(s.items)}`;
  if (t === 'object' && s.additionalProperties !== undefined && !s.properties) {
    const ap = s.additionalProperties;
    return `map[${ap === true ? 'any' : ap === false ? 'none' : shape(ap)}]`;
  }
  let out = t || 'any';
  if (s.format) out += `/${s.format}`;
  if (s['x-kubernetes-int-or-string']) out += '/int-or-string';
  if (s['x-kubernetes-preserve-unknown-fields']) out += '/preserve-unknown';
  return out;
}

function listInfo(s: Schema): string {
  const parts: string[] = [];
  if (s['x-kubernetes-list-type']) parts.push(`list-type=${s['x-kubernetes-list-type']}`);
  if (s['x-kubernetes-list-map-keys']) parts.push(`keys=${[...s['x-kubernetes-list-map-keys']].join(',')}`);
  if (s['x-kubernetes-map-type']) parts.push(`map-type=${s['x-kubernetes-map-type']}`);
  return parts.join(' ');
}

// ---- Go struct fields at the tag, to tell version gaps from real differences ----
const goFileCache = new Map<string, string>();
/** `meta/v1` is apimachinery's pkg/apis/meta/v1; anything else a k8s.io/api group version. */
function goSource(group: string, version: string): string {
  const key = `${group}/${version}`;
  if (!goFileCache.has(key)) {
    let text = '';
    const [repo, dir] = key === 'meta/v1' ? [apimachineryRepo, 'pkg/apis/meta/v1'] : [apiRepo, key];
    try {
      const files = execFileSync('git', ['-C', repo, 'ls-tree', '--name-only', tag, `${dir}/`], { encoding: 'utf8' })
        .split('\n')
        .filter((f) => /\/(types|time|micro_time|duration|group_version)[^/]*\.go$/.test(f) && !f.endsWith('_test.go'));
      for (const f of files) text += execFileSync('git', ['-C', repo, 'show', `${tag}:${f}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    } catch {
      text = '';
    }
    goFileCache.set(key, text);
  }
  return goFileCache.get(key)!;
}
interface GoField {
  listType?: string;
  listMapKeys: string[];
  /** what openapi-gen derives: required unless omitempty or +optional (or +required forces it). */
  required: boolean;
  /** The field's Go type as written (`*int32`, `[]v1.Container`, `map[string]string`). */
  goType: string;
  /** Where the field is declared, `<group>/<version>`, to resolve its type's names. */
  pkg: string;
}
/** Fields (by json name) of a Go struct at the tag, or undefined when unknown (not a k8s.io/api type). */
function goFields(def: string): Map<string, GoField> | undefined {
  const m = /^io\.k8s\.api\.([^.]+)\.([^.]+)\.(\w+)$/.exec(def) ?? /^io\.k8s\.apimachinery\.pkg\.apis\.(meta)\.(v1)\.(\w+)$/.exec(def);
  if (!m) return undefined;
  const [, g, v, kind] = m;
  const src = goSource(g, v);
  const start = src.indexOf(`\ntype ${kind} struct {`);
  if (start < 0) return undefined;
  const end = src.indexOf('\n}', start);
  const fields = new Map<string, GoField>();
  let comments: string[] = [];
  for (const raw of src.slice(start, end).split('\n').slice(2)) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      comments.push(line);
      continue;
    }
    const t = /json:"([^",]*)([^"]*)"/.exec(line);
    if (t && !t[1] && t[2].includes('inline')) {
      const embedded = goFields(g === 'meta' ? `io.k8s.apimachinery.pkg.apis.meta.v1.${line.split(/\s+/)[0]}` : `io.k8s.api.${g}.${v}.${line.split(/\s+/)[0].replace(/^\*/, '')}`);
      for (const [k, f] of embedded ?? []) fields.set(k, f);
    } else if (t && t[1] && t[1] !== '-') {
      const markers = comments.join('\n');
      fields.set(t[1], {
        listType: /\+listType=(\w+)/.exec(markers)?.[1],
        listMapKeys: [...markers.matchAll(/\+listMapKey=(\w+)/g)].map((k) => k[1]),
        required: /\+required\b/.test(markers) || (!t[2].includes('omitempty') && !/\+optional\b/.test(markers)),
        goType: ((tokens) => (tokens.length === 1 ? tokens[0] : tokens.slice(1).join(' ')))(line.slice(0, line.indexOf('`')).trim().split(/\s+/)),
        pkg: `${g}/${v}`,
      });
    }
    comments = [];
  }
  return fields;
}
const wellKnownShapes: Record<string, string> = {
  'k8s.io/apimachinery/pkg/api/resource.Quantity': 'ref:io.k8s.apimachinery.pkg.api.resource.Quantity',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 'ref:io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': 'ref:io.k8s.apimachinery.pkg.runtime.RawExtension',
  'k8s.io/apimachinery/pkg/types.UID': 'string',
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': 'string',
  'k8s.io/apimachinery/pkg/apis/meta/v1.StatusReason': 'string',
  'k8s.io/apimachinery/pkg/apis/meta/v1.CauseType': 'string',
  'k8s.io/apimachinery/pkg/apis/meta/v1.ConditionStatus': 'string',
};
const goScalars: Record<string, string> = {
  string: 'string', bool: 'boolean', int32: 'integer/int32', int64: 'integer/int64', int: 'integer', float64: 'number/double', byte: 'integer',
};
/** The import path of each alias in a package's types files (`v1` -> `k8s.io/api/core/v1`). */
function goImports(pkg: string): Map<string, string> {
  const src = goSource(...(pkg.split('/') as [string, string]));
  const out = new Map<string, string>();
  for (const m of src.matchAll(/^\s*(\w+\s+)?"(k8s\.io\/[^"]+)"\s*$/gm)) out.set(m[1]?.trim() ?? m[2].split('/').pop()!, m[2]);
  return out;
}
/** The OpenAPI shape (as `shape()` writes it) openapi-gen gives a Go type of k8s.io/api at the tag. */
function goShape(type: string, pkg: string): string {
  type = type.replace(/^\*/, '');
  if (type === '[]byte') return 'string/byte';
  if (type.startsWith('[]')) return `[]${goShape(type.slice(2), pkg)}`;
  const map = /^map\[[^\]]+\](.+)$/.exec(type);
  if (map) return `map[${goShape(map[1], pkg)}]`;
  if (goScalars[type]) return goScalars[type];
  let path: string;
  let name = type;
  const dot = type.indexOf('.');
  if (dot >= 0) {
    const imp = goImports(pkg).get(type.slice(0, dot));
    if (!imp) return `?${type}`;
    path = imp;
    name = type.slice(dot + 1);
  } else path = pkg === 'meta/v1' ? 'k8s.io/apimachinery/pkg/apis/meta/v1' : `k8s.io/api/${pkg}`;
  const full = `${path}.${name}`;
  if (wellKnownShapes[full]) return wellKnownShapes[full];
  if (path === 'k8s.io/apimachinery/pkg/apis/meta/v1') {
    const decl = new RegExp(`\\ntype ${name} ([^\\n{]+?)\\s*(\\/\\/.*)?\\n`).exec(goSource('meta', 'v1'));
    if (decl && !decl[1].startsWith('struct')) return goShape(decl[1].trim(), 'meta/v1');
    return `ref:io.k8s.apimachinery.pkg.apis.meta.v1.${name}`;
  }
  const api = /^k8s\.io\/api\/(.+)$/.exec(path);
  if (!api) return `?${full}`;
  const src = goSource(...(api[1].split('/') as [string, string]));
  const decl = new RegExp(`\\ntype ${name} ([^\\n{]+?)\\s*(\\/\\/.*)?\\n`).exec(src);
  if (decl && !decl[1].startsWith('struct')) return goShape(decl[1].trim(), api[1]);
  return `ref:io.k8s.api.${api[1].replace('/', '.')}.${name}`;
}

function goListInfo(f: GoField | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  // openapi-gen keeps list markers on slices only (a `+listType` on a pointer to a struct is dropped).
  if (f.listType && f.goType.replace(/^\*/, '').startsWith('[]')) parts.push(`list-type=${f.listType}`);
  if (f.listMapKeys.length) parts.push(`keys=${f.listMapKeys.join(',')}`);
  return parts.join(' ');
}

if (upDir === '--go') {
  compareWithGo(loadSchemas(ourDir));
  process.exit(0);
}

/**
 * `--go` instead of an upstream folder: compares each of our io.k8s.api.* definitions with the Go struct at the tag
 * (property names, required as openapi-gen derives it, +listType / +listMapKey). Types are not compared.
 */
function compareWithGo(ours: Map<string, Schema>): void {
  let n = 0;
  let diffs = 0;
  for (const name of [...ours.keys()].sort()) {
    if (only && !name.startsWith(only)) continue;
    const go = goFields(name);
    if (!go || go.size === 0) continue;
    n++;
    const our = ours.get(name)!;
    const props = our.properties ?? {};
    const req = new Set<string>(our.required ?? []);
    const lines: string[] = [];
    for (const [p, f] of go) {
      if (!(p in props)) {
        lines.push(`  missing in ours: ${p}`);
        continue;
      }
      const gs = goShape(f.goType, f.pkg);
      const os = shape(props[p]).replace('/int-or-string', '');
      if (gs !== os && !(gs.startsWith('ref:io.k8s.apimachinery.pkg.util.intstr') && os === 'ref:io.k8s.apimachinery.pkg.util.intstr.IntOrString')) lines.push(`  ${p}: Go ${gs}, ours ${os}`);
      if (f.required !== req.has(p)) lines.push(`  ${p}: required in ${f.required ? 'Go' : 'ours'} only`);
      const gl = goListInfo(f);
      const ol = listInfo(props[p]).replace(/ ?map-type=\w+/, '');
      if (gl !== ol) lines.push(`  ${p}: Go [${gl}], ours [${ol}]`);
    }
    for (const p of Object.keys(props)) if (!go.has(p) && p !== "apiVersion" && p !== "kind") lines.push(`  not in Go types: ${p}`);
    if (lines.length) console.log([name, ...lines].join('\n'));
    diffs += lines.length;
  }
  console.log(`compared ${n} definitions with Go types at ${tag}: ${diffs} differences`);
}

const upstream = loadSchemas(upDir);
const ours = loadSchemas(ourDir);
let differences = 0;
let gaps = 0;
const missingDefs: string[] = [];

for (const name of [...upstream.keys()].sort()) {
  if (only && !name.startsWith(only)) continue;
  const up = upstream.get(name)!;
  const our = ours.get(name);
  if (!our) {
    missingDefs.push(name);
    continue;
  }
  const lines: string[] = [];
  const gapLines: string[] = [];
  const go = goFields(name);
  const upProps = up.properties ?? {};
  const ourProps = our.properties ?? {};
  for (const p of Object.keys(upProps).sort()) {
    if (!(p in ourProps)) {
      if (go && !go.has(p)) gapLines.push(`  (version gap) upstream-only property ${p}: not in Go types at ${tag}`);
      else lines.push(`  missing in ours: ${p} (${shape(upProps[p])})`);
      continue;
    }
    const a = shape(upProps[p]);
    const b = shape(ourProps[p]);
    if (a !== b) lines.push(`  ${p}: upstream ${a}, ours ${b}`);
    const la = listInfo(upProps[p]).replace(/ ?map-type=\w+/, '');
    const lb = listInfo(ourProps[p]).replace(/ ?map-type=\w+/, '');
    if (la !== lb) {
      if (go?.has(p) && goListInfo(go.get(p)) === lb) gapLines.push(`  (older upstream document) ${p}: upstream [${la}], ours and Go types [${lb}]`);
      else lines.push(`  ${p}: upstream [${la}], ours [${lb}]${go?.has(p) ? `, Go types [${goListInfo(go.get(p))}]` : ''}`);
    }
  }
  for (const p of Object.keys(ourProps).sort()) {
    if (p in upProps) continue;
    if (go && go.has(p)) gapLines.push(`  (older upstream document) ours-only property ${p}: in Go types at ${tag}`);
    else lines.push(`  missing upstream: ${p} (${shape(ourProps[p])})`);
  }
  const ta = shape({ ...up, properties: undefined });
  const tb = shape({ ...our, properties: undefined });
  if (!up.properties && !our.properties && ta !== tb) lines.push(`  type: upstream ${ta}, ours ${tb}`);
  const ra = new Set<string>(up.required ?? []);
  const rb = new Set<string>(our.required ?? []);
  for (const r of [...ra].sort()) {
    if (rb.has(r)) continue;
    if (go && !go.has(r) && !(r in ourProps)) continue;
    if (go?.has(r) && !go.get(r)!.required) gapLines.push(`  (older upstream document) required upstream only: ${r}, optional in Go types`);
    else lines.push(`  required upstream only: ${r}`);
  }
  for (const r of [...rb].sort()) {
    if (ra.has(r)) continue;
    if (go?.get(r)?.required) gapLines.push(`  (older upstream document) required in ours and Go types only: ${r}`);
    else lines.push(`  required in ours only: ${r}`);
  }
  if (lines.length || gapLines.length) {
    console.log(name);
    for (const l of [...lines, ...gapLines]) console.log(l);
  }
  differences += lines.length;
  gaps += gapLines.length;
}
if (missingDefs.length) {
  console.log('definitions upstream has and ours lacks:');
  for (const d of missingDefs) console.log(`  ${d}`);
}
console.log(
  `compared ${[...upstream.keys()].filter((n) => !only || n.startsWith(only)).length - missingDefs.length} definitions: ` +
    `${differences} differences, ${gaps} version-gap notes, ${missingDefs.length} definitions missing in ours`,
);
