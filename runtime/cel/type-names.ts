/**
 * CEL types as cel-go's checker prints them in its messages (checker/format.go's FormatCELType: `list(int)`,
 * `map(string, dyn)`, `optional_type(int)`, `type(list(int))`, `null`, `duration`, `timestamp`), and cel-go's rule
 * for which two of them `==` and `!=` accept (checker/types.go's internalIsAssignable, for the `(A, A) -> bool`
 * overload). The checker (./check.ts) tracks kinds (`list`, `null_type`, `google.protobuf.Duration`); this module
 * turns them into the printed types and back.
 */
import type { Kind } from './library/func.ts';

/** Kinds whose printed name differs from the kind (cel-go prints well-known and null types by short names). */
const printedNames = new Map<Kind, string>([
  ['null_type', 'null'],
  ['google.protobuf.Duration', 'duration'],
  ['google.protobuf.Timestamp', 'timestamp'],
]);
const kindsOfPrinted = new Map<string, Kind>([...printedNames].map(([k, p]) => [p, k]));

/** The printed name of a kind with no type parameters (`null_type` prints as `null`). */
export function printedKind(k: Kind): string {
  return printedNames.get(k) ?? k;
}

/** The kind of a printed type (`list(int)` is a `list`, `null` a `null_type`). */
export function kindOfPrinted(t: string): Kind {
  const name = t.replace(/\(.*$/, '');
  return kindsOfPrinted.get(name) ?? name;
}

const typeIdentValues = new Map([
  ['list', 'list(dyn)'],
  ['map', 'map(dyn, dyn)'],
  ['null_type', 'null'],
]);

/** The value of a type identifier (`int`, `list`), printed as cel-go types it: `type(int)`, `type(list(dyn))`. */
export function typeIdentType(name: string): string {
  return `type(${typeIdentValues.get(name) ?? name})`;
}

/** The element type of a printed list type, or the value type of a printed map type. */
export function elementOf(t: string): string | undefined {
  const term = parse(t);
  if (term.name === 'list' && term.params.length === 1) return show(term.params[0]);
  if (term.name === 'map' && term.params.length === 2) return show(term.params[1]);
  return undefined;
}

/** The key type of a printed map type. */
export function keyOf(t: string): string | undefined {
  const term = parse(t);
  return term.name === 'map' && term.params.length === 2 ? show(term.params[0]) : undefined;
}

interface Term {
  name: string;
  params: Term[];
}

/** Type constructors and how many parameters they take; one printed without them has dyn ones. */
const arity = new Map([
  ['list', 1],
  ['map', 2],
  ['optional_type', 1],
  ['type', 1],
]);

function parse(t: string): Term {
  let i = 0;
  const term = (): Term => {
    // Object type names of schemas hold `@` (`selfType1.items.@idx`).
    const m = /^\s*([A-Za-z_][\w.@]*)/.exec(t.slice(i));
    if (!m) return { name: 'dyn', params: [] };
    i += m[0].length;
    const params: Term[] = [];
    if (t[i] === '(') {
      i++;
      while (i < t.length && t[i] !== ')') {
        params.push(term());
        if (t[i] === ',') i++;
        else if (t[i] !== ')') break;
      }
      i++;
    }
    const want = arity.get(m[1]) ?? 0;
    while (params.length < want) params.push({ name: 'dyn', params: [] });
    return { name: m[1], params };
  };
  return term();
}

function show(t: Term): string {
  return t.params.length ? `${t.name}(${t.params.map(show).join(', ')})` : t.name;
}

/**
 * Types compared as cel-go's dyn: `object` stands for a schema's object type, whose name cel-go makes up per
 * declaration, so two of them cannot be told apart here.
 */
const wildcards = new Set(['dyn', 'any', 'object']);

/** Types `null` is not assignable to: cel-go's primitive, list, map and type kinds. */
const notNullable = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'type']);

/**
 * cel-go's isLegacyNullable: what `null` may be compared with. Any other name is a duration, a timestamp, an opaque
 * type (optional_type, kubernetes.Quantity, net.IP, ...) or an object type (a schema's, `selfType123.spec`).
 */
function nullable(t: Term): boolean {
  return !notNullable.has(t.name);
}

function assignable(a: Term, b: Term): boolean {
  if (wildcards.has(a.name) || wildcards.has(b.name)) return true;
  if (a.name === 'null') return nullable(b);
  if (b.name === 'null') return nullable(a);
  // Any two type values compare (cel-go: TypeKind is assignable to TypeKind).
  if (a.name === 'type' || b.name === 'type') return a.name === b.name;
  return a.name === b.name && a.params.length === b.params.length && a.params.every((p, i) => assignable(p, b.params[i]));
}

/** Whether cel-go's `_==_` / `_!=_` (one type parameter A for both operands) accepts operands of these printed types. */
export function equalityAccepts(a: string, b: string): boolean {
  return assignable(parse(a), parse(b));
}
