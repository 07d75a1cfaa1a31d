/**
 * JSON Patch (RFC 6902) as kube-apiserver applies it (gopkg.in/evanphx/json-patch.v4): the same operations
 * succeed and fail. Its departures from the RFC are kept because clients rely on what the server accepts:
 * `replace` of a missing object member adds it, `copy` from a missing member copies null, negative array
 * indices count from the end, `test` of a missing member passes for null, and `replace` of the whole document
 * with a scalar is a no-op. Every failure names the operation; kube-apiserver answers them all with the same
 * 422 (see runtime/endpoints/patch.ts).
 */

import { isJsonObject as isObject, setMember, type Json, type JsonObject } from './json-value.ts';
import { jsonText } from './json-text.ts';
import { atoi } from './strconv.ts';

/** kube-apiserver's limit on the bytes `copy` operations may add (--json-patch-max-copy-bytes is not a flag). */
export const maxCopyBytes = 3 * 1024 * 1024;

export class JsonPatchError extends Error {}

const has = (o: JsonObject, k: string): boolean => Object.hasOwn(o, k);

function decodeToken(t: string): string {
  return t.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The index strconv.Atoi reads from a path token, or undefined when it refuses it. */
function atoiIndex(s: string): number | undefined {
  const n = atoi(s);
  return typeof n === 'number' ? n : undefined;
}

type Container = { obj: JsonObject } | { arr: Json[]; owner: { get(): Json[]; set(a: Json[]): void } };

/**
 * The object or array holding the last token of `path`, and that token; undefined when a step is missing or is
 * not a container. Arrays come with a way to replace them, since inserting and removing builds new arrays.
 */
function findContainer(doc: { root: Json }, path: string): { c: Container; key: string } | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  const key = decodeToken(parts[parts.length - 1]);
  let cur: Json = doc.root;
  let owner: { get(): Json[]; set(a: Json[]): void } = { get: () => doc.root as Json[], set: (a: Json[]) => void (doc.root = a) };
  for (const raw of parts.slice(1, -1)) {
    const part = decodeToken(raw);
    let next: Json | undefined;
    if (Array.isArray(cur)) {
      const idx = arrayIndex(cur, part);
      if (idx === undefined) return undefined;
      const arr = cur;
      next = arr[idx];
      owner = { get: () => arr[idx] as Json[], set: (a: Json[]) => void (arr[idx] = a) };
    } else if (isObject(cur)) {
      next = has(cur, part) ? cur[part] : undefined;
      const obj = cur;
      owner = { get: () => obj[part] as Json[], set: (a: Json[]) => setMember(obj, part, a) };
    }
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    cur = next;
  }
  if (Array.isArray(cur)) return { c: { arr: cur, owner }, key };
  if (isObject(cur)) return { c: { obj: cur }, key };
  return undefined;
}

/** An existing element's index (negative counts from the end), or undefined. */
function arrayIndex(arr: Json[], key: string): number | undefined {
  let idx = atoiIndex(key);
  if (idx === undefined) return undefined;
  if (idx < 0) {
    if (idx < -arr.length) return undefined;
    idx += arr.length;
  }
  return idx < arr.length ? idx : undefined;
}

/** The value at `key`: undefined for a missing object member (which upstream reads as null, not an error). */
function get(c: Container, key: string, op: string, path: string): Json | undefined {
  if ('obj' in c) return has(c.obj, key) ? c.obj[key] : undefined;
  const idx = arrayIndex(c.arr, key);
  if (idx === undefined) throw new JsonPatchError(`${op} operation failed: invalid index ${key} at ${path}`);
  return c.arr[idx];
}

function add(c: Container, key: string, value: Json, op: string, path: string): void {
  if ('obj' in c) {
    setMember(c.obj, key, value);
    return;
  }
  const arr = c.owner.get();
  if (key === '-') {
    c.owner.set([...arr, value]);
    return;
  }
  let idx = atoiIndex(key);
  if (idx === undefined) throw new JsonPatchError(`${op} operation failed: "${key}" is not a proper array index at ${path}`);
  const size = arr.length + 1;
  if (idx >= size || idx < -size) throw new JsonPatchError(`${op} operation failed: invalid index ${idx} at ${path}`);
  if (idx < 0) idx += size;
  c.owner.set([...arr.slice(0, idx), value, ...arr.slice(idx)]);
}

