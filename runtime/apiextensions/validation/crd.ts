/**
 * Validation of CustomResourceDefinitions, as upstream's `pkg/apis/apiextensions/validation`: names, group, scope,
 * versions (exactly one storage version, unique DNS-1035 names), schemas (required, structural, with usable
 * defaults and compilable CEL rules), subresources, printer columns, selectable fields and conversion.
 *
 * Upstream validates its internal version, in which per-version schemas, subresources, columns and selectable
 * fields that are the same in every version are held once at the top of the spec; its error paths say so
 * (`spec.validation.openAPIV3Schema...` for a CRD with one version, `spec.versions[1].schema.openAPIV3Schema...`
 * when versions differ). `internalView` reproduces that so messages match.
 */
import { parseGoURL, type GoURL } from '../../machinery/go-url.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import { duplicate, forbidden, invalid, notSupported, required, tooMany } from '../../machinery/field-errors.ts';
import { goBytes, goStrings, goValue } from '../../machinery/go-syntax.ts';
import { caBundleError } from './ca-bundle.ts';
import { goCRDVersions, goJSONSchemaProps } from './go-internal.ts';
import { validateName } from '../../registry/objectmeta.ts';
import { validateDefaults } from './defaults.ts';
import { estimateRuleCosts, ruleCostPath, totalCostErrors } from '../schema/index.ts';
import type { JSONSchemaProps } from '../schema/index.ts';
import { deepEqualJSON } from '../schema/structural.ts';
import { preexistingExpressionsEnvLoader, type PreexistingExpressions } from '../schema/cel.ts';
import { validFieldPath } from './fieldpath.ts';
import { validateOpenAPISchema, mapListKeysMapSet, type CostTracking } from './openapi-schema.ts';
import { child, index, isObject, someSchema, type Schema } from './paths.ts';
import { isNonStructural, structuralConversionError, validateStructural } from './structural.ts';
import { hasUnknownFields } from './defaults.ts';
import { isDNS1035Label } from '../../machinery/string-checks.ts';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const maxSelectableFields = 8;
const printerColumnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const printerColumnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const acceptedConversionReviewVersions = ['v1', 'v1beta1'];
export const apiApprovalAnnotation = 'api-approved.kubernetes.io';

/** Upstream's IsDNS1035Label: the problems, joined with "," where upstream joins them. */
export const dns1035Errors = isDNS1035Label;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []); // eslint-disable-line @typescript-eslint/no-explicit-any
/** Equal as Go's decoded values are: an object's key order does not matter. */
const deepEqual = (a: unknown, b: unknown): boolean => deepEqualJSON(a ?? null, b ?? null);

/** The spec as upstream's internal version holds it (see the file comment). */
interface InternalSpec {
  versions: Obj[];
  /** Set when every version has the same schema (possibly none): validated at `spec.validation`. */
  validation?: { value: Obj | undefined };
  subresources?: { value: Obj | undefined };
  columns?: { value: Obj[] | undefined };
  selectableFields?: { value: Obj[] | undefined };
}

function internalView(spec: Obj): InternalSpec {
  const versions = arr(spec.versions).filter(isObject) as Obj[];
  const view: InternalSpec = { versions };
  if (!versions.length) return view;
  const same = (f: (v: Obj) => unknown) => versions.every((v) => deepEqual(f(v), f(versions[0])));
  if (same((v) => v.schema)) view.validation = { value: versions[0].schema };
  if (same((v) => v.subresources)) view.subresources = { value: versions[0].subresources };
  if (same((v) => v.additionalPrinterColumns)) view.columns = { value: versions[0].additionalPrinterColumns };
  if (same((v) => v.selectableFields)) view.selectableFields = { value: versions[0].selectableFields };
  return view;
}

/** The versions as the internal version holds them: what every version shares is held by the spec, not by each. */
function internalVersions(spec: Obj, view: InternalSpec): Obj[] | undefined {
  if (!Array.isArray(spec.versions)) return undefined;
  const hoisted = { schema: view.validation, subresources: view.subresources, additionalPrinterColumns: view.columns, selectableFields: view.selectableFields };
  const cleared = Object.fromEntries(Object.entries(hoisted).filter(([, h]) => h).map(([k]) => [k, undefined]));
  return view.versions.map((v) => ({ ...v, ...cleared }));
}

