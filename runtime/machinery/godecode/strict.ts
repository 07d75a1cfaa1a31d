/**
 * The strict decoding errors kube-apiserver's decoder (sigs.k8s.io/json UnmarshalStrict) collects reading a JSON
 * body into a kind's Go types, in the order it meets them: `unknown field "<path>"` for a member its struct does
 * not have (whose value it then skips), `duplicate field "<path>"` for a struct field or map key met again in the
 * same object (both occurrences are decoded). Values that decode themselves (quantities, times, raw JSON such as
 * FieldsV1 or RawExtension) are not looked into. Without Go types (a custom resource, read into
 * map[string]interface{}) every object is a map. Each error is reported once, and at most 100 of them.
 *
 * It also gives the value Go decodes: a repeated struct field is decoded into what its first occurrence left (a
 * struct keeps the fields the repeat does not name, a map keeps its other keys), where JSON.parse keeps only the
 * last occurrence; anything else repeated (a list, a string, an unstructured object) is the last one.
 *
 * The text must already be known to be valid JSON (this reads it without checking).
 */
import { setMember, type Json } from '../json-value.ts';
import type { GoNode } from './json.ts';

/** Go's limit on the strict errors one decode collects. */
const maxStrictErrors = 100;

export function strictFieldErrors(text: string, root: GoNode | undefined): string[] {
  return goStrictDecode(text, root).errors;
}

export function goStrictDecode(text: string, root: GoNode | undefined): { errors: string[]; value: Json } {
  const errors: string[] = [];
  const seen = new Set<string>();
  const report = (message: string) => {
    if (errors.length >= maxStrictErrors || seen.has(message)) return;
    seen.add(message);
    errors.push(message);
  };
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\t' || text[i] === '\r')) i++;
  };
  const readString = (): string => {
    const start = i++;
    let escaped = false;
    while (text[i] !== '"') {
      if (text[i] === '\\') {
        escaped = true;
        i++;
      }
      i++;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  /** Skips any value (strings may hold brackets) and returns it parsed. */
  const skipValue = (): Json => {
    skipSpace();
    const start = i;
    let depth = 0;
    do {
      const c = text[i];
      if (c === '"') readString();
      else {
        if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') depth--;
        i++;
        if (depth === 0 && c !== '{' && c !== '[' && c !== '}' && c !== ']') {
          // a number or a literal: read to its end
          while (i < text.length && !',}] \n\t\r'.includes(text[i])) i++;
        }
      }
    } while (depth > 0);
    return JSON.parse(text.slice(start, i)) as Json;
  };
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const isMap = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

  /**
   * The value at `path` decoded into `into` (what an earlier occurrence left there). `node` undefined: an
   * interface{} (unstructured) value, whose objects are all maps, each decoded afresh.
   */
  const value = (node: GoNode | undefined, path: string, into?: Json): Json => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      if (node && node.shape !== 'struct' && node.shape !== 'map') return skipValue();
      return object(node, path, node && isMap(into) ? into : {});
    }
    if (c === '[') {
      if (node && node.shape !== '[]') return skipValue();
      return array(node?.elem, path);
    }
    return skipValue();
  };
  const object = (node: GoNode | undefined, path: string, out: { [k: string]: Json }): Json => {
    i++;
    const keys = new Set<string>();
    skipSpace();
    if (text[i] === '}') {
      i++;
      return out;
    }
    for (;;) {
      skipSpace();
      const key = readString();
      skipSpace();
      i++; // ':'
      const child = join(path, key);
      const field = node?.shape === 'struct' ? node.struct!.fields.get(key) : node?.elem;
      if (node?.shape === 'struct' && !field) {
        report(`unknown field "${child}"`);
        setMember(out, key, skipValue()); // kept for pruning to drop, as JSON.parse would
      } else {
        if (keys.has(key)) report(`duplicate field "${child}"`);
        keys.add(key);
        // A struct's field is decoded into what it holds; a map's element afresh.
        setMember(out, key, value(field, child, node?.shape === 'struct' && Object.hasOwn(out, key) ? out[key] : undefined));
      }
      skipSpace();
      if (text[i++] === '}') return out;
    }
  };
  const array = (elem: GoNode | undefined, path: string): Json => {
    i++;
    const out: Json[] = [];
    skipSpace();
    if (text[i] === ']') {
      i++;
      return out;
    }
    for (;;) {
      out.push(value(elem, `${path}[${out.length}]`));
      skipSpace();
      if (text[i++] === ']') return out;
    }
  };
  const decoded = value(root, '');
  return { errors, value: decoded };
}