function remove(c: Container, key: string, op: string, path: string): void {
  if ('obj' in c) {
    if (!has(c.obj, key)) throw new JsonPatchError(`${op} operation failed: ${path} does not exist`);
    delete c.obj[key];
    return;
  }
  const arr = c.owner.get();
  let idx = atoiIndex(key);
  if (idx === undefined || idx >= arr.length || idx < -arr.length) throw new JsonPatchError(`${op} operation failed: invalid index ${key} at ${path}`);
  if (idx < 0) idx += arr.length;
  c.owner.set([...arr.slice(0, idx), ...arr.slice(idx + 1)]);
}

/** Structural equality; scalars compare by their JSON text, as upstream compares raw bytes. */
function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => has(b, k) && (a[k] === null) === (b[k] === null) && (a[k] === null || equal(a[k], b[k])));
  }
  return !isObject(b) && !Array.isArray(b) && jsonText(a ?? null) === jsonText(b ?? null);
}

function stringField(op: JsonObject, name: string): string | undefined {
  const v = op[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Applies `ops` to `doc` and returns the new document; `doc` is modified (even when an operation fails: pass a
 * copy). Throws a JsonPatchError naming the operation that failed.
 */
export function applyJsonPatch(doc: Json, ops: readonly JsonObject[], copyLimit = maxCopyBytes): Json {
  const state = { root: doc };
  let copied = 0;
  ops.forEach((op, n) => {
    const kind = typeof op.op === 'string' ? op.op : 'unknown';
    const where = `operation ${n} (${kind})`;
    const path = stringField(op, 'path');
    const value: Json = has(op, 'value') ? op.value : null;
    const need = (p: string | undefined, field: string) => {
      if (p === undefined) throw new JsonPatchError(`${where} failed to decode ${field}`);
      return p;
    };
    const locate = (p: string) => {
      const found = findContainer(state, p);
      if (!found) throw new JsonPatchError(`${where} does not apply: doc is missing path: "${p}"`);
      return found;
    };
    switch (kind) {
      case 'add': {
        const { c, key } = locate(need(path, 'path'));
        add(c, key, structuredClone(value), where, path!);
        break;
      }
      case 'remove': {
        const { c, key } = locate(need(path, 'path'));
        remove(c, key, where, path!);
        break;
      }
      case 'replace': {
        const p = need(path, 'path');
        if (p === '') {
          // Upstream swaps in an object or array and silently ignores anything else.
          if (value !== null && typeof value === 'object') state.root = structuredClone(value);
          break;
        }
        const { c, key } = locate(p);
        if ('obj' in c) setMember(c.obj, key, structuredClone(value));
        else {
          const idx = arrayIndex(c.arr, key);
          if (idx === undefined) throw new JsonPatchError(`${where} does not apply: doc is missing key: ${p}`);
          c.arr[idx] = structuredClone(value);
        }
        break;
      }
      case 'move': {
        const from = need(stringField(op, 'from'), 'from');
        const src = locate(from);
        const v = get(src.c, src.key, where, from);
        remove(src.c, src.key, where, from);
        const to = need(path, 'path');
        const dst = locate(to);
        add(dst.c, dst.key, v ?? null, where, to);
        break;
      }
      case 'copy': {
        const from = need(stringField(op, 'from'), 'from');
        const src = locate(from);
        const v = get(src.c, src.key, where, from);
        const to = need(path, 'path');
        const dst = locate(to);
        copied += Buffer.byteLength(jsonText(v ?? null));
        if (copied > copyLimit) {
          throw new JsonPatchError(`Unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${copyLimit}`);
        }
        add(dst.c, dst.key, structuredClone(v ?? null), where, to);
        break;
      }
      case 'test': {
        const p = need(path, 'path');
        if (p === '') {
          if (!equal(state.root, value)) throw new JsonPatchError(`${where}: testing value ${p} failed`);
          break;
        }
        const { c, key } = locate(p);
        const v = get(c, key, where, p);
        const ok = v === undefined || v === null ? value === null : has(op, 'value') && equal(v, value);
        if (!ok) throw new JsonPatchError(`${where}: testing value ${p} failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${kind}`);
    }
  });
  return state.root;
}
