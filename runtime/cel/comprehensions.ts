/**
 * Comprehension macros as cel-go v0.22 has them in Kubernetes 1.32, on top of @bufbuild/cel's parser:
 *
 * - Two-variable comprehensions (ext.TwoVarComprehensions, only where the environment has them):
 *   `l.all(i, v, p)`, `m.exists(k, v, p)`, `existsOne`/`exists_one(k, v, p)`, `transformList(k, v, [filter,] f)`,
 *   `transformMap(k, v, [filter,] f)`, `transformMapEntry(k, v, [filter,] {key: value})`. `expandComprehensions`
 *   builds cel-go's AST for them (a comprehension with `iterVar2`) for the checker; `lowerComprehensions` then
 *   rewrites each into what @bufbuild/cel's one-variable planner runs: a fold over (key, value) pairs whose step
 *   binds the two names.
 * - `existsOne(x, p)` with one variable is no macro in cel-go (`exists_one` is); @bufbuild/cel expands it, so it is
 *   put back as the plain call cel-go's checker refuses.
 */
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild, NodeFactory } from './ast.ts';
import type { Syntax } from './environment.ts';
import { comprehensionFunctions } from './library/comprehensions.ts';
import type { SyntaxIssue } from './optional-syntax.ts';

/** cel-go's accumulator name (parser.AccumulatorName). */
const accumulator = '__result__';
/** The pair a lowered fold iterates with; no user identifier can be spelled so. */
const entryVar = '@entry';

type Expansion = (nodes: NodeFactory, at: number, args: Expr[]) => { accuInit: Expr; loopCondition: Expr; loopStep: Expr; result: Expr };

const bool = (nodes: NodeFactory, at: number, value: boolean) => nodes.node(at, { case: 'constExpr', value: { constantKind: { case: 'boolValue', value } } } as never);
const accu = (nodes: NodeFactory, at: number) => nodes.ident(at, accumulator);
const map = (nodes: NodeFactory, at: number) => nodes.node(at, { case: 'structExpr', value: { entries: [] } } as never);

/** `(filter) ? step : __result__` when the macro has a filter (its 4-argument form). */
function filtered(nodes: NodeFactory, at: number, args: Expr[], step: (transform: Expr) => Expr): Expr {
  if (args.length === 4) return nodes.call(at, '_?_:_', [args[2], step(args[3]), accu(nodes, at)]);
  return step(args[2]);
}

const existsOne: Expansion = (nodes, at, args) => ({
  accuInit: nodes.int(at, 0),
  loopCondition: bool(nodes, at, true),
  loopStep: nodes.call(at, '_?_:_', [args[2], nodes.call(at, '_+_', [accu(nodes, at), nodes.int(at, 1)]), accu(nodes, at)]),
  result: nodes.call(at, '_==_', [accu(nodes, at), nodes.int(at, 1)]),
});

/** cel-go's ext/comprehensions.go macros, by name and argument count. */
const twoVarMacros: Record<string, { arity: number[]; expand: Expansion }> = {
  all: {
    arity: [3],
    expand: (nodes, at, args) => ({
      accuInit: bool(nodes, at, true),
      loopCondition: nodes.call(at, '@not_strictly_false', [accu(nodes, at)]),
      loopStep: nodes.call(at, '_&&_', [accu(nodes, at), args[2]]),
      result: accu(nodes, at),
    }),
  },
  exists: {
    arity: [3],
    expand: (nodes, at, args) => ({
      accuInit: bool(nodes, at, false),
      loopCondition: nodes.call(at, '@not_strictly_false', [nodes.call(at, '!_', [accu(nodes, at)])]),
      loopStep: nodes.call(at, '_||_', [accu(nodes, at), args[2]]),
      result: accu(nodes, at),
    }),
  },
  existsOne: { arity: [3], expand: existsOne },
  exists_one: { arity: [3], expand: existsOne },
  transformList: {
    arity: [3, 4],
    expand: (nodes, at, args) => ({
      accuInit: nodes.list(at, []),
      loopCondition: bool(nodes, at, true),
      loopStep: filtered(nodes, at, args, (t) => nodes.call(at, '_+_', [accu(nodes, at), nodes.list(at, [t])])),
      result: accu(nodes, at),
    }),
  },
  transformMap: {
    arity: [3, 4],
    expand: (nodes, at, args) => ({
      accuInit: map(nodes, at),
      loopCondition: bool(nodes, at, true),
      loopStep: filtered(nodes, at, args, (t) => nodes.call(at, comprehensionFunctions.mapInsert, [accu(nodes, at), nodes.copy(args[0]), t])),
      result: accu(nodes, at),
    }),
  },
  transformMapEntry: {
    arity: [3, 4],
    expand: (nodes, at, args) => ({
      accuInit: map(nodes, at),
      loopCondition: bool(nodes, at, true),
      loopStep: filtered(nodes, at, args, (t) => nodes.call(at, comprehensionFunctions.mapInsert, [accu(nodes, at), t])),
      result: accu(nodes, at),
    }),
  },
};

