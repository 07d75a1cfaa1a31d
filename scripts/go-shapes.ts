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
 * Upstream's types are read by go-source.ts (k8s.io/api, apimachinery, apiextensions-apiserver and kube-aggregator
 * at v0.32.0 from local git mirrors; its header says how to point it elsewhere). New kinds in apis/ need nothing
 * here: every `apis/<group>/<version>` folder maps to its Go package, whose structs of the same name are read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseApis } from '../codegen/parse.ts';
import type { FieldModel, StructModel } from '../codegen/model.ts';
import { goImportPath, goPackage, goPackageImports, goTagOf, jsonFields, parseGoExpr, resolveNamed, type GoExpr, type GoType } from './go-source.ts';

const root = resolve(import.meta.dirname, '..');
const applyFixes = process.argv.includes('--apply');

// ---- Go side -------------------------------------------------------------------------------------------------

/** What a Go type is, as far as its JSON shape goes. */
type GoClass = 'scalar' | 'bytes' | 'slice' | 'map' | 'struct' | 'time' | 'quantity' | 'intOrString' | 'raw' | 'duration';

interface Resolved {
  cls: GoClass;
  pointer: boolean;
}

/** Types that write themselves (custom JSON marshalling), by their qualified name. */
const special: Record<string, GoClass> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1#Time': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1#MicroTime': 'time',
  'k8s.io/apimachinery/pkg/apis/meta/v1#Duration': 'duration',
  'k8s.io/apimachinery/pkg/api/resource#Quantity': 'quantity',
  'k8s.io/apimachinery/pkg/util/intstr#IntOrString': 'intOrString',
  'k8s.io/apimachinery/pkg/runtime#RawExtension': 'raw',
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1#JSON': 'raw',
};

function classify(e: GoExpr): Resolved {
  switch (e.k) {
    case 'ptr':
      return { ...classify(e.elem), pointer: true };
    case 'slice':
      return { cls: e.elem.k === 'builtin' && e.elem.name === 'uint8' ? 'bytes' : 'slice', pointer: false };
    case 'map':
      return { cls: 'map', pointer: false };
    case 'builtin':
      return { cls: 'scalar', pointer: false };
    case 'named': {
      const known = special[`${e.pkg}#${e.name}`];
      if (known) return { cls: known, pointer: false };
      const t = resolveNamed(e);
      if (!t) throw new Error(`type ${e.pkg}.${e.name} is not in the mirrors`);
      return t.fields ? { cls: 'struct', pointer: false } : classify(parseGoExpr(t.underlying!, t.pkg));
    }
  }
}

interface FieldFacts {
  omitempty: boolean;
  resolved: Resolved;
}

/** The JSON fields of a Go struct, embedded structs' promoted, by json name. */
function goFields(t: GoType): Map<string, FieldFacts> {
  return new Map([...jsonFields(t)].map(([name, { field, expr }]) => [name, { omitempty: field.omitempty, resolved: classify(expr) }]));
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
    const pkg = goImportPath(gv.group, gv.version);
    const types = goPackage(pkg);
    if (!types.size) {
      unmatched.push(`${gv.dir}: no Go package (${pkg})`);
      continue;
    }
    for (const s of gv.structs) {
      if (s.oneOf) continue;
      // A copy of another package's struct (events.k8s.io's EventSource is core/v1's) is read from there.
      const home = [pkg, ...goPackageImports(pkg)].map((p) => goPackage(p).get(s.name)).find((t) => t?.fields);
      if (!home) {
        unmatched.push(`${gv.dir} ${s.name}: no Go struct of that name in ${pkg} or the packages it imports`);
        continue;
      }
      const go = goFields(home);
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
  console.log(`${edits.length} field(s) disagree with Go's types at ${goTagOf('k8s.io/api')}`);
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
