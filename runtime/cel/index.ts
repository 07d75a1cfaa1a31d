/**
 * The server's one CEL environment: ValidatingAdmissionPolicy, webhook matchConditions and CRD
 * x-kubernetes-validations compile and evaluate expressions here. See README.md in this folder.
 *
 *   const r = compile('object.spec.replicas <= params.max', { variables: { object: 'dyn', params: 'dyn' }, resultKinds: ['bool'] });
 *   if (r.error) ... else evaluate(r.program, { object, params })  // { value } or { error }
 *
 * Built on @bufbuild/cel (parser and interpreter) with cel-go's optional syntax (./optional-syntax.ts), the Kubernetes
 * libraries (strings, lists, regex, quantity, authz, url, optional), our own compile-time checks (./check.ts) and a
 * run-time cost meter (cel-go's per-call cost limit: a runaway expression stops with "operation cancelled: actual
 * cost limit exceeded").
 */
import { celEnv, isCelError, plan, type CelEnv, type CelFunc, type CelResult, type CelValue } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { ExprSchema, type Expr, type ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild } from './ast.ts';
import { checkExpr, formatIssues, signatures, type FieldSchema } from './check.ts';
import { actualSize, callCostOf, type CallCost } from './call-cost.ts';
import { assignable, global, type Kind } from './library/func.ts';
import { typeOfOpaque } from './library/types.ts';
import { lowerOptionals } from './optional-syntax.ts';
import { lowerComprehensions } from './comprehensions.ts';
import { allLibraryFuncs, environment, type Environment, type EnvironmentType } from './environment.ts';
import { parseExpression } from './parse.ts';
import { regexProgramError, validateLiterals } from './validators.ts';
import { AuthorizationPending, AuthorizationSession } from './library/authorizer.ts';
import { charge, currentRun, withRun, type EvalRun } from './run-context.ts';
import { fromJson } from './values.ts';
import { equalityFuncs } from './equality.ts';
import { foldedPrefix, markFolded } from './folding.ts';
import { jsonText } from '../machinery/json-text.ts';
import { compileGoRegexp } from '../machinery/go-regexp.ts';

export { fromJson, toJson, JsonMap, JsonList } from './values.ts';
export { celEquals, equalTo, containsValue, addList } from './equality.ts';
export { isCelError } from '@bufbuild/cel';
export { AuthorizationSession, AuthorizerValue, serviceAccountUser, type CelAuthorize, type CelAuthzAttributes, type CelUser } from './library/authorizer.ts';
export { Quantity, parseQuantity } from './library/quantity.ts';
export { Optional, optionalOf, none as optionalNone } from './library/optional.ts';
export { CostLimitExceeded } from './run-context.ts';
export type { Kind } from './library/func.ts';
export { environmentFor, useCompatibilityVersion, type EnvironmentType } from './environment.ts';

/** Upstream's limits (k8s.io/apiserver/pkg/apis/cel/config.go). */
export const PerCallLimit = 1_000_000;
/** Total runtime cost for all expressions of one admission request. */
export const RuntimeCELCostBudget = 10_000_000;

/** Marks a comprehension step so each iteration is charged (inserted by instrument()). */
const iterFunction = '@kube_iteration';

/**
 * Extra cost of one comprehension iteration beyond its calls and field reads: cel-go also charges the loop
 * condition and the reads of the loop and accumulator variables.
 */
const iterationCost = 3;

/**
 * A growing accumulator (map(), filter()) is charged a traversal each step: upstream builds a list and concatenates
 * at each step, which this stands in for until comprehension steps are charged as upstream's.
 */
function accumulatorCost(v: unknown): number {
  return typeof v === 'string' || (v !== null && typeof v === 'object') ? Math.ceil(actualSize(v) * 0.1) : 0;
}

const libraryFuncs: CelFunc[] = [
  ...allLibraryFuncs,
  ...equalityFuncs,
  typeOfOpaque,
  global(iterFunction, ['dyn'], 'dyn', (v: unknown) => {
    charge(iterationCost + accumulatorCost(v));
    return v;
  }),
];

// `matches` with Go's meaning of a pattern (its `\pC`), compiled once a pattern rather than at every call.
const baseEnv = celEnv({ funcs: libraryFuncs, re2: { compile: compileGoRegexp } });

interface FuncGroup {
  call(id: number, target: CelValue | undefined, args: CelValue[]): CelResult | undefined;
}
interface FuncResolver extends Iterable<CelFunc> {
  find(name: string): FuncGroup | undefined;
}

/** Every function call goes through here: it is charged as upstream charges it, and an interrupted run stops right after. */
function meteredResolver(base: FuncResolver): FuncResolver {
  const groups = new Map<string, FuncGroup | undefined>();
  return {
    find(name) {
      if (groups.has(name)) return groups.get(name);
      // A call cel-go folds at planning time (./folding.ts) costs nothing.
      const folded = name.startsWith(foldedPrefix);
      const g = base.find(folded ? name.slice(foldedPrefix.length) : name);
      const cost: CallCost = folded ? () => 0 : callCostOf(name);
      const wrapped: FuncGroup | undefined = g && {
        call(id, target, args) {
          charge(cost(target, args));
          const run = currentRun();
          if (run?.interrupt) throw run.interrupt;
          const result = g.call(id, target, args);
          if (run?.interrupt) throw run.interrupt;
          return result;
        },
      };
      groups.set(name, wrapped);
      return wrapped;
    },
    [Symbol.iterator]: () => base[Symbol.iterator](),
  };
}

