/**
 * Checks the parsed model as a whole: every reference resolves, hooks name real types, each group has one storage
 * version, and names do not clash. Adds what is derived (version priority, storage version) so emitters only read.
 */
import type { Diagnostics } from './errors.ts';
import type { ApiModel, FieldModel, GroupVersionModel, PrintColumnModel, StructModel, TypeRef } from './model.ts';
import { structKey } from './model.ts';

/** Groups whose folders hold shared types rather than served APIs. */
export const typeOnlyGroups = new Set(['meta']);

export interface AnalysedGroupVersion extends GroupVersionModel {
  /** Kinds served as resources. */
  kinds: StructModel[];
  /** Kinds that are only the body of a subresource (`@subresourceKind`). */
  subresourceKinds: StructModel[];
  storageVersion: string;
  versionPriority: string[];
}

export interface AnalysedModel extends ApiModel {
  served: AnalysedGroupVersion[];
}

/** Kubernetes' version order: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v)!;
    const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  return sb - sa || mb - ma || nb - na;
}

export function forEachTypeRef(t: TypeRef, visit: (t: TypeRef) => void): void {
  visit(t);
  if (t.kind === 'array') forEachTypeRef(t.items, visit);
  if (t.kind === 'map') forEachTypeRef(t.values, visit);
}

export function analyse(model: ApiModel, diag: Diagnostics): AnalysedModel {
  for (const gv of model.groupVersions) {
    for (const s of gv.structs) {
      for (const f of s.fields) {
        forEachTypeRef(f.type, (t) => {
          if (t.kind === 'struct' && !model.structs.has(structKey(t.group, t.version, t.name))) {
            diag.error(f.loc, `${s.name}.${f.name} refers to ${t.name}, which is not an exported interface in apis/${t.group || 'core'}/${t.version}`);
          }
        });
      }
      for (const shape of s.oneOf ?? []) {
        forEachTypeRef(shape, (t) => {
          if (t.kind === 'struct' && !model.structs.has(structKey(t.group, t.version, t.name))) {
            diag.error(s.loc, `${s.name} refers to ${t.name}, which is not an exported type in apis/${t.group || 'core'}/${t.version}`);
          }
        });
      }
    }
    checkHooks(gv, diag);
  }

  const byGroup = new Map<string, GroupVersionModel[]>();
  for (const gv of model.groupVersions) {
    if (typeOnlyGroups.has(gv.group)) continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
  }
  const served: AnalysedGroupVersion[] = [];
  for (const [, gvs] of byGroup) {
    const versionPriority = gvs.map((g) => g.version).sort(compareVersions);
    const marked = gvs.filter((g) => g.structs.some((s) => s.kind?.storageVersion));
    if (marked.length > 1) {
      for (const g of marked.slice(1)) {
        const s = g.structs.find((x) => x.kind?.storageVersion)!;
        diag.error(s.loc, `group ${g.group || 'core'} has @storageVersion in more than one version (${marked.map((m) => m.version).join(', ')})`);
      }
    }
    const storageVersion = marked[0]?.version ?? versionPriority[0];
    for (const gv of gvs) {
      const kinds = gv.structs.filter((s) => s.kind && !s.kind.subresourceKind);
      const subresourceKinds = gv.structs.filter((s) => s.kind?.subresourceKind);
      const seen = new Map<string, StructModel>();
      for (const k of kinds) {
        const clash = seen.get(k.kind!.resource);
        if (clash) diag.error(k.loc, `${k.name} and ${clash.name} both declare @resource ${k.kind!.resource}`);
        seen.set(k.kind!.resource, k);
      }
      const hub = gvs.find((g) => g.version === storageVersion)!;
      for (const k of kinds) {
        if (!hub.structs.some((s) => s.name === k.name && s.kind)) {
          diag.error(k.loc, `kind ${k.name} is served in ${gv.version} but not in the storage version ${storageVersion}, where it would be stored`);
        }
      }
      // A version whose kinds are all deprecated is a deprecated version (discovery, clients).
      served.push({ ...gv, kinds, subresourceKinds, storageVersion, versionPriority, deprecated: kinds.length > 0 && kinds.every((k) => k.kind!.deprecated !== undefined) });
    }
  }
  checkCustomSubresources(model, diag);
  checkSelectableFields(model, diag);
  return { ...model, served };
}

/**
 * Every `@subresource <name> <apiVersion> <Kind>` names a `@subresourceKind` declared in apis/, the kind itself
 * (a subresource that writes part of its own object, as CertificateSigningRequest's /approval), or another kind
 * declared in apis/ (`pods/binding` takes a Binding, which `bindings` serves too).
 */
