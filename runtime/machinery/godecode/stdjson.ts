/**
 * Go's standard encoding/json reading a text into a Go type, as upstream does with the JSON it keeps inside
 * annotations (node taints, pod tolerations, an autoscaling/v1 HPA's metrics): unlike the API's own decoder
 * (sigs.k8s.io/json), it matches a key to a field in any case ("key", "KEY" and "Key" all set Taint.Key). The first
 * syntax error, else the first type error, is Go's error text; what decodes comes back with each field under its
 * JSON name with a lower-case first letter (the names validators read; Go field names when the type has no json
 * tags), nulls dropped (Go leaves the zero value) and a null element of a slice of structs the zero struct.
 */
import { readGoJson } from '../gojson.ts';
import { compileGoType, goJsonDecodeErrorOf, type GoNode, type NumberLiterals } from './json.ts';
import { parseWithLiterals } from './literals.ts';
import type { GoStructTable, GoTypeDesc } from './types.ts';

/** What decoding gives: Go's error, or the value. */
export type StdJsonDecoded = { value: unknown } | { error: string };

/**
 * A decoder of texts into the Go types `roots` names, each compiled on its first use from `table()` (read then: a
 * generated table may not be loaded yet while the caller's module is).
 */
export function stdJsonDecoder<K extends string>(table: () => GoStructTable, roots: Record<K, GoTypeDesc>): (text: string, type: K) => StdJsonDecoded {
  const compiled = new Map<K, GoNode>();
  return (text, type) => {
    let root = compiled.get(type);
    if (!root) compiled.set(type, (root = compileGoType(table(), roots[type])));
    return decodeStdJson(text, root);
  };
}

/** `text` decoded into the Go type `root`: `{ error }` with Go's words when it does not decode, else the value. */
export function decodeStdJson(text: string, root: GoNode): StdJsonDecoded {
  const read = readGoJson(text);
  if ('error' in read) return read;
  let value: unknown = read.value;
  let literals: NumberLiterals | undefined;
  const exact = parseWithLiterals(text);
  if (exact) ({ value, literals } = exact);
  foldKeys(root, value, literals);
  const error = goJsonDecodeErrorOf(root, value, literals);
  return error ? { error } : { value: jsonNames(root, value) };
}

/** Renames, in place and in order, each struct key that matches a field only in another case to the field's name. */
function foldKeys(t: GoNode, v: unknown, literals: NumberLiterals | undefined): void {
  if (v === null || typeof v !== 'object') return;
  if (t.shape === '[]' && Array.isArray(v)) {
    for (const item of v) foldKeys(t.elem!, item, literals);
    return;
  }
  if (t.shape !== 'struct' || Array.isArray(v)) return;
  const fields = t.struct!.fields;
  const obj = v as Record<string, unknown>;
  const entries = Object.entries(obj);
  const written = literals?.get(obj);
  for (const [k] of entries) delete obj[k];
  for (const [k, value] of entries) {
    let name = k;
    if (!fields.has(k)) {
      const lower = k.toLowerCase();
      name = [...fields.keys()].find((f) => f.toLowerCase() === lower) ?? k;
    }
    obj[name] = value; // a repeated field keeps its last value, as Go's decoder does
    if (written && name !== k && k in written) written[name] = written[k];
    const ft = fields.get(name);
    if (ft) foldKeys(ft, value, literals);
  }
}

/** The decoded value as upstream's validators read it: fields by their JSON names (lowerCamel), nulls dropped. */
function jsonNames(t: GoNode, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (t.shape === '[]') return (v as unknown[]).map((item) => (item === null && t.elem!.shape === 'struct' ? {} : jsonNames(t.elem!, item)));
  if (t.shape !== 'struct') return v;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    const ft = t.struct!.fields.get(k);
    if (!ft || value === null) continue;
    out[k[0].toLowerCase() + k.slice(1)] = jsonNames(ft, value);
  }
  return out;
}
