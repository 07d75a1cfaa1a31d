/**
 * Defaults in a CRD schema must be usable as they are: pruned (no field the schema would drop) and valid against
 * the schema of their node (the custom resource validator of runtime/apiextensions/schema), as upstream's
 * defaulting validation requires, and passing the x-kubernetes-validations rules of their node.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { fieldErrorMessage, invalid } from '../../machinery/field-errors.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';
import { embeddedResourceCoerceError } from '../schema/embedded-metadata.ts';
import { validateEmbeddedResources } from '../schema/embedded.ts';
import { goInterfaceValue } from '../../machinery/go-syntax.ts';
import { compileOpenAPIValidator } from '../schema/validation.ts';
import { wholeNumbersAsInt64 } from '../../machinery/json-int64.ts';
import { compileRules, type JSONSchemaProps } from '../schema/index.ts';
import { additionalPropertiesSchema, child, isObject, itemsSchema, key, propertyEntries, type Schema } from './paths.ts';

/** Whether pruning `value` with `s` would drop something. */
export function hasUnknownFields(value: unknown, s: Schema, embedded = s['x-kubernetes-embedded-resource'] === true): boolean {
  if (Array.isArray(value)) {
    const items = itemsSchema(s);
    return items ? value.some((v) => hasUnknownFields(v, items)) : false;
  }
  if (!isObject(value)) return false;
  if (s['x-kubernetes-preserve-unknown-fields'] === true && !isObject(s.properties) && !isObject(s.additionalProperties)) return false;
  const props = isObject(s.properties) ? (s.properties as Record<string, Schema>) : undefined;
  const ap = additionalPropertiesSchema(s);
  for (const [k, v] of Object.entries(value)) {
    if (embedded && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const p = props?.[k];
    if (isObject(p)) {
      if (hasUnknownFields(v, p)) return true;
    } else if (ap) {
      if (hasUnknownFields(v, ap)) return true;
    } else if (s.additionalProperties !== true && s['x-kubernetes-preserve-unknown-fields'] !== true) return true;
  }
  return false;
}

/** Builds the object a default inside an embedded resource's metadata or type meta ends up in (upstream's SurroundingObjectFunc). */
type Surrounding = (value: unknown) => unknown;

/** The embedded resource root's wrapper: an object, with the type meta upstream's check lends it where missing. */
const resourceRoot: Surrounding = (value) => (isObject(value) ? { kind: 'Validation', apiVersion: 'validation/v1', ...value } : value);

/**
 * Checks every `default` in the schema (not inside allOf/anyOf/oneOf/not, where structural schemas forbid them),
 * as upstream's defaulting.ValidateDefaults: the schema root is a resource root, as is every
 * x-kubernetes-embedded-resource node. A default of a resource's metadata, apiVersion or kind (or below them) is
 * checked inside the object it lands in ("must result in valid metadata"); any other must be pruned and, where it
 * holds embedded resources, carry valid ones, before its node's schema and rules check it.
 */
export function validateDefaults(s: Schema, path: string, requirePruned: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const isEmbedded = (node: Schema) => node === s || node['x-kubernetes-embedded-resource'] === true;
  const visit = (node: Schema, at: string, insideMeta: boolean, resource: Schema, surrounding: Surrounding) => {
    const embedded = isEmbedded(node);
    if (embedded) {
      insideMeta = false;
      resource = node;
      surrounding = resourceRoot;
    }
    if (node.default !== undefined && node.default !== null) {
      const d = wholeNumbersAsInt64(node.default); // as custom resources get it (schema/defaulting.ts)
      const defaultPath = child(at, 'default');
      const metaErrs: FieldError[] = [];
      if (insideMeta) {
        const obj = surrounding(structuredClone(d));
        const coerceErr = embeddedResourceCoerceError(obj, resource as JSONSchemaProps, '', true);
        const metaProblems = coerceErr ? [coerceErr] : validateEmbeddedResources(resource as JSONSchemaProps, obj, '', true);
        if (metaProblems.length) metaErrs.push(invalid(defaultPath, goInterfaceValue(d), `must result in valid metadata: ${aggregateErrors(metaProblems.map(fieldErrorMessage))}`));
      } else {
        if (requirePruned && hasUnknownFields(d, node, embedded)) errs.push(invalid(defaultPath, goInterfaceValue(d), 'must not have unknown fields'));
        const coerceErr = embeddedResourceCoerceError(d, node as JSONSchemaProps, defaultPath, embedded);
        metaErrs.push(...(coerceErr ? [coerceErr] : validateEmbeddedResources(node as JSONSchemaProps, d, defaultPath, embedded)));
      }
      errs.push(...metaErrs);
      // The node's own validator (the one custom resources get), reporting at `<node>.default`, as upstream; once
      // that passes, the node's x-kubernetes-validations rules, as on a new object (upstream's second run, from no
      // old value, is the one that can fail: its first, with the default as its own old value, is ratcheted).
      if (metaErrs.length === 0) {
        const schemaErrs = compileOpenAPIValidator(node as JSONSchemaProps)(d, defaultPath);
        errs.push(...schemaErrs);
        if (schemaErrs.length === 0) errs.push(...compileRules(node as JSONSchemaProps, {}, embedded).validate(d, undefined, undefined, defaultPath));
      }
    }
    const items = itemsSchema(node);
    if (items) visit(items, child(at, 'items'), insideMeta, resource, (x) => surrounding([x]));
    for (const [k, p] of propertyEntries(node)) {
      visit(p, key(child(at, 'properties'), k), insideMeta || (embedded && (k === 'metadata' || k === 'apiVersion' || k === 'kind')), resource, (x) => surrounding({ [k]: x }));
    }
    // Not below additionalProperties, as upstream (which forbids defaults there inside metadata, and leaves the
    // others to be checked when a custom resource is defaulted).
  };
  visit(s, path, false, s, resourceRoot);
  return errs;
}
