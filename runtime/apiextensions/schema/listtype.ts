/**
 * The invariants of `x-kubernetes-list-type` (upstream's `listtype.ValidateListSetsAndMaps`): a `set` holds each
 * value once, a `map` holds each combination of its `x-kubernetes-list-map-keys` once. Errors are
 * `Duplicate value` on the later item (`spec.ports[2]`), reported once per repeated value.
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { goInterfaceValue } from '../../machinery/go-syntax.ts';
import { goJson } from '../../machinery/json-value.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

/** Field-path helpers with upstream's field.Path syntax. */
export const fieldPath = {
  child: (p: string, name: string) => (p ? `${p}.${name}` : name),
  key: (p: string, key: string) => `${p}[${key}]`,
  index: (p: string, i: number) => `${p}[${i}]`,
};

/** Whether a schema or anything below it declares a list type this check cares about. */
export function hasListTypes(s: JSONSchemaProps | undefined): boolean {
  if (!s) return false;
  const t = s['x-kubernetes-list-type'];
  if (t === 'set' || t === 'map') return true;
  if (hasListTypes(itemsOf(s)) || hasListTypes(additionalOf(s))) return true;
  return Object.values(s.properties ?? {}).some(hasListTypes);
}

function validateValue(path: string, s: JSONSchemaProps, v: unknown, errs: FieldError[]): void {
  if (Array.isArray(v)) validateArray(path, s, v, errs);
  else if (isObject(v)) validateObject(path, s, v, errs);
}

function validateObject(path: string, s: JSONSchemaProps, obj: Record<string, unknown>, errs: FieldError[]): void {
  const additional = additionalOf(s);
  if (additional) for (const [k, v] of Object.entries(obj)) validateValue(fieldPath.key(path, k), additional, v, errs);
  if (s.properties) {
    for (const [k, v] of Object.entries(obj)) {
      if (Object.hasOwn(s.properties, k)) validateValue(fieldPath.child(path, k), s.properties[k], v, errs);
    }
  }
}

/** A canonical string of a JSON value: Go's json.Marshal of it (map keys sorted; an int64 past 2^53 as its digits). */
const canonical = (v: unknown): string => goJson(v ?? null);

/** Indexes of the second occurrence of each repeated value. */
function nonUnique(values: unknown[], keyOf: (v: unknown) => string = canonical): number[] {
  const seen = new Map<string, number>();
  const out: number[] = [];
  values.forEach((v, i) => {
    const k = keyOf(v);
    const times = seen.get(k) ?? 0;
    seen.set(k, times + 1);
    if (times === 1) out.push(i);
  });
  return out;
}

function validateArray(path: string, s: JSONSchemaProps, arr: unknown[], errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    // Scalars compare by value and type (1 and "1" differ), compounds by their JSON.
    for (const i of nonUnique(arr, (v) => (v !== null && typeof v === 'object' ? `c${canonical(v)}` : `s${typeof v}:${String(v)}`))) {
      errs.push({ type: 'FieldValueDuplicate', field: fieldPath.index(path, i), badValue: goInterfaceValue(arr[i]) });
    }
  } else if (listType === 'map') {
    validateListMap(path, s, arr, errs);
  }
  const items = itemsOf(s);
  if (items) arr.forEach((v, i) => validateValue(fieldPath.index(path, i), items, v, errs));
}

function validateListMap(path: string, s: JSONSchemaProps, arr: unknown[], errs: FieldError[]): void {
  for (let i = 0; i < arr.length; i++) {
    if (arr[i] !== null && !isObject(arr[i])) {
      errs.push({ type: 'FieldValueInvalid', field: fieldPath.index(path, i), badValue: goInterfaceValue(arr[i]), detail: 'must be an object for an array of list-type map' });
      return;
    }
  }
  if (arr.length <= 1) return;
  const keyFields = s['x-kubernetes-list-map-keys'] ?? [];
  const keys = arr.map((x) => {
    const key: Record<string, unknown> = {};
    if (isObject(x)) for (const f of keyFields) if (Object.hasOwn(x, f)) key[f] = x[f];
    return key;
  });
  for (const i of nonUnique(keys)) errs.push({ type: 'FieldValueDuplicate', field: fieldPath.index(path, i), badValue: goInterfaceValue(keys[i]) });
}

/** Duplicate errors of every set and map list in `obj`. */
export function validateListSetsAndMaps(s: JSONSchemaProps, obj: unknown): FieldError[] {
  const errs: FieldError[] = [];
  if (isObject(obj)) validateObject('', s, obj, errs);
  return errs;
}
