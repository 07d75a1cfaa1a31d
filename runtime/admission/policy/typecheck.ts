/**
 * Type checking of a ValidatingAdmissionPolicy against the kinds it matches, as upstream's
 * policy/validating/typechecking.go: each expression is checked with `object`/`oldObject` typed by the schema of
 * every kind named explicitly in matchConstraints (and `params` by the paramKind's schema); problems become
 * `status.typeChecking.expressionWarnings` (the policy still works, dynamically typed).
 */
import { typeCheck, type FieldSchema, type Kind } from '../../cel/index.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import { policyVariables, type PolicySpec } from './compile.ts';
import type { RuleWithOperations } from './matching.ts';

export interface ExpressionWarning {
  fieldRef: string;
  warning: string;
}

/** Upstream checks at most this many kinds per policy. */
const maxKinds = 10;

export interface KindLookup {
  forResource(group: string, version: string, resource: string): KindRegistration | undefined;
  forKind(apiVersion: string, kind: string): KindRegistration | undefined;
}

/** The kinds a policy names without wildcards (upstream skips rules with `*`). */
function matchedKinds(spec: PolicySpec, kinds: KindLookup): KindRegistration[] {
  const out: KindRegistration[] = [];
  const rules = ((spec.matchConstraints as { resourceRules?: RuleWithOperations[] } | undefined)?.resourceRules ?? []);
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) {
      for (const v of r.apiVersions ?? []) {
        for (const res of r.resources ?? []) {
          if (g === '*' || v === '*' || res.includes('*') || res.includes('/')) continue;
          const k = kinds.forResource(g, v, res);
          if (k && !out.includes(k)) out.push(k);
        }
      }
    }
  }
  return out.slice(0, maxKinds);
}

function gvkString(k: KindRegistration): string {
  return `${k.group ? `${k.group}/` : ''}${k.version}, Kind=${k.kind}`;
}

export function typeCheckPolicy(spec: PolicySpec, kinds: KindLookup): ExpressionWarning[] {
  const targets = matchedKinds(spec, kinds);
  if (targets.length === 0) return [];
  const variables: Record<string, Kind> = { ...policyVariables };
  const paramKind = spec.paramKind?.apiVersion && spec.paramKind.kind ? kinds.forKind(spec.paramKind.apiVersion, spec.paramKind.kind) : undefined;
  if (!spec.paramKind) delete variables.params;
  const expressions: Array<{ fieldRef: string; expression: string; resultKinds?: Kind[] }> = [];
  (spec.variables ?? []).forEach((v, i) => expressions.push({ fieldRef: `spec.variables[${i}].expression`, expression: v.expression }));
  (spec.matchConditions ?? []).forEach((m, i) => expressions.push({ fieldRef: `spec.matchConditions[${i}].expression`, expression: m.expression, resultKinds: ['bool'] }));
  (spec.validations ?? []).forEach((v, i) => {
    expressions.push({ fieldRef: `spec.validations[${i}].expression`, expression: v.expression, resultKinds: ['bool'] });
    if (v.messageExpression) expressions.push({ fieldRef: `spec.validations[${i}].messageExpression`, expression: v.messageExpression, resultKinds: ['string'] });
  });
  (spec.auditAnnotations ?? []).forEach((a, i) => expressions.push({ fieldRef: `spec.auditAnnotations[${i}].valueExpression`, expression: a.valueExpression, resultKinds: ['string', 'null_type'] }));

  const warnings: ExpressionWarning[] = [];
  for (const e of expressions) {
    if (!e.expression) continue;
    const problems: string[] = [];
    for (const k of targets) {
      const schemas: Record<string, FieldSchema> = { object: k.schema as FieldSchema, oldObject: k.schema as FieldSchema };
      if (paramKind) schemas.params = paramKind.schema as FieldSchema;
      const issue = typeCheck(e.expression, { variables, schemas, resultKinds: e.resultKinds });
      if (issue) problems.push(`${gvkString(k)}: ${issue}`);
    }
    if (problems.length) warnings.push({ fieldRef: e.fieldRef, warning: problems.join('\n') });
  }
  return warnings;
}
