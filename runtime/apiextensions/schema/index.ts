/**
 * Structural schemas of custom resources: one CRD version's `openAPIV3Schema` compiled once into what the
 * custom resource registry needs — validation (OpenAPI, list types, embedded resources, CEL rules), defaulting
 * and pruning — with upstream's (apiextensions-apiserver v1.32) semantics, field paths and messages.
 * See README.md in this folder.
 *
 *   const schema = compileSchema(version.schema.openAPIV3Schema);
 *   const unknown = schema.prune(obj);        // on decode: drop unknown fields, report their paths
 *   schema.applyDefaults(obj);                // on decode from the request and from storage
 *   const errs = schema.validate(obj, old);   // create (no old) or update; field errors for a 422
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { compileRules, ruleCompileErrors, type CelLimits } from './cel.ts';
import { applyDefaults, hasDefaults, pruneNonNullableNullsWithoutDefaults } from './defaulting.ts';
import { hasEmbeddedResources, validateEmbeddedResources } from './embedded.ts';
import { hasListTypes, validateListSetsAndMaps } from './listtype.ts';
import { coerceEmbeddedResources, embeddedResourceDecodeError } from './embedded-metadata.ts';
import { pruneObject } from './pruning.ts';
import { Correlation } from './correlation.ts';
import { isObject, type JSONSchemaProps } from './structural.ts';
import { compileOpenAPIValidator } from './validation.ts';

export type { JSONSchemaProps, ValidationRule } from './structural.ts';
export type { CelLimits } from './cel.ts';
export { compileRules, ruleCompileErrors, normalizeFieldPath } from './cel.ts';
export { formatCheck } from './formats.ts';
export { estimateExpressionCost, estimateRuleCosts, ruleCostErrors, ruleCostPath, expressionCostError, totalCostErrors, costErrorMessage, StaticEstimatedCostLimit, StaticEstimatedCRDCostLimit, type RuleCost } from './estimate.ts';

/** The message of upstream's refusal to run rules on an object that already failed its schema. */
export const rulesNotCheckedMessage = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** Error types after which upstream does not evaluate CEL rules (hasBlockingErr). */
const blocking = new Set(['FieldValueNotSupported', 'FieldValueRequired', 'FieldValueTooLong', 'FieldValueTooMany', 'FieldValueTypeInvalid']);

export interface ValidateOptions {
  /** Collects warnings: failing rules on unchanged values of an update (ratcheting), as upstream's warnings. */
  warnings?: string[];
  /** Errors the caller found in its own checks (the scale paths), reported after the schema's, where upstream lists them. */
  afterSchema?: FieldError[];
}

export interface CompiledSchema {
  /** The schema as given (read only). */
  readonly openAPIV3Schema: JSONSchemaProps;
  /**
   * Field errors of a whole object against the schema, in upstream's order: OpenAPI validation, embedded
   * resources, list sets and maps, then `x-kubernetes-validations` rules (skipped, with one error saying so,
   * when a blocking error came before). With `old` (an update), transition rules run and errors on values
   * that did not change are ratcheted as upstream does: schema errors dropped, rule errors made warnings.
   * The root's `metadata` is validated against the schema only for what the schema says of it (name,
   * generateName); ObjectMeta rules, `apiVersion` and `kind` are the registry's.
   */
  validate(obj: unknown, old?: unknown, opts?: ValidateOptions): FieldError[];
  /**
   * Field errors of an update through the status subresource (upstream v1.32's status strategy): the object's
   * `status` against the schema of `status` (paths `status.x`, messages naming `x` as kube-openapi does), then
   * `afterSchema`, list types and the CEL rules of the whole object (with `old`, for transition rules). Nothing
   * ratchets here: v1.32 passes no correlation to either (CRDValidationRatcheting reaches /status in v1.33), so an
   * invalid status or a failing rule stays an error even where unchanged. Embedded resources are not checked, as upstream.
   */
  validateStatus(obj: unknown, old?: unknown, opts?: ValidateOptions): FieldError[];
  /**
   * Applies `default`s in place, as upstream does when decoding from the request and from storage: top-down,
   * where a field is absent or null without being nullable, in array items and map values; deep copies.
   */
  applyDefaults(obj: unknown): void;
  /**
   * Drops, in place, the fields the schema does not specify (unless `x-kubernetes-preserve-unknown-fields`),
   * keeping the root's and embedded resources' `apiVersion`, `kind` and `metadata`, then removes nulls the
   * schema neither allows nor defaults, then writes embedded resources' metadata back as ObjectMeta. Returns the
   * pruned paths, sorted (`spec.foo`, `spec.items[0].bar`), then the embedded metadata's unknown fields, sorted:
   * with fieldValidation=Warn each becomes the warning `unknown field "<path>"`, with Strict the request fails
   * with `strict decoding error: unknown field "<path>", ...` (see unknownFieldWarnings / strictDecodingError).
   */
  prune(obj: unknown): string[];
  /**
   * The decoder's error for a body with an embedded resource whose apiVersion or kind is no string, or whose
   * metadata ObjectMeta cannot take (a time that does not parse), as `<path>.metadata: Invalid value: <value>:
   * <Go's error>`; undefined when there is none.
   */
  decodeError(obj: unknown): string | undefined;
  /** Whether the schema has `x-kubernetes-validations` anywhere. */
  readonly hasRules: boolean;
}