function checkCustomSubresources(model: ApiModel, diag: Diagnostics): void {
  for (const s of model.structs.values()) {
    for (const c of s.kind?.subresources.custom ?? []) {
      const body = model.structs.get(structKey(c.group, c.version, c.kind));
      if (!body?.kind) {
        diag.error(s.loc, `@subresource ${c.name} of ${s.name} names ${c.group ? `${c.group}/` : ''}${c.version} ${c.kind}, which is neither a @subresourceKind or kind in apis/ nor ${s.name} itself`);
      }
    }
  }
}

/** The field at a simple JSON path of a kind (`.spec.nodeName`), or undefined when there is none. */
export function fieldAt(model: ApiModel, kind: StructModel, jsonPath: string): FieldModel | undefined {
  let struct: StructModel | undefined = kind;
  let field: FieldModel | undefined;
  for (const part of jsonPath.slice(1).split('.')) {
    field = struct?.fields.find((f) => f.name === part);
    if (!field) return undefined;
    struct = field.type.kind === 'struct' ? model.structs.get(structKey(field.type.group, field.type.version, field.type.name)) : undefined;
  }
  return field;
}

/** The type of the field at a simple JSON path of a kind (`.spec.nodeName`), or undefined when there is none. */
export function fieldTypeAt(model: ApiModel, kind: StructModel, jsonPath: string): TypeRef | undefined {
  return fieldAt(model, kind, jsonPath)?.type;
}

/**
 * What a printer column says it shows (a Table's `columnDefinitions[].description`, a CRD's column description):
 * the text `@printColumn` gives, else the doc comment of the field its JSON path names, else nothing (a computed
 * column without a text of its own).
 */
export function columnDescription(model: ApiModel, kind: StructModel, column: PrintColumnModel): string {
  if (column.description) return column.description;
  return isComputedColumn(column.jsonPath) ? '' : (fieldAt(model, kind, column.jsonPath)?.doc ?? '');
}

/**
 * Every `@selectableField` path names a string, integer or boolean field of the kind (as apiextensions requires);
 * every computed one has its `field_<Kind>_<fn>` in fields.ts, and fields.ts exports nothing else.
 */
function checkSelectableFields(model: ApiModel, diag: Diagnostics): void {
  for (const s of model.structs.values()) {
    for (const f of s.kind?.selectableFields ?? []) {
      if (!f.jsonPath) continue;
      const type = fieldTypeAt(model, s, f.jsonPath);
      if (!type) diag.error(s.loc, `@selectableField ${f.jsonPath} of ${s.name} names no field of it`);
      else if (!['string', 'integer', 'boolean'].includes(type.kind)) diag.error(s.loc, `@selectableField ${f.jsonPath} of ${s.name} must be a string, integer or boolean field`);
    }
  }
  for (const gv of model.groupVersions) {
    const wanted = new Set(gv.structs.flatMap((s) => (s.kind?.selectableFields ?? []).filter((f) => f.fn).map((f) => selectableFieldFn(s.name, f.fn!))));
    const given = new Set(gv.hooks.fields.map((h) => h.name));
    for (const { name, loc } of gv.hooks.fields) {
      if (!wanted.has(name)) diag.error(loc, `${name} computes no selectable field: give a kind in apis/${gv.dir} @selectableField <label> ${name.replace(/^field_[^_]+_/, '')}()`);
    }
    for (const s of gv.structs) {
      for (const f of s.kind?.selectableFields ?? []) {
        if (f.fn && !given.has(selectableFieldFn(s.name, f.fn))) diag.error(s.loc, `@selectableField ${f.label} of ${s.name} is computed by ${selectableFieldFn(s.name, f.fn)}, which apis/${gv.dir}/fields.ts does not export`);
      }
    }
  }
}

