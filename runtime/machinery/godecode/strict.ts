/**
 * The strict decoding errors kube-apiserver's decoder (sigs.k8s.io/json UnmarshalStrict) collects reading a JSON
 * body into a kind's Go types, in the order it meets them: `unknown field "<path>"` for a member its struct does
 * not have (whose value it then skips), `duplicate field "<path>"` for a struct field or map key met again in the
 * same object (both occurrences are decoded). Values that decode themselves (quantities, times, raw JSON such as
 * FieldsV1 or RawExtension) are not looked into. Without Go types (a custom resource, read into
 * map[string]interface{}) every object is a map. Each error is reported once, and at most 100 of them.
 *
 * The text must already be known to be valid JSON (this reads it without checking).
 */
import type { GoNode } from './json.ts';

/** Go's limit on the strict errors one decode collects. */
const maxStrictErrors = 100;

export function strictFieldErrors(text: string, root: GoNode | undefined): string[] {
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
  /** Skips any value (strings may hold brackets). */
  const skipValue = () => {
    skipSpace();
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
  };
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

  /** `node` undefined: an interface{} (unstructured) value, whose objects are all maps. */
  const value = (node: GoNode | undefined, path: string): void => {
    skipSpace();
    const c = text[i];
    if (c === '{') {
      if (node && node.shape !== 'struct' && node.shape !== 'map') return skipValue();
      object(node, path);
    } else if (c === '[') {
      if (node && node.shape !== '[]') return skipValue();
      array(node?.elem, path);
    } else skipValue();
  };
  const object = (node: GoNode | undefined, path: string): void => {
    i++;
    const keys = new Set<string>();
    skipSpace();
    if (text[i] === '}') {
      i++;
      return;
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
        skipValue();
      } else {
        if (keys.has(key)) report(`duplicate field "${child}"`);
        keys.add(key);
        value(field, child);
      }
      skipSpace();
      if (text[i++] === '}') return;
    }
  };
  const array = (elem: GoNode | undefined, path: string): void => {
    i++;
    skipSpace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      value(elem, `${path}[${n}]`);
      skipSpace();
      if (text[i++] === ']') return;
    }
  };
  value(root, '');
  return errors;
}