const env: CelEnv = {
  namespace: baseEnv.namespace,
  registry: baseEnv.registry,
  variables: baseEnv.variables,
  funcs: meteredResolver(baseEnv.funcs as unknown as FuncResolver),
} as unknown as CelEnv;

/** What the checker lets each environment call: CEL's standard functions and the environment's libraries. */
const standardFuncs = [...(celEnv({}).funcs as unknown as Iterable<CelFunc>)];
const sigsCache = new WeakMap<Environment, ReturnType<typeof signatures>>();
function environmentSigs(type: EnvironmentType): ReturnType<typeof signatures> {
  const env = environment(type);
  let sigs = sigsCache.get(env);
  if (!sigs) sigsCache.set(env, (sigs = signatures([...standardFuncs, ...env.funcs])));
  return sigs;
}

let nextId = 1n << 40n;

/** Wraps each comprehension's loop step in a metered call, so every iteration costs (and can be stopped). */
function instrument(e: Expr | undefined): void {
  if (!e) return;
  forEachChild(e, instrument);
  if (e.exprKind.case === 'comprehensionExpr') {
    const c = e.exprKind.value;
    if (c.loopStep) {
      c.loopStep = create(ExprSchema, { id: nextId++, exprKind: { case: 'callExpr', value: { function: iterFunction, args: [c.loopStep] } } });
    }
  }
}

export interface CompileOptions {
  /** Declared variables and their kinds ('dyn' for objects, 'map', 'string', ...). */
  variables: Record<string, Kind>;
  /** The kinds the expression may produce (e.g. ['bool']); unchecked when absent or when the kind is dyn. */
  resultKinds?: Kind[];
  /** Schemas of variables whose fields are known (e.g. `variables` with the names a policy declares). */
  schemas?: Record<string, FieldSchema>;
  /**
   * The libraries the expression may use (./environment.ts): NewExpressions for text being written now (unless the
   * object being updated already had it), StoredExpressions (the default) for what is evaluated.
   */
  environment?: EnvironmentType;
}

/** A compiled expression: parsed, checked, instrumented and planned once, evaluated many times. */
export interface Program {
  readonly expression: string;
  /** The statically known result kind ('dyn' when it depends on data). */
  readonly outputKind: Kind;
  /** @internal */
  readonly planned: (ctx: Record<string, unknown>) => CelResult;
}

export type CompileResult = { program: Program; error?: undefined } | { program?: undefined; error: string };

const compileCache = new Map<string, CompileResult>();

/**
 * Compiles an expression. Errors read as cel-go's (`ERROR: <input>:1:5: undeclared reference to 'x' (in container
 * '')` plus the source line and a caret), several separated by newlines; a wrong result kind gives
 * `must evaluate to bool`. Results are cached by expression and declarations.
 */
export function compile(expression: string, options: CompileOptions): CompileResult {
  // A CRD's schemas may hold int64s past 2^53 (their defaults, enums: machinery/json-int64.ts).
  const envType = options.environment ?? 'StoredExpressions';
  const key = jsonText([expression, options.variables, options.resultKinds, options.schemas, envType, environment(envType).version]);
  const cached = compileCache.get(key);
  if (cached) return cached;
  const result = compileUncached(expression, options);
  if (compileCache.size > 5000) compileCache.clear();
  compileCache.set(key, result);
  return result;
}

function compileUncached(expression: string, options: CompileOptions): CompileResult {
  const envType = options.environment ?? 'StoredExpressions';
  const { parsed, error } = parseExpression(expression, envType);
  if (error !== undefined) return { error };
  const { kind, issues } = checkAndValidate(parsed, options, envType);
  if (issues.length > 0) return { error: formatIssues(expression, issues) };
  if (options.resultKinds && !options.resultKinds.some((k) => assignable(k, kind))) {
    return { error: options.resultKinds.length === 1 ? `must evaluate to ${options.resultKinds[0]}` : `must evaluate to one of [${options.resultKinds.join(' ')}]` };
  }
  const regexError = regexProgramError(parsed);
  if (regexError !== undefined) return { error: `program instantiation failed: ${regexError}` };
  lowerOptionals(parsed);
  lowerComprehensions(parsed);
  markFolded(parsed.expr);
  instrument(parsed.expr);
  const planned = plan(env, parsed) as unknown as Program['planned'];
  return { program: { expression, outputKind: kind, planned } };
}

/**
 * cel-go's Env.Check: the type checker, then (on an expression that checked) the AST validators of Kubernetes'
 * base environment (./validators.ts). Compiling and ValidatingAdmissionPolicy's type checking both go through it.
 */