export function selectableFieldFn(kind: string, fn: string): string {
  return `field_${kind}_${fn}`;
}

/** A printer column written `name()` is computed by a hand-written `print_<Kind>_<name>` function. */
export function isComputedColumn(jsonPath: string): boolean {
  return /^\w+\(\)$/.test(jsonPath);
}

export function printerName(kind: string, jsonPath: string): string {
  return `print_${kind}_${jsonPath.slice(0, -2)}`;
}

/**
 * Printer hooks for a kind's whole rows rather than a column: `order_<Kind>` orders a list's rows, `conditions_<Kind>`
 * gives a row's conditions; each becomes the registration field named here.
 */
export const rowHooks = {
  order_: { field: 'printOrder', does: 'orders' },
  conditions_: { field: 'rowConditions', does: 'gives the rows of' },
} as const;

/** The row hook `name` is, with the kind it is for. */
export function rowHookOf(name: string): { kind: string; field: string; does: string } | undefined {
  for (const [prefix, hook] of Object.entries(rowHooks)) if (name.startsWith(prefix)) return { kind: name.slice(prefix.length), ...hook };
  return undefined;
}

function checkHooks(gv: GroupVersionModel, diag: Diagnostics): void {
  const names = new Set(gv.structs.map((s) => s.name));
  for (const { name, loc } of gv.hooks.defaults) {
    if (!names.has(name.slice('setDefaults_'.length))) diag.error(loc, `${name} names no type declared in apis/${gv.dir}`);
  }
  for (const { name, loc } of gv.hooks.validation) {
    if (!names.has(name.slice(name.indexOf('_') + 1))) diag.error(loc, `${name} names no type declared in apis/${gv.dir}`);
  }
  // A column whose path is `name()` is computed by print_<Kind>_<name> in printers.ts.
  const computed = new Set(gv.structs.flatMap((s) => (s.kind?.printColumns ?? []).filter((c) => isComputedColumn(c.jsonPath)).map((c) => printerName(s.name, c.jsonPath))));
  const printers = new Set(gv.hooks.printers.map((h) => h.name));
  const kinds = new Set(gv.structs.filter((s) => s.kind).map((s) => s.name));
  for (const { name, loc } of gv.hooks.printers) {
    const rowHook = rowHookOf(name);
    if (rowHook) {
      if (!kinds.has(rowHook.kind)) diag.error(loc, `${name} ${rowHook.does} no kind declared in apis/${gv.dir}`);
      continue;
    }
    if (!computed.has(name)) diag.error(loc, `${name} computes no column: give a kind in apis/${gv.dir} @printColumn <name> <type> ${name.replace(/^print_[^_]+_/, '')}()`);
  }
  for (const s of gv.structs) {
    for (const c of s.kind?.printColumns ?? []) {
      if (isComputedColumn(c.jsonPath) && !printers.has(printerName(s.name, c.jsonPath))) {
        diag.error(s.loc, `@printColumn ${c.name} of ${s.name} is computed by ${printerName(s.name, c.jsonPath)}, which apis/${gv.dir}/printers.ts does not export`);
      }
    }
  }
  for (const { name, loc } of gv.hooks.conversion) {
    if (name.startsWith('decodeError_')) {
      if (!gv.structs.some((s) => s.kind && s.name === name.slice('decodeError_'.length))) diag.error(loc, `${name} names no kind declared in apis/${gv.dir}`);
      continue;
    }
    const m = /^convert_(\w+)_(to|from)_hub$/.exec(name);
    if (!m || !names.has(m[1])) diag.error(loc, `${name} must be convert_<Type>_to_hub or convert_<Type>_from_hub for a type declared in apis/${gv.dir}`);
  }
}
