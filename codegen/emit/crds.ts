/**
 * CustomResourceDefinition manifests (`apiextensions.k8s.io/v1`) for the kinds of groups marked `@crd` in their
 * `apis/<group>/doc.ts`: the same declaration a built-in kind is served from, written so that any cluster can
 * install it (`kubectl apply -f generated/crds/<group>_<plural>.yaml`).
 *
 * Two steps, as the rest of the generator: `planCrds` checks what a CRD can express and builds each manifest as a
 * plain object (errors with file:line through Diagnostics); `emitCrd` only serializes. The schema is built from the
 * same model and tag keywords as the OpenAPI v3 definitions (emit/openapi.ts), but structural, as apiextensions
 * requires: every type inline (no `$ref`), `metadata` reduced to `type: object` as controller-gen writes it, the
 * int-or-string and quantity scalars as `x-kubernetes-int-or-string`, and no strategic-merge-patch keys (CRDs
 * have no strategic merge patch).
 */
import { stringify } from 'yaml';
import type { AnalysedGroupVersion, AnalysedModel } from '../analyse.ts';
import { columnDescription, isComputedColumn, printerName, typeOnlyGroups } from '../analyse.ts';
import type { Diagnostics } from '../errors.ts';
import type { FieldModel, StructModel, TypeRef } from '../model.ts';
import { structKey } from '../model.ts';
import { deprecationWarning } from '../naming.ts';
import type { EmittedFile } from './context.ts';
import { closure, lookup } from './context.ts';
import { tagKeywords, type Schema } from './openapi.ts';

export interface CrdPlan {
  /** `<group>_<plural>.yaml` under generated/crds/. */
  path: string;
  group: string;
  /** The manifest, keys in the order they are written. */
  manifest: Schema;
  /** What the built-in kind has that the manifest cannot carry (hand-written code), written as header comments. */
  notes: string[];
}

/** The pattern apimachinery's resource.Quantity accepts, as controller-gen writes it for a Quantity field. */
const quantityPattern = '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

