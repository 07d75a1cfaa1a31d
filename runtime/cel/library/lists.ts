/** The Kubernetes `lists` library: isSorted, sum, min, max, indexOf, lastIndexOf (upstream's library/lists.go). */
import { isCelList, isCelMap, isCelUint, type CelFunc } from '@bufbuild/cel';
import { method } from './func.ts';

type Elem = unknown;

/** CEL equality for the values lists hold (numbers across int/double, deep lists and maps). */
export function celEquals(a: Elem, b: Elem): boolean {
  if (a === b) return true;
  if (isCelUint(a)) a = (a as { value: bigint }).value;
  if (isCelUint(b)) b = (b as { value: bigint }).value;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return a == b;
  if (isCelList(a) && isCelList(b)) {
    const la = a as unknown as { size: number; get(i: number): Elem };
    const lb = b as unknown as { size: number; get(i: number): Elem };
    if (la.size !== lb.size) return false;
    for (let i = 0; i < la.size; i++) if (!celEquals(la.get(i), lb.get(i))) return false;
    return true;
  }
  if (isCelMap(a) && isCelMap(b)) {
    const ma = a as unknown as { size: number; get(k: unknown): Elem } & Iterable<[unknown, Elem]>;
    const mb = b as unknown as { size: number; get(k: unknown): Elem };
    if (ma.size !== mb.size) return false;
    for (const [k, v] of ma) {
      const w = mb.get(k);
      if (w === undefined || !celEquals(v, w)) return false;
    }
    return true;
  }
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return false;
}

/** Orders two comparable values of one kind; throws for values CEL cannot order. */
export function celCompare(a: Elem, b: Elem): number {
  const na = typeof a === 'bigint' || typeof a === 'number';
  const nb = typeof b === 'bigint' || typeof b === 'number';
  if (na && nb) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a && b && typeof a === 'object' && typeof (a as { compareTo?: unknown }).compareTo === 'function') {
    return (a as { compareTo(o: unknown): number }).compareTo(b);
  }
  throw new Error(`no such overload: cannot compare ${typeof a} and ${typeof b}`);
}

function items(l: unknown): Elem[] {
  return Array.from(l as Iterable<Elem>);
}

function extreme(name: string, sign: number) {
  return (l: unknown) => {
    const xs = items(l);
    if (xs.length === 0) throw new Error(`${name} called on empty list`);
    let best = xs[0];
    for (const x of xs.slice(1)) if (celCompare(x, best) * sign > 0) best = x;
    return best;
  };
}

export const lists: CelFunc[] = [
  method('isSorted', 'list', [], 'bool', (l) => {
    const xs = items(l);
    for (let i = 1; i < xs.length; i++) if (celCompare(xs[i - 1], xs[i]) > 0) return false;
    return true;
  }),
  method('sum', 'list', [], 'dyn', (l) => {
    const xs = items(l);
    if (xs.length === 0) return 0n;
    if (xs.every((x) => typeof x === 'bigint')) return (xs as bigint[]).reduce((a, b) => a + b, 0n);
    if (xs.every((x) => typeof x === 'number')) return (xs as number[]).reduce((a, b) => a + b, 0);
    if (xs.every((x) => x && typeof x === 'object' && typeof (x as { add?: unknown }).add === 'function')) {
      return xs.slice(1).reduce((a, b) => (a as { add(o: unknown): unknown }).add(b), xs[0]);
    }
    throw new Error('no such overload: sum() needs a list of int, double or quantity of one kind');
  }),
  method('min', 'list', [], 'dyn', extreme('min', -1)),
  method('max', 'list', [], 'dyn', extreme('max', 1)),
  method('indexOf', 'list', ['dyn'], 'int', (l, v) => BigInt(items(l).findIndex((x) => celEquals(x, v)))),
  method('lastIndexOf', 'list', ['dyn'], 'int', (l, v) => {
    const xs = items(l);
    for (let i = xs.length - 1; i >= 0; i--) if (celEquals(xs[i], v)) return BigInt(i);
    return -1n;
  }),
];
