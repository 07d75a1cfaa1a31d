/**
 * Embedded resources (`x-kubernetes-embedded-resource`) as upstream's custom resource decoder reads them
 * (objectmeta.CoerceWithOptions, run after pruning, on requests and on objects read from storage):
 *
 * - an `apiVersion` or `kind` that is no string, or a `metadata` that metav1.ObjectMeta cannot take (a time that
 *   does not parse), refuses the body (`decodeError`), naming the field and its value as Go prints an
 *   `interface {}` (`%#v` of a map, `%q` of a string);
 * - otherwise the metadata is read into ObjectMeta and written back (`coerceEmbeddedResources`): fields ObjectMeta
 *   does not have are dropped and reported (`spec.template.metadata.foo`, `spec.byName[a].metadata.foo`), fields
 *   Go writes with `omitempty` disappear when empty (`name: ""`, `labels: {}`, `generation: 0`, null), a null
 *   metadata becomes `{}`, times come back as Go writes them, owner references carry their four required fields.
 *
 * The resource root is not treated here (the registry reads its metadata as every kind's), except where CRD validation
 * asks for it, checking a schema default as upstream's objectmeta.Coerce does (embeddedResourceCoerceError).
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { GoValue } from '../../machinery/field-errors.ts';
import { objectMetaDecodeError } from '../../machinery/godecode/index.ts';
import { readGoTimeField } from '../../machinery/godecode/gotime.ts';
import { goQuote, goSyntax } from '../../machinery/gofmt.ts';
import { fieldPath } from './listtype.ts';
import { additionalOf, isObject, itemsOf, type JSONSchemaProps } from './structural.ts';

/** The first embedded resource's decode error in `obj` (the root's own metadata is checked elsewhere). */
export function embeddedResourceDecodeError(obj: unknown, schema: JSONSchemaProps | undefined): string | undefined {
  const err = embeddedResourceCoerceError(obj, schema, '', false);
  return err && `${err.field}: Invalid value: ${(err.badValue as GoValue).text}: ${err.detail}`;
}

/**
 * The same first error as a field error below `path` (upstream's objectmeta.Coerce returns one): CRD validation
 * checks a schema default with it, the default's own node counting as a resource root when `isResourceRoot`.
 */
export function embeddedResourceCoerceError(obj: unknown, schema: JSONSchemaProps | undefined, path: string, isResourceRoot: boolean): FieldError | undefined {
  return firstError(obj, schema, path, isResourceRoot);
}

function firstError(x: unknown, s: JSONSchemaProps | undefined, path: string, atRoot = false): FieldError | undefined {
  if (!s) return undefined;
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    for (let i = 0; i < x.length; i++) {
      const err = firstError(x[i], items, fieldPath.index(path, i));
      if (err) return err;
    }
    return undefined;
  }
  if (!isObject(x)) return undefined;
  const embedded = atRoot || (s['x-kubernetes-embedded-resource'] === true && path !== '');
  const additional = additionalOf(s);
  const bad = (k: string, v: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field: fieldPath.child(path, k), badValue: new GoValue(badValue(v)), detail });
  // Key by key, as upstream's coercer: a key's own check, then what is below it.
  for (const k of Object.keys(x)) {
    if (embedded && (k === 'apiVersion' || k === 'kind') && typeof x[k] !== 'string') return bad(k, x[k], 'must be a string');
    if (embedded && k === 'metadata') {
      const err = objectMetaDecodeError(x.metadata);
      if (err) return bad(k, x.metadata, err);
    }
    const prop = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    const err = prop ? firstError(x[k], prop, fieldPath.child(path, k)) : additional ? firstError(x[k], additional, fieldPath.key(path, k)) : undefined;
    if (err) return err;
  }
  return undefined;
}

/** A field error's `interface {}` value: `%v` of numbers and booleans, `%q` of strings, `%#v` of the rest. */
function badValue(v: unknown): string {
  if (v === null || v === undefined) return '"null"';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return goSyntax(v);
}

// ---------------------------------------------------------------------------------------------------------------
// ObjectMeta's round trip: which fields exist, and which Go leaves out when empty.

