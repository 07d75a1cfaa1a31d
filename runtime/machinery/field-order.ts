/**
 * The order of field paths in a kind's schema: properties as the kind declares them (apis/ keeps Go's struct order),
 * list items by index, map entries by key. Upstream's validation walks an object about in that order, so errors
 * found by different checkers (the generated schema, a kind's hooks, a strategy's upstream rules) are merged by it
 * and the client reads them as kube-apiserver lists them.
 */
import type { TSchema } from 'typebox';
import type { FieldError } from './field-errors.ts';

type Segment = string | number;
type Node = { properties?: Record<string, Node>; items?: Node; patternProperties?: Record<string, Node>; additionalProperties?: Node | boolean; anyOf?: Node[] };

/** `spec.containers[0].env[FOO]` -> ['spec', 'containers', 0, 'env', 'FOO']. */
export function pathSegments(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const end = path.indexOf(']', i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? path.length : end + 1;
    } else if (path[i] === '.') i++;
    else {
      let j = i;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** The schema of what `segment` names inside `node`, and the segment's rank there. */
function step(node: Node | undefined, segment: Segment): { next?: Node; rank: number | string } {
  if (!node) return { rank: segment };
  if (typeof segment === 'number') return { next: node.items, rank: segment };
  const props = node.properties ?? node.anyOf?.find((b) => b.properties && segment in b.properties)?.properties;
  if (props && segment in props) return { next: props[segment], rank: Object.keys(props).indexOf(segment) };
  const values = node.patternProperties ? Object.values(node.patternProperties)[0] : typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  return { next: values, rank: segment };
}

function compareRanks(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1; // declared fields before undeclared names
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A comparator of field paths by their place in `schema`; a path comes before the paths under it. */
export function fieldOrder(schema: TSchema): (a: string, b: string) => number {
  return (a, b) => {
    const sa = pathSegments(a);
    const sb = pathSegments(b);
    let node = schema as Node | undefined;
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
      const x = step(node, sa[i]);
      if (sa[i] !== sb[i]) return compareRanks(x.rank, step(node, sb[i]).rank);
      node = x.next;
    }
    return sa.length - sb.length;
  };
}

/**
 * `later` merged into `first` by field order: `first` keeps its own order (a checker's order is upstream's where it
 * is a port of upstream's code), and each error of `later` goes before the first error of `first` that comes after
 * it in the schema.
 */
export function mergeByField(first: FieldError[], later: FieldError[], order: (a: string, b: string) => number): FieldError[] {
  const out = [...first];
  let from = 0;
  for (const e of later) {
    let i = from;
    while (i < out.length && order(out[i].field, e.field) <= 0) i++;
    out.splice(i, 0, e);
    from = i + 1;
  }
  return out;
}
