/**
 * Structural schemas, as upstream's `pkg/apiserver/schema` defines them: every node says its type (except under
 * x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields), `allOf`/`anyOf`/`oneOf`/`not` only restrict
 * what the typed nodes already declare, and the root's metadata may only restrict name and generateName. A CRD of
 * apiextensions.k8s.io/v1 must have one; the checks here give upstream's field paths and messages.
 *
 * Upstream first converts JSONSchemaProps into a Structural value (failing on fields it cannot hold: `$ref`,
 * `definitions`, ...) and then checks it; here the checks read the JSON schema directly and `unsupportedField`
 * gives the conversion's error.
 */
import { jsonText } from '../../machinery/json-text.ts';
import { goRegexpError } from '../../machinery/go-regexp.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import { fieldErrorMessage, forbidden, invalid, required } from '../../machinery/field-errors.ts';
import { additionalPropertiesSchema, child, index, isObject, itemsSchema, key, propertyEntries, type Schema } from './paths.ts';

type Level = 'root' | 'item' | 'field';

/** Upstream's conversion error for a schema field a structural schema cannot hold, or undefined. */
export function unsupportedField(s: Schema): string | undefined {
  if (typeof s.id === 'string' && s.id) return "OpenAPIV3Schema 'id' is not supported";
  if (typeof s.$schema === 'string' && s.$schema) return "OpenAPIV3Schema 'schema' is not supported";
  if (typeof s.$ref === 'string' && s.$ref) return "OpenAPIV3Schema '$ref' is not supported";
  if (isObject(s.patternProperties) && Object.keys(s.patternProperties).length) return "OpenAPIV3Schema 'patternProperties' is not supported";
  if (isObject(s.dependencies) && Object.keys(s.dependencies).length) return "OpenAPIV3Schema 'dependencies' is not supported";
  if (s.additionalItems !== undefined && s.additionalItems !== null) return "OpenAPIV3Schema 'additionalItems' is not supported";
  if (isObject(s.definitions) && Object.keys(s.definitions).length) return "OpenAPIV3Schema 'definitions' is not supported";
  return undefined;
}

/** Whether upstream's NewStructural would fail on the schema (anywhere in it), and with which message. */
export function structuralConversionError(s: Schema | undefined): string | undefined {
  if (!isObject(s)) return undefined;
  const own = unsupportedField(s);
  if (own) return own;
  if (Array.isArray(s.items)) return "OpenAPIV3Schema 'items' must be a schema, but is an array";
  if (s['x-kubernetes-preserve-unknown-fields'] === false) return "internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined";
  const children: unknown[] = [s.items, s.not, additionalPropertiesSchema(s), ...(s.allOf ?? []), ...(s.anyOf ?? []), ...(s.oneOf ?? []), ...propertyEntries(s).map(([, v]) => v)];
  for (const c of children) {
    const err = structuralConversionError(c as Schema);
    if (err) return err;
  }
  return undefined;
}

const intOrStringAnyOf = JSON.stringify([{ type: 'integer' }, { type: 'string' }]);

/** `anyOf: [{type: integer}, {type: string}]` and nothing else in the two clauses: how int-or-string is spelled out. */
function isIntOrStringAnyOf(anyOf: unknown): boolean {
  return Array.isArray(anyOf) && anyOf.length === 2 && jsonText(anyOf.map((c) => (isObject(c) ? Object.fromEntries(Object.entries(c).sort()) : c))) === intOrStringAnyOf;
}

function hasType(s: Schema): boolean {
  return typeof s.type === 'string' && s.type !== '';
}

/**
 * The structural-schema errors of a CRD version's schema (`path` is where it sits, e.g.
 * `spec.validation.openAPIV3Schema`), sorted as upstream sorts them (by message).
 */
export function validateStructural(schema: Schema, path: string): FieldError[] {
  const errors = [...invariants(schema, 'root', path), ...completeness(schema, path)];
  return errors
    .map((e) => ({ e, m: fieldErrorMessage(e) }))
    .sort((a, b) => (a.m < b.m ? -1 : a.m > b.m ? 1 : 0))
    .map(({ e }) => e);
}

/** Whether a schema is not structural (for the NonStructuralSchema condition and "don't tighten" rules on update). */
export function isNonStructural(schema: Schema | undefined): boolean {
  if (!isObject(schema)) return false;
  return structuralConversionError(schema) !== undefined || validateStructural(schema, '').length > 0;
}