type Kept = 'omitempty' | 'always' | 'pointer';

const objectMetaFields: Record<string, Kept> = {
  name: 'omitempty', generateName: 'omitempty', namespace: 'omitempty', selfLink: 'omitempty', uid: 'omitempty',
  resourceVersion: 'omitempty', generation: 'omitempty', creationTimestamp: 'omitempty', deletionTimestamp: 'pointer',
  deletionGracePeriodSeconds: 'pointer', labels: 'omitempty', annotations: 'omitempty', ownerReferences: 'omitempty',
  finalizers: 'omitempty', managedFields: 'omitempty',
};

const ownerReferenceFields: Record<string, Kept> = {
  apiVersion: 'always', kind: 'always', name: 'always', uid: 'always', controller: 'pointer', blockOwnerDeletion: 'pointer',
};

const managedFieldsEntryFields: Record<string, Kept> = {
  manager: 'omitempty', operation: 'omitempty', apiVersion: 'omitempty', time: 'pointer', fieldsType: 'omitempty',
  fieldsV1: 'pointer', subresource: 'omitempty',
};

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** Writes `x` back as Go writes the struct it was read into: unknown fields out (reported), empty ones as Go omits them. */
function roundTrip(x: Record<string, unknown>, fields: Record<string, Kept>, path: string, unknown: string[]): void {
  for (const k of Object.keys(x)) {
    const kept = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (kept === undefined) {
      unknown.push(`${path}.${k}`);
      delete x[k];
    } else if (kept === 'omitempty' ? isEmpty(x[k]) : kept === 'pointer' && x[k] === null) delete x[k];
  }
  for (const [k, kept] of Object.entries(fields)) {
    if (kept === 'always' && (x[k] === undefined || x[k] === null)) x[k] = '';
  }
}

function coerceMetadata(x: Record<string, unknown>, path: string, unknown: string[]): void {
  if (!Object.hasOwn(x, 'metadata')) return;
  if (x.metadata === null) x.metadata = {};
  const meta = x.metadata;
  if (!isObject(meta)) return;
  const metaPath = fieldPath.child(path, 'metadata');
  readGoTimeField(meta, 'creationTimestamp', false);
  readGoTimeField(meta, 'deletionTimestamp', false);
  roundTrip(meta, objectMetaFields, metaPath, unknown);
  if (Array.isArray(meta.ownerReferences)) {
    meta.ownerReferences.forEach((r, i) => isObject(r) && roundTrip(r, ownerReferenceFields, `${metaPath}.ownerReferences[${i}]`, unknown));
  }
  if (Array.isArray(meta.managedFields)) {
    meta.managedFields.forEach((e, i) => {
      if (!isObject(e)) return;
      readGoTimeField(e, 'time', false);
      roundTrip(e, managedFieldsEntryFields, `${metaPath}.managedFields[${i}]`, unknown);
    });
  }
}

/**
 * Coerces, in place, the metadata of every embedded resource below the root (after pruning, as upstream).
 * Returns the paths of the metadata fields ObjectMeta does not have, sorted: they follow pruning's paths.
 */
export function coerceEmbeddedResources(obj: unknown, schema: JSONSchemaProps | undefined): string[] {
  const unknown: string[] = [];
  coerce(obj, schema, '', unknown);
  return unknown.sort();
}

function coerce(x: unknown, s: JSONSchemaProps | undefined, path: string, unknown: string[]): void {
  if (!s) return;
  if (Array.isArray(x)) {
    const items = itemsOf(s);
    x.forEach((v, i) => coerce(v, items, fieldPath.index(path, i), unknown));
    return;
  }
  if (!isObject(x)) return;
  if (s['x-kubernetes-embedded-resource'] === true && path !== '') coerceMetadata(x, path, unknown);
  const additional = additionalOf(s);
  for (const k of Object.keys(x)) {
    const prop = s.properties && Object.hasOwn(s.properties, k) ? s.properties[k] : undefined;
    if (prop) coerce(x[k], prop, fieldPath.child(path, k), unknown);
    else if (additional) coerce(x[k], additional, fieldPath.key(path, k), unknown);
  }
}