/** Options upstream loosens on update so that data stored under older rules stays writable. */
export interface ValidationOptions {
  requireRecognizedConversionReviewVersion: boolean;
  requireImmutableNames: boolean;
  requireOpenAPISchema: boolean;
  requireValidPropertyType: boolean;
  requireStructuralSchema: boolean;
  requirePrunedDefaults: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
  /**
   * A conversion webhook's caBundle that gives no root certificates is let through on create, before the CRD is
   * established, and while the stored one is no better: it is only refused where it would break a working webhook.
   */
  allowInvalidCABundle: boolean;
  /**
   * On update, the versions whose schema is the stored one: their rules are not held to the per-expression cost
   * limit again (a new estimator must not make a stored CRD unwritable); the schema's total limit still holds.
   */
  versionsWithUnchangedSchemas?: Set<string>;
  /** On update, the rules and messageExpressions the stored CRD has: they compile with the stored CEL environment. */
  preexistingExpressions?: PreexistingExpressions;
}

const createOptions: ValidationOptions = {
  requireRecognizedConversionReviewVersion: true,
  requireImmutableNames: false,
  requireOpenAPISchema: true,
  requireValidPropertyType: true,
  requireStructuralSchema: true,
  requirePrunedDefaults: true,
  requireAtomicSetType: true,
  requireMapListKeysMapSetValidation: true,
  allowInvalidCABundle: true,
};

/** Every schema of a spec (each version's; the same object once when they share it). */
function schemasOf(spec: Obj): Schema[] {
  return arr(spec?.versions)
    .map((v) => v?.schema?.openAPIV3Schema)
    .filter(isObject) as Schema[];
}

const hasSchemaWith = (spec: Obj, pred: (s: Schema) => boolean) => schemasOf(spec).some((s) => someSchema(s, pred));

function updateOptions(old: Obj): ValidationOptions {
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const versions = arr(oldSpec.versions);
  const crv = oldSpec.conversion?.webhook?.conversionReviewVersions;
  return {
    requireRecognizedConversionReviewVersion: !Array.isArray(crv) || crv.length === 0 || crv.some((v) => acceptedConversionReviewVersions.includes(v)),
    requireImmutableNames: isConditionTrue(old, 'Established'),
    requireOpenAPISchema: versions.every((v) => isObject(v?.schema?.openAPIV3Schema)),
    requireValidPropertyType: !hasSchemaWith(oldSpec, (s) => typeof s.type === 'string' && s.type !== '' && !['string', 'number', 'integer', 'boolean', 'array', 'object'].includes(s.type)),
    requireStructuralSchema: !schemasOf(oldSpec).some((s) => isNonStructural(s)),
    requirePrunedDefaults: !hasSchemaWith(oldSpec, (s) => s.default !== undefined && s.default !== null && hasUnknownFields(s.default, s)),
    requireAtomicSetType: !hasSchemaWith(oldSpec, hasNonAtomicSetType),
    requireMapListKeysMapSetValidation: !hasSchemaWith(oldSpec, (s) => mapListKeysMapSet(s, '').length > 0),
    allowInvalidCABundle: allowInvalidCABundle(old),
  };
}

/** upstream's findPreexistingExpressions: every rule and messageExpression text in the spec's schemas. */
function preexistingExpressions(spec: Obj): PreexistingExpressions {
  const rules = new Set<string>();
  const messageExpressions = new Set<string>();
  hasSchemaWith(spec, (s) => {
    for (const v of arr(s['x-kubernetes-validations'])) {
      if (!isObject(v)) continue;
      if (typeof v.rule === 'string') rules.add(v.rule);
      if (typeof v.messageExpression === 'string' && v.messageExpression.length > 0) messageExpressions.add(v.messageExpression);
    }
    return false;
  });
  return { rules, messageExpressions };
}

function versionsWithUnchangedSchemas(spec: Obj, oldSpec: Obj): Set<string> {
  const oldSchemas = new Map(arr(oldSpec.versions).filter(isObject).map((v: Obj) => [str(v.name), v.schema]));
  const names = arr(spec.versions).filter((v) => isObject(v) && oldSchemas.has(str(v.name)) && deepEqual(v.schema, oldSchemas.get(str(v.name))));
  return new Set(names.map((v) => str(v.name)));
}

function allowInvalidCABundle(old: Obj): boolean {
  if (!isConditionTrue(old, 'Established')) return true;
  const caBundle = str(old.spec?.conversion?.webhook?.clientConfig?.caBundle);
  return caBundle !== '' && caBundleError(caBundle) !== undefined;
}

