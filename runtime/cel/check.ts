/**
 * Compile-time checks on a parsed expression, in place of a full CEL type checker (@bufbuild/cel has none yet):
 * every identifier must be declared, every function must exist with an overload for the argument count and the
 * argument kinds that are known statically (literals, declared kinds, function results). Kinds of values read from
 * objects are `dyn` and always accepted, as upstream's checker does for schemaless objects.
 *
 * Errors are formatted as cel-go's: `ERROR: <input>:1:3: found no matching overload for '_<_' applied to
 * '(int, string)'` followed by the source line and a caret.
 */
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type { CelFunc } from '@bufbuild/cel';
import { forEachChild } from './ast.ts';
import { assignable, KubeOverload, type Kind } from './library/func.ts';
import { elementOf, equalityAccepts, keyOf, kindOfPrinted, printedKind, typeIdentType } from './type-names.ts';

export interface CheckIssue {
  offset: number;
  message: string;
}

/** The kind of optional values (cel-go's `optional_type(T)`; the type parameter is not tracked). */
const optionalKind: Kind = 'optional_type';

/** Names usable as values of type `type` (`type(x) == int`). */
const typeIdents = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

/** Kinds of a library overload, from our declarations or @bufbuild/cel's CelType. */
interface Sig {
  target?: Kind;
  args: Kind[];
  result: Kind;
}

function kindOfCelType(t: { kind: string; name: string } | undefined): Kind {
  if (!t) return 'dyn';
  if (t.kind === 'list') return 'list';
  if (t.kind === 'map') return 'map';
  return t.name;
}

export function signatures(funcs: Iterable<CelFunc>): Map<string, Sig[]> {
  const out = new Map<string, Sig[]>();
  for (const f of funcs) {
    let sig: Sig;
    const own = f as unknown;
    if (own instanceof KubeOverload) {
      const s = own.spec;
      sig = { target: s.target, args: s.args, result: s.result };
    } else {
      sig = { target: f.target ? kindOfCelType(f.target) : undefined, args: f.arguments.map(kindOfCelType), result: kindOfCelType(f.result) };
    }
    const list = out.get(f.name) ?? [];
    list.push(sig);
    out.set(f.name, list);
  }
  return out;
}

/** An OpenAPI-style schema of a variable (a kind's schema): fields are then checked and typed. */
export interface FieldSchema {
  type?: string | string[];
  properties?: Record<string, FieldSchema>;
  additionalProperties?: FieldSchema | boolean;
  patternProperties?: Record<string, FieldSchema>;
  items?: FieldSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  /** The CEL kind of the value when the type alone does not say it (CRD strings with format date-time are timestamps). */
  celKind?: Kind;
  /**
   * The name of the CEL object type of this schema's values, which names its nested object types too
   * (`<name>.<field>`, `<name>.@idx` for list items, `<name>.@elem` for map values), as upstream's
   * DeclType.MaybeAssignTypeName does. cel-go compares objects by type name: two differently named object types never
   * compare with `==`. Without one, objects are compared as dyn and print as `object`.
   */
  objectTypeName?: string;
}

function kindOfSchema(s: FieldSchema): Kind {
  if (s.celKind) return s.celKind;
  if (s['x-kubernetes-int-or-string'] || Array.isArray(s.type)) return 'dyn';
  switch (s.type) {
    case 'integer':
      return 'int';
    case 'number':
      return 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'array':
      return 'list';
    case 'object':
      return s['x-kubernetes-preserve-unknown-fields'] && !s.properties ? 'dyn' : 'map';
    default:
      return 'dyn';
  }
}

/**
 * The CEL type name cel-go prints for values of a schema (`list(string)`, `map(string, int)`). Object types carry
 * names upstream gives them per declaration (a random `selfType<n>` for CRDs); they print as `object` here.
 */
function celTypeName(s: FieldSchema | undefined): string {
  if (!s) return 'dyn';
  const kind = kindOfSchema(s);
  if (kind === 'list') return `list(${celTypeName(itemSchema(s))})`;
  if (kind === 'map') {
    const v = valueSchema(s);
    return v && !s.properties ? `map(string, ${celTypeName(v)})` : (s.objectTypeName ?? 'object');
  }
  return printedKind(kind);
}

