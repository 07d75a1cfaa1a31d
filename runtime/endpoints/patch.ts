/**
 * PATCH bodies, as kube-apiserver's patch handler applies them to the stored object: JSON Patch (RFC 6902),
 * JSON Merge Patch (RFC 7386) and strategic merge patch (built-in kinds only; custom resources answer 415, as
 * upstream). Errors carry upstream's codes and texts: undecodable bodies 400, operations that do not apply 422,
 * malformed strategic directives 400 or 500 as upstream passes them on. The patched object must keep the URL's
 * name and namespace and the stored uid; under `fieldValidation=Strict` unknown or repeated fields fail the patch
 * with 422 (upstream's "strict decoding error"), under `Warn` they come back as warnings.
 */
import { patchedRawForms, withRawValues } from '../machinery/raw-json.ts';
import { forbidden } from '../machinery/field-errors.ts';
import { patchedObjectError } from '../machinery/godecode/index.ts';
import { decodeGoJson, goJsonKind, GoJsonSyntaxError, type Json } from '../machinery/gojson.ts';
import { goJson, isJsonObject as isObject } from '../machinery/json-value.ts';
import { keepsInt64Of, mayHoldInt64, parseJsonInt64 } from '../machinery/json-int64.ts';
import { applyJsonPatch, JsonPatchError } from '../machinery/jsonpatch.ts';
import { mergePatch } from '../machinery/mergepatch.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import { prune } from '../machinery/prune.ts';
import * as status from '../machinery/status.ts';
import { checkRequestName, ensureRequestNamespace } from '../machinery/object-identity.ts';
import { goQuote, goValue } from '../machinery/gofmt.ts';
import { strategicMergePatch, type JsonMap } from '../machinery/strategicpatch/merge.ts';
import { patchSchemaFromTable } from '../machinery/strategicpatch/schema.ts';
import type { StoredObject } from '../storage/store.ts';

const jsonPatchType = 'application/json-patch+json';
const mergePatchType = 'application/merge-patch+json';
const strategicMergePatchType = 'application/strategic-merge-patch+json';
/** Server-side apply (runtime/fieldmanager), routed before any of the patches here. */
const applyPatchType = 'application/apply-patch+yaml';

export const patchTypes = [jsonPatchType, mergePatchType, strategicMergePatchType, applyPatchType];

/** kube-apiserver's limit on the operations of one JSON patch. */
export const maxJsonPatchOperations = 10000;

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface PatchOptions {
  /**
   * What to do about unknown and repeated fields; given, the result is pruned of fields the kind does not
   * declare. Left out, the result is not pruned (a subresource's view, such as a Scale, is not of the kind).
   */
  fieldValidation?: FieldValidation;
  /** The URL's name and namespace: the patched object must keep them (checked when given). */
  name?: string;
  namespace?: string;
  /** Whether the kind is namespaced (required with `name`). */
  namespaced?: boolean;
}

export interface PatchResult {
  object: StoredObject;
  /** Warnings for `fieldValidation=Warn`: repeated fields of the body, then unknown fields of the result. */
  warnings: string[];
}

/**
 * Refuses a patch type the kind does not take before anything is read (strategic merge patch needs patch
 * metadata, which custom resources do not have), and options these patches cannot have (`force` is for apply).
 */
