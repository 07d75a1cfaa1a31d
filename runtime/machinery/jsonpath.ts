/**
 * A tiny JSONPath evaluator for the simple paths printer columns use (`.status.phase`, `.spec.containers[0].image`,
 * `.metadata.labels['app.kubernetes.io/name']`, optionally wrapped in `{}` as kubectl writes them). Upstream runs
 * full JSONPath here, but CRD printer columns are restricted to simple paths, so this is all a Table needs.
 */

export type PathSegment = string | number;

/** Splits a simple JSONPath into field names and array indexes. Throws on syntax it does not support. */
export function parseSimpleJSONPath(path: string): PathSegment[] {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p.startsWith('$')) p = p.slice(1);
  const segments: PathSegment[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`unsupported JSONPath ${JSON.stringify(path)}: ${why} at offset ${i}`);
  };
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      i++;
      let name = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        // `\.` keeps a dot inside a field name, as kubectl allows.
        if (p[i] === '\\' && i + 1 < p.length) i++;
        name += p[i++];
      }
      if (name === '') {
        if (i >= p.length && segments.length === 0) break; // the path `.` is the whole object
        fail('empty field name');
      }
      segments.push(name);
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close < 0) fail('unclosed [');
      const inner = p.slice(i + 1, close).trim();
      if (/^-?\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^'.*'$/s.test(inner) || /^".*"$/s.test(inner)) segments.push(inner.slice(1, -1));
      else fail(`unsupported subscript [${inner}]`);
      i = close + 1;
    } else {
      fail(`unexpected ${JSON.stringify(c)}`);
    }
  }
  return segments;
}

/** The value at `path` in `obj`, or undefined when any step is missing. Negative indexes count from the end. */
export function evaluateJSONPath(obj: unknown, path: string | readonly PathSegment[]): unknown {
  const segments = typeof path === 'string' ? parseSimpleJSONPath(path) : path;
  let cur: unknown = obj;
  for (const s of segments) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s < 0 ? cur.length + s : s];
    } else {
      if (typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      if (!Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}