/** Scalar type names and the type constructors whose parameters this checker prints (`list(int)`). */
const plainTypes = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'null', 'duration', 'timestamp']);
const typeConstructors = new Set(['list', 'map', optionalKind]);

/** Whether a printed type is one this checker knows fully (no dyn, object or unparameterized list inside). */
function knownType(t: string): boolean {
  const tokens = t.split(/[(), ]+/).filter(Boolean);
  const constructors = tokens.filter((x) => typeConstructors.has(x)).length;
  return tokens.every((x) => plainTypes.has(x) || typeConstructors.has(x)) && constructors === (t.match(/\(/g)?.length ?? 0);
}

/** The one-element list literal a comprehension step appends to its accumulator (`acc + [x]`, or `c ? acc + [x] : acc`). */
function appendedList(step: Expr | undefined, accuVar: string): Expr | undefined {
  if (step?.exprKind.case !== 'callExpr') return undefined;
  const { function: fn, args } = step.exprKind.value;
  const isAccu = (x: Expr | undefined) => x?.exprKind.case === 'identExpr' && x.exprKind.value.name === accuVar;
  if (fn === '_+_' && args.length === 2 && isAccu(args[0]) && args[1].exprKind.case === 'listExpr') return args[1];
  if (fn === '_?_:_' && args.length === 3 && isAccu(args[2])) return appendedList(args[1], accuVar);
  return undefined;
}

/** The one kind all of `kinds` have, when there are some and it is known. */
function uniform(kinds: Kind[]): Kind | undefined {
  return kinds.length > 0 && kinds[0] !== 'dyn' && kinds.every((k) => k === kinds[0]) ? kinds[0] : undefined;
}

/** The schema of a map's values (additionalProperties or a catch-all pattern), if the schema is a map. */
function valueSchema(s: FieldSchema): FieldSchema | undefined {
  if (s.additionalProperties && typeof s.additionalProperties === 'object') return named(s.additionalProperties, s, '@elem');
  const patterns = Object.values(s.patternProperties ?? {});
  return patterns.length === 1 ? named(patterns[0], s, '@elem') : undefined;
}

/** The schema of a list's items. */
function itemSchema(s: FieldSchema): FieldSchema | undefined {
  return named(s.items, s, '@idx');
}

/** A nested schema with the type name its parent's gives it (see FieldSchema.objectTypeName). */
function named(child: FieldSchema | undefined, parent: FieldSchema, step: string): FieldSchema | undefined {
  return child && parent.objectTypeName ? { ...child, objectTypeName: `${parent.objectTypeName}.${step}` } : child;
}

/** Checks an expression; returns its static kind (or 'dyn') and the problems found. */
export function checkExpr(parsed: ParsedExpr, variables: Record<string, Kind>, sigs: Map<string, Sig[]>, schemas: Record<string, FieldSchema> = {}): { kind: Kind; issues: CheckIssue[] } {
  const positions = parsed.sourceInfo?.positions ?? {};
  const issues: CheckIssue[] = [];
  const at = (e: Expr) => Number(positions[String(e.id)] ?? 0);
  const scopes: Array<Map<string, Kind>> = [];
  // Schemas known for expressions (typed variables, their fields) and for comprehension variables.
  const schemaOf = new Map<Expr, FieldSchema>();
  const scopeSchemas: Array<Map<string, FieldSchema>> = [];
  // Printed types of comprehension variables ranging over literals (`[1, 2].all(x, ...)`: x is an int).
  const scopeTypes: Array<Map<string, string>> = [];
  const lookupSchema = (name: string): FieldSchema | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i].has(name)) return scopeSchemas[i]?.get(name);
    }
    return schemas[name];
  };
  const lookupPrinted = (name: string): string | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      if (scopes[i].has(name)) return scopeTypes[i]?.get(name);
    }
    return undefined;
  };
  /** The field's schema, or undefined (with an issue) when the schema declares fields and not this one. */
  const fieldOf = (e: Expr, s: FieldSchema, field: string): FieldSchema | undefined => {
    const f = s.properties?.[field];
    if (f) return named(f, s, field);
    const v = valueSchema(s);
    if (v) return v;
    if (s.properties && !s['x-kubernetes-preserve-unknown-fields']) issues.push({ offset: at(e), message: `undefined field '${field}'` });
    return undefined;
  };

  // Types cel-go prints for expressions where this checker knows them beyond their kind: list and map literals whose
  // elements share one known type (`list(int)`), type values (`type(int)`), `optional.of(x)`, and what is read from
  // a literal (a comprehension variable over it, an index into it).
  const printedTypes = new Map<Expr, string>();
  // Expressions cel-go types dyn too (a variable declared dyn, what is read from it, `dyn(x)`); elsewhere a dyn
  // here may be a type cel-go knows and this checker does not track.
  const declaredDyn = new Set<Expr>();
  // List and map literals in a `format` call's arguments, which cel-go's homogeneity check exempts.
  const formatArgs = new Set<Expr>();
  const markFormatArgs = (e: Expr | undefined, inFormat: boolean): void => {
    if (!e) return;
    const aggregate = e.exprKind.case === 'listExpr' || e.exprKind.case === 'structExpr';
    if (inFormat && aggregate) formatArgs.add(e);
    const isFormat = e.exprKind.case === 'callExpr' && e.exprKind.value.function === 'format';
    forEachChild(e, (c) => markFormatArgs(c, isFormat || (inFormat && aggregate)));
  };
  markFormatArgs(parsed.expr, false);

  const lookup = (name: string): Kind | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const k = scopes[i].get(name);
      if (k !== undefined) return k;
    }
    return variables[name];
  };

  const qualifiedName = (e: Expr): string | undefined => {
    if (e.exprKind.case === 'identExpr') return lookup(e.exprKind.value.name) === undefined ? e.exprKind.value.name : undefined;
    if (e.exprKind.case === 'selectExpr' && !e.exprKind.value.testOnly && e.exprKind.value.operand) {
      const p = qualifiedName(e.exprKind.value.operand);
      return p === undefined ? undefined : `${p}.${e.exprKind.value.field}`;
    }
    return undefined;
  };

  const visit = (e: Expr): Kind => {
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr':
        switch (k.value.constantKind.case) {
          case 'int64Value':
            return 'int';
          case 'uint64Value':
            return 'uint';
          case 'doubleValue':
            return 'double';
          case 'stringValue':
            return 'string';
          case 'boolValue':
            return 'bool';
          case 'bytesValue':
            return 'bytes';
          case 'nullValue':
            return 'null_type';
          default:
            return 'dyn';
        }
      case 'identExpr': {
        const name = k.value.name;
        const kind = lookup(name);
        const sch = lookupSchema(name);
        if (sch) {
          schemaOf.set(e, sch);
          // A variable declared optional with a schema (CRD oldSelf with optionalOldSelf) is an optional of such values.
          return kind === optionalKind ? optionalKind : kindOfSchema(sch);
        }
        if (kind === 'dyn' && !scopes.some((sc) => sc.has(name))) declaredDyn.add(e);
        const printed = lookupPrinted(name);
        if (printed) printedTypes.set(e, printed);
        if (kind !== undefined) return kind;
        if (typeIdents.has(name)) {
          printedTypes.set(e, typeIdentType(name));
          return 'type';
        }
        issues.push({ offset: at(e), message: `undeclared reference to '${name}' (in container '')` });
        return 'dyn';
      }
      case 'selectExpr': {
        const operand = k.value.operand;
        if (!operand) return 'dyn';
        const kind = selectField(e, operand, k.value.field, false);
        if (kind === 'dyn' && !k.value.testOnly && declaredDyn.has(operand)) declaredDyn.add(e);
        return k.value.testOnly ? 'bool' : kind;
      }
      case 'listExpr': {
        const optional = new Set(k.value.optionalIndices);
        const kinds = k.value.elements.map((el, i) => {
          const ek = visit(el);
          if (optional.has(i)) expectOptional(el, ek);
          return typeName(el, ek);
        });
        const elem = uniform(kinds);
        if (elem && optional.size === 0) printedTypes.set(e, `list(${elem})`);
        if (!formatArgs.has(e)) {
          const types = k.value.elements.map((el, i) => elementType(el, kinds[i], optional.has(i)));
          const first = types[0];
          const odd = first === undefined || types.includes(undefined) ? -1 : types.findIndex((t) => t !== first);
          if (odd > 0) issues.push({ offset: at(k.value.elements[odd]), message: `expected type '${first}' but found '${types[odd]}'` });
        }
        return 'list';
      }
      case 'structExpr': {
        const keys: Kind[] = [];
        const values: Kind[] = [];
        // Each entry's key and value with their types, for the homogeneity check.
        const typed: Array<[Expr, string | undefined]>[] = [];
        for (const en of k.value.entries) {
          const entry: Array<[Expr, string | undefined]> = [];
          if (en.keyKind.case === 'mapKey' && en.keyKind.value) {
            const kk = visit(en.keyKind.value);
            keys.push(kk);
            entry.push([en.keyKind.value, elementType(en.keyKind.value, kk, false)]);
          }
          if (!en.value) continue;
          const vk = visit(en.value);
          values.push(en.optionalEntry ? 'dyn' : typeName(en.value, vk));
          if (en.optionalEntry) expectOptional(en.value, vk);
          entry.push([en.value, elementType(en.value, vk, en.optionalEntry)]);
          typed.push(entry);
        }
        const [kk, vk] = [uniform(keys), uniform(values)];
        if (kk && vk && !k.value.messageName) printedTypes.set(e, `map(${kk}, ${vk})`);
        if (!k.value.messageName && !formatArgs.has(e) && typed.every((en) => en.length === 2 && en.every(([, t]) => t !== undefined))) {
          // cel-go reports every key and every value whose type differs from the first entry's.
          for (const en of typed.slice(1)) {
            en.forEach(([x, t], i) => {
              if (t !== typed[0][i][1]) issues.push({ offset: at(x), message: `expected type '${typed[0][i][1]}' but found '${t}'` });
            });
          }
        }
        return k.value.messageName ? k.value.messageName : 'map';
      }
      case 'comprehensionExpr': {
        const c = k.value;
        // The variable(s) of each step: a list's element (or, with two, its index and element), a map's key (and value).
        const vars = new Map<string, Kind>();
        const varSchemas = new Map<string, FieldSchema>();
        const varTypes = new Map<string, string>();
        // A variable's schema, or else its printed type when the range is a literal of known element types.
        const bindVar = (name: string, s: FieldSchema | undefined, printed: string | undefined, kind?: Kind) => {
          const known = !s && printed !== undefined && knownType(printed) ? printed : undefined;
          vars.set(name, kind ?? (s ? kindOfSchema(s) : known ? kindOfPrinted(known) : 'dyn'));
          if (s) varSchemas.set(name, s);
          if (known) varTypes.set(name, known);
        };
        if (c.iterRange) {
          const rk = visit(c.iterRange);
          const rs = schemaOf.get(c.iterRange);
          const rangeType = typeName(c.iterRange, rk);
          const elem = rs?.type === 'array' ? itemSchema(rs) : rs && rk === 'map' ? valueSchema(rs) : undefined;
          const key: FieldSchema | undefined = rs && rk === 'map' ? { type: 'string' } : undefined;
          if (!c.iterVar2) bindVar(c.iterVar, rk === 'map' ? key : elem, rk === 'map' ? keyOf(rangeType) : elementOf(rangeType));
          else {
            bindVar(c.iterVar, key, keyOf(rangeType), rk === 'list' ? 'int' : undefined);
            bindVar(c.iterVar2, elem, elementOf(rangeType));
          }
          if ((rk !== 'list' && rk !== 'map' && rk !== 'dyn') || (rk === 'map' && objectTypeOf(c.iterRange))) {
            issues.push({ offset: at(c.iterRange), message: `expression of type '${typeName(c.iterRange, rk)}' cannot be range of a comprehension (must be list, map, or dynamic)` });
          }
        }
        const accuKind = c.accuInit ? visit(c.accuInit) : 'dyn';
        const enter = (kinds: Map<string, Kind>, schemas: Map<string, FieldSchema>, types: Map<string, string>) => {
          scopes.push(kinds);
          scopeSchemas.push(schemas);
          scopeTypes.push(types);
        };
        const leave = () => {
          scopes.pop();
          scopeSchemas.pop();
          scopeTypes.pop();
        };
        enter(new Map([[c.accuVar, accuKind]]), new Map(), new Map());
        enter(vars, varSchemas, varTypes);
        if (c.loopCondition) visit(c.loopCondition);
        if (c.loopStep) visit(c.loopStep);
        leave();
        const result = c.result ? visit(c.result) : 'dyn';
        leave();
        typeAccumulatedList(e, c);
        return result;
      }
      case 'callExpr': {
        const call = k.value;
        if (call.target) {
          const q = qualifiedName(call.target);
          if (q !== undefined && sigs.has(`${q}.${call.function}`)) {
            const args = call.args.map(visit);
            const kind = resolve(e, `${q}.${call.function}`, undefined, args);
            // cel-go types `optional.of(1)` as optional_type(int): the parameter shows in its messages.
            if (kind === optionalKind && args.length === 1 && q === 'optional') printedTypes.set(e, `${optionalKind}(${typeName(call.args[0], args[0])})`);
            return kind;
          }
        }
        const target = call.target ? visit(call.target) : undefined;
        const args = call.args.map(visit);
        switch (call.function) {
          case '_&&_':
          case '_||_':
            for (let i = 0; i < args.length; i++) {
              if (!assignable('bool', args[i])) return mismatch(e, call.function, undefined, args);
            }
            return 'bool';
          case '@not_strictly_false':
          case '__not_strictly_false__':
            return 'bool';
          case '_==_':
          case '_!=_': {
            // cel-go declares equality as (A, A) -> bool: operands of two different types never compare, and
            // null compares only with nullable types (objects, timestamps, durations, optionals).
            const [a, b] = call.args.map((x, i) => equalityType(x, args[i]));
            if (!equalityAccepts(a, b)) return mismatch(e, call.function, undefined, args);
            return 'bool';
          }
          case 'dyn':
            if (!call.target && args.length === 1) declaredDyn.add(e);
            break;
          case 'type':
            // cel-go types `type(x)` as type(T), T being x's type: `type([1])` is a type(list(int)).
            if (!call.target && args.length === 1) printedTypes.set(e, `type(${typeName(call.args[0], args[0])})`);
            break;
          case '_?_:_':
            if (!assignable('bool', args[0])) return mismatch(e, call.function, undefined, args);
            return args[1] === args[2] ? args[1] : 'dyn';
          case '_[_]':
          case '_[?_]': {
            // An index into an optional, or an optional index, gives an optional (cel-go's optional_type(V)).
            const optionalResult = call.function === '_[?_]' || args[0] === optionalKind;
            const os = schemaOf.get(call.args[0]);
            const es = os && (os.type === 'array' ? itemSchema(os) : valueSchema(os));
            if (es) schemaOf.set(e, es);
            if (optionalResult) return optionalKind;
            if (!es && declaredDyn.has(call.args[0])) declaredDyn.add(e);
            if (es) return kindOfSchema(es);
            // An index into a literal (or a comprehension variable over one) has the literal's element type.
            const elem = elementOf(typeName(call.args[0], args[0]));
            if (elem === undefined || !knownType(elem)) return 'dyn';
            printedTypes.set(e, elem);
            return kindOfPrinted(elem);
          }
          case '_?._': {
            const field = call.args[1]?.exprKind;
            if (field?.case !== 'constExpr' || field.value.constantKind.case !== 'stringValue') return mismatch(e, call.function, undefined, args);
            return selectField(e, call.args[0], field.value.constantKind.value, true, args[0]);
          }
          case 'value':
          case 'orValue': {
            // The value inside an optional keeps the schema known for it.
            const ts = call.target && target === optionalKind ? schemaOf.get(call.target) : undefined;
            const result = resolve(e, call.function, target, args);
            if (ts && result === 'dyn') {
              schemaOf.set(e, ts);
              return kindOfSchema(ts);
            }
            return result;
          }
        }
        return resolve(e, call.function, target, args);
      }
      default:
        return 'dyn';
    }
  };

  /**
   * `operand.field` (`operand.?field` when `optional`): checked against the operand's schema when it has one. A
   * selection on an optional, or an optional one, gives an optional, as cel-go's checker types it.
   */
  const selectField = (e: Expr, operand: Expr, field: string, optional: boolean, known?: Kind): Kind => {
    const ok = known ?? visit(operand);
    const resultOf = (k: Kind) => (optional || ok === optionalKind ? optionalKind : k);
    const os = schemaOf.get(operand);
    const osKind = os && kindOfSchema(os);
    if (os && osKind !== 'map' && osKind !== 'dyn') {
      // A list's or a scalar's schema: cel-go's checker refuses the selection.
      issues.push({ offset: at(e), message: `type '${celTypeName(os)}' does not support field selection` });
      return resultOf('dyn');
    }
    if (os) {
      const fs = fieldOf(e, os, field);
      if (!fs) return resultOf('dyn');
      schemaOf.set(e, fs);
      return resultOf(kindOfSchema(fs));
    }
    if (ok === 'kubernetes.authorization.Authorizer' && field === 'requestResource' && !optional) return 'kubernetes.authorization.ResourceCheck';
    if (ok === 'map' || ok === 'dyn' || ok === optionalKind) return resultOf('dyn');
    issues.push({ offset: at(e), message: `type '${typeName(operand, ok)}' does not support field selection` });
    return resultOf('dyn');
  };

  /**
   * The type of a comprehension that builds a list (`map`, `filter`, `transformList`): cel-go infers the accumulator's
   * element type from what each step appends (`@result + [x.name]`), so `self.items.map(x, x.name)` is a
   * list(string) and a filter keeps its range's element type. The result keeps the element's schema when it has one.
   */
  const typeAccumulatedList = (e: Expr, c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value']): void => {
    const init = c.accuInit?.exprKind;
    const result = c.result?.exprKind;
    if (init?.case !== 'listExpr' || init.value.elements.length > 0 || result?.case !== 'identExpr' || result.value.name !== c.accuVar) return;
    const appended = appendedList(c.loopStep, c.accuVar);
    const elem = appended?.exprKind.case === 'listExpr' && appended.exprKind.value.elements.length === 1 ? appended.exprKind.value.elements[0] : undefined;
    if (!appended || !elem) return;
    const es = schemaOf.get(elem);
    if (es) schemaOf.set(e, { type: 'array', items: es });
    else if (declaredDyn.has(elem)) printedTypes.set(e, 'list(dyn)');
    else {
      const t = printedTypes.get(appended);
      if (t && knownType(t)) printedTypes.set(e, t);
    }
  };

  /** An optional list element or map entry must be an optional (cel-go: expected type 'optional_type(T)'). */
  const expectOptional = (e: Expr, k: Kind): void => {
    const t = typeName(e, k);
    if (k !== optionalKind && k !== 'dyn') issues.push({ offset: at(e), message: `expected type '${optionalKind}(${t})' but found '${t}'` });
  };

  /**
   * The type of an operand as cel-go prints it, where we know it: optionals as `optional_type(T)`, lists and maps
   * with a schema as `list(T)` / `map(string, T)`; otherwise its kind.
   */
  const typeName = (x: Expr | undefined, k: Kind): string => {
    const literal = x && printedTypes.get(x);
    if (literal) return literal;
    const s = x && schemaOf.get(x);
    if (k === optionalKind) return `${optionalKind}(${s ? celTypeName(s) : 'dyn'})`;
    if (s && (k === 'list' || k === 'map')) {
      const name = celTypeName(s);
      return name === 'object' ? k : name;
    }
    return printedKind(k);
  };

  /** An operand's type for cel-go's equality rule: a schema's object type is `object`, compared as dyn. */
  const equalityType = (x: Expr | undefined, k: Kind): string => {
    const s = x && schemaOf.get(x);
    return s && k === 'map' && celTypeName(s) === 'object' ? 'object' : typeName(x, k);
  };

  /**
   * The type of a list element or map key/value for cel-go's homogeneity check (ValidateHomogeneousAggregateLiterals:
   * an optional element counts as its value's type), or undefined when this checker does not know it as cel-go would.
   */
  const elementType = (x: Expr, k: Kind, optional: boolean): string | undefined => {
    let t = typeName(x, k);
    if (optional) t = t.startsWith(`${optionalKind}(`) ? t.slice(optionalKind.length + 1, -1) : 'dyn';
    if (t === 'dyn') return !optional && declaredDyn.has(x) ? t : undefined;
    return knownType(t) ? t : undefined;
  };

  const mismatch = (e: Expr, name: string, target: Kind | undefined, args: Kind[]): Kind => {
    const call = e.exprKind.case === 'callExpr' ? e.exprKind.value : undefined;
    const shownTarget = target !== undefined ? `${typeName(call?.target, target)}.` : '';
    const shownArgs = args.map((k, i) => typeName(call?.args[i], k)).join(', ');
    issues.push({ offset: at(e), message: `found no matching overload for '${name}' applied to '${shownTarget}(${shownArgs})'` });
    return 'dyn';
  };

  /** The name of the schema object type of an expression's value, if it has one (not a map, list or scalar). */
  const objectTypeOf = (x: Expr | undefined): string | undefined => {
    const s = x && schemaOf.get(x);
    return s?.objectTypeName !== undefined && celTypeName(s) === s.objectTypeName ? s.objectTypeName : undefined;
  };

  const resolve = (e: Expr, name: string, target: Kind | undefined, args: Kind[]): Kind => {
    // A schema object is a map to this checker's kinds but a type of its own to cel-go's overloads (no size(),
    // no `in`): only dyn parameters take it.
    const call = e.exprKind.case === 'callExpr' ? e.exprKind.value : undefined;
    // (An optional keeps its value's schema: only a map-kinded expression is the object itself.)
    if (target === 'map') target = objectTypeOf(call?.target) ?? target;
    args = args.map((k, i) => (k === 'map' ? (objectTypeOf(call?.args[i]) ?? k) : k));
    const overloads = sigs.get(name);
    if (!overloads) {
      issues.push({ offset: at(e), message: `undeclared reference to '${name}' (in container '')` });
      return 'dyn';
    }
    const matching = overloads.filter(
      (o) =>
        (o.target === undefined) === (target === undefined) &&
        (target === undefined || assignable(o.target!, target)) &&
        o.args.length === args.length &&
        o.args.every((a, i) => assignable(a, args[i])),
    );
    if (matching.length === 0) return mismatch(e, name, target, args);
    const results = new Set(matching.map((o) => o.result));
    return results.size === 1 ? [...results][0] : 'dyn';
  };

  const kind = parsed.expr ? visit(parsed.expr) : 'dyn';
  return { kind, issues };
}