/** cel-go's extractIterVars: both names simple identifiers, distinct, and not the accumulator's. */
function iterVars(nodes: NodeFactory, args: Expr[], issues: SyntaxIssue[]): [string, string] | undefined {
  const names: string[] = [];
  for (const a of args.slice(0, 2)) {
    if (a.exprKind.case !== 'identExpr') {
      issues.push({ offset: nodes.offsetOf(a), message: 'argument must be a simple name' });
      return undefined;
    }
    names.push(a.exprKind.value.name);
  }
  if (names[0] === names[1]) {
    issues.push({ offset: nodes.offsetOf(args[1]), message: `duplicate variable name: ${names[0]}` });
    return undefined;
  }
  const clash = names.indexOf(accumulator);
  if (clash >= 0) {
    issues.push({ offset: nodes.offsetOf(args[clash]), message: 'iteration variable overwrites accumulator variable' });
    return undefined;
  }
  return [names[0], names[1]];
}

/**
 * Expands the two-variable macros (when `syntax` has them) in place, and undoes @bufbuild/cel's one-variable
 * `existsOne` expansion. Returns cel-go's macro errors (`argument must be a simple name`, ...).
 */
export function expandComprehensions(parsed: ParsedExpr, syntax: Syntax): SyntaxIssue[] {
  const issues: SyntaxIssue[] = [];
  const nodes = new NodeFactory(parsed);
  const macroCalls = parsed.sourceInfo?.macroCalls ?? {};
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    const k = e.exprKind;
    if (k.case === 'comprehensionExpr') {
      const original = macroCalls[String(e.id)]?.exprKind;
      const step = k.value.loopStep?.exprKind;
      if (original?.case === 'callExpr' && original.value.function === 'existsOne' && step?.case === 'callExpr' && k.value.iterRange) {
        e.exprKind = { case: 'callExpr', value: { ...original.value, target: k.value.iterRange, args: [original.value.args[0], step.value.args[0]] } } as never;
        delete macroCalls[String(e.id)];
      }
      return;
    }
    if (k.case !== 'callExpr' || !syntax.twoVarComprehensions || !k.value.target) return;
    const macro = twoVarMacros[k.value.function];
    if (!macro || !macro.arity.includes(k.value.args.length)) return;
    const vars = iterVars(nodes, k.value.args, issues);
    if (!vars) return;
    const at = nodes.offsetOf(e);
    const parts = macro.expand(nodes, at, k.value.args);
    e.exprKind = {
      case: 'comprehensionExpr',
      value: { iterRange: k.value.target, iterVar: vars[0], iterVar2: vars[1], accuVar: accumulator, ...parts },
    } as never;
  };
  visit(parsed.expr);
  return issues;
}

/** Whether a step inserts into the accumulator (the transformMap/transformMapEntry expansions, filtered or not). */
function insertsIntoAccumulator(step: Expr): boolean {
  const k = step.exprKind;
  if (k.case !== 'callExpr') return false;
  if (k.value.function === '_?_:_') return k.value.args[1] !== undefined && insertsIntoAccumulator(k.value.args[1]);
  const target = k.value.args[0]?.exprKind;
  return k.value.function === comprehensionFunctions.mapInsert && target?.case === 'identExpr' && target.value.name === accumulator;
}

/**
 * After checking: each two-variable comprehension becomes a fold over `@kube_entries(range)`, whose step binds the
 * key (or index) and the value from the pair before running the macro's step.
 */
export function lowerComprehensions(parsed: ParsedExpr): void {
  const nodes = new NodeFactory(parsed);
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    const k = e.exprKind;
    if (k.case !== 'comprehensionExpr' || !k.value.iterVar2 || !k.value.iterRange || !k.value.loopStep) return;
    const c = k.value;
    const [range, step] = [k.value.iterRange, k.value.loopStep];
    const at = nodes.offsetOf(e);
    const part = (i: number) => nodes.call(at, '_[_]', [nodes.ident(at, entryVar), nodes.int(at, i)]);
    c.loopStep = nodes.bind(at, c.iterVar, part(0), nodes.bind(at, c.iterVar2, part(1), step));
    c.iterRange = nodes.call(at, comprehensionFunctions.entries, [range]);
    c.iterVar = entryVar;
    c.iterVar2 = '';
    // transformMap/transformMapEntry build their map in place, as cel-go's mutable accumulator (linear, not a copy per step).
    if (insertsIntoAccumulator(step)) c.accuInit = nodes.call(at, comprehensionFunctions.mapAccumulator, []);
  };
  visit(parsed.expr);
}