function invariants(s: Schema, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const items = itemsSchema(s);
  if (s.type === 'array' && !items) errs.push(required(child(path, 'items'), 'must be specified'));
  if (items) errs.push(...invariants(items, 'item', child(path, 'items')));
  for (const [k, v] of propertyEntries(s)) errs.push(...invariants(v, 'field', key(child(path, 'properties'), k)));
  if (s.additionalProperties !== undefined && s.additionalProperties !== null) {
    if (lvl === 'root') errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used at the root'));
    const ap = additionalPropertiesSchema(s);
    if (ap) errs.push(...invariants(ap, 'field', child(path, 'additionalProperties')));
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (intOrString && preserve) errs.push(invalid(child(path, 'x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  if (intOrString && embedded) errs.push(invalid(child(path, 'x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));

  const skipAnyOf = isIntOrStringAnyOf(s.anyOf);
  const skipFirstAllOfAnyOf = Array.isArray(s.allOf) && isObject(s.allOf[0]) && isIntOrStringAnyOf(s.allOf[0].anyOf);
  errs.push(...valueValidation(s, skipAnyOf, skipFirstAllOfAnyOf, lvl, path));

  const checkMetadata = lvl === 'root' || embedded;
  if (embedded && s.type !== 'object') {
    if (!hasType(s)) errs.push(required(child(path, 'type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(child(path, 'type'), s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!hasType(s) && !intOrString && !preserve) {
    const detail = { root: 'must not be empty at the root', item: 'must not be empty for specified array items', field: 'must not be empty for specified object fields' }[lvl];
    errs.push(required(child(path, 'type'), detail));
  }
  if (embedded && s.additionalProperties !== undefined && s.additionalProperties !== null) {
    errs.push(forbidden(child(path, 'additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && hasType(s) && s.type !== 'object') errs.push(invalid(child(path, 'type'), s.type, 'must be object at the root'));

  const props = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
  for (const name of ['kind', 'apiVersion']) {
    if (checkMetadata && isObject(props[name]) && props[name].type !== 'string') {
      errs.push(invalid(child(key(child(path, 'properties'), name), 'type'), props[name].type ?? '', 'must be string'));
    }
  }
  if (isObject(props.metadata)) errs.push(...metadataInvariants(props.metadata, checkMetadata, lvl, key(child(path, 'properties'), 'metadata')));
  if (embedded && !preserve && propertyEntries(s).length === 0) {
    errs.push(required(child(path, 'properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  return errs;
}

/** Schema keys a structural node carries besides its type and properties, which root metadata may not use. */
const metadataForbiddenKeys = [
  'description', 'title', 'nullable', 'items', 'additionalProperties', 'format', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties', 'required',
  'allOf', 'anyOf', 'oneOf', 'not', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
];

/** Whether a field holds something upstream's Go value would not see as its zero value (numbers are pointers there). */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function metadataInvariants(s: Schema, checkMetadata: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (checkMetadata && s.type !== 'object') errs.push(invalid(child(path, 'type'), s.type ?? '', 'must be object'));
  if (lvl === 'root') {
    const names = Object.keys(isObject(s.properties) ? s.properties : {});
    const onlyNames = names.every((n) => n === 'name' || n === 'generateName');
    // Upstream compares what is left, once type and default are ignored, with an empty node.
    const other = metadataForbiddenKeys.some((k) => isSet(s[k]));
    if (!onlyNames || other) errs.push(forbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
  return errs;
}

function valueValidation(v: Schema, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!skipAnyOf && Array.isArray(v.anyOf)) v.anyOf.forEach((c: Schema, i: number) => errs.push(...nested(c, false, lvl, index(child(path, 'anyOf'), i))));
  if (Array.isArray(v.allOf)) v.allOf.forEach((c: Schema, i: number) => errs.push(...nested(c, skipFirstAllOfAnyOf && i === 0, lvl, index(child(path, 'allOf'), i))));
  if (Array.isArray(v.oneOf)) v.oneOf.forEach((c: Schema, i: number) => errs.push(...nested(c, false, lvl, index(child(path, 'oneOf'), i))));
  if (isObject(v.not)) errs.push(...nested(v.not, false, lvl, child(path, 'not')));
  if (typeof v.pattern === 'string' && v.pattern) {
    // Go's regexp (RE2) decides what a pattern is, and words its errors: JavaScript's syntax and messages differ
    // (it refuses `(?i)`, and accepts lookaheads and backreferences RE2 does not have).
    const err = goRegexpError(v.pattern);
    if (err !== undefined) errs.push(invalid(child(path, 'pattern'), v.pattern, `must be a valid regular expression, but isn't: ${err}`));
  }
  return errs;
}

/** A clause of allOf/anyOf/oneOf/not, or a node below one: it may only restrict values, never declare them. */
function nested(v: Schema, skipAnyOf: boolean, lvl: Level, path: string): FieldError[] {
  if (!isObject(v)) return [];
  const errs: FieldError[] = [...valueValidation(v, skipAnyOf, false, lvl, path)];
  const items = itemsSchema(v);
  if (items) errs.push(...nested(items, false, lvl, child(path, 'items')));
  for (const [k, p] of propertyEntries(v)) errs.push(...nested(p, false, 'field', key(child(path, 'properties'), k)));
  if (hasType(v)) errs.push(forbidden(child(path, 'type'), 'must be empty to be structural'));
  if (isObject(v.additionalProperties) || v.additionalProperties === true) errs.push(forbidden(child(path, 'additionalProperties'), 'must be undefined to be structural'));
  if (v.default !== undefined && v.default !== null) errs.push(forbidden(child(path, 'default'), 'must be undefined to be structural'));
  if (typeof v.title === 'string' && v.title) errs.push(forbidden(child(path, 'title'), 'must be empty to be structural'));
  if (typeof v.description === 'string' && v.description) errs.push(forbidden(child(path, 'description'), 'must be empty to be structural'));
  if (v.nullable === true) errs.push(forbidden(child(path, 'nullable'), 'must be false to be structural'));
  if (v['x-kubernetes-preserve-unknown-fields'] === true) errs.push(forbidden(child(path, 'x-kubernetes-preserve-unknown-fields'), 'must be false to be structural'));
  if (v['x-kubernetes-embedded-resource'] === true) errs.push(forbidden(child(path, 'x-kubernetes-embedded-resource'), 'must be false to be structural'));
  if (v['x-kubernetes-int-or-string'] === true) errs.push(forbidden(child(path, 'x-kubernetes-int-or-string'), 'must be false to be structural'));
  if (Array.isArray(v['x-kubernetes-list-map-keys']) && v['x-kubernetes-list-map-keys'].length) errs.push(forbidden(child(path, 'x-kubernetes-list-map-keys'), 'must be empty to be structural'));
  if (v['x-kubernetes-list-type'] !== undefined && v['x-kubernetes-list-type'] !== null) errs.push(forbidden(child(path, 'x-kubernetes-list-type'), 'must be undefined to be structural'));
  if (v['x-kubernetes-map-type'] !== undefined && v['x-kubernetes-map-type'] !== null) errs.push(forbidden(child(path, 'x-kubernetes-map-type'), 'must be undefined to be structural'));
  if (Array.isArray(v['x-kubernetes-validations']) && v['x-kubernetes-validations'].length) errs.push(forbidden(child(path, 'x-kubernetes-validations'), 'must be empty to be structural'));
  if (isObject(v.properties) && 'metadata' in v.properties) errs.push(forbidden(key(child(path, 'properties'), 'metadata'), 'must not be specified in a nested context'));
  return errs;
}

/** Every field a clause of allOf/anyOf/oneOf/not mentions must be declared by the typed schema it sits in. */
function completeness(s: Schema, path: string): FieldError[] {
  return valueCompleteness(s, s, path, path);
}

function valueCompleteness(v: Schema, s: Schema | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs: FieldError[] = [];
  if (isObject(v.not)) errs.push(...nestedCompleteness(v.not, s, sPath, child(vPath, 'not')));
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(v[k])) v[k].forEach((c: Schema, i: number) => isObject(c) && errs.push(...nestedCompleteness(c, s, sPath, index(child(vPath, k), i))));
  }
  return errs;
}

function nestedCompleteness(v: Schema, s: Schema | undefined, sPath: string, vPath: string): FieldError[] {
  if (!s) return [required(sPath, `because it is defined in ${vPath}`)];
  const errs = [...valueCompleteness(v, s, sPath, vPath)];
  const vItems = itemsSchema(v);
  if (vItems) errs.push(...nestedCompleteness(vItems, itemsSchema(s), child(sPath, 'items'), child(vPath, 'items')));
  const sProps = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
  for (const [k, p] of propertyEntries(v)) {
    const sp = sProps[k];
    if (!isObject(sp)) errs.push(required(key(child(sPath, 'properties'), k), `because it is defined in ${key(child(vPath, 'properties'), k)}`));
    else errs.push(...nestedCompleteness(p, sp, key(child(sPath, 'properties'), k), key(child(vPath, 'properties'), k)));
  }
  return errs;
}
