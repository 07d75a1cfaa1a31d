/**
 * The run-time cost of one function call, as upstream charges it: Kubernetes' CostEstimator.CallCost (apiserver
 * v0.32.0 pkg/cel/library/cost.go) for the library functions, cel-go v0.22.0's CostTracker.costCall
 * (interpreter/runtimecost.go) and ext/sets.go for the standard ones, 1 for anything else. These figures decide when
 * a rule runs out of budget, so they are upstream's to the unit: a CRD or policy that fits there fits here.
 *
 * A cost function is picked once per function name (callCostOf) and then only looks at sizes, so metering a call
 * costs a few comparisons. Operands come as the interpreter passes them: the receiver of `x.f(y)` apart from its
 * arguments; cel-go counts the receiver as the first argument, and so does `first` below.
 */
import { isCelList, isCelMap, type CelValue } from '@bufbuild/cel';
import { authzCheckCost } from './library/authorizer.ts';
import { NamedFormat } from './library/format.ts';
import { OpaqueValue } from './library/opaque.ts';

/** The cost of a call from its receiver (absent for a global function) and arguments. */
export type CallCost = (target: CelValue | undefined, args: readonly CelValue[]) => number;

/** cel-go's common/cost.go. */
const stringTraversalCostFactor = 0.1;
const regexStringLengthCostFactor = 0.25;
const listCreateBaseCost = 10;
const structCreateBaseCost = 40;

/**
 * cel-go's actualSize: a string's, bytes', list's or map's size, 1 for anything else (numbers, library values).
 * Strings count UTF-16 units where Go counts code points: the same but for characters beyond the BMP.
 */
export function actualSize(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (v instanceof Uint8Array) return v.length;
  if (v instanceof OpaqueValue) return 1;
  if (v !== null && typeof v === 'object' && typeof (v as { size?: unknown }).size === 'number') return (v as { size: number }).size;
  return 1;
}

/** The receiver, or the first argument of a global function: cel-go's args[0]. */
function first(target: CelValue | undefined, args: readonly CelValue[]): CelValue | undefined {
  return target !== undefined ? target : args[0];
}
/** cel-go's args[1]. */
function second(target: CelValue | undefined, args: readonly CelValue[]): CelValue | undefined {
  return target !== undefined ? args[0] : args[1];
}

function traversal(v: unknown, factor = stringTraversalCostFactor): number {
  return Math.ceil(actualSize(v) * factor);
}

/** Upstream's traversalCost (isSorted, sum, min, max, indexOf): every string byte at 0.1, 1 a scalar, rounded down. */
function deepTraversal(v: unknown): number {
  if (typeof v === 'string') return Math.floor(Buffer.byteLength(v) * stringTraversalCostFactor);
  if (v instanceof Uint8Array) return Math.floor(v.length * stringTraversalCostFactor);
  if (v instanceof OpaqueValue) return 1;
  let cost = 0;
  if (isCelList(v)) for (const el of v) cost += deepTraversal(el);
  else if (isCelMap(v)) for (const [k, el] of v.entries()) cost += deepTraversal(k) + deepTraversal(el);
  else return 1;
  return cost;
}

/** A regex match: the subject (plus one) times the pattern's length at a quarter per character. */
function regexCost(subjectSize: number, patternSize: number): number {
  return Math.ceil((1 + subjectSize) * stringTraversalCostFactor) * Math.ceil(patternSize * regexStringLengthCostFactor);
}

/** Parsing a label or field selector of n characters into its requirements (upstream's selectorCostEstimate). */
function selectorCost(n: number): number {
  return listCreateBaseCost + Math.ceil(n * stringTraversalCostFactor) + Math.ceil(n * 0.5) * (listCreateBaseCost + structCreateBaseCost);
}

function isOpaque(v: unknown, typeName: string): boolean {
  return v instanceof OpaqueValue && v.typeName === typeName;
}

const unit: CallCost = () => 1;
const authorizationCheck: CallCost = () => authzCheckCost;
const firstTraversal: CallCost = (t, a) => traversal(first(t, a));
const firstDoubleTraversal: CallCost = (t, a) => traversal(first(t, a), 2 * stringTraversalCostFactor);
/** ==, !=, and <, <=, >, >= between strings or bytes: the shorter operand's traversal (0 for an empty one). */
const comparison: CallCost = (t, a) => Math.ceil(Math.min(actualSize(first(t, a)), actualSize(second(t, a))) * stringTraversalCostFactor);
const orderedComparison: CallCost = (t, a) => {
  const x = first(t, a);
  return typeof x === 'string' || x instanceof Uint8Array ? comparison(t, a) : 1;
};
const setsCost =
  (factor: number): CallCost =>
  (t, a) =>
    1 + Math.floor(actualSize(first(t, a)) * actualSize(second(t, a)) * factor);

