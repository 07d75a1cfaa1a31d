/**
 * Maintainer tool: compares our served OpenAPI v3 schemas with upstream's, definition by definition.
 *
 *   npx tsx scripts/openapi-compare.ts <upstreamDir>|--go <oursDir> [--only <definition-prefix>]
 *
 * Both folders hold OpenAPI v3 documents (any *.json below them, e.g. `npm run openapi -- /tmp/ours` writes
 * `/tmp/ours/v3/...`; upstream's `api/openapi-spec/v3/*.json` or partial documents with just `components.schemas`).
 * Every `components.schemas` entry of every document is merged by name. For definitions present upstream it reports
 * properties missing on either side, type / format / $ref / items / additionalProperties differences,
 * x-kubernetes-list-type / list-map-keys differences and required-list differences. Descriptions and defaults are
 * ignored.
 *
 * The Go structs are read by go-source.ts (k8s.io/api and apimachinery at v0.32.0 unless K8S_API /
 * K8S_APIMACHINERY say otherwise): a property that upstream has but the Go struct at that tag lacks is reported as a
 * version gap, not as a difference; likewise a property we have that the upstream document lacks but the Go struct
 * has is an older upstream document.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deref, goPackage, goTagOf, jsonFields, parseGoExpr, resolveNamed, type GoExpr } from './go-source.ts';

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
const tag = goTagOf('k8s.io/api');
const [upDir, ourDir] = args;
if (!upDir || !ourDir) {
  console.error('usage: openapi-compare.ts <upstreamDir>|--go <oursDir> [--only <prefix>]');
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

// ---- Go struct fields at the tag (go-source.ts), to tell version gaps from real differences ----
interface GoField {
  listType?: string;
  listMapKeys: string[];
  /** what openapi-gen derives: required unless omitempty or +optional (or +required forces it). */
  required: boolean;
  expr: GoExpr;
}
const metaV1 = 'k8s.io/apimachinery/pkg/apis/meta/v1';
/** The OpenAPI name prefix of a package's definitions: k8s.io/api groups and meta/v1 only. */
function openapiPrefix(pkg: string): string | undefined {
  if (pkg === metaV1) return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  return pkg.startsWith('k8s.io/api/') ? `io.k8s.api.${pkg.slice('k8s.io/api/'.length).replace('/', '.')}` : undefined;
}
/** Fields (by json name) of the Go struct behind a definition, or undefined when unknown (not a k8s.io/api type). */
function goFields(def: string): Map<string, GoField> | undefined {
  const m = /^io\.k8s\.api\.([^.]+)\.([^.]+)\.(\w+)$/.exec(def) ?? /^io\.k8s\.apimachinery\.pkg\.apis\.(meta)\.(v1)\.(\w+)$/.exec(def);
  if (!m) return undefined;
  const t = goPackage(m[1] === 'meta' ? metaV1 : `k8s.io/api/${m[1]}/${m[2]}`).get(m[3]);
  if (!t?.fields) return undefined;
  return new Map(
    [...jsonFields(t)].map(([name, { field, expr }]) => {
      const markers = field.markers.join('\n');
      return [name, {
        listType: /\+listType=(\w+)/.exec(markers)?.[1],
        listMapKeys: [...markers.matchAll(/\+listMapKey=(\w+)/g)].map((k) => k[1]),
        required: /\+required\b/.test(markers) || (!field.omitempty && !/\+optional\b/.test(markers)),
        expr,
      }];
    }),
  );
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
  string: 'string', bool: 'boolean', int32: 'integer/int32', int64: 'integer/int64', int: 'integer', float64: 'number/double', uint8: 'integer',
};
/** The OpenAPI shape (as `shape()` writes it) openapi-gen gives a Go type. */
function goShape(e: GoExpr): string {
  switch (e.k) {
    case 'ptr':
      return goShape(e.elem);
    case 'slice':
      return e.elem.k === 'builtin' && e.elem.name === 'uint8' ? 'string/byte' : `[]${goShape(e.elem)}`;
    case 'map':
      return `map[${goShape(e.elem)}]`;
    case 'builtin':
      return goScalars[e.name] ?? `?${e.name}`;
    case 'named': {
      const full = `${e.pkg}.${e.name}`;
      if (wellKnownShapes[full]) return wellKnownShapes[full];
      const prefix = openapiPrefix(e.pkg);
      if (!prefix) return `?${full}`;
      const t = resolveNamed(e);
      return t?.underlying ? goShape(parseGoExpr(t.underlying, t.pkg)) : `ref:${prefix}.${e.name}`;
    }
  }
}

function goListInfo(f: GoField | undefined): string {
  if (!f) return '';
  const parts: string[] = [];
  // openapi-gen keeps list markers on slices only (a `+listType` on a pointer to a struct is dropped).
  if (f.listType && deref(f.expr).k === 'slice') parts.push(`list-type=${f.listType}`);
  if (f.listMapKeys.length) parts.push(`keys=${f.listMapKeys.join(',')}`);
  return parts.join(' ');
}

/** Whether a field's type (or its list's item type) is a named string type marked `+enum`. */
function isGoEnum(e: GoExpr): boolean {
  const t = deref(e);
  const named = resolveNamed(t.k === 'slice' ? deref(t.elem) : t);
  return Boolean(named?.markers?.includes('+enum'));
}

if (upDir === '--go') {
  compareWithGo(loadSchemas(ourDir));
  process.exit(0);
}

/**
 * `--go` instead of an upstream folder: compares each of our io.k8s.api.* definitions with the Go struct at the tag
 * (property names, required as openapi-gen derives it, +listType / +listMapKey, enums where the Go type is marked
 * +enum). Types are not compared.
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
      const gs = goShape(f.expr);
      const os = shape(props[p]).replace('/int-or-string', '');
      if (gs !== os && !(gs.startsWith('ref:io.k8s.apimachinery.pkg.util.intstr') && os === 'ref:io.k8s.apimachinery.pkg.util.intstr.IntOrString')) lines.push(`  ${p}: Go ${gs}, ours ${os}`);
      if (f.required !== req.has(p)) lines.push(`  ${p}: required in ${f.required ? 'Go' : 'ours'} only`);
      // openapi-gen lists the values of a string type marked +enum (of the field, or of a list's items), only those.
      const goEnum = isGoEnum(f.expr);
      const ourEnum = Boolean(props[p].enum ?? props[p].items?.enum);
      if (goEnum !== ourEnum) lines.push(`  ${p}: enum in ${goEnum ? 'Go' : 'ours'} only`);
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
