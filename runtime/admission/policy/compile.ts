/**
 * Compiles a ValidatingAdmissionPolicy's expressions once per spec generation, with the variables upstream
 * declares for them (object, oldObject, request, params, namespaceObject, authorizer, variables).
 */
import { compile, type CompileResult, type EnvironmentType, type Kind, type Program } from '../../cel/index.ts';

/** The variables of admission policy expressions, as upstream's ValidatingAdmissionPolicy environment. */
export const policyVariables: Record<string, Kind> = {
  object: 'dyn',
  oldObject: 'dyn',
  request: 'dyn',
  params: 'dyn',
  namespaceObject: 'dyn',
  authorizer: 'kubernetes.authorization.Authorizer',
  variables: 'map',
};

/** The declarations for one kind of expression: `params` only with a paramKind, no authorizer in messages. */
function declarations(kind: ExpressionKind, hasParams: boolean): Record<string, Kind> {
  const out = { ...policyVariables };
  if (!hasParams) delete out.params;
  if (kind === 'message') delete out.authorizer;
  return out;
}

export type ExpressionKind = 'validation' | 'message' | 'matchCondition' | 'variable' | 'auditAnnotation';

export interface PolicyValidation {
  expression: string;
  message?: string;
  reason?: string;
  messageExpression?: string;
}

export interface PolicySpec {
  paramKind?: { apiVersion?: string; kind?: string };
  matchConstraints?: Record<string, unknown>;
  validations?: PolicyValidation[];
  failurePolicy?: 'Ignore' | 'Fail';
  auditAnnotations?: Array<{ key: string; valueExpression: string }>;
  matchConditions?: Array<{ name: string; expression: string }>;
  variables?: Array<{ name: string; expression: string }>;
}

export interface Compiled {
  /** Set when the expression does not compile: `compilation error: ...` at evaluation, as upstream. */
  error?: string;
  program?: Program;
}

export interface CompiledPolicy {
  variables: Array<{ name: string } & Compiled>;
  matchConditions: Array<{ name: string } & Compiled>;
  validations: Array<{ validation: PolicyValidation; compiled: Compiled; message?: Compiled }>;
  auditAnnotations: Array<{ key: string; valueExpression: string } & Compiled>;
}

function one(r: CompileResult): Compiled {
  return r.error ? { error: r.error } : { program: r.program };
}

const resultKinds: Record<ExpressionKind, Kind[] | undefined> = {
  validation: ['bool'],
  matchCondition: ['bool'],
  message: ['string'],
  auditAnnotation: ['string', 'null_type'],
  variable: undefined,
};

/**
 * Compiles one expression of a policy; errors read `compilation failed: ERROR: <input>:...` as upstream's. The
 * admission plugin runs stored policies (StoredExpressions); validation of a write passes NewExpressions for text
 * the stored object did not have.
 */
export function compileExpression(expression: string, kind: ExpressionKind, hasParams: boolean, variableNames: readonly string[] = [], environment: EnvironmentType = 'StoredExpressions'): CompileResult {
  // `variables` has exactly the policy's variables as fields (those declared before, for a variable).
  const schemas = { variables: { type: 'object', properties: Object.fromEntries(variableNames.map((n) => [n, {}])) } };
  const r = compile(expression, { variables: declarations(kind, hasParams), resultKinds: resultKinds[kind], schemas, environment });
  return r.error && r.error.startsWith('ERROR:') ? { error: `compilation failed: ${r.error}` } : r;
}

export function compilePolicy(spec: PolicySpec): CompiledPolicy {
  const hasParams = !!spec.paramKind;
  const names = (spec.variables ?? []).map((v) => v.name);
  const compileExpressionP = (e: string, k: ExpressionKind) => compileExpression(e, k, hasParams, names);
  return {
    variables: (spec.variables ?? []).map((v, i) => ({ name: v.name, ...one(compileExpression(v.expression, 'variable', hasParams, names.slice(0, i))) })),
    matchConditions: (spec.matchConditions ?? []).map((m) => ({ name: m.name, ...one(compileExpressionP(m.expression, 'matchCondition')) })),
    validations: (spec.validations ?? []).map((v) => ({
      validation: v,
      compiled: one(compileExpressionP(v.expression, 'validation')),
      message: v.messageExpression ? one(compileExpressionP(v.messageExpression, 'message')) : undefined,
    })),
    auditAnnotations: (spec.auditAnnotations ?? []).map((a) => ({ ...a, ...one(compileExpressionP(a.valueExpression, 'auditAnnotation')) })),
  };
}
