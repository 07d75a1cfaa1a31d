/**
 * Parsing as cel-go's parser with the optional syntax on (every Kubernetes CEL environment): @bufbuild/cel's parser
 * on the source with the optional `?`s blanked, then those spots rewritten into cel-go's AST (./optional-syntax.ts).
 * Offsets in the result, and in errors, are the user's.
 */
import { parse } from '@bufbuild/cel';
import type { ParsedExpr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { formatIssue } from './check.ts';
import { desugarOptionals, markOptionalSyntax } from './optional-syntax.ts';

export type ParseResult = { parsed: ParsedExpr; error?: undefined } | { parsed?: undefined; error: string };

/** Parses an expression; a syntax error reads as cel-go's (`ERROR: <input>:1:3: Syntax error: ...`). */
export function parseExpression(expression: string): ParseResult {
  const { text, marks } = markOptionalSyntax(expression);
  let parsed: ParsedExpr;
  try {
    parsed = parse(text);
  } catch (e) {
    const err = e as { location?: { start?: { offset?: number } }; rawMessage?: string; message: string };
    const offset = err.location?.start?.offset ?? 0;
    return { error: formatIssue(expression, offset, `Syntax error: ${err.rawMessage ?? err.message.replace(/^<input>:\d+:\d+: /, '')}`) };
  }
  const issues = desugarOptionals(parsed, marks);
  if (issues.length > 0) return { error: issues.map((i) => formatIssue(expression, i.offset, i.message)).join('\n') };
  return { parsed };
}
