/**
 * Structural pruning (upstream's `pruning.PruneWithOptions`): removes, in place, every object field the schema
 * does not specify, and returns the paths of the removed fields (sorted, `spec.foo`, `spec.items[0].bar`) so
 * the REST layer can warn (fieldValidation=Warn) or refuse (Strict).
 *
 * - `x-kubernetes-preserve-unknown-fields: true` keeps unknown fields at that level, while fields it does
 *   specify (`properties`, `additionalProperties`, `items`) are still pruned below.
 * - `x-kubernetes-embedded-resource` keeps `apiVersion`, `kind` and `metadata`; so does the resource root, where
 *   they are never reported. What an embedded resource's metadata holds is ObjectMeta's to say, after pruning
 *   (./embedded-metadata.ts).
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
    for (let i = 0; i < x.length; i++) if (x[i] !== null && typeof x[i] === 'object') prune(x[i], items, `${path}[${i}]`, paths);
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
    const v = x[k];
    // Scalars have nothing to prune: skip building their paths (the hot path of every decode).
    if (prop && Object.hasOwn(s.properties!, k)) {
      if (v !== null && typeof v === 'object') prune(v, prop, childPath(path, k), paths);
    } else if (additional) {
      if (v !== null && typeof v === 'object') prune(v, additionalOf(s), childPath(path, k), paths);
    }
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

const rootCache = new WeakMap<JSONSchemaProps, JSONSchemaProps>();

/** The root's schema as pruning sees it: an embedded resource (apiVersion, kind, metadata kept). */
function rootSchema(s: JSONSchemaProps): JSONSchemaProps {
  let r = rootCache.get(s);
  if (!r) rootCache.set(s, (r = { ...s, 'x-kubernetes-embedded-resource': true }));
  return r;
}

/**
 * Prunes `obj` in place against `schema`; `isResourceRoot` keeps the root's apiVersion, kind and metadata.
 * Returns the removed paths, sorted as upstream sorts them.
 */
export function pruneObject(obj: unknown, schema: JSONSchemaProps | undefined, isResourceRoot: boolean): string[] {
  let s = schema;
  if (isResourceRoot) s = rootSchema(s ?? {});
  const paths: string[] = [];
  prune(obj, s, '', paths);
  return paths.sort();
}
