/**
 * cel-go's literal validators (cel.ValidateDurationLiterals, ValidateTimestampLiterals, ValidateRegexLiterals), which
 * Kubernetes' base environment registers since 1.29: a `duration`, `timestamp` or `matches` call whose argument is a
 * literal is tried once after checking, so `duration('1d')` or `'a'.matches('[')` is refused at compile time
 * (`invalid duration argument`, at the literal) instead of failing on every evaluation. A variable argument is not
 * checked. They run only on an expression that type-checked, as cel-go runs validators.
 *
 * ValidateHomogeneousAggregateLiterals needs the checker's types and lives in ./check.ts.
 */
import { celEnv, isCelError, plan } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { ParsedExprSchema, type Expr, type ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild } from './ast.ts';
import type { CheckIssue } from './check.ts';
import { goRegexpError } from '../machinery/go-regexp.ts';

/** Seconds of Go's (and CEL's) timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z. */
const minUnixSeconds = -62135596800n;
const maxUnixSeconds = 253402300799n;

const standardEnv = celEnv({});

/** Whether the call runs without error, as cel-go's evalCall tries it with no variables. */
function evaluates(call: Expr): boolean {
  const parsed = create(ParsedExprSchema, { expr: call });
  return !isCelError(plan(standardEnv, parsed)({} as never));
}

type LiteralCheck = (call: Expr, literal: Expr) => boolean;

/** A function whose argument `argNum` is validated when it is a literal (cel-go's formatValidator). */
const literalValidators: Record<string, { argNum: number; valid: LiteralCheck }> = {
  duration: { argNum: 0, valid: (call) => evaluates(call) },
  timestamp: {
    argNum: 0,
    valid: (call, literal) => {
      const c = literal.exprKind.case === 'constExpr' ? literal.exprKind.value.constantKind : undefined;
      if (c?.case === 'int64Value') return c.value >= minUnixSeconds && c.value <= maxUnixSeconds;
      return evaluates(call);
    },
  },
  // cel-go checks the first argument: the pattern of `'s'.matches(re)`, but the string of the global `matches(s, re)`
  // (cel/validator.go's ValidateRegexLiterals uses argument 0 for both), so `matches('[', 'a')` is refused at compile
  // time and `matches('a', '[')` fails only when evaluated.
  matches: {
    argNum: 0,
    valid: (_call, literal) => {
      const c = literal.exprKind.case === 'constExpr' ? literal.exprKind.value.constantKind : undefined;
      return c?.case !== 'stringValue' || goRegexpError(c.value) === undefined;
    },
  },
};

/** The literal validators' issues for a checked expression (before it is lowered for planning). */
export function validateLiterals(parsed: ParsedExpr): CheckIssue[] {
  const positions = parsed.sourceInfo?.positions ?? {};
  const issues: CheckIssue[] = [];
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    if (e.exprKind.case !== 'callExpr') return;
    const call = e.exprKind.value;
    const v = Object.hasOwn(literalValidators, call.function) ? literalValidators[call.function] : undefined;
    if (!v) return;
    const literal = call.args[v.argNum];
    if (literal?.exprKind.case !== 'constExpr' || v.valid(e, literal)) return;
    issues.push({ offset: Number(positions[String(literal.id)] ?? 0), message: `invalid ${call.function} argument` });
  };
  visit(parsed.expr);
  return issues;
}

/**
 * cel-go's program planning with Kubernetes' regex optimizations (library.ExtensionLibRegexOptimizations, given to
 * cel.OptimizeRegex wherever upstream makes a program): `find` and `findAll` compile a literal pattern then, so a
 * pattern Go refuses fails the program, before any value is seen. Go's error, or undefined.
 */
export function regexProgramError(parsed: ParsedExpr): string | undefined {
  let error: string | undefined;
  const visit = (e: Expr | undefined): void => {
    if (!e || error !== undefined) return;
    forEachChild(e, visit);
    if (error !== undefined || e.exprKind.case !== 'callExpr') return;
    const call = e.exprKind.value;
    if ((call.function !== 'find' && call.function !== 'findAll') || !call.target) return;
    const c = call.args[0]?.exprKind.case === 'constExpr' ? call.args[0].exprKind.value.constantKind : undefined;
    if (c?.case === 'stringValue') error = goRegexpError(c.value);
  };
  visit(parsed.expr);
  return error;
}