/** Formats the built-in validator knows but apiextensions does not: written as the length and pattern they mean. */
const formatAsPattern: Record<string, { maxLength: number; pattern: string }> = {
  'dns1123-label': { maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
  'dns1123-subdomain': { maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
};

/** What is kept of an ObjectMeta below the root (a template's metadata), as controller-gen's embedded ObjectMeta. */
const embeddedObjectMeta: Schema = {
  type: 'object',
  properties: {
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    name: { type: 'string' },
    namespace: { type: 'string' },
  },
};

const isObjectMeta = (t: TypeRef) => t.kind === 'struct' && t.group === 'meta' && t.name === 'ObjectMeta';

/** Keys that CRD schemas do not have (JSONSchemaProps has no patch strategy: CRDs have no strategic merge patch). */
const notInCrdSchemas = ['x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key'];

interface SchemaContext {
  model: AnalysedModel;
  diag: Diagnostics;
  /** Structs being inlined on the way here: a struct met again is a recursive type, which no CRD schema can hold. */
  stack: string[];
  /** Errors are reported once per field, although a struct may be inlined at many places. */
  reported: Set<string>;
}

function typeNode(t: TypeRef, ctx: SchemaContext, at: FieldModel): Schema {
  switch (t.kind) {
    case 'string':
      // apiextensions enforces a CRD's enum, so an `@openEnum`, which takes any string, lists none there.
      return t.enum && !at.tags.openEnum ? { type: 'string', enum: t.enum } : { type: 'string' };
    case 'integer':
      return { type: 'integer', format: t.format };
    case 'number':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'array':
      return { type: 'array', items: typeNode(t.items, ctx, at) };
    case 'map':
      return { type: 'object', additionalProperties: typeNode(t.values, ctx, at) };
    case 'struct': {
      if (isObjectMeta(t)) return structuredClone(embeddedObjectMeta);
      const key = structKey(t.group, t.version, t.name);
      if (ctx.stack.includes(key)) {
        const id = `${at.loc.file}:${at.loc.line}`;
        if (!ctx.reported.has(id)) {
          ctx.reported.add(id);
          ctx.diag.error(at.loc, `${at.name} refers back to ${t.name}, and a CustomResourceDefinition schema cannot be recursive: declare the field unknown with @preserveUnknownFields, or leave the group unmarked`);
        }
        return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      }
      const s = lookup(ctx.model, t);
      if (s.oneOf) return valueTypeNode(s, ctx, at);
      return structNode(s, ctx);
    }
    case 'wellKnown':
      switch (t.name) {
        case 'Time':
        case 'MicroTime':
          return { type: 'string', format: 'date-time' };
        case 'IntOrString':
          return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
        case 'Quantity':
          return { anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: quantityPattern, 'x-kubernetes-int-or-string': true };
      }
      break;
    case 'any':
      // A free-form type says its fields are kept, which a structural schema must say with the extension.
      return t.named ? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } : { type: 'object' };
  }
  throw new Error(`internal: unhandled type ${JSON.stringify(t)}`);
}

/**
 * A value type: arbitrary JSON is kept as written (a node without a type, which only
 * `x-kubernetes-preserve-unknown-fields` allows); a union of shapes has no structural form.
 */
function valueTypeNode(s: StructModel, ctx: SchemaContext, at: FieldModel): Schema {
  if (s.oneOf!.length === 1 && s.oneOf![0].kind === 'any') return { 'x-kubernetes-preserve-unknown-fields': true };
  const id = `${at.loc.file}:${at.loc.line}`;
  if (!ctx.reported.has(id)) {
    ctx.reported.add(id);
    ctx.diag.error(at.loc, `${at.name} is a ${s.name}, one of several shapes, which a CustomResourceDefinition's structural schema cannot describe`);
  }
  return { 'x-kubernetes-preserve-unknown-fields': true };
}

function fieldNode(f: FieldModel, ctx: SchemaContext): Schema {
  const base = typeNode(f.type, ctx, f);
  const description = f.doc || (f.type.kind === 'struct' && !isObjectMeta(f.type) ? lookup(ctx.model, f.type).doc : '');
  const keywords = tagKeywords(f);
  for (const k of notInCrdSchemas) delete keywords[k];
  const format = keywords.format as string | undefined;
  if (format && formatAsPattern[format]) {
    delete keywords.format;
    keywords.maxLength ??= formatAsPattern[format].maxLength;
    keywords.pattern ??= formatAsPattern[format].pattern;
  }
  if (f.tags.format !== undefined && f.type.kind === 'map') (base.additionalProperties as Schema).format = f.tags.format;
  // Immutability is a transition rule in a CRD: upstream's own wording for the built-in check.
  if (f.tags.immutable) keywords['x-kubernetes-validations'] = [{ rule: 'self == oldSelf', message: 'field is immutable' }];
  return { ...(description ? { description } : {}), ...base, ...keywords };
}

function structNode(s: StructModel, ctx: SchemaContext): Schema {
  const key = structKey(s.group, s.version, s.name);
  ctx.stack.push(key);
  const properties: Record<string, Schema> = {};
  for (const f of s.fields) properties[f.name] = fieldNode(f, ctx);
  ctx.stack.pop();
  const required = s.fields.filter((f) => !f.optional).map((f) => f.name);
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...(s.structType ? { 'x-kubernetes-map-type': s.structType } : {}) };
}

/**
 * The structural `openAPIV3Schema` of a kind: its fields inline, `metadata` only `type: object` (the server
 * validates and defaults ObjectMeta itself), descriptions kept for `kubectl explain`.
 */
export function structuralSchema(model: AnalysedModel, kind: StructModel, diag: Diagnostics): Schema {
  const ctx: SchemaContext = { model, diag, stack: [structKey(kind.group, kind.version, kind.name)], reported: new Set() };
  const properties: Record<string, Schema> = {};
  for (const f of kind.fields) properties[f.name] = f.name === 'metadata' && isObjectMeta(f.type) ? { type: 'object' } : fieldNode(f, ctx);
  const required = kind.fields.filter((f) => !f.optional).map((f) => f.name);
  return { ...(kind.doc ? { description: kind.doc } : {}), type: 'object', properties, ...(required.length ? { required } : {}) };
}

