/**
 * Defaults in a CRD schema must be usable as they are: pruned (no field the schema would drop) and of the type
 * their node declares, as upstream's defaulting validation requires. This is a static check of each `default`
 * against its own node; the full validation of defaults (formats, bounds, CEL rules) belongs to the custom
 * resource validator.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { invalid } from '../../machinery/field-errors.ts';
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

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** The type errors of a value against its schema (types, enums and required fields), with upstream's wording. */
function typeErrors(value: unknown, s: Schema, path: string, out: string[]): void {
  if (value === null) {
    if (s.nullable !== true) out.push(`${path} in body must be of type ${s.type ?? 'object'}: "null"`);
    return;
  }
  const t = jsonType(value);
  if (s['x-kubernetes-int-or-string'] === true) {
    if (t !== 'integer' && t !== 'string') out.push(`${path} in body must be of type integer,string: "${t}"`);
    return;
  }
  if (typeof s.type === 'string' && s.type) {
    const ok = s.type === t || (s.type === 'number' && t === 'integer');
    if (!ok) {
      out.push(`${path} in body must be of type ${s.type}: "${t}"`);
      return;
    }
  }
  if (Array.isArray(s.enum) && s.enum.length && !s.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    out.push(`${path} in body should be one of ${JSON.stringify(s.enum)}`);
  }
  if (Array.isArray(value)) {
    const items = itemsSchema(s);
    if (items) value.forEach((v, i) => typeErrors(v, items, `${path}[${i}]`, out));
    return;
  }
  if (isObject(value)) {
    for (const r of Array.isArray(s.required) ? s.required : []) if (!(r in value)) out.push(`${path}.${r} in body is required`);
    const props = isObject(s.properties) ? (s.properties as Record<string, Schema>) : {};
    const ap = additionalPropertiesSchema(s);
    for (const [k, v] of Object.entries(value)) {
      const p = isObject(props[k]) ? props[k] : ap;
      if (p) typeErrors(v, p, `${path}.${k}`, out);
    }
  }
}

/** Checks every `default` in the schema (not inside allOf/anyOf/oneOf/not, where structural schemas forbid them). */
export function validateDefaults(s: Schema, path: string, requirePruned: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const visit = (node: Schema, at: string, insideMeta: boolean) => {
    if (node.default !== undefined && node.default !== null && !insideMeta) {
      const d = node.default;
      if (requirePruned && hasUnknownFields(d, node)) errs.push(invalid(child(at, 'default'), d, 'must not have unknown fields'));
      const problems: string[] = [];
      typeErrors(d, node, child(at, 'default'), problems);
      for (const p of problems) errs.push(invalid(child(at, 'default'), d, p));
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
