/**
 * cel-go's `sets` extension, in Kubernetes' base environment since 1.29: `sets.contains(a, b)` (every element of b
 * is in a), `sets.equivalent(a, b)` (each contains the other) and `sets.intersects(a, b)` (some element is in both),
 * elements compared with CEL equality (1 == 1.0 == 1u).
 */
import type { CelFunc } from '@bufbuild/cel';
import { global } from './func.ts';
import { celEquals } from './lists.ts';

const items = (l: unknown): unknown[] => Array.from(l as Iterable<unknown>);
const holds = (xs: unknown[], y: unknown) => xs.some((x) => celEquals(x, y));
const contains = (a: unknown, b: unknown) => {
  const xs = items(a);
  return items(b).every((y) => holds(xs, y));
};

export const sets: CelFunc[] = [
  global('sets.contains', ['list', 'list'], 'bool', contains),
  global('sets.equivalent', ['list', 'list'], 'bool', (a: unknown, b: unknown) => contains(a, b) && contains(b, a)),
  global('sets.intersects', ['list', 'list'], 'bool', (a: unknown, b: unknown) => {
    const xs = items(a);
    return items(b).some((y) => holds(xs, y));
  }),
];
