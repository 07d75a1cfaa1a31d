/**
 * The rules a CRD version's OpenAPI v3 schema must follow beyond being structural, node by node, as upstream's
 * `ValidateCustomResourceDefinitionOpenAPISchema`: unsupported JSON Schema features, defaults only where they can
 * be applied, list and map types, and `x-kubernetes-validations` (well formed, and compiled with CEL when the
 * schema is otherwise valid). Schema errors and CEL errors are kept apart so CEL is only tried on a sound schema.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../machinery/field-errors.ts';
import { goStrings, goValue } from '../../machinery/go-syntax.ts';
import { goValidationRule } from './go-internal.ts';
import { compileRule } from './cel.ts';
import type { CelEnvLoader } from '../schema/cel.ts';
import { expressionCostError } from '../schema/index.ts';
import { validFieldPath } from './fieldpath.ts';
import { additionalPropertiesSchema, child, index, isObject, itemsSchema, key, propertyEntries, type Schema } from './paths.ts';
import { structuralConversionError } from './structural.ts';

const openapiV3Types = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const supportedValidationReasons = ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'];
const metaFields = new Set(['metadata', 'kind', 'apiVersion']);

/** What the walk knows about where it is (upstream's specStandardValidator and validation options). */
interface Context {
  allowDefaults: boolean;
  disallowDefaultsReason: string;
  insideResourceMeta: boolean;
  requireValidPropertyType: boolean;
  /** The first ancestor below which old and new values cannot be matched up (oldSelf is not allowed there). */
  uncorrelatablePath?: string;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
  /** CEL rules are compiled only where the schema is structural and typed (not inside allOf/anyOf/...). */
  cel: boolean;
  costs?: CostTracking;
  celEnvs: CelEnvLoader;
}

export interface SchemaErrors {
  schema: FieldError[];
  cel: FieldError[];
}

export interface OpenAPISchemaOptions {
  allowDefaults: boolean;
  requireValidPropertyType: boolean;
  requireAtomicSetType: boolean;
  requireMapListKeysMapSetValidation: boolean;
  /** Compile x-kubernetes-validations (the schema is structural). */
  cel: boolean;
  /** The rules' estimated costs, checked as each rule compiles. */
  costs?: CostTracking;
  /** The CEL environment of each rule's text (NewExpressions unless the stored CRD had it). */
  celEnvs: CelEnvLoader;
}

/**
 * The estimated cost of each rule and messageExpression (keyed by the path its error would have), and the costs of
 * those that compiled, in the order they did: upstream adds only these to the schema's total.
 */
export interface CostTracking {
  estimates: Map<string, number>;
  /** Set on an update for a version whose schema did not change: its rules passed the per-expression limit before. */
  suppressPerExpressionCost: boolean;
  observed: Array<{ path: string; cost: number }>;
}

export function validateOpenAPISchema(schema: Schema, path: string, opts: OpenAPISchemaOptions): SchemaErrors {
  const ctx: Context = { ...opts, disallowDefaultsReason: '', insideResourceMeta: false };
  return walk(schema, path, ctx, true);
}

function withForbiddenDefaults(ctx: Context, reason: string): Context {
  return { ...ctx, allowDefaults: false, disallowDefaultsReason: reason };
}

/**
 * Whether a map's old and new properties can be paired for oldSelf (upstream's cel.MapIsCorrelatable): granular (the
 * default) and atomic maps can; a map type upstream does not know is assumed not to.
 */
function mapIsCorrelatable(mapType: unknown): boolean {
  return mapType === undefined || mapType === null || mapType === 'granular' || mapType === 'atomic';
}

function withUncorrelatable(ctx: Context, path: string): Context {
  return ctx.uncorrelatablePath !== undefined ? ctx : { ...ctx, uncorrelatablePath: path };
}

