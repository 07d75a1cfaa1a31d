/**
 * Parsing as cel-go's parser with the optional syntax on (every Kubernetes CEL environment): @bufbuild/cel's parser
 * on the source with the optional `?`s blanked, then those spots rewritten into cel-go's AST (./optional-syntax.ts).
 * Offsets in the result, and in errors, are the user's.
 */
import { parse } from '@bufbuild/cel';
import type { Expr, ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { forEachChild } from './ast.ts';
import { formatIssue, formatIssues } from './check.ts';
import { expandComprehensions } from './comprehensions.ts';
import { environment, type EnvironmentType } from './environment.ts';
import { desugarOptionals, markOptionalSyntax } from './optional-syntax.ts';
import { celGoSyntaxErrors, stringLiteralErrors } from './syntax-errors.ts';

export type ParseResult = { parsed: ParsedExpr; error?: undefined } | { parsed?: undefined; error: string };

/**
 * Parses an expression with the macros of an environment (StoredExpressions, the newest, unless told); a syntax
 * error reads as cel-go's (`ERROR: <input>:1:3: Syntax error: ...`).
 */
export function parseExpression(expression: string, env: EnvironmentType = 'StoredExpressions'): ParseResult {
  const { text, marks } = markOptionalSyntax(expression);
  let parsed: ParsedExpr;
  try {
    parsed = parse(text);
  } catch (e) {
    const err = e as { location?: { start?: { offset?: number } }; rawMessage?: string; message: string };
    const celGo = celGoSyntaxErrors(text, expression);
    if (celGo) return { error: formatIssues(expression, celGo) };
    const offset = err.location?.start?.offset ?? 0;
    return { error: formatIssue(expression, offset, `Syntax error: ${err.rawMessage ?? err.message.replace(/^<input>:\d+:\d+: /, '')}`) };
  }
  const badStrings = stringLiteralErrors(text);
  if (badStrings) return { error: formatIssues(expression, badStrings) };
  const macroIssues = expandComprehensions(parsed, environment(env).syntax);
  if (macroIssues.length > 0) return { error: formatIssues(expression, macroIssues) };
  placeCallsAtParen(parsed, expression);
  const issues = desugarOptionals(parsed, marks);
  if (issues.length > 0) return { error: formatIssues(expression, issues) };
  return { parsed };
}

/**
 * cel-go places a function or method call at its `(`, so errors about the call point there; @bufbuild/cel places
 * it at the name (or at the `.` before a method's name). Operators keep their places.
 */
function placeCallsAtParen(parsed: ParsedExpr, source: string): void {
  const positions = parsed.sourceInfo?.positions;
  if (!positions) return;
  const visit = (e: Expr | undefined): void => {
    if (!e) return;
    forEachChild(e, visit);
    if (e.exprKind.case !== 'callExpr' || !/^[A-Za-z]/.test(e.exprKind.value.function)) return;
    const at = positions[String(e.id)];
    if (at === undefined) return;
    const name = /^\.?\s*[A-Za-z_]\w*\s*\(/.exec(source.slice(at));
    if (name) positions[String(e.id)] = at + name[0].length - 1;
  };
  visit(parsed.expr);
}