const costs: Record<string, CallCost> = {
  check: authorizationCheck,
  fieldSelector: (t, a) => selectorCost(actualSize(second(t, a))),
  labelSelector: (t, a) => selectorCost(actualSize(second(t, a))),
  isSorted: (t, a) => deepTraversal(first(t, a)),
  sum: (t, a) => deepTraversal(first(t, a)),
  max: (t, a) => deepTraversal(first(t, a)),
  min: (t, a) => deepTraversal(first(t, a)),
  indexOf: (t, a) => deepTraversal(first(t, a)),
  lastIndexOf: (t, a) => deepTraversal(first(t, a)),
  url: firstTraversal,
  lowerAscii: firstTraversal,
  upperAscii: firstTraversal,
  substring: firstTraversal,
  trim: firstTraversal,
  'jsonpatch.escapeKey': firstTraversal,
  replace: firstDoubleTraversal,
  split: firstDoubleTraversal,
  // The joined string's length, counted before joining: the elements and a separator between each two.
  join: (t, a) => {
    const list = first(t, a) as Iterable<CelValue>;
    const sep = second(t, a);
    let size = 0;
    let n = 0;
    for (const el of list) (size += actualSize(el)), n++;
    if (typeof sep === 'string' && n > 1) size += sep.length * (n - 1);
    return Math.ceil(size * 2 * stringTraversalCostFactor);
  },
  find: (t, a) => regexCost(actualSize(first(t, a)), actualSize(second(t, a))),
  findAll: (t, a) => regexCost(actualSize(first(t, a)), actualSize(second(t, a))),
  matches: (t, a) => regexCost(actualSize(first(t, a)), actualSize(second(t, a))),
  cidr: firstTraversal,
  isIP: firstTraversal,
  isCIDR: firstTraversal,
  // A CIDR's ip() reads a field; ip(string) parses.
  ip: (t, a) => (isOpaque(first(t, a), 'net.CIDR') ? 1 : traversal(first(t, a))),
  'ip.isCanonical': firstDoubleTraversal,
  // A CIDR's size is 1: comparing prefixes is charged as 2 units, a string operand is parsed first.
  containsIP: (t, a) => {
    const c = actualSize(first(t, a));
    const other = second(t, a);
    return Math.ceil(2 * c * stringTraversalCostFactor) + (typeof other === 'string' ? traversal(other) : 0);
  },
  containsCIDR: (t, a) => {
    const c = actualSize(first(t, a));
    const other = second(t, a);
    return Math.ceil(2 * c * stringTraversalCostFactor) + Math.ceil(c * stringTraversalCostFactor) + 1 + (typeof other === 'string' ? traversal(other) : 0);
  },
  quantity: firstTraversal,
  isQuantity: firstTraversal,
  // Charged as a match against the format's longest pattern.
  validate: (t, a) => {
    const f = first(t, a);
    return f instanceof NamedFormat ? regexCost(actualSize(second(t, a)), f.maxRegexSize) : 1;
  },
  // cel-go's own size-based standard functions.
  startsWith: firstTraversal,
  endsWith: firstTraversal,
  'strings.quote': firstTraversal,
  format: firstTraversal,
  bytes: (t, a) => (typeof first(t, a) === 'string' ? firstTraversal(t, a) : 1),
  string: (t, a) => (first(t, a) instanceof Uint8Array ? firstTraversal(t, a) : 1),
  '@in': (t, a) => {
    const container = second(t, a);
    return isCelList(container) ? actualSize(container) : 1;
  },
  '_==_': comparison,
  '_!=_': comparison,
  '_<_': orderedComparison,
  '_<=_': orderedComparison,
  '_>_': orderedComparison,
  '_>=_': orderedComparison,
  '_+_': (t, a) => {
    const x = first(t, a);
    return typeof x === 'string' || x instanceof Uint8Array ? Math.ceil((actualSize(x) + actualSize(second(t, a))) * stringTraversalCostFactor) : 1;
  },
  contains: (t, a) => {
    const x = first(t, a);
    return typeof x === 'string' ? traversal(x) * traversal(second(t, a)) : 1;
  },
  'sets.contains': setsCost(1),
  'sets.intersects': setsCost(1),
  'sets.equivalent': setsCost(2),
};

/**
 * The cost function of calls to `name`. The authorizer's builders and accessors, the quantity, URL, IP and CIDR
 * accessors, `format.named` and every function without a figure of its own cost 1.
 */
export function callCostOf(name: string): CallCost {
  return Object.hasOwn(costs, name) ? costs[name]! : unit;
}