/** Upstream's specStandardValidatorV3: JSON Schema features CRDs do not support. */
function standard(s: Schema, path: string, ctx: Context): FieldError[] {
  const errs: FieldError[] = [];
  if (ctx.requireValidPropertyType && typeof s.type === 'string' && s.type !== '' && !openapiV3Types.includes(s.type)) {
    errs.push(notSupported(child(path, 'type'), s.type, openapiV3Types));
  }
  if (s.default !== undefined && s.default !== null && !ctx.allowDefaults) {
    errs.push(forbidden(child(path, 'default'), `must not be set${ctx.disallowDefaultsReason ? ` ${ctx.disallowDefaultsReason}` : ''}`));
  }
  if (typeof s.id === 'string' && s.id) errs.push(forbidden(child(path, 'id'), 'id is not supported'));
  if (s.additionalItems !== undefined && s.additionalItems !== null) errs.push(forbidden(child(path, 'additionalItems'), 'additionalItems is not supported'));
  if (isObject(s.patternProperties) && Object.keys(s.patternProperties).length) errs.push(forbidden(child(path, 'patternProperties'), 'patternProperties is not supported'));
  if (isObject(s.definitions) && Object.keys(s.definitions).length) errs.push(forbidden(child(path, 'definitions'), 'definitions is not supported'));
  if (s.dependencies !== undefined && s.dependencies !== null) errs.push(forbidden(child(path, 'dependencies'), 'dependencies is not supported'));
  if (s.$ref !== undefined && s.$ref !== null) errs.push(forbidden(child(path, '$ref'), '$ref is not supported'));
  if (s.type === 'null') errs.push(forbidden(child(path, 'type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items) && s.items.length) errs.push(forbidden(child(path, 'items'), 'items must be a schema object and not an array'));
  if (ctx.insideResourceMeta && s['x-kubernetes-embedded-resource'] === true) errs.push(forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must not be used inside of resource meta'));
  return errs;
}

function merge(into: SchemaErrors, from: SchemaErrors): void {
  into.schema.push(...from.schema);
  into.cel.push(...from.cel);
}

function walk(s: Schema | undefined, path: string, ctx: Context, isRoot: boolean): SchemaErrors {
  const out: SchemaErrors = { schema: [], cel: [] };
  if (!isObject(s)) return out;
  out.schema.push(...standard(s, path, ctx));
  if (s.uniqueItems === true) out.schema.push(forbidden(child(path, 'uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));

  const props = propertyEntries(s);
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    // properties are for structs, additionalProperties for maps; both at once would contradict ignoring unknown fields.
    if (props.length && (s.additionalProperties !== true)) out.schema.push(forbidden(child(path, 'additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
    let sub = ctx;
    if (ctx.insideResourceMeta) sub = withForbiddenDefaults(ctx, 'inside additionalProperties applying to object metadata');
    merge(out, walk(additionalPropertiesSchema(s), child(path, 'additionalProperties'), sub, false));
  }
  for (const [name, p] of props) {
    let sub = ctx;
    if (!mapIsCorrelatable(s['x-kubernetes-map-type'])) sub = withUncorrelatable(sub, path);
    if ((isRoot || s['x-kubernetes-embedded-resource'] === true) && metaFields.has(name)) {
      sub = { ...sub, insideResourceMeta: true };
      if (isRoot) sub = withForbiddenDefaults(sub, `in top-level ${name}`);
    }
    merge(out, walk(p, key(child(path, 'properties'), name), sub, false));
  }
  const noCel = { ...ctx, cel: false };
  merge(out, walk(isObject(s.not) ? s.not : undefined, child(path, 'not'), noCel, false));
  for (const k of ['allOf', 'oneOf', 'anyOf']) {
    if (Array.isArray(s[k])) s[k].forEach((c: Schema, i: number) => merge(out, walk(c, index(child(path, k), i), noCel, false)));
  }
  if (isObject(s.definitions)) {
    for (const [name, d] of Object.entries(s.definitions as Record<string, Schema>)) merge(out, walk(d, key(child(path, 'definitions'), name), noCel, false));
  }
  if (s.items !== undefined && s.items !== null) {
    const sub = s['x-kubernetes-list-type'] === 'map' ? ctx : withUncorrelatable(ctx, path);
    merge(out, walk(itemsSchema(s), child(path, 'items'), sub, false));
    if (Array.isArray(s.items)) s.items.forEach((c: Schema, i: number) => merge(out, walk(c, index(child(path, 'items'), i), sub, false)));
  }
  if (isObject(s.dependencies)) {
    for (const [name, d] of Object.entries(s.dependencies as Record<string, unknown>)) {
      if (isObject(d)) merge(out, walk(d as Schema, key(child(path, 'dependencies'), name), noCel, false));
    }
  }
  out.schema.push(...extensions(s, path, ctx));
  if (Array.isArray(s['x-kubernetes-validations']) && s['x-kubernetes-validations'].length) {
    out.schema.push(...ruleShapes(s, path));
    // CEL is only compiled on a schema without errors at this node or below: otherwise its messages would only
    // confuse (they go away once the schema is fixed).
    if (out.schema.length === 0 && ctx.cel) out.cel.push(...celRules(s, path, ctx, isRoot));
  }
  return out;
}

/** x-kubernetes-preserve-unknown-fields, -map-type, -list-type and -list-map-keys. */
function extensions(s: Schema, path: string, ctx: Context): FieldError[] {
  const errs: FieldError[] = [];
  const listType = s['x-kubernetes-list-type'];
  const mapType = s['x-kubernetes-map-type'];
  const mapKeys: unknown[] = Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : [];
  const typeOf = (x: Schema) => (typeof x.type === 'string' ? x.type : '');
  if (s['x-kubernetes-preserve-unknown-fields'] === false) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  if (mapType !== undefined && mapType !== null && s.type !== 'object') {
    if (!typeOf(s)) errs.push(required(child(path, 'type'), 'must be object if x-kubernetes-map-type is specified'));
    else errs.push(invalid(child(path, 'type'), s.type, 'must be object if x-kubernetes-map-type is specified'));
  }
  if (mapType !== undefined && mapType !== null && mapType !== 'atomic' && mapType !== 'granular') errs.push(notSupported(child(path, 'x-kubernetes-map-type'), mapType, ['atomic', 'granular']));
  const items = itemsSchema(s);
  if (listType !== undefined && listType !== null && s.type !== 'array') {
    if (!typeOf(s)) errs.push(required(child(path, 'type'), 'must be array if x-kubernetes-list-type is specified'));
    else errs.push(invalid(child(path, 'type'), s.type, 'must be array if x-kubernetes-list-type is specified'));
  } else if (ctx.requireAtomicSetType && listType === 'set' && items) {
    if (items.type === 'array' && items['x-kubernetes-list-type'] !== undefined && items['x-kubernetes-list-type'] !== 'atomic') {
      errs.push(invalid(child(child(path, 'items'), 'x-kubernetes-list-type'), items['x-kubernetes-list-type'], 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
    if (items.type === 'object' && items['x-kubernetes-map-type'] !== 'atomic') {
      errs.push(invalid(child(child(path, 'items'), 'x-kubernetes-map-type'), items['x-kubernetes-list-type'] ?? null, 'must be atomic as item of a list with x-kubernetes-list-type=set'));
    }
  }
  if (listType !== undefined && listType !== null && !['atomic', 'set', 'map'].includes(listType)) errs.push(notSupported(child(path, 'x-kubernetes-list-type'), listType, ['atomic', 'set', 'map']));
  if (mapKeys.length) {
    if (listType === undefined || listType === null) errs.push(required(child(path, 'x-kubernetes-list-type'), 'must be map if x-kubernetes-list-map-keys is non-empty'));
    else if (listType !== 'map') errs.push(invalid(child(path, 'x-kubernetes-list-type'), listType, 'must be map if x-kubernetes-list-map-keys is non-empty'));
  }
  if (listType === 'map') {
    if (!mapKeys.length) errs.push(required(child(path, 'x-kubernetes-list-map-keys'), 'must not be empty if x-kubernetes-list-type is map'));
    if (s.items === undefined || s.items === null) errs.push(required(child(path, 'items'), 'must have a schema if x-kubernetes-list-type is map'));
    if (Array.isArray(s.items)) errs.push(invalid(child(path, 'items'), s.items, 'must only have a single schema if x-kubernetes-list-type is map'));
    if (items && items.type !== 'object') errs.push(invalid(child(child(path, 'items'), 'type'), items.type ?? '', "must be object if parent array's x-kubernetes-list-type is map"));
    if (items && items.type === 'object') {
      const seen = new Set<unknown>();
      const itemProps = isObject(items.properties) ? (items.properties as Record<string, Schema>) : {};
      for (const k of mapKeys) {
        const p = itemProps[String(k)];
        if (isObject(p)) {
          if (p.type === 'array' || p.type === 'object') errs.push(invalid(child(key(child(child(path, 'items'), 'properties'), String(k)), 'type'), items.type, "must be a scalar type if parent array's x-kubernetes-list-type is map"));
        } else errs.push(invalid(child(path, 'x-kubernetes-list-map-keys'), goValue(goStrings, mapKeys), 'entries must all be names of item properties'));
        if (seen.has(k)) errs.push(invalid(child(path, 'x-kubernetes-list-map-keys'), goValue(goStrings, mapKeys), 'must not contain duplicate entries'));
        seen.add(k);
      }
    }
  }
  if (ctx.requireMapListKeysMapSetValidation) errs.push(...mapListKeysMapSet(s, path));
  return errs;
}

/** Items of set and map lists cannot be null, and map keys must always have a value (required or defaulted). */
export function mapListKeysMapSet(s: Schema, path: string): FieldError[] {
  const items = itemsSchema(s);
  const listType = s['x-kubernetes-list-type'];
  if (!items || (listType !== 'set' && listType !== 'map')) return [];
  const errs: FieldError[] = [];
  if (items.nullable === true) errs.push(forbidden(child(child(path, 'items'), 'nullable'), `cannot be nullable when x-kubernetes-list-type is ${listType}`));
  if (listType === 'map') {
    const requiredKeys = new Set(Array.isArray(items.required) ? items.required : []);
    const itemProps = isObject(items.properties) ? (items.properties as Record<string, Schema>) : {};
    for (const k of Array.isArray(s['x-kubernetes-list-map-keys']) ? s['x-kubernetes-list-map-keys'] : []) {
      const p = itemProps[k];
      if (!isObject(p)) continue;
      const keyPath = key(child(child(path, 'items'), 'properties'), k);
      if (!requiredKeys.has(k) && (p.default === undefined || p.default === null)) {
        errs.push(required(child(keyPath, 'default'), 'this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property'));
      }
      if (p.nullable === true) errs.push(forbidden(child(keyPath, 'nullable'), 'this property is in x-kubernetes-list-map-keys, so it cannot be nullable'));
    }
  }
  return errs;
}

const newlines = /[\n\r]+/;

/** The shape of each x-kubernetes-validations entry: a rule, one-line messages, a known reason, a valid fieldPath. */
function ruleShapes(s: Schema, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] as unknown[]).forEach((raw, i) => {
    const r = (isObject(raw) ? raw : {}) as Record<string, unknown>;
    const at = index(child(path, 'x-kubernetes-validations'), i);
    const rule = typeof r.rule === 'string' ? r.rule : '';
    const message = typeof r.message === 'string' ? r.message : '';
    const messageExpression = typeof r.messageExpression === 'string' ? r.messageExpression : '';
    if (rule.trim() === '') errs.push(required(child(at, 'rule'), 'rule is not specified'));
    else if (message.length > 0 && message.trim() === '') errs.push(invalid(child(at, 'message'), message, 'message must be non-empty if specified'));
    else if (newlines.test(message.trim())) errs.push(invalid(child(at, 'message'), message, 'message must not contain line breaks'));
    else if (newlines.test(rule.trim()) && message.trim() === '') errs.push(required(child(at, 'message'), 'message must be specified if rule contains line breaks'));
    if (messageExpression.length > 0 && messageExpression.trim() === '') errs.push(required(child(at, 'messageExpression'), 'messageExpression must be non-empty if specified'));
    if (r.reason !== undefined && r.reason !== null && !supportedValidationReasons.includes(String(r.reason))) {
      errs.push(notSupported(child(at, 'reason'), r.reason, supportedValidationReasons));
    }
    const fieldPath = typeof r.fieldPath === 'string' ? r.fieldPath : '';
    if (fieldPath.length > 0 && fieldPath.trim() === '') errs.push(invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must be non-empty if specified'));
    if (newlines.test(fieldPath)) errs.push(invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must not contain line breaks'));
    if (fieldPath.length > 0 && structuralConversionError(s) === undefined && validFieldPath(fieldPath, s).error !== undefined) {
      errs.push(invalid(child(at, 'fieldPath'), fieldPath, 'fieldPath must be a valid path'));
    }
  });
  return errs;
}

/** Compiles the node's rules; a rule that does not compile is 422 with the compiler's message, as upstream. */
function celRules(s: Schema, path: string, ctx: Context, isRoot: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (s['x-kubernetes-validations'] as Array<Record<string, unknown>>).forEach((r, i) => {
    const at = index(child(path, 'x-kubernetes-validations'), i);
    const compiled = compileRule(r, s, isRoot, ctx.celEnvs);
    // A rule that does not compile costs nothing (upstream's MaxCost stays 0).
    if (!compiled.error) errs.push(...observeCost(child(at, 'rule'), 'rule', ctx.costs));
    if (compiled.error) errs.push(invalid(child(at, 'rule'), goValue(goValidationRule, r), compiled.error));
    if (compiled.messageExpressionError) errs.push(invalid(child(at, 'messageExpression'), goValue(goValidationRule, r), compiled.messageExpressionError));
    else if (!compiled.error && typeof r.messageExpression === 'string' && r.messageExpression.trim() !== '') {
      errs.push(...observeCost(child(at, 'messageExpression'), 'messageExpression', ctx.costs));
    }
    if (compiled.usesOldSelf) {
      if (ctx.uncorrelatablePath !== undefined) {
        errs.push(invalid(child(at, 'rule'), r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${ctx.uncorrelatablePath}`));
      }
    } else if (r.optionalOldSelf !== undefined && r.optionalOldSelf !== null) {
      errs.push(invalid(child(at, 'optionalOldSelf'), r.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    }
  });
  return errs;
}

/** Counts a compiled expression towards the schema's total, and refuses it alone when it is over the per-expression limit. */
function observeCost(path: string, field: 'rule' | 'messageExpression', costs: CostTracking | undefined): FieldError[] {
  const cost = costs?.estimates.get(path);
  if (!costs || cost === undefined) return [];
  costs.observed.push({ path, cost });
  const detail = costs.suppressPerExpressionCost ? undefined : expressionCostError(field, cost);
  return detail ? [forbidden(path, detail)] : [];
}
