/**
 * JSON Merge Patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch's MergePatch): objects merge
 * member by member, null deletes, anything else replaces. Nulls inside a value that replaces a non-object (or
 * fills a missing member) are dropped from its objects, so they never reach the stored object.
 */

import { isJsonObject as isObject, setMember, type Json, type JsonObject } from './json-value.ts';

/** Merges `patch` into `doc` in place and returns it. */
export function mergePatch(doc: JsonObject, patch: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete doc[k];
      continue;
    }
    const cur = Object.hasOwn(doc, k) ? doc[k] : null;
    if (cur === null) setMember(doc, k, pruneNulls(v));
    else if (!isObject(cur)) setMember(doc, k, pruneNulls(v));
    else if (!isObject(v)) setMember(doc, k, v);
    else setMember(doc, k, mergePatch(cur, v));
  }
  return doc;
}

/** Drops null members of objects at any depth (null array items stay). */
function pruneNulls(v: Json): Json {
  if (Array.isArray(v)) v.forEach(pruneNulls);
  else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else pruneNulls(v[k]);
    }
  }
  return v;
}
