/**
 * Compiling a schema node's `x-kubernetes-validations` rules at CRD write time, as upstream's CRD validation
 * does: with the same compiler the custom resource validator evaluates them with (runtime/apiextensions/schema),
 * so a rule is typed the same way in both places (undefined fields, formats that make timestamps and durations).
 * The error texts are upstream's (`compilation failed: ERROR: <input>:1:5: ...`, `cel expression must evaluate to
 * a bool`).
 */
import { compileRule as compileSchemaRule, type CelEnvLoader } from '../schema/cel.ts';
import type { JSONSchemaProps } from '../schema/structural.ts';
import type { Schema } from './paths.ts';

export interface CompiledRule {
  /** Set when the rule does not compile: upstream's detail for the field error on `rule`. */
  error?: string;
  /** Set when `messageExpression` does not compile. */
  messageExpressionError?: string;
  /** The rule refers to `oldSelf` (a transition rule). */
  usesOldSelf: boolean;
}

export interface RuleInput {
  rule?: unknown;
  messageExpression?: unknown;
  optionalOldSelf?: unknown;
}

/**
 * Compiles one rule of `x-kubernetes-validations` on the node `s` (`isRoot`: the CRD's top-level schema), with the
 * environment `envs` gives its text (new text gets the compatibility version's libraries).
 */
export function compileRule(rule: RuleInput, s: Schema, isRoot: boolean, envs: CelEnvLoader): CompiledRule {
  const c = compileSchemaRule(
    {
      rule: typeof rule.rule === 'string' ? rule.rule : '',
      ...(typeof rule.messageExpression === 'string' && rule.messageExpression.trim() !== '' && { messageExpression: rule.messageExpression }),
      ...(rule.optionalOldSelf === true && { optionalOldSelf: true }),
    },
    s as JSONSchemaProps,
    isRoot,
    envs,
  );
  // Upstream stops at a rule that does not compile: its messageExpression is not compiled, and the rule counts as
  // not using oldSelf (so a set optionalOldSelf is refused as well).
  if (c.error) return { error: c.error, usesOldSelf: false };
  return { messageExpressionError: c.messageError, usesOldSelf: c.usesOldSelf };
}
