/**
 * Field paths as upstream's field.Path prints them: `spec.validation.openAPIV3Schema.properties[spec].type`,
 * `spec.versions[0].name`. Kept as plain strings: validation only ever appends.
 */
export const child = (path: string, ...names: string[]): string => names.reduce((p, n) => (p ? `${p}.${n}` : n), path);
export const key = (path: string, k: string): string => `${path}[${k}]`;
export const index = (path: string, i: number): string => `${path}[${i}]`;

/** A JSON schema node as the CRD holds it (apiextensions.k8s.io/v1 JSONSchemaProps, parsed JSON). */
export type Schema = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function isObject(v: unknown): v is Schema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The single-schema form of `items` (undefined when absent or when it is the array form). */
export function itemsSchema(s: Schema): Schema | undefined {
  return isObject(s.items) ? (s.items as Schema) : undefined;
}

/** The schema form of `additionalProperties` (undefined when absent or a boolean). */
export function additionalPropertiesSchema(s: Schema): Schema | undefined {
  return isObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined;
}

/** Properties in a stable order: upstream walks a Go map (random order) and sorts some lists; we sort by name. */
export function propertyEntries(s: Schema): Array<[string, Schema]> {
  if (!isObject(s.properties)) return [];
  return Object.entries(s.properties as Record<string, Schema>)
    .filter(([, v]) => isObject(v))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Calls `visit` on `s` and every schema below it (properties, items, additionalProperties, allOf/anyOf/oneOf/not, ...). */
export function someSchema(s: Schema | undefined, pred: (s: Schema) => boolean): boolean {
  if (!isObject(s)) return false;
  if (pred(s)) return true;
  if (Array.isArray(s.items)) {
    if (s.items.some((x: Schema) => someSchema(x, pred))) return true;
  } else if (someSchema(s.items, pred)) return true;
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[k]) && s[k].some((x: Schema) => someSchema(x, pred))) return true;
  if (someSchema(s.not, pred)) return true;
  for (const k of ['properties', 'patternProperties', 'definitions']) {
    if (isObject(s[k]) && Object.values(s[k] as Record<string, Schema>).some((x) => someSchema(x, pred))) return true;
  }
  if (someSchema(s.additionalProperties, pred) || someSchema(s.additionalItems, pred)) return true;
  if (isObject(s.dependencies) && Object.values(s.dependencies as Record<string, unknown>).some((d) => someSchema(d as Schema, pred))) return true;
  return false;
}