export interface CompileSchemaOptions extends CelLimits {
  /** Keep unknown fields everywhere (the CRD's deprecated `spec.preserveUnknownFields: true`). */
  preserveUnknownFields?: boolean;
}

/** Compiles a CRD version's schema once; the result is reused for every request and every stored object. */
export function compileSchema(openAPIV3Schema: JSONSchemaProps | object | undefined, opts: CompileSchemaOptions = {}): CompiledSchema {
  const schema = (openAPIV3Schema ?? {}) as JSONSchemaProps;
  const openapi = compileOpenAPIValidator(schema);
  const rules = compileRules(schema, opts);
  const listTypes = hasListTypes(schema);
  const embedded = hasEmbeddedResources(schema);
  const defaults = hasDefaults(schema);
  const statusSchema = schema.properties && Object.hasOwn(schema.properties, 'status') ? schema.properties.status : undefined;
  const statusOpenapi = statusSchema ? compileOpenAPIValidator(statusSchema) : undefined;

  return {
    openAPIV3Schema: schema,
    hasRules: rules.hasRules,
    validate(obj, old, vopts = {}) {
      // Ratcheting (CRDValidationRatcheting, on in v1.32) judges every part of an update by its correlated old value.
      const correlation = old !== undefined ? new Correlation(obj, old, schema) : undefined;
      const errs = openapi(obj, '', correlation);
      if (vopts.afterSchema) errs.push(...vopts.afterSchema);
      if (embedded) errs.push(...validateEmbeddedResources(schema, obj));
      if (listTypes && (old === undefined || validateListSetsAndMaps(schema, old).length === 0)) errs.push(...validateListSetsAndMaps(schema, obj));
      if (rules.hasRules) {
        if (errs.some((e) => blocking.has(e.type))) errs.push({ type: 'FieldValueInvalid', field: '<nil>', badValue: null, detail: rulesNotCheckedMessage });
        else errs.push(...rules.validate(obj, old, vopts.warnings, '', correlation));
      }
      return errs;
    },
    validateStatus(obj, old, vopts = {}) {
      const errs: FieldError[] = [];
      const status = isObject(obj) ? obj.status : undefined;
      if (statusOpenapi && status !== undefined) errs.push(...statusOpenapi(status, 'status'));
      if (vopts.afterSchema) errs.push(...vopts.afterSchema);
      if (listTypes) {
        const newErrs = validateListSetsAndMaps(schema, obj);
        if (newErrs.length > 0 && (old === undefined || validateListSetsAndMaps(schema, old).length === 0)) errs.push(...newErrs);
      }
      if (rules.hasRules) {
        if (errs.some((e) => blocking.has(e.type))) errs.push({ type: 'FieldValueInvalid', field: '<nil>', badValue: null, detail: rulesNotCheckedMessage });
        else errs.push(...rules.validate(obj, old));
      }
      return errs;
    },
    applyDefaults(obj) {
      if (defaults) applyDefaults(obj, schema);
    },
    decodeError(obj) {
      return embeddedResourceDecodeError(obj, schema);
    },
    prune(obj) {
      const paths: string[] = [];
      if (!opts.preserveUnknownFields) {
        paths.push(...pruneObject(obj, schema, true));
        pruneNonNullableNullsWithoutDefaults(obj, schema);
      }
      // Upstream's decoder coerces embedded resources after pruning, also where unknown fields are kept.
      if (embedded) paths.push(...coerceEmbeddedResources(obj, schema));
      return paths;
    },
  };
}

/** The warnings upstream sends for pruned fields with fieldValidation=Warn. */
export function unknownFieldWarnings(paths: readonly string[]): string[] {
  return paths.map((p) => `unknown field "${p}"`);
}

/** The message of upstream's 400 BadRequest for pruned fields with fieldValidation=Strict. */
export function strictDecodingError(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map((p) => `unknown field "${p}"`).join(', ')}`;
}
