/**
 * PATCH bodies: JSON Patch (RFC 6902, via fast-json-patch), JSON Merge Patch (RFC 7386) and strategic merge
 * patch, which is a merge patch that merges lists by their merge key where the generated patch metadata says
 * so. Server-side apply arrives later; until then its bodies are refused with 415.
 */
import jsonpatch from 'fast-json-patch';
import type { KindRegistration } from '../machinery/registration.ts';
import * as status from '../machinery/status.ts';
import type { StoredObject } from '../storage/store.ts';

export const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const customResourcePatchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function mergePatch(target: Json, patch: Json, strategic?: { kind: KindRegistration; path: string }): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (strategic && key.startsWith('$')) continue; // directives ($patch, $retainKeys, ...) are not supported yet
    const path = strategic ? (strategic.path ? `${strategic.path}.${key}` : key) : '';
    if (value === null) delete out[key];
    else if (strategic && Array.isArray(value) && Array.isArray(out[key])) out[key] = mergeList(out[key] as Json[], value, strategic.kind, path);
    else out[key] = mergePatch(out[key] ?? null, value, strategic && { kind: strategic.kind, path });
  }
  return out;
}

/** Lists with a merge key merge item by item; others are replaced, as strategic merge patch does. */
function mergeList(current: Json[], patch: Json[], kind: KindRegistration, path: string): Json[] {
  const meta = kind.patchMeta[path];
  if (!meta?.strategy?.includes('merge')) return patch;
  if (!meta.mergeKey) {
    const out = [...current];
    for (const v of patch) if (!out.some((x) => JSON.stringify(x) === JSON.stringify(v))) out.push(v);
    return out;
  }
  const key = meta.mergeKey;
  const out = [...current];
  for (const item of patch) {
    if (!isObject(item)) continue;
    const i = out.findIndex((x) => isObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = mergePatch(out[i], item, { kind, path });
    else out.push(item);
  }
  return out;
}

export function applyPatch(type: string, current: StoredObject, raw: string, kind: KindRegistration): StoredObject {
  let patch: unknown;
  try {
    patch = JSON.parse(raw);
  } catch (e) {
    throw status.badRequest(`error decoding patch: ${(e as Error).message}`);
  }
  if (type === 'application/json-patch+json') {
    if (!Array.isArray(patch)) throw status.badRequest('the JSON patch must be an array of operations');
    try {
      return jsonpatch.applyPatch(current, patch as jsonpatch.Operation[], true, false).newDocument as StoredObject;
    } catch (e) {
      throw status.failure(422, 'Invalid', `the server rejected our request due to an error in our request: ${(e as Error).message}`);
    }
  }
  if (!isObject(patch)) throw status.badRequest('the merge patch must be a JSON object');
  const strategic = type === 'application/strategic-merge-patch+json';
  if (strategic && !kind.builtIn) {
    // Custom resources have no patch strategies: upstream answers with the patch types it does take.
    throw status.failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${customResourcePatchTypes.join(', ')}`);
  }
  const result = mergePatch(current as Json, patch, strategic ? { kind, path: '' } : undefined);
  if (!isObject(result)) throw status.badRequest('the patch result is not an object');
  return result as StoredObject;
}
