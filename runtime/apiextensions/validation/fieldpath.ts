/**
 * The simple field paths of `x-kubernetes-validations[].fieldPath` and `selectableFields[].jsonPath`, resolved
 * against a schema as upstream's `ValidFieldPath`: `.spec.replicas`, `.labels['app.kubernetes.io/name']`; a name
 * selects a declared property, or a map key where the node is a map.
 */
import { isObject, type Schema } from './paths.ts';

export type FieldPathResult = { path: string; segments: string[]; schema: Schema; error?: undefined } | { error: string };

function tokens(jsonPath: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < jsonPath.length) {
    const c = jsonPath[i];
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    if (c === "'") {
      j++;
      while (j < jsonPath.length && !(jsonPath[j] === "'" && jsonPath[j - 1] !== '\\')) j++;
      out.push(jsonPath.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    while (j < jsonPath.length && !'.[]'.includes(jsonPath[j])) j++;
    out.push(jsonPath.slice(i, j));
    i = j;
  }
  return out;
}

/** The escapes upstream's unescapeSingleQuote turns back into their characters; any other `\\x` is an error. */
const singleQuoteEscapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

/** A `['...']` name with its escapes undone (Go's `\\.` matcher: a backslash and the character after it, not a newline). */
function unescapeSingleQuoted(s: string): { name: string } | { error: string } {
  let error: string | undefined;
  const name = s.replace(/\\./g, (m) => {
    const c = singleQuoteEscapes[m[1]!];
    if (c === undefined) error = `invalid escape char ${m}`; // the last one, as upstream
    return c ?? '';
  });
  return error === undefined ? { name } : { error };
}

/** Resolves `jsonPath` against `schema`; `allowArrayNotation: false` refuses `['key']` (selectable fields). */
export function validFieldPath(jsonPath: string, schema: Schema, opts: { allowArrayNotation?: boolean } = {}): FieldPathResult {
  const allowArrayNotation = opts.allowArrayNotation ?? true;
  let node: Schema | undefined = schema;
  let path = '';
  const segments: string[] = [];
  const step = (name: string): string | undefined => {
    if (!node) return 'does not refer to a valid field';
    if (isObject(node.properties)) {
      const next = (node.properties as Record<string, Schema>)[name];
      if (!isObject(next)) return 'does not refer to a valid field';
      path = path ? `${path}.${name}` : name;
      node = next;
    } else if (node.additionalProperties !== undefined && node.additionalProperties !== null) {
      path = `${path}[${name}]`;
      node = isObject(node.additionalProperties) ? (node.additionalProperties as Schema) : {};
    } else return 'does not refer to a valid field';
    segments.push(name);
    return undefined;
  };
  const toks = tokens(jsonPath);
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i];
    if (tok === '[') {
      if (!allowArrayNotation) return { error: 'array notation is not allowed' };
      const lit = toks[++i];
      if (lit === undefined) return { error: 'unexpected end of JSON path' };
      if (lit.length < 2 || !lit.startsWith("'") || !lit.endsWith("'")) return { error: `expected single quoted string but got ${lit}` };
      const unescaped = unescapeSingleQuoted(lit.slice(1, -1));
      if ('error' in unescaped) return { error: `invalid string literal: ${unescaped.error}` };
      const problem = step(unescaped.name);
      if (problem) return { error: problem };
      const close = toks[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else if (tok === '.') {
      const name = toks[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      const problem = step(name);
      if (problem) return { error: problem };
    } else return { error: `expected [ or . but got: ${tok}` };
  }
  return { path, segments, schema: node ?? {} };
}