export function checkPatchType(type: string, kind: KindRegistration, query?: URLSearchParams): void {
  if (type === strategicMergePatchType && !kind.builtIn) {
    const accepted = patchTypes.filter((t) => t !== strategicMergePatchType);
    throw status.failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
  }
  if (query?.has('force') && [jsonPatchType, mergePatchType, strategicMergePatchType].includes(type)) {
    const force = query.get('force');
    if (!['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(force ?? '')) throw status.badRequest(`strconv.ParseBool: parsing ${goQuote(force ?? '')}: invalid syntax`);
    throw status.invalid('meta.k8s.io', 'PatchOptions', '', [forbidden('force', 'may not be specified for non-apply patch')]);
  }
}

/**
 * Applies a patch body to `current` and returns the patched object, its unknown fields pruned per
 * `fieldValidation`. `current` is modified (also when the patch fails): pass a copy.
 */
export function patchObject(type: string, current: StoredObject, raw: string, kind: KindRegistration, opts: PatchOptions = {}): PatchResult {
  checkPatchType(type, kind);
  const was = { apiVersion: current.apiVersion, kind: current.kind, uid: current.metadata?.uid as unknown };
  // RawExtension fields are patched as values; their texts as the patched object has them are set after.
  const rawFields = kind.rawJsonFields ?? [];
  const rawBefore = rawFields.map((f) => current[f] as unknown);
  current = withRawValues(rawFields, current);
  const directive: FieldValidation = opts.fieldValidation ?? 'Ignore';
  const strict = directive !== 'Ignore';
  let result: Json;
  let strictErrors: string[];
  /** How a strict-decoding failure shows the patch: the patched JSON, or the patch map for strategic merge. */
  let shown: () => string;
  if (type === jsonPatchType) {
    const ops = decodeJsonPatch(raw, strict, keepsInt64Of(kind));
    strictErrors = ops.strictErrors;
    try {
      result = applyJsonPatch(current as Json, ops.ops);
    } catch (e) {
      if (e instanceof JsonPatchError) throw unprocessable();
      throw e;
    }
    shown = () => goJson(result);
  } else if (type === mergePatchType) {
    const patch = decodeMergePatch(raw, strict, keepsInt64Of(kind));
    strictErrors = patch.strictErrors;
    result = mergePatch(current as JsonMap, patch.value);
    shown = () => goJson(result);
  } else if (type === strategicMergePatchType) {
    const patch = decodeStrategicPatch(raw, strict);
    strictErrors = patch.strictErrors;
    result = patch.value ? strategicMergePatch(current as JsonMap, patch.value, patchSchemaFromTable(kind.patchMeta)) : (current as JsonMap);
    // A strategic merge patch is applied to the typed object, whose type does not change.
    if (isObject(result)) Object.assign(result, { apiVersion: was.apiVersion, kind: was.kind });
    const patchMap = patch.value;
    shown = () => goValue(patchMap ?? {});
  } else {
    throw status.unsupportedMediaType(type);
  }

  const object = decodeResult(result, was, kind, () => shown());
  // A strategic merge patch works on the typed object's map (ToUnstructured, FromUnstructured); JSON and merge
  // patches on its JSON text, whose members the patch does not reach keep their bytes (json-patch's lazy nodes).
  if (rawFields.length) patchedRawForms(rawFields, rawBefore, object, type !== strategicMergePatchType);
  // What the kind's Go types cannot take fails the patch before any strict-decoding error, as upstream.
  const undecodable = patchedObjectError(kind, object, type === strategicMergePatchType);
  if (undecodable) throw invalidPatch(shown(), undecodable);
  // A strategic merge patch's versioned result is then converted to the internal version (handlers/patch.go's
  // smpPatcher): what that conversion refuses is no API status upstream, so a 500 without a reason.
  const unconvertible = type === strategicMergePatchType && kind.builtIn ? kind.decodeError?.(object) : undefined;
  if (unconvertible) throw status.failure(500, undefined, unconvertible);
  const unknown = opts.fieldValidation === undefined ? [] : kind.prune ? kind.prune(object) : prune(object, kind.schema);
  if (strict) {
    strictErrors = [...strictErrors, ...unknown.map((p) => `unknown field "${p}"`).sort()];
    if (directive === 'Strict' && strictErrors.length) throw invalidPatch(shown(), `strict decoding error: ${strictErrors.join(', ')}`);
  }
  if (opts.name !== undefined) checkIdentity(object, was.uid, kind, opts.namespaced ? (opts.namespace ?? '') : '', opts.name);
  return { object, warnings: directive === 'Warn' ? strictErrors : [] };
}

/** The patched object (`current` is modified), without warnings or identity checks (what a subresource patch needs). */
export function applyPatch(type: string, current: StoredObject, raw: string, kind: KindRegistration): StoredObject {
  return patchObject(type, current, raw, kind).object;
}


/** 422 with the generic message upstream's handler gives every JSON patch operation that does not apply. */
function unprocessable(): status.StatusError {
  return status.failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** 422 about the patch as a whole (field `patch`), as upstream reports results it cannot decode. */
function invalidPatch(value: string, detail: string): status.StatusError {
  const body = `Invalid value: ${goQuote(value)}: ${detail}`;
  return status.failure(422, 'Invalid', ` "" is invalid: patch: ${body}`, { causes: [{ reason: 'FieldValueInvalid', message: body, field: 'patch' }] });
}

/**
 * A patch body as Go reads it. `exact`: the patch of a custom resource (or a CRD), whose JSON and merge patches upstream apply
 * to JSON text, so an int64 past 2^53 in the patch arrives as written (machinery/json-int64.ts).
 */
function decode(raw: string, strict: boolean, exact = false): { value: Json; duplicates: string[] } {
  const decoded = decodeGoJson(raw, strict);
  if (exact && mayHoldInt64(raw)) decoded.value = parseJsonInt64(raw) as Json;
  return decoded;
}

/** A JSON patch body: an array of operations (`op`, `path`, `from` strings, any `value`). */
function decodeJsonPatch(raw: string, strict: boolean, exact: boolean): { ops: Record<string, Json>[]; strictErrors: string[] } {
  let decoded: { value: Json; duplicates: string[] };
  try {
    decoded = decode(raw, strict, exact);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw status.badRequest(strict ? `error decoding patch: ${e.message}` : e.message);
    throw e;
  }
  const v = decoded.value;
  // Upstream decodes into its own operation type when validating fields, else into the library's.
  const [listType, opType] = strict ? ['[]handlers.jsonPatchOp', 'handlers.jsonPatchOp'] : ['jsonpatch.Patch', 'jsonpatch.Operation'];
  const typeError = (detail: string) => status.badRequest(strict ? `error decoding patch: json: cannot unmarshal ${detail}` : `json: cannot unmarshal ${detail}`);
  if (v !== null && !Array.isArray(v)) throw typeError(`${goJsonKind(v)} into Go value of type ${listType}`);
  const ops = (v ?? []) as Json[];
  const strictErrors: string[] = [];
  ops.forEach((op, n) => {
    if (op !== null && !isObject(op)) throw typeError(`${goJsonKind(op)} into Go value of type ${opType}`);
    if (!strict || op === null) return;
    for (const field of ['op', 'path', 'from'] as const) {
      const f = op[field];
      if (f !== undefined && f !== null && typeof f !== 'string') throw typeError(`${goJsonKind(f)} into Go struct field jsonPatchOp.${field} of type string`);
    }
    for (const k of Object.keys(op)) if (!['op', 'path', 'from', 'value'].includes(k)) strictErrors.push(`json patch unknown field "[${n}].${k}"`);
  });
  if (ops.length > maxJsonPatchOperations) {
    throw status.requestEntityTooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${ops.length}`);
  }
  strictErrors.push(...decoded.duplicates.map((d) => `json patch ${d}`));
  // In the order the decoder meets them: operation by operation.
  const opIndex = (e: string) => Number(/"\[(\d+)\]/.exec(e)?.[1] ?? 0);
  strictErrors.sort((a, b) => opIndex(a) - opIndex(b));
  return { ops: ops.map((op) => (op ?? {}) as Record<string, Json>), strictErrors };
}

/** A merge patch body: a JSON object (`null` and non-objects are refused as upstream refuses them). */
function decodeMergePatch(raw: string, strict: boolean, exact: boolean): { value: JsonMap; strictErrors: string[] } {
  let decoded: { value: Json; duplicates: string[] };
  try {
    decoded = decode(raw, strict, exact);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw status.badRequest(strict ? `error decoding patch: ${e.message}` : 'Invalid JSON Patch');
    throw e;
  }
  const v = decoded.value;
  if (strict && v !== null && !isObject(v)) throw status.badRequest(`error decoding patch: json: cannot unmarshal ${goJsonKind(v)} into Go value of type map[string]interface {}`);
  if (!isObject(v)) throw status.badRequest('Invalid JSON Patch');
  return { value: v, strictErrors: decoded.duplicates };
}

/** A strategic merge patch body: a JSON object, or null (which changes nothing). */
function decodeStrategicPatch(raw: string, strict: boolean): { value: JsonMap | null; strictErrors: string[] } {
  let decoded: { value: Json; duplicates: string[] };
  try {
    decoded = decode(raw, strict);
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) throw status.badRequest(e.message);
    throw e;
  }
  const v = decoded.value;
  if (v !== null && !isObject(v)) throw status.badRequest(`json: cannot unmarshal ${goJsonKind(v)} into Go value of type map[string]interface {}`);
  return { value: v, strictErrors: decoded.duplicates };
}

/** The patched document as an object of the kind, or upstream's 422 for a document that cannot be one. */
function decodeResult(result: Json, current: { apiVersion: unknown; kind: unknown }, kind: KindRegistration, shown: () => string): StoredObject {
  const goType = `${kind.version}.${kind.kind}`;
  if (!isObject(result)) throw invalidPatch(shown(), `json: cannot unmarshal ${goJsonKind(result)} into Go value of type ${goType}`);
  if (result.apiVersion !== current.apiVersion || result.kind !== current.kind) {
    const detail =
      typeof result.kind !== 'string' || result.kind === ''
        ? `Object 'Kind' is missing in '${goJson(result)}'`
        : `no kind "${result.kind}" is registered for version "${String(result.apiVersion ?? '')}" in scheme "pkg/api/legacyscheme/scheme.go:30"`;
    throw invalidPatch(shown(), detail);
  }
  if (result.metadata !== undefined && result.metadata !== null && !isObject(result.metadata)) {
    throw invalidPatch(shown(), `json: cannot unmarshal ${goJsonKind(result.metadata)} into Go struct field ${kind.kind}.metadata of type v1.ObjectMeta`);
  }
  const object = result as StoredObject;
  object.metadata ??= {};
  return object;
}

/**
 * The patched object must be the one the URL names: same name, same namespace (filled in when left out), same
 * uid (a removed uid is restored by the store).
 */
function checkIdentity(object: StoredObject, currentUid: unknown, kind: KindRegistration, requestNamespace: string, name: string): void {
  const meta = object.metadata;
  ensureRequestNamespace(meta, requestNamespace);
  checkRequestName(meta, name);
  const uid = meta.uid;
  if (uid !== undefined && uid !== null && uid !== '' && uid !== currentUid) {
    throw status.invalid(kind.group, kind.kind, name, [{ type: 'FieldValueInvalid', field: 'metadata.uid', badValue: uid, detail: 'field is immutable' }]);
  }
}
