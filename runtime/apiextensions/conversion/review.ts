/**
 * The ConversionReview a CRD's conversion webhook gets, and the checks its answer must pass before anything it
 * returns is used (upstream's webhook converter): the review's kind and uid, `result.status` Success, as many
 * objects as were sent, each in the desired apiVersion with the same kind, and metadata unchanged but for labels
 * and annotations (which must still be valid). Pure functions: errors are thrown with upstream's words and the
 * caller prefixes them with the CRD's group, version and kind.
 */
import { fieldErrorMessage } from '../../machinery/field-errors.ts';
import { validateObjectMeta } from '../../registry/objectmeta.ts';
import type { StoredObject } from '../../storage/store.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

/** The ConversionReview versions this server speaks, as `conversionReviewVersions` names them. */
export type ReviewVersion = 'v1' | 'v1beta1';

const reviewGroup = 'apiextensions.k8s.io';

/** The first of the CRD's `conversionReviewVersions` this server speaks (upstream picks in the CRD's order). */
export function pickReviewVersion(conversionReviewVersions: readonly string[] | undefined): ReviewVersion {
  for (const v of conversionReviewVersions ?? []) if (v === 'v1' || v === 'v1beta1') return v;
  throw new Error('no supported conversion review versions');
}

export function conversionReview(version: ReviewVersion, uid: string, desiredAPIVersion: string, objects: StoredObject[]): StoredObject {
  return { kind: 'ConversionReview', apiVersion: `${reviewGroup}/${version}`, request: { uid, desiredAPIVersion, objects } };
}

/**
 * The converted objects of a webhook's answer, or an Error saying what is wrong with it. A v1beta1 answer is
 * not checked for its kind and uid, as upstream (older webhooks did not echo them).
 */
export function convertedObjectsOf(version: ReviewVersion, expectedUID: string, review: StoredObject): unknown[] {
  if (version === 'v1') {
    const want = `${reviewGroup}/v1, Kind=ConversionReview`;
    const got = gvkString(review);
    if (got !== want) throw new Error(`expected webhook response of ${want}, got ${got}`);
  }
  const response = review.response;
  if (response === undefined || response === null) throw new Error('no response provided');
  if (typeof response !== 'object' || Array.isArray(response)) throw new Error(`json: cannot unmarshal ${jsonType(response)} into Go struct field ConversionReview.response of type ${version}.ConversionResponse`);
  if (version === 'v1' && String(response.uid ?? '') !== expectedUID) throw new Error(`expected response.uid=${JSON.stringify(expectedUID)}, got ${JSON.stringify(String(response.uid ?? ''))}`);
  const result = response.result ?? {};
  if (result.status !== 'Success') {
    if (typeof result.message === 'string' && result.message.length > 0) throw new Error(result.message);
    throw new Error(`response.result.status was '${typeof result.status === 'string' ? result.status : ''}', not 'Success'`);
  }
  const converted = response.convertedObjects ?? [];
  if (!Array.isArray(converted)) throw new Error(`json: cannot unmarshal ${jsonType(converted)} into Go struct field ConversionResponse.response.convertedObjects of type []runtime.RawExtension`);
  return converted;
}

