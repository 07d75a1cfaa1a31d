/**
 * Defaults in a CRD schema must be usable as they are: pruned (no field the schema would drop) and valid against
 * the schema of their node (the custom resource validator of runtime/apiextensions/schema), as upstream's
 * defaulting validation requires, and passing the x-kubernetes-validations rules of their node.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { invalid } from '../../machinery/field-errors.ts';
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

/** Checks every `default` in the schema (not inside allOf/anyOf/oneOf/not, where structural schemas forbid them). */
export function validateDefaults(s: Schema, path: string, requirePruned: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const visit = (node: Schema, at: string, insideMeta: boolean) => {
    if (node.default !== undefined && node.default !== null && !insideMeta) {
      const d = wholeNumbersAsInt64(node.default); // as custom resources get it (schema/defaulting.ts)
      if (requirePruned && hasUnknownFields(d, node)) errs.push(invalid(child(at, 'default'), goInterfaceValue(d), 'must not have unknown fields'));
      // The node's own validator (the one custom resources get), reporting at `<node>.default`, as upstream; once
      // that passes, the node's x-kubernetes-validations rules, as on a new object (upstream's second run, from no
      // old value, is the one that can fail: its first, with the default as its own old value, is ratcheted).
      const schemaErrs = compileOpenAPIValidator(node as JSONSchemaProps)(d, child(at, 'default'));
      errs.push(...schemaErrs);
      if (schemaErrs.length === 0) errs.push(...compileRules(node as JSONSchemaProps, {}, node === s || node['x-kubernetes-embedded-resource'] === true).validate(d, undefined, undefined, child(at, 'default')));
    }
    const items = itemsSchema(node);
    if (items) visit(items, child(at, 'items'), insideMeta);
    const embedded = node['x-kubernetes-embedded-resource'] === true;
    for (const [k, p] of propertyEntries(node)) visit(p, key(child(at, 'properties'), k), insideMeta || (embedded && (k === 'metadata' || k === 'apiVersion' || k === 'kind')));
    const ap = additionalPropertiesSchema(node);
    if (ap) visit(ap, child(at, 'additionalProperties'), insideMeta);
  };
  visit(s, path, false);
  return errs;
}
