/**
 * Embedded resources (`x-kubernetes-embedded-resource`, upstream's `objectmeta.Validate`): such an object needs
 * `apiVersion` and `kind`, and its `metadata` is checked as ObjectMeta. The resource root itself is left to the
 * registry, which validates its metadata the same way as for every kind.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { validateObjectMeta } from '../../registry/objectmeta.ts';
import type { StoredObject } from '../../storage/store.ts';
import { goInterfaceValue } from '../../machinery/go-syntax.ts';
import { fieldPath } from './listtype.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';
import { isDNS1035Label } from '../../machinery/string-checks.ts';

export function hasEmbeddedResources(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (s['x-kubernetes-embedded-resource']) return true;
  return hasEmbeddedResources(itemsOf(s)) || hasEmbeddedResources(additionalOf(s)) || Object.values(s.properties ?? {}).some(hasEmbeddedResources);
}

/** apimachinery's ParseGroupVersion: "v1", "group/version"; more than one slash is an error. */
function groupVersionError(apiVersion: string): string | undefined {
  if (apiVersion === '/') return undefined;
  const parts = apiVersion.split('/');
  if (parts.length <= 2) return undefined;
  return `unexpected GroupVersion string: ${apiVersion}`;
}

function validateEmbeddedResource(path: string, x: Record<string, unknown>, errs: FieldError[]): void {
  if (!Object.hasOwn(x, 'apiVersion')) errs.push({ type: 'FieldValueRequired', field: fieldPath.child(path, 'apiVersion'), detail: 'must not be empty' });
  if (!Object.hasOwn(x, 'kind')) errs.push({ type: 'FieldValueRequired', field: fieldPath.child(path, 'kind'), detail: 'must not be empty' });
  for (const [k, v] of Object.entries(x)) {
    const p = fieldPath.child(path, k);
    if (k === 'apiVersion') {
      if (typeof v !== 'string') errs.push({ type: 'FieldValueInvalid', field: p, badValue: goInterfaceValue(v), detail: 'must be a string' });
      else if (v.length === 0) errs.push({ type: 'FieldValueInvalid', field: p, badValue: v, detail: 'must not be empty' });
      else {
        const err = groupVersionError(v);
        if (err) errs.push({ type: 'FieldValueInvalid', field: p, badValue: v, detail: err });
      }
    } else if (k === 'kind') {
      if (typeof v !== 'string') errs.push({ type: 'FieldValueInvalid', field: p, badValue: goInterfaceValue(v), detail: 'must be a string' });
      else if (v.length === 0) errs.push({ type: 'FieldValueInvalid', field: p, badValue: v, detail: 'must not be empty' });
      else {
        const lower = v.toLowerCase();
        const problems = isDNS1035Label(lower);
        if (problems.length > 0) errs.push({ type: 'FieldValueInvalid', field: p, badValue: v, detail: `may have mixed case, but should otherwise match: ${problems.join(',')}` });
      }
    } else if (k === 'metadata') {
      if (!isObject(v)) {
        errs.push({ type: 'FieldValueInvalid', field: p, badValue: goInterfaceValue(v), detail: 'expected map[string]interface{}' });
        continue;
      }
      const meta = { ...v } as StoredObject;
      if (!meta.name) (meta as Record<string, unknown>).name = 'fakename';
      const namespaced = typeof v.namespace === 'string' && v.namespace.length > 0;
      for (const e of validateObjectMeta(meta, { namespaced, nameFormat: 'path-segment' })) {
        errs.push({ ...e, field: e.field.replace(/^metadata/, p) });
      }
    }
  }
}

function walk(path: string, x: unknown, s: JSONSchemaProps | undefined, errs: FieldError[]): void {
  if (!s) return;
  if (isObject(x)) {
    if (s['x-kubernetes-embedded-resource']) validateEmbeddedResource(path, x, errs);
    const additional = additionalOf(s);
    for (const [k, v] of Object.entries(x)) {
      if (s.properties && Object.hasOwn(s.properties, k)) walk(fieldPath.child(path, k), v, s.properties[k], errs);
      else if (additional) walk(fieldPath.key(path, k), v, additional, errs);
    }
  } else if (Array.isArray(x)) {
    const items = itemsOf(s);
    x.forEach((v, i) => walk(fieldPath.index(path, i), v, items, errs));
  }
}

/**
 * Errors of the embedded resources in `obj`, at paths below `path`; the root itself counts as one only when
 * `isResourceRoot` (CRD validation checking a schema default as upstream's objectmeta.Validate does).
 */
export function validateEmbeddedResources(s: JSONSchemaProps, obj: unknown, path = '', isResourceRoot = false): FieldError[] {
  const errs: FieldError[] = [];
  walk(path, obj, isResourceRoot ? { ...s, 'x-kubernetes-embedded-resource': true } : s, errs);
  return errs;
}