function checkAndValidate(parsed: ParsedExpr, options: CompileOptions, env: EnvironmentType): ReturnType<typeof checkExpr> {
  const checked = checkExpr(parsed, options.variables, environmentSigs(env), options.schemas);
  if (checked.issues.length > 0) return checked;
  return { kind: checked.kind, issues: validateLiterals(parsed) };
}

/** A few of @bufbuild/cel's run-time messages in cel-go's words, which users and tests of upstream know. */
function celGoMessage(m: string): string {
  return m.replace(/^field not found: /, 'no such key: ').replace(/^unresolved attribute$/, 'no such attribute');
}

/**
 * Type-checks an expression against schemas of its variables (e.g. `object` as a Deployment): fields that the
 * schema does not declare (`undefined field 'replicass'`) and operations its field types do not allow. For
 * ValidatingAdmissionPolicy's status.typeChecking; the expression is not compiled for evaluation. As upstream's
 * typeCheckingCompiler (env.Compile), the literal validators run too. Returns the problems in cel-go's form, or
 * undefined.
 */
export function typeCheck(expression: string, options: CompileOptions & { schemas: Record<string, FieldSchema> }): string | undefined {
  const env = options.environment ?? 'StoredExpressions';
  const { parsed } = parseExpression(expression, env);
  if (!parsed) return undefined; // a syntax error is reported by compile()
  const { kind, issues } = checkAndValidate(parsed, options, env);
  if (issues.length > 0) return formatIssues(expression, issues);
  if (options.resultKinds && !options.resultKinds.some((k) => assignable(k, kind))) return `must evaluate to ${options.resultKinds.join(' or ')}`;
  return undefined;
}

export type { FieldSchema } from './check.ts';
export { parseExpression } from './parse.ts';

export interface EvalOptions {
  /** Cost at which the evaluation is cancelled (PerCallLimit by default). */
  costLimit?: number;
}

export type EvalResult = { value: CelValue; cost: number; error?: undefined } | { value?: undefined; cost: number; error: string; costExceeded?: boolean };

/** Where an activation keeps its values; its prototype's getters read them. */
const activationValues = Symbol('values');

/**
 * Prototypes of activations by their variables' names: a getter per variable that charges 1, as cel-go charges each
 * identifier it reads. A prototype shared by every activation of the same names keeps V8's property lookups fast.
 */
const activationPrototypes = new Map<string, object>();

function activationPrototype(names: string[]): object {
  const key = names.join('\u0000');
  let proto = activationPrototypes.get(key);
  if (!proto) {
    proto = {};
    for (const name of names) {
      Object.defineProperty(proto, name, {
        get(this: { [activationValues]: Record<string, CelValue> }) {
          charge(1);
          return this[activationValues][name];
        },
      });
    }
    if (activationPrototypes.size > 1000) activationPrototypes.clear();
    activationPrototypes.set(key, proto);
  }
  return proto;
}

/** The variables as the planner reads them: each read of one costs 1. */
function toActivation(activation: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, CelValue> = {};
  const names = Object.keys(activation);
  for (const k of names) values[k] = fromJson(activation[k]);
  const out = Object.create(activationPrototype(names)) as Record<string | symbol, unknown>;
  out[activationValues] = values;
  return out as Record<string, unknown>;
}

/**
 * Evaluates a program against variables given as parsed JSON (objects, arrays, numbers: integers become int) or
 * as CEL values (the authorizer, lazily computed `variables`). Never throws: errors come back as `{ error }` with
 * upstream's wording; a cost overrun as `operation cancelled: actual cost limit exceeded` with costExceeded set.
 */
export function evaluate(program: Program, activation: Record<string, unknown>, options: EvalOptions = {}): EvalResult {
  const run: EvalRun = { cost: 0, limit: options.costLimit ?? PerCallLimit };
  const ctx = toActivation(activation);
  const value = withRun(run, () => program.planned(ctx));
  if (run.interrupt) return { cost: run.cost, error: run.interrupt.message, costExceeded: !(run.interrupt instanceof AuthorizationPending) };
  if (isCelError(value)) return { cost: run.cost, error: celGoMessage(value.message) };
  return { value, cost: run.cost };
}

/**
 * As evaluate, for expressions that may call the authorizer: checks missing from the session are fetched and the
 * expression evaluated again (a few rounds at most; each round adds at least one decision).
 */
export async function evaluateAsync(program: Program, activation: Record<string, unknown>, options: EvalOptions & { session?: AuthorizationSession } = {}): Promise<EvalResult> {
  for (let round = 0; ; round++) {
    const r = evaluate(program, activation, options);
    if (!r.error || !options.session?.hasPending || round >= 20) return r;
    await options.session.fetchPending();
  }
}

/**
 * Evaluates a program inside the evaluation in progress (for lazily computed `variables`), charging its cost to
 * the running evaluation. Returns the value or a CEL error value.
 */
export function evaluateNested(program: Program, activation: Record<string, unknown>): CelResult {
  const ctx = toActivation(activation);
  const run = currentRun();
  if (!run) return program.planned(ctx);
  const value = program.planned(ctx);
  if (run.interrupt) throw run.interrupt;
  return value;
}

export { AuthorizationPending };