function hasNonAtomicSetType(s: Schema): boolean {
  if (s['x-kubernetes-list-type'] !== 'set' || !isObject(s.items)) return false;
  const items = s.items as Schema;
  if (items.type === 'array') return items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic';
  if (items.type === 'object') return items['x-kubernetes-map-type'] !== 'atomic';
  return false;
}

export function isConditionTrue(crd: Obj, type: string): boolean {
  return arr(crd?.status?.conditions).some((c) => c?.type === type && c?.status === 'True');
}

/** A CRD on create: its name must be `<plural>.<group>` (a check of the name's format, so only on create, as upstream). */
export function validateCustomResourceDefinition(crd: Obj): FieldError[] {
  const spec: Obj = isObject(crd.spec) ? crd.spec : {};
  const name = str(crd.metadata?.name);
  const nameErrs = name && name !== `${str(spec.names?.plural)}.${str(spec.group)}` ? [invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')] : [];
  return [...nameErrs, ...validateWith(crd, undefined, createOptions)];
}

/** A CRD on update (not through /status): the create rules, loosened for what was stored, and immutable names. */
export function validateCustomResourceDefinitionUpdate(crd: Obj, old: Obj): FieldError[] {
  const opts = {
    ...updateOptions(old),
    versionsWithUnchangedSchemas: versionsWithUnchangedSchemas(isObject(crd.spec) ? crd.spec : {}, isObject(old.spec) ? old.spec : {}),
    preexistingExpressions: preexistingExpressions(isObject(old.spec) ? old.spec : {}),
  };
  const errs = validateWith(crd, old, opts);
  const spec = isObject(crd.spec) ? crd.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  const immutable = (path: string, a: unknown, b: unknown) => {
    if (!deepEqual(a, b)) errs.push(invalid(path, a ?? '', 'field is immutable'));
  };
  if (opts.requireImmutableNames) {
    immutable('spec.scope', spec.scope, oldSpec.scope);
    immutable('spec.names.kind', spec.names?.kind, oldSpec.names?.kind);
  }
  immutable('spec.group', spec.group, oldSpec.group);
  immutable('spec.names.plural', spec.names?.plural, oldSpec.names?.plural);
  return errs;
}

/** A CRD's status written through /status: only the accepted names are checked, as upstream. */
export function validateCustomResourceDefinitionStatusUpdate(crd: Obj): FieldError[] {
  return validateNames(isObject(crd.status?.acceptedNames) ? crd.status.acceptedNames : {}, 'status.acceptedNames');
}

function validateWith(crd: Obj, old: Obj | undefined, opts: ValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Obj = isObject(crd.spec) ? crd.spec : {};
  errs.push(...validateSpec(spec, opts));
  errs.push(...validateNames(isObject(crd.status?.acceptedNames) ? crd.status.acceptedNames : {}, 'status.acceptedNames'));
  errs.push(...validateStoredVersions(crd.status?.storedVersions, arr(spec.versions)));
  errs.push(...validateAPIApproval(crd, old));
  if (!(old && old.spec?.preserveUnknownFields === true) && spec.preserveUnknownFields === true) {
    errs.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  return errs;
}

function validateStoredVersions(stored: unknown, versions: Obj[]): FieldError[] {
  const list = arr(stored);
  const path = 'status.storedVersions';
  // Empty here means never set: the create strategy leaves it nil when no version is the storage one.
  if (!list.length) return [invalid(path, goValue(goStrings, undefined), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const remaining = new Map<string, number>();
  list.forEach((v, i) => remaining.set(String(v), i));
  for (const v of versions) {
    const n = str(v?.name);
    if (v?.storage === true && !remaining.has(n)) errs.push(invalid(path, goValue(goStrings, list), `must have the storage version ${n}`));
    remaining.delete(n);
  }
  for (const [v, i] of remaining) errs.push(invalid(index(path, i), v, 'must appear in spec.versions'));
  return errs;
}

function validateSpec(spec: Obj, baseOpts: ValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const opts = { ...baseOpts };
  const group = str(spec.group);
  if (!group) errs.push(required('spec.group'));
  else {
    const groupErrs = validateName(group, 'dns1123-subdomain', 'spec.group');
    if (groupErrs.length) errs.push(invalid('spec.group', group, groupErrs.map((e) => e.detail).join(',')));
    else if (group.split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = str(spec.scope);
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced') errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));

  const preserveUnknownFields = spec.preserveUnknownFields === true;
  // Pruning (every v1 CRD that does not keep unknown fields) needs structural schemas.
  if (!preserveUnknownFields) opts.requireStructuralSchema = true;
  const view = internalView(spec);
  const topSchema = view.validation?.value;
  if (opts.requireOpenAPISchema) {
    if (!isObject(topSchema?.openAPIV3Schema)) {
      view.versions.forEach((v, i) => {
        if (!isObject(v.schema?.openAPIV3Schema)) errs.push(required(child(index('spec.versions', i), 'schema', 'openAPIV3Schema'), 'schemas are required'));
      });
    }
  } else if (!preserveUnknownFields && !isObject(topSchema?.openAPIV3Schema)) {
    view.versions.forEach((v, i) => {
      if (v.served === true && !isObject(v.schema?.openAPIV3Schema)) errs.push(required(child(index('spec.versions', i), 'schema', 'openAPIV3Schema'), 'because otherwise all fields are pruned'));
    });
  }
  if (hasSchemaWith(spec, (s) => s.default !== undefined && s.default !== null)) {
    opts.requireStructuralSchema = true;
    if (preserveUnknownFields) errs.push(invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  }
  if (hasSchemaWith(spec, hasKubernetesExtensions)) opts.requireStructuralSchema = true;

  let storageCount = 0;
  const seen = new Set<string>();
  let unique = true;
  const anyStatus = view.versions.some((v) => isObject(v.subresources?.status));
  arr(spec.versions).forEach((v: Obj, i: number) => {
    if (!isObject(v)) return;
    const at = index('spec.versions', i);
    if (v.storage === true) storageCount++;
    const n = str(v.name);
    if (seen.has(n)) unique = false;
    seen.add(n);
    const nameErrs = dns1035Errors(n);
    if (nameErrs.length) errs.push(invalid(child(at, 'name'), n, nameErrs.join(',')));
    errs.push(...validateVersion(v, at, view, isObject(v.subresources?.status), opts));
  });
  const shownVersions = () => goValue(goCRDVersions, internalVersions(spec, view));
  if (!unique) errs.push(invalid('spec.versions', shownVersions(), 'must contain unique version names'));
  if (storageCount !== 1) errs.push(invalid('spec.versions', shownVersions(), 'must have exactly one version marked as storage version'));
  // Upstream's internal version also carries the first version's name as spec.version, and validates it again.
  const first = view.versions[0] ? str(view.versions[0].name) : '';
  if (first) {
    const e = dns1035Errors(first);
    if (e.length) errs.push(invalid('spec.version', first, e.join(',')));
  }

  const names: Obj = isObject(spec.names) ? spec.names : {};
  if (!str(names.plural)) errs.push(required('spec.names.plural'));
  if (!str(names.singular)) errs.push(required('spec.names.singular'));
  if (!str(names.kind)) errs.push(required('spec.names.kind'));
  if (!str(names.listKind)) errs.push(required('spec.names.listKind'));
  errs.push(...validateNames(names, 'spec.names'));

  if (view.validation) errs.push(...validateSchemaContainer(view.validation.value, anyStatus, opts, 'spec.validation', first));
  if (view.subresources) errs.push(...validateSubresources(view.subresources.value, 'spec.subresources'));
  if (view.columns) arr(view.columns.value).forEach((c, i) => errs.push(...validateColumn(c, index('spec.additionalPrinterColumns', i))));
  if (view.selectableFields && arr(view.selectableFields.value).length) {
    const schema = topSchema?.openAPIV3Schema;
    if (!isObject(schema)) errs.push(invalid('spec.selectableFields', '', 'selectableFields may only be set when validations.schema is included'));
    else errs.push(...validateSelectableFields(arr(view.selectableFields.value), schema, 'spec'));
  }

  const conversion = spec.conversion;
  if (isObject(conversion) && conversion.strategy !== 'None' && preserveUnknownFields) {
    errs.push(invalid('spec.conversion.strategy', conversion.strategy ?? '', 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(conversion, opts.requireRecognizedConversionReviewVersion, opts.allowInvalidCABundle));
  return errs;
}

function hasKubernetesExtensions(s: Schema): boolean {
  return (
    s['x-kubernetes-embedded-resource'] === true ||
    (s['x-kubernetes-preserve-unknown-fields'] !== undefined && s['x-kubernetes-preserve-unknown-fields'] !== null) ||
    s['x-kubernetes-int-or-string'] === true ||
    arr(s['x-kubernetes-list-map-keys']).length > 0 ||
    (s['x-kubernetes-list-type'] !== undefined && s['x-kubernetes-list-type'] !== null) ||
    arr(s['x-kubernetes-validations']).length > 0
  );
}

function validateVersion(v: Obj, at: string, view: InternalSpec, statusEnabled: boolean, opts: ValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  for (const e of deprecationWarningErrors(v.deprecated === true, v.deprecationWarning)) errs.push(invalid(child(at, 'deprecationWarning'), v.deprecationWarning ?? null, e));
  if (!view.validation) errs.push(...validateSchemaContainer(v.schema, statusEnabled, opts, child(at, 'schema'), str(v.name)));
  if (!view.subresources) errs.push(...validateSubresources(v.subresources, child(at, 'subresources')));
  if (!view.columns) arr(v.additionalPrinterColumns).forEach((c, i) => errs.push(...validateColumn(c, index(child(at, 'additionalPrinterColumns'), i))));
  if (!view.selectableFields && arr(v.selectableFields).length) {
    const schema = v.schema?.openAPIV3Schema;
    if (!isObject(schema)) errs.push(invalid(child(at, 'selectableFields'), '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
    else errs.push(...validateSelectableFields(arr(v.selectableFields), schema, at));
  }
  return errs;
}

function deprecationWarningErrors(deprecated: boolean, warning: unknown): string[] {
  if (!deprecated && warning !== undefined && warning !== null) return ['can only be set for deprecated versions'];
  if (typeof warning !== 'string') return [];
  const errs: string[] = [];
  if (Buffer.byteLength(warning) > 256) errs.push('must be <= 256 characters long');
  if (warning.length === 0) errs.push('must not be an empty string');
  // Go's unicode.IsPrint; upstream tests it before IsControl, so a control character is reported as non-printable.
  let i = 0;
  for (const ch of warning) {
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      errs.push(`must only contain printable UTF-8 characters; non-printable character found at index ${i}`);
      break;
    }
    i += Buffer.byteLength(ch);
  }
  return errs;
}

export function validateNames(names: Obj, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const check = (field: string, value: string, lower: boolean, prefix = '') => {
    if (!value) return;
    const e = dns1035Errors(lower ? value.toLowerCase() : value);
    if (e.length) errs.push(invalid(child(at, field), value, prefix + e.join(',')));
  };
  check('plural', str(names.plural), false);
  check('singular', str(names.singular), false);
  check('kind', str(names.kind), true, 'may have mixed case, but should otherwise match: ');
  check('listKind', str(names.listKind), true, 'may have mixed case, but should otherwise match: ');
  arr(names.shortNames).forEach((s, i) => {
    const e = dns1035Errors(str(s));
    if (e.length) errs.push(invalid(index(child(at, 'shortNames'), i), s, e.join(',')));
  });
  if (str(names.kind) && names.kind === names.listKind) errs.push(invalid(child(at, 'listKind'), names.listKind, 'kind and listKind may not be the same'));
  arr(names.categories).forEach((c, i) => {
    const e = dns1035Errors(str(c));
    if (e.length) errs.push(invalid(index(child(at, 'categories'), i), c, e.join(',')));
  });
  return errs;
}

function validateSimpleJSONPath(s: string, at: string): FieldError[] {
  if (s.length === 0) return [invalid(at, s, 'must not be empty')];
  if (s[0] !== '.') return [invalid(at, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(c: Obj, at: string): FieldError[] {
  if (!isObject(c)) return [];
  const errs: FieldError[] = [];
  if (!str(c.name)) errs.push(required(child(at, 'name')));
  const list = printerColumnTypes.join(',');
  if (!str(c.type)) errs.push(required(child(at, 'type'), `must be one of ${list}`));
  else if (!printerColumnTypes.includes(c.type)) errs.push(invalid(child(at, 'type'), c.type, `must be one of ${list}`));
  if (str(c.format) && !printerColumnFormats.includes(c.format)) errs.push(invalid(child(at, 'format'), c.format, `must be one of ${printerColumnFormats.join(',')}`));
  if (!str(c.jsonPath)) errs.push(required(child(at, 'JSONPath')));
  else errs.push(...validateSimpleJSONPath(c.jsonPath, child(at, 'JSONPath')));
  return errs;
}

function validateSubresources(sub: unknown, at: string): FieldError[] {
  if (!isObject(sub) || !isObject(sub.scale)) return [];
  const scale = sub.scale as Obj;
  const errs: FieldError[] = [];
  const under = (field: string, value: string, prefixes: string[], message: string) => {
    const path = child(at, `scale.${field}`);
    const e = validateSimpleJSONPath(value, path);
    if (e.length) errs.push(...e);
    else if (!prefixes.some((p) => value.startsWith(p))) errs.push(invalid(path, value, message));
  };
  if (!str(scale.specReplicasPath)) errs.push(required(child(at, 'scale.specReplicasPath')));
  else under('specReplicasPath', scale.specReplicasPath, ['.spec.'], 'should be a json path under .spec');
  if (!str(scale.statusReplicasPath)) errs.push(required(child(at, 'scale.statusReplicasPath')));
  else under('statusReplicasPath', scale.statusReplicasPath, ['.status.'], 'should be a json path under .status');
  if (str(scale.labelSelectorPath)) under('labelSelectorPath', scale.labelSelectorPath, ['.spec.', '.status.'], 'should be a json path under either .spec or .status');
  return errs;
}

/**
 * The selectable fields of `spec` or of a version (`owner`). Upstream first converts the schema into a structural
 * one and reports a conversion failure at `<owner>.schema.openAPIV3Schema` (even at the spec, where the schema sits
 * at spec.validation), whatever the schema checks said; it then walks the paths through the missing schema, which
 * kube-apiserver v1.32 survives only for a path that does not start with `.` (one that does panics: a 500). Here
 * the paths are walked through the schema as written.
 */
function validateSelectableFields(fields: Obj[], schema: Schema, owner: string): FieldError[] {
  const errs: FieldError[] = [];
  const conversionError = structuralConversionError(schema);
  if (conversionError) errs.push(invalid(child(owner, 'schema.openAPIV3Schema'), '', conversionError));
  const at = child(owner, 'selectableFields');
  const unique = new Set<string>();
  fields.forEach((f, i) => {
    const p = child(index(at, i), 'jsonPath');
    const jsonPath = str(f?.jsonPath);
    if (!jsonPath) {
      errs.push(required(p));
      return;
    }
    const r = validFieldPath(jsonPath, schema, { allowArrayNotation: false });
    if (r.error !== undefined) {
      errs.push(invalid(p, jsonPath, `is an invalid path: ${r.error}`));
      return;
    }
    if (r.segments[0] === 'metadata') errs.push(invalid(p, jsonPath, 'must not point to fields in metadata'));
    if (!['string', 'boolean', 'integer'].includes(r.schema.type)) {
      errs.push(invalid(p, jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (unique.has(r.path)) errs.push(duplicate(p, jsonPath));
    else unique.add(r.path);
  });
  if (unique.size > maxSelectableFields) errs.push(tooMany(at, unique.size, maxSelectableFields));
  return errs;
}

/** Fields allowed at the root of a schema whose CRD has a status subresource, in upstream's words and order. */
const allowedAtRoot: Array<[string, string]> = [
  ['description', 'Description'], ['type', 'Type'], ['format', 'Format'], ['title', 'Title'], ['maximum', 'Maximum'], ['exclusiveMaximum', 'ExclusiveMaximum'],
  ['minimum', 'Minimum'], ['exclusiveMinimum', 'ExclusiveMinimum'], ['maxLength', 'MaxLength'], ['minLength', 'MinLength'], ['pattern', 'Pattern'],
  ['maxItems', 'MaxItems'], ['minItems', 'MinItems'], ['uniqueItems', 'UniqueItems'], ['multipleOf', 'MultipleOf'], ['required', 'Required'], ['items', 'Items'],
  ['properties', 'Properties'], ['externalDocs', 'ExternalDocs'], ['example', 'Example'], ['x-kubernetes-preserve-unknown-fields', 'XPreserveUnknownFields'],
  ['x-kubernetes-validations', 'XValidations'],
];
/** JSONSchemaProps' fields in the order of upstream's Go struct. */
const schemaFieldOrder = [
  'id', '$schema', '$ref', 'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties', 'required', 'items', 'allOf', 'oneOf',
  'anyOf', 'not', 'properties', 'additionalProperties', 'patternProperties', 'dependencies', 'additionalItems', 'definitions', 'externalDocs', 'example',
  'nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string', 'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
];

function isZero(v: unknown): boolean {
  return v === undefined || v === null || v === false || v === '' || (Array.isArray(v) && v.length === 0);
}

/** `version`: the version whose schema this is (the first one's when every version shares it, as upstream's spec.version). */
function validateSchemaContainer(container: unknown, statusEnabled: boolean, opts: ValidationOptions, at: string, version: string): FieldError[] {
  if (!isObject(container) || !isObject(container.openAPIV3Schema)) return [];
  const schema = container.openAPIV3Schema as Schema;
  const root = child(at, 'openAPIV3Schema');
  const errs: FieldError[] = [];
  if (statusEnabled) {
    const allowed = new Set(allowedAtRoot.map(([k]) => k));
    for (const k of schemaFieldOrder) {
      if (isZero(schema[k])) continue;
      if (k === 'type') {
        if (schema.type !== 'object') {
          errs.push(invalid(child(at, 'openAPIV3Schema.type'), schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
          break;
        }
        continue;
      }
      if (!allowed.has(k)) {
        errs.push(invalid(root, goValue(goJSONSchemaProps, schema), `only [${allowedAtRoot.map(([, n]) => n).join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`));
        break;
      }
    }
  }
  if (schema.nullable === true) errs.push(forbidden(child(at, 'openAPIV3Schema.nullable'), 'nullable cannot be true at the root'));

  let cel = false;
  let conversionError: string | undefined;
  if (opts.requireStructuralSchema) {
    conversionError = structuralConversionError(schema);
    if (!conversionError) {
      const structural = validateStructural(schema, root);
      if (structural.length) errs.push(...structural);
      else {
        const defaults = validateDefaults(schema, root, opts.requirePrunedDefaults);
        if (defaults.length) errs.push(...defaults);
        else cel = true;
      }
    }
  }
  // Static cost estimates of the rules: each checked where it compiles, then the total of those that did.
  const costs: CostTracking | undefined = cel
    ? {
        estimates: new Map(estimateRuleCosts(schema as JSONSchemaProps).map((c) => [child(at, ruleCostPath(c)), c.cost])),
        suppressPerExpressionCost: opts.versionsWithUnchangedSchemas?.has(version) ?? false,
        observed: [],
      }
    : undefined;
  const schemaErrs = validateOpenAPISchema(schema, root, {
    allowDefaults: true,
    requireValidPropertyType: opts.requireValidPropertyType,
    requireAtomicSetType: opts.requireAtomicSetType,
    requireMapListKeysMapSetValidation: opts.requireMapListKeysMapSetValidation,
    cel,
    costs,
    celEnvs: preexistingExpressionsEnvLoader(opts.preexistingExpressions),
  });
  errs.push(...schemaErrs.schema, ...schemaErrs.cel);
  if (costs) for (const e of totalCostErrors(costs.observed, root)) errs.push(forbidden(e.path, e.detail));
  // The conversion's error repeats what the checks above say more precisely; it is only shown alone.
  if (errs.length === 0 && conversionError) errs.push(invalid(root, '', conversionError));
  return errs;
}

function validateConversion(conversion: unknown, requireRecognizedVersion: boolean, allowInvalidCABundle: boolean): FieldError[] {
  if (!isObject(conversion)) return [];
  const at = 'spec.conversion';
  const errs: FieldError[] = [];
  const strategy = str(conversion.strategy);
  if (!strategy) errs.push(required(child(at, 'strategy')));
  else if (strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported(child(at, 'strategy'), strategy, ['None', 'Webhook']));
  const webhook: Obj | undefined = isObject(conversion.webhook) ? conversion.webhook : undefined;
  const clientConfig: Obj | undefined = isObject(webhook?.clientConfig) ? webhook.clientConfig : undefined;
  const reviewVersions = webhook?.conversionReviewVersions;
  if (strategy === 'Webhook') {
    const ccPath = child(at, 'webhookClientConfig');
    if (!clientConfig) errs.push(required(ccPath, 'required when strategy is set to Webhook'));
    else {
      const hasURL = typeof clientConfig.url === 'string';
      const hasService = isObject(clientConfig.service);
      if (hasURL === hasService) errs.push(required(ccPath, 'exactly one of url or service is required'));
      else if (hasURL) errs.push(...validateWebhookURL(child(ccPath, 'url'), clientConfig.url));
      else errs.push(...validateWebhookService(child(ccPath, 'service'), clientConfig.service));
      const caBundle = str(clientConfig.caBundle);
      const caErr = caBundle && !allowInvalidCABundle ? caBundleError(caBundle) : undefined;
      if (caErr) errs.push(invalid(child(ccPath, 'caBundle'), goValue(goBytes, caBundle), caErr));
    }
    errs.push(...validateConversionReviewVersions(arr(reviewVersions), requireRecognizedVersion, child(at, 'conversionReviewVersions')));
  } else {
    if (clientConfig) errs.push(forbidden(child(at, 'webhookClientConfig'), 'should not be set when strategy is not set to Webhook'));
    if (arr(reviewVersions).length) errs.push(forbidden(child(at, 'conversionReviewVersions'), 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

function validateConversionReviewVersions(versions: unknown[], requireRecognized: boolean, at: string): FieldError[] {
  if (!versions.length) return [required(at)];
  const errs: FieldError[] = [];
  const seen = new Set<unknown>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(invalid(index(at, i), v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const e of dns1035Errors(str(v))) errs.push(invalid(index(at, i), v, e));
    if (acceptedConversionReviewVersions.includes(str(v))) accepted = true;
  });
  if (requireRecognized && !accepted) errs.push(invalid(at, goValue(goStrings, versions), `must include at least one of ${acceptedConversionReviewVersions.join(', ')}`));
  return errs;
}

const urlForm = '; desired format: https://host[/path]';

/** Upstream's webhook URL rules: https, a host, no user info, query or fragment. */
export function validateWebhookURL(at: string, raw: string): FieldError[] {
  // Parsed as Go's net/url does: the parts upstream checks, and its parse errors, differ from WHATWG's.
  let u: GoURL;
  try {
    u = parseGoURL(raw);
  } catch (e) {
    return [required(at, `url must be a valid URL: ${(e as Error).message}${urlForm}`)];
  }
  const errs: FieldError[] = [];
  if (u.scheme !== 'https') errs.push(invalid(at, u.scheme, `'https' is the only allowed URL scheme${urlForm}`));
  if (!u.host) errs.push(invalid(at, u.host, `host must be specified${urlForm}`));
  if (u.user !== undefined) errs.push(invalid(at, u.user, 'user information is not permitted in the URL'));
  if (u.fragment) errs.push(invalid(at, u.fragment, 'fragments are not permitted in the URL'));
  if (u.rawQuery) errs.push(invalid(at, u.rawQuery, 'query parameters are not permitted in the URL'));
  return errs;
}

/** Upstream's webhook Service rules: name, namespace, a valid port, a path of DNS-subdomain segments. */
export function validateWebhookService(at: string, svc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!str(svc.name)) errs.push(required(child(at, 'name'), 'service name is required'));
  if (!str(svc.namespace)) errs.push(required(child(at, 'namespace'), 'service namespace is required'));
  const port = svc.port ?? 443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) errs.push(invalid(child(at, 'port'), port, 'port is not valid: must be between 1 and 65535, inclusive'));
  if (typeof svc.path !== 'string') return errs;
  const p: string = svc.path;
  if (p === '/' || p === '') return errs;
  if (p === '//') return [...errs, invalid(child(at, 'path'), p, 'segment[0] may not be empty')];
  if (!p.startsWith('/')) errs.push(invalid(child(at, 'path'), p, "must start with a '/'"));
  let rest = p.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((step, i) => {
    if (!step) {
      errs.push(invalid(child(at, 'path'), p, `segment[${i}] may not be empty`));
      return;
    }
    for (const e of validateName(step, 'dns1123-subdomain', 'x')) errs.push(invalid(child(at, 'path'), p, `segment[${i}]: ${e.detail}`));
  });
  return errs;
}

/** Groups of the Kubernetes project (`*.k8s.io`, `*.kubernetes.io`) need an API review annotation. */
export function isProtectedCommunityGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

export type APIApprovalState = 'Invalid' | 'Approved' | 'Bypassed' | 'Missing';

export function apiApprovalState(annotations: Record<string, unknown> | undefined): { state: APIApprovalState; reason: string } {
  const value = str(annotations?.[apiApprovalAnnotation]);
  if (!value) return { state: 'Missing', reason: `protected groups must have approval annotation "${apiApprovalAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111` };
  if (value.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(value)}` };
  try {
    const u = new URL(value);
    if (u.host && u.protocol) return { state: 'Approved', reason: `approved in ${value}` };
  } catch {
    // not a URL: invalid below
  }
  return {
    state: 'Invalid',
    reason: `protected groups must have approval annotation "${apiApprovalAnnotation}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
  };
}

function validateAPIApproval(crd: Obj, old: Obj | undefined): FieldError[] {
  if (!isProtectedCommunityGroup(str(crd.spec?.group))) return [];
  const now = apiApprovalState(crd.metadata?.annotations);
  if (old && apiApprovalState(old.metadata?.annotations).state === now.state) return [];
  const at = `metadata.annotations[${apiApprovalAnnotation}]`;
  switch (now.state) {
    case 'Approved':
    case 'Bypassed':
      return [];
    case 'Missing':
      return [required(at, now.reason)];
    default:
      return [invalid(at, crd.metadata?.annotations?.[apiApprovalAnnotation], now.reason)];
  }
}