/** Go's `schema.GroupVersionKind.String()` of an object: `group/version, Kind=Kind` (`/v1, Kind=X` for core). */
export function gvkString(obj: { apiVersion?: unknown; kind?: unknown }): string {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const slash = apiVersion.indexOf('/');
  const [group, version] = slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  return `${group}/${version}, Kind=${typeof obj.kind === 'string' ? obj.kind : ''}`;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

const metaString = (obj: StoredObject, field: string): string => {
  const v = obj.metadata?.[field];
  return typeof v === 'string' ? v : '';
};

/** A problem upstream reports without the "conversion webhook for <kind>" prefix (a single object that is no object). */
export class BareConversionError extends Error {}

/**
 * One converted object, checked against the one sent: an object, in the desired apiVersion, the same kind, name,
 * namespace and uid. Returns it with the original's metadata restored except labels and annotations, which the
 * webhook may change (and must leave valid). Messages start with what the webhook `returned` and say where, in
 * upstream's words for a single object or for the `index`th object of a list (counted from 1 after decoding, as
 * upstream's message does).
 */
export function checkConverted(original: StoredObject, converted: unknown, desiredAPIVersion: string, list: boolean, index: number): StoredObject {
  const undecodable = (reason: string) => (list ? new Error(`returned invalid converted object at index ${index}: ${reason}`) : new BareConversionError(reason));
  if (converted === null || typeof converted !== 'object' || Array.isArray(converted)) throw undecodable(`json: cannot unmarshal ${jsonType(converted)} into Go value of type map[string]interface {}`);
  const out = structuredClone(converted) as StoredObject;
  if (typeof out.kind !== 'string' || out.kind === '') throw undecodable(`Object 'Kind' is missing in '${JSON.stringify(converted)}'`);
  const at = list ? `returned invalid converted object at index ${index + 1}` : 'returned invalid object at index 0';
  if (out.apiVersion !== desiredAPIVersion) throw new Error(`${at}: invalid groupVersion (expected ${desiredAPIVersion}, received ${typeof out.apiVersion === 'string' ? out.apiVersion : ''})`);
  if (out.kind !== original.kind) throw new Error(`${at}: invalid kind (expected ${original.kind}, received ${out.kind})`);
  const invalid = list ? at : 'returned invalid object';
  for (const [field, label] of [['name', 'name'], ['namespace', 'namespace'], ['uid', 'UID']] as const) {
    const before = metaString(original, field);
    const after = out.metadata && typeof out.metadata === 'object' ? metaString(out, field) : '';
    if (before !== after) throw new Error(`${invalid}: must have the same ${label}: ${before} != ${after}`);
  }
  restoreObjectMeta(original, out, list ? `returned invalid metadata in object at index ${index + 1}` : 'returned invalid metadata');
  return out;
}

/** Puts the original's metadata back into `converted`, keeping only the labels and annotations the webhook set. */
function restoreObjectMeta(original: StoredObject, converted: StoredObject, where: string): void {
  const answered = converted.metadata;
  if (answered === undefined) throw new Error(`${where}: missing metadata in converted object`);
  if (answered === null || typeof answered !== 'object' || Array.isArray(answered)) throw new Error(`${where}: invalid metadata of type ${goType(answered)} in converted object`);
  const meta: Record<string, unknown> = structuredClone(original.metadata ?? {});
  for (const field of ['labels', 'annotations'] as const) {
    const value = answered[field];
    if (value === undefined || value === null) {
      delete meta[field];
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: invalid metadata.${field} of type ${goType(value)} in converted object`);
    const before = (meta[field] ?? {}) as Record<string, unknown>;
    let changed = Object.keys(before).length !== Object.keys(value).length;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (typeof v !== 'string') throw new Error(`${where}: metadata.${field}[${k}] must be a string, but is ${goType(v)} in converted object`);
      if (before[k] !== v) changed = true;
    }
    if (changed) {
      const errors = validateObjectMeta({ name: 'x', [field]: value }, { namespaced: false, nameFormat: 'path-segment' }).filter((e) => e.field.startsWith(`metadata.${field}`));
      if (errors.length) throw new Error(`${where}: ${aggregateErrors(errors.map((e) => fieldErrorMessage(field === 'annotations' ? { ...e, field: e.field.replace('metadata.annotations', 'metadata.annotation') } : e)))}`);
    }
    meta[field] = value;
  }
  converted.metadata = meta;
}

/** How Go's `%T` names a decoded JSON value's type. */
function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'object':
      return v === null ? '<nil>' : 'map[string]interface {}';
    default:
      return typeof v;
  }
}