function printerColumns(model: AnalysedModel, kind: StructModel, notes: string[]): Schema[] | undefined {
  const columns: Schema[] = [];
  for (const c of kind.kind!.printColumns) {
    if (isComputedColumn(c.jsonPath)) {
      notes.push(`printer column ${c.name} of ${kind.version} (computed by ${printerName(kind.name, c.jsonPath)})`);
      continue;
    }
    const doc = columnDescription(model, kind, c);
    columns.push({ name: c.name, type: c.type, jsonPath: c.jsonPath, ...(doc ? { description: doc } : {}), ...(c.priority ? { priority: c.priority } : {}) });
  }
  if (columns.length === 0) return undefined; // apiextensions then shows Name and Age, as a built-in kind without columns
  // A built-in kind's table always ends with Age; a CRD's shows only the columns it lists.
  if (!kind.kind!.printColumns.some((c) => c.name.toLowerCase() === 'age')) {
    columns.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
  }
  return columns;
}

/** Why a group name cannot be a CRD's, or undefined. */
function groupProblem(group: string): string | undefined {
  if (group === '' || typeOnlyGroups.has(group)) return `the ${group || 'core'} group cannot be defined by CustomResourceDefinitions`;
  if (!group.includes('.')) return `a CustomResourceDefinition's group must be a domain with at least one dot, and "${group}" has none`;
  if (/(^|\.)(k8s\.io|kubernetes\.io)$/.test(group)) return `groups under k8s.io and kubernetes.io need an approved API review (the api-approved.kubernetes.io annotation); "${group}" cannot be marked`;
  return undefined;
}

function sameNames(a: StructModel, b: StructModel): string | undefined {
  const x = a.kind!;
  const y = b.kind!;
  const pairs: Array<[string, string, string]> = [
    ['@resource', x.resource, y.resource],
    ['@singular', x.singular, y.singular],
    ['@scope', x.scope, y.scope],
    ['@shortNames', x.shortNames.join(','), y.shortNames.join(',')],
    ['@categories', x.categories.join(','), y.categories.join(',')],
  ];
  const diff = pairs.find(([, p, q]) => p !== q);
  return diff && `${diff[0]} "${diff[2]}" differs from "${diff[1]}" in the storage version ${a.version}: a CustomResourceDefinition has one set of names and one scope for all its versions`;
}

/** The hand-written hooks of one version that a kind uses: code the built-in kind runs and a CRD cannot. */
function hookNotes(model: AnalysedModel, gv: AnalysedGroupVersion, kind: StructModel, storage: boolean): string[] {
  const types = new Set(closure(model, [kind]).filter((s) => s.group === gv.group && s.version === gv.version).map((s) => s.name));
  const notes: string[] = [];
  for (const h of gv.hooks.validation) if (h.name === `validate_${kind.name}`) notes.push(`validation ${h.name} of ${gv.version}`);
  for (const h of gv.hooks.defaults) if (types.has(h.name.slice('setDefaults_'.length))) notes.push(`defaulting ${h.name} of ${gv.version}`);
  if (!storage) {
    for (const h of gv.hooks.conversion) {
      if (types.has(/^convert_(\w+)_(to|from)_hub$/.exec(h.name)?.[1] ?? '')) notes.push(`conversion ${h.name} of ${gv.version} (the manifest converts with strategy None: install a conversion webhook if versions differ)`);
    }
  }
  return notes;
}

