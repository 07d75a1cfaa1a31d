/**
 * Structural pruning (upstream's `pruning.PruneWithOptions`): removes, in place, every object field the schema
 * does not specify, and returns the paths of the removed fields (sorted, `spec.foo`, `spec.items[0].bar`) so
 * the REST layer can warn (fieldValidation=Warn) or refuse (Strict).
 *
 * - `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields at that level, while fields it does
 *   specify (`properties`, `additionalProperties`, `items`) are still pruned below.
 * - `x-kubernetes-embedded-resource` keeps `apiVersion`, `kind` and `metadata`; so does the resource root, where
 *   they are never reported.
 */
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

const metaFields = new Set(['apiVersion', 'kind', 'metadata']);

function childPath(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function prune(x: unknown, s: JSONSchemaProps | undefined, path: string, paths: string[]): void {
  if (s?.['x-kubernetes-preserve-unknown-fields']) {
    skipPrune(x, s, path, paths);
    return;
  }
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    x.forEach((v, i) => prune(v, items, `${path}[${i}]`, paths));
    return;
  }
  if (!isObject(x)) return;
  if (!s) {
    for (const k of Object.keys(x)) {
      paths.push(childPath(path, k));
      delete x[k];
    }
    return;
  }
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const additional = s.additionalProperties !== undefined && s.additionalProperties !== false ? (additionalOf(s) ?? {}) : undefined;
  for (const k of Object.keys(x)) {
    if (embedded && metaFields.has(k)) continue;
    const prop = s.properties?.[k];
    if (prop && Object.hasOwn(s.properties!, k)) prune(x[k], prop, childPath(path, k), paths);
    else if (additional) prune(x[k], additionalOf(s), childPath(path, k), paths);
    else {
      if (!metaFields.has(k) || path !== '') paths.push(childPath(path, k));
      delete x[k];
    }
  }
}

function skipPrune(x: unknown, s: JSONSchemaProps, path: string, paths: string[]): void {
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    if (items) x.forEach((v, i) => skipPrune(v, items, `${path}[${i}]`, paths));
    return;
  }
  if (!isObject(x)) return;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const additional = additionalOf(s);
  for (const k of Object.keys(x)) {
    if (embedded && metaFields.has(k)) continue;
    const prop = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    if (prop) prune(x[k], prop, childPath(path, k), paths);
    else if (additional) prune(x[k], additional, childPath(path, k), paths);
  }
}

/**
 * Prunes `obj` in place against `schema`; `isResourceRoot` keeps the root's apiVersion, kind and metadata.
 * Returns the removed paths, sorted as upstream sorts them.
 */
export function pruneObject(obj: unknown, schema: JSONSchemaProps | undefined, isResourceRoot: boolean): string[] {
  let s = schema;
  if (isResourceRoot) s = { ...(s ?? {}), 'x-kubernetes-embedded-resource': true };
  const paths: string[] = [];
  prune(obj, s, '', paths);
  return paths.sort();
}
