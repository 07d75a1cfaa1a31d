/**
 * cel-go's optional types (its OptionalTypes library): `optional.of/none/ofNonZeroValue`, `hasValue() value() or()
 * orValue()`, and the run-time side of the optional syntax (../optional-syntax.ts lowers `a.?b`, `m[?k]`, `[?x]`
 * and `{?k: v}` into the internal functions below). CRD transition rules with `optionalOldSelf` see `oldSelf` as
 * one of these.
 *
 * Selecting or indexing into an optional gives an optional (cel-go: after the first optional qualifier every
 * later one is optional): `a.?b.c` is none when `b` or `c` is missing, as `a.?b.?c`.
 */
import { celList, celMap, isCelList, isCelMap, isCelUint, type CelValue } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';

const O = 'optional_type';

export class Optional extends OpaqueValue {
  readonly typeName = O;
  constructor(
    readonly present: boolean,
    readonly value?: CelValue,
  ) {
    super();
  }
  /** Two optionals are equal when both are empty or both hold equal values. */
  protected identity(): CelValue {
    return celList(this.present ? [true, this.value as CelValue] : [false]);
  }
  override toString(): string {
    return this.present ? `optional.of(${String(this.value)})` : 'optional.none()';
  }
  /** `opt.field` and `opt[key]`: the field or element as an optional. */
  protected override field(key: unknown): CelValue | undefined {
    return this.present ? qualifyIfPresent(this.value as CelValue, key) : (none as unknown as CelValue);
  }
}

export const none = new Optional(false);

export function optionalOf(v: CelValue): Optional {
  return new Optional(true, v);
}

/** A list index as a number, when the key is an integral int, uint or double. */
function listIndex(key: unknown): number | undefined {
  const n = typeof key === 'bigint' ? Number(key) : isCelUint(key) ? Number((key as { value: bigint }).value) : typeof key === 'number' && Number.isInteger(key) ? key : undefined;
  return n;
}

/** `v.?key` / `v[?key]` on a plain value; undefined when the value has no keys to look up. */
function qualifyIfPresent(v: CelValue, key: unknown): CelValue | undefined {
  let found: CelValue | undefined;
  if (isCelMap(v)) found = v.get(key as never);
  else if (isCelList(v)) {
    const i = listIndex(key);
    found = i !== undefined && i >= 0 && i < v.size ? v.get(i) : undefined;
  } else return undefined;
  return (found === undefined ? none : optionalOf(found)) as unknown as CelValue;
}

function qualify(v: CelValue, key: CelValue): CelValue {
  if (v instanceof Optional) {
    if (!v.present) return none as unknown as CelValue;
    v = v.value as CelValue;
  }
  const out = qualifyIfPresent(v, key);
  if (out === undefined) throw new Error(`no such key: ${String(key)}`);
  return out;
}

/** cel-go's zero values: optional.ofNonZeroValue gives none for them. */
function isZero(v: CelValue): boolean {
  if (v === '' || v === 0n || v === 0 || v === false || v === null) return true;
  if (v instanceof Uint8Array) return v.length === 0;
  if (isCelUint(v)) return (v as { value: bigint }).value === 0n;
  if (v instanceof OpaqueValue) return false;
  if (isCelList(v) || isCelMap(v)) return v.size === 0;
  return false;
}

/** Names of the internal functions the optional syntax is lowered to (no user expression can call them). */
export const optionalFunctions = {
  select: '@optional_select',
  index: '@optional_index',
  list: '@optional_list',
  map: '@optional_map',
} as const;

function listWithOptionals(list: CelValue, indices: CelValue): CelValue[] {
  const optional = new Set(Array.from(indices as Iterable<bigint>, Number));
  const out: CelValue[] = [];
  let i = 0;
  for (const el of list as Iterable<CelValue>) {
    if (!optional.has(i++)) out.push(el);
    else if (!(el instanceof Optional)) throw new Error(`cannot initialize optional list element from non-optional value ${String(el)}`);
    else if (el.present) out.push(el.value as CelValue);
  }
  return out;
}

function mapWithOptionals(map: CelValue, indices: CelValue): CelValue {
  const optional = new Set(Array.from(indices as Iterable<bigint>, Number));
  const out = new Map<never, CelValue>();
  let i = 0;
  for (const [k, v] of map as unknown as Iterable<[never, CelValue]>) {
    if (!optional.has(i++)) out.set(k, v);
    else if (!(v instanceof Optional)) throw new Error(`cannot initialize optional entry '${String(k)}' from non-optional value ${String(v)}`);
    else if (v.present) out.set(k, v.value as CelValue);
  }
  return celMap(out);
}

export const optional = [
  global('optional.of', ['dyn'], O, (v: CelValue) => optionalOf(v)),
  global('optional.none', [], O, () => none),
  global('optional.ofNonZeroValue', ['dyn'], O, (v: CelValue) => (isZero(v) ? none : optionalOf(v))),
  method('hasValue', O, [], 'bool', (o: Optional) => o.present),
  method('value', O, [], 'dyn', (o: Optional) => {
    if (!o.present) throw new Error('optional.none() dereference');
    return o.value;
  }),
  method('orValue', O, ['dyn'], 'dyn', (o: Optional, d: CelValue) => (o.present ? o.value : d)),
  method('or', O, [O], O, (a: Optional, b: Optional) => (a.present ? a : b)),
  global(optionalFunctions.select, ['dyn', 'string'], O, qualify),
  global(optionalFunctions.index, ['dyn', 'dyn'], O, qualify),
  global(optionalFunctions.list, ['list', 'list'], 'list', (l: CelValue, ix: CelValue) => celList(listWithOptionals(l, ix))),
  global(optionalFunctions.map, ['map', 'list'], 'map', mapWithOptionals),
];