function planKind(model: AnalysedModel, group: string, kindName: string, gvs: AnalysedGroupVersion[], diag: Diagnostics): CrdPlan | undefined {
  const present = gvs.filter((gv) => gv.kinds.some((k) => k.name === kindName));
  const storageVersion = present[0].storageVersion;
  const hubGv = present.find((gv) => gv.version === storageVersion);
  if (!hubGv) return undefined; // analyse already reported the kind missing from the storage version
  const hub = hubGv.kinds.find((k) => k.name === kindName)!;
  const names = hub.kind!;
  const notes: string[] = [];
  const versions: Schema[] = [];
  const errorsBefore = diag.errors.length;
  for (const gv of present) {
    const kind = gv.kinds.find((k) => k.name === kindName)!;
    const tags = kind.kind!;
    const mismatch = gv === hubGv ? undefined : sameNames(hub, kind);
    if (mismatch) diag.error(kind.loc, `${kindName} in ${group}/${gv.version}: ${mismatch}`);
    if (tags.verbs) diag.error(kind.loc, `@verbs on ${kindName} cannot be expressed in a CustomResourceDefinition (every verb is served), and group ${group} is marked @crd`);
    if (tags.subresources.custom?.length) diag.error(kind.loc, `@subresource ${tags.subresources.custom[0].name} of ${kindName} cannot be expressed in a CustomResourceDefinition (only status and scale), and group ${group} is marked @crd`);
    if (tags.nameFormat !== 'dns1123-subdomain') notes.push(`@nameFormat ${tags.nameFormat} of ${gv.version} (custom resource names are DNS subdomains)`);
    notes.push(...hookNotes(model, gv, kind, gv === hubGv));
    const subresources: Schema = {};
    if (tags.subresources.status) subresources.status = {};
    if (tags.subresources.scale) {
      const { specReplicasPath, statusReplicasPath, labelSelectorPath } = tags.subresources.scale;
      subresources.scale = { specReplicasPath, statusReplicasPath, ...(labelSelectorPath ? { labelSelectorPath } : {}) };
    }
    const columns = printerColumns(model, kind, notes);
    // A CRD selects by path only: fields under another label, or computed, are not carried.
    const selectable = tags.selectableFields.flatMap((f) => (f.jsonPath && f.jsonPath === `.${f.label}` ? [f.jsonPath] : []));
    for (const f of tags.selectableFields) if (!selectable.includes(`.${f.label}`)) notes.push(`selectable field ${f.label} of ${gv.version}`);
    versions.push({
      name: gv.version,
      served: true,
      storage: gv === hubGv,
      ...(tags.deprecated !== undefined ? { deprecated: true, deprecationWarning: deprecationWarning(gv.group, gv.version, kindName, tags.deprecated) } : {}),
      schema: { openAPIV3Schema: structuralSchema(model, kind, diag) },
      ...(Object.keys(subresources).length ? { subresources } : {}),
      ...(columns ? { additionalPrinterColumns: columns } : {}),
      ...(selectable.length ? { selectableFields: selectable.map((jsonPath) => ({ jsonPath })) } : {}),
    });
  }
  if (diag.errors.length > errorsBefore) return undefined;
  return {
    path: `crds/${group}_${names.resource}.yaml`,
    group,
    notes,
    manifest: {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${names.resource}.${group}` },
      spec: {
        group,
        names: {
          kind: kindName,
          listKind: `${kindName}List`,
          plural: names.resource,
          singular: names.singular,
          ...(names.shortNames.length ? { shortNames: names.shortNames } : {}),
          ...(names.categories.length ? { categories: names.categories } : {}),
        },
        scope: names.scope,
        versions,
      },
    },
  };
}

/** One plan per kind of every `@crd` group, in group then kind order; problems go to `diag`. */
export function planCrds(model: AnalysedModel, diag: Diagnostics): CrdPlan[] {
  const plans: CrdPlan[] = [];
  for (const g of [...model.groups.values()].sort((a, b) => a.group.localeCompare(b.group))) {
    if (!g.crd) continue;
    const problem = groupProblem(g.group);
    if (problem) {
      diag.error(g.crd, `@crd: ${problem}`);
      continue;
    }
    // Highest-priority version first, as discovery lists them.
    const gvs = model.served.filter((gv) => gv.group === g.group).sort((a, b) => a.versionPriority.indexOf(a.version) - a.versionPriority.indexOf(b.version));
    for (const gv of gvs) {
      for (const s of gv.subresourceKinds) diag.error(s.loc, `@subresourceKind ${s.name} cannot be a custom resource, and group ${g.group} is marked @crd`);
    }
    const kindNames = [...new Set(gvs.flatMap((gv) => gv.kinds.map((k) => k.name)))].sort();
    if (kindNames.length === 0) {
      diag.error(g.crd, `@crd marks group ${g.group}, which declares no kind (an interface with @resource in apis/${g.group}/<version>/)`);
      continue;
    }
    for (const name of kindNames) {
      const plan = planKind(model, g.group, name, gvs, diag);
      if (plan) plans.push(plan);
    }
  }
  return plans;
}

/** The manifest as YAML, headed like every generated file and listing what it leaves out. */
export function emitCrd(plan: CrdPlan): EmittedFile {
  const lines = [`# Code generated by kube-ts codegen from apis/${plan.group}. DO NOT EDIT.`];
  if (plan.notes.length) {
    lines.push('# The built-in kind also runs hand-written code this manifest cannot carry:');
    for (const n of [...new Set(plan.notes)]) lines.push(`#   - ${n}`);
  }
  return { path: plan.path, content: `${lines.join('\n')}\n${stringify(plan.manifest, { lineWidth: 0, aliasDuplicateObjects: false })}` };
}