/** Several problems as cel-go prints them: sorted by where they are (its Errors.ToDisplayString), one per line. */
export function formatIssues(source: string, issues: readonly CheckIssue[]): string {
  return [...issues]
    .sort((a, b) => a.offset - b.offset)
    .map((i) => formatIssue(source, i.offset, i.message))
    .join('\n');
}

/**
 * cel-go's error rendering (common/error.go's ToDisplayString): location, message, the source line with tabs shown as
 * spaces, and a caret under the column. Columns count characters (code points), not UTF-16 units; under a character
 * that takes more than one byte in UTF-8 the dot and the caret are full-width (．, ＾), as cel-go draws them.
 */
export function formatIssue(source: string, offset: number, message: string): string {
  // The parser places an operator call at the whitespace before the operator; cel-go points at the operator.
  while (offset < source.length && /[ \t]/.test(source[offset])) offset++;
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const leading = [...source.slice(lineStart, offset)];
  const text = source.split('\n')[line - 1] ?? '';
  const at = [...source.slice(offset)][0];
  const wide = (c: string | undefined) => c !== undefined && c.codePointAt(0)! > 0x7f;
  const marks = leading.map((c) => (wide(c) ? '\uff0e' : '.')).join('') + (wide(at) ? '\uff3e' : '^');
  return `ERROR: <input>:${line}:${leading.length + 1}: ${message}\n | ${text.replace(/\t/g, ' ')}\n | ${marks}`;
}
