/**
 * CEL's `==`, `!=`, `in` and list `+` with cel-go's dispatch: the left operand decides how values compare
 * (cel-go's types.Equal calls lhs.Equal(rhs)), so a value may bring a rule of its own. Upstream's custom resource
 * lists typed `x-kubernetes-list-type: set` or `map` do (apiserver v0.32.0 pkg/cel/common/values.go:
 * unstructuredSetList and unstructuredMapList compare without regard to order and add as a union or a merge);
 * ../apiextensions/schema/cel-values.ts gives them the methods below. @bufbuild/cel's own equality has no such
 * hook, so these functions replace its overloads (same ids) in the server's environment.
 */
import { celEnv, celFunc, CelScalar, celListConcat, isCelList, isCelMap, isCelUint, listType, type CelList, type CelMap, type CelValue } from '@bufbuild/cel';

/** A value that compares as the left operand of `==` by its own rule (cel-go's ref.Val Equal). */
export const equalTo = Symbol('kube-ts/cel/equalTo');
/** A list whose `in` asks each element whether it equals the needle (upstream's unstructuredList.Contains). */
export const containsValue = Symbol('kube-ts/cel/containsValue');
/** A list that adds another as its own kind (cel-go's traits.Adder): a set's union, a map list's merge. */
export const addList = Symbol('kube-ts/cel/addList');

interface OwnRules {
  [equalTo]?: (other: CelValue) => boolean;
  [containsValue]?: (needle: CelValue) => boolean;
  [addList]?: (other: CelList) => CelList;
}

/** @bufbuild/cel's equality (not exported by itself), for bytes, types and messages. */
const standardEquals = (celEnv({}).funcs as unknown as { find(name: string): { call(id: number, target: undefined, args: CelValue[]): unknown } }).find('_==_')!;

/** cel-go's types.Equal: null equals only null, else the left operand's rule, recursively for lists and maps. */
export function celEquals(lhs: CelValue, rhs: CelValue): boolean {
  if (lhs === rhs) return true;
  switch (typeof lhs) {
    case 'string':
    case 'boolean':
      return false;
    case 'number':
    case 'bigint':
      // Numbers compare across int, uint and double (cel-go's CrossTypeNumericComparisons).
      if (isCelUint(rhs)) return lhs == rhs.value;
      return (typeof rhs === 'number' || typeof rhs === 'bigint') && lhs == rhs;
  }
  if (lhs === null) return false;
  const own = (lhs as OwnRules)[equalTo];
  if (own) return own.call(lhs, rhs);
  if (isCelList(lhs)) return isCelList(rhs) && listsEqual(lhs, rhs);
  if (isCelMap(lhs)) return isCelMap(rhs) && mapsEqual(lhs, rhs);
  return standardEquals.call(0, undefined, [lhs, rhs]) === true;
}

/** In order, element by element (cel-go's baseList.Equal). */
function listsEqual(lhs: CelList, rhs: CelList): boolean {
  if (lhs.size !== rhs.size) return false;
  for (let i = 0; i < lhs.size; i++) if (!celEquals(lhs.get(i)!, rhs.get(i)!)) return false;
  return true;
}

function mapsEqual(lhs: CelMap, rhs: CelMap): boolean {
  if (lhs.size !== rhs.size) return false;
  for (const [k, v] of lhs.entries()) {
    const rv = rhs.get(k);
    if (rv === undefined || !celEquals(v, rv)) return false;
  }
  return true;
}

/** `x in list`: the list's own rule, else (cel-go's baseList.Contains) the needle compared with each element. */
function inList(needle: CelValue, list: CelList): boolean {
  const own = (list as OwnRules)[containsValue];
  if (own) return own.call(list, needle);
  for (const v of list.values()) if (celEquals(needle, v)) return true;
  return false;
}

/** `a + b` of lists: the left list's own addition, else concatenation. */
function addLists(lhs: CelList, rhs: CelList): CelList {
  const own = (lhs as OwnRules)[addList];
  return own ? own.call(lhs, rhs) : celListConcat(lhs, rhs);
}

const { DYN, BOOL } = CelScalar;
const LIST = listType(DYN);

/**
 * Overloads replacing @bufbuild/cel's, declared as it declares them (same ids, so they take their place, and the
 * same run-time dispatch): `_==_(dyn,dyn)`, `_!=_(dyn,dyn)`, `@in(dyn,list)`, `_+_(list,list)`.
 */
export const equalityFuncs = [
  celFunc('_==_', [DYN, DYN], BOOL, celEquals),
  celFunc('_!=_', [DYN, DYN], BOOL, (l: CelValue, r: CelValue) => !celEquals(l, r)),
  celFunc('@in', [DYN, LIST], BOOL, inList),
  celFunc('_+_', [LIST, LIST], LIST, addLists),
];
