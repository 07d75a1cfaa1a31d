/**
 * Defaulting (upstream's `defaulting.Default` and `PruneNonNullableNullsWithoutDefaults`): fills in `default`s
 * top-down, in place, where a field is absent or null but not nullable; inside array items and map values too.
 * Each default is deep-copied, so no two objects share it.
 */
// A default is copied with its whole numbers past 2^53 as int64s (BigInts), as upstream decodes it.
import { wholeNumbersAsInt64 } from '../../machinery/json-int64.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

function isNonNullableNull(x: unknown, s: JSONSchemaProps | undefined): boolean {
  return x === null && s !== undefined && s.nullable !== true;
}

export function applyDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (!s) return;
  if (isObject(x)) {
    const props = s.properties;
    if (props) {
      for (const [k, prop] of Object.entries(props)) {
        if (prop.default === undefined) continue;
        if (!Object.hasOwn(x, k) || x[k] === undefined || isNonNullableNull(x[k], prop)) x[k] = wholeNumbersAsInt64(prop.default);
      }
    }
    const additional = additionalOf(s);
    for (const k of Object.keys(x)) {
      const prop = props && Object.hasOwn(props, k) ? props[k] : undefined;
      if (prop) applyDefaults(x[k], prop);
      else if (additional) {
        if (isNonNullableNull(x[k], additional) && additional.default !== undefined) x[k] = wholeNumbersAsInt64(additional.default);
        applyDefaults(x[k], additional);
      }
    }
  } else if (Array.isArray(x)) {
    const items = itemsOf(s);
    if (!items) return;
    for (let i = 0; i < x.length; i++) {
      if (isNonNullableNull(x[i], items) && items.default !== undefined) x[i] = wholeNumbersAsInt64(items.default);
      applyDefaults(x[i], items);
    }
  }
}

function schemaForField(field: string, s: JSONSchemaProps | undefined): JSONSchemaProps | undefined {
  if (!s) return undefined;
  if (s.properties && Object.hasOwn(s.properties, field)) return s.properties[field];
  return additionalOf(s);
}

/** Removes nulls where the schema neither allows null nor has a default to put there (after pruning). */
export function pruneNonNullableNullsWithoutDefaults(x: unknown, s: JSONSchemaProps | undefined): void {
  if (isObject(x)) {
    for (const k of Object.keys(x)) {
      const sub = schemaForField(k, s);
      if (x[k] === null && sub && sub.nullable !== true && sub.default === undefined) delete x[k];
      else pruneNonNullableNullsWithoutDefaults(x[k], sub);
    }
  } else if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (const v of x) pruneNonNullableNullsWithoutDefaults(v, items);
  }
}

/** Whether a schema sets a `default` anywhere (without one, defaulting has nothing to do). */
export function hasDefaults(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  if (s.default !== undefined) return true;
  return hasDefaults(itemsOf(s)) || hasDefaults(additionalOf(s)) || Object.values(s.properties ?? {}).some(hasDefaults);
}
