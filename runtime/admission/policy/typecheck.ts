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

/** Upstream stops collecting a rule's kinds at this many. */
const maxKinds = 10;

export interface KindLookup {
  forResource(group: string, version: string, resource: string): KindRegistration | undefined;
  forKind(apiVersion: string, kind: string): KindRegistration | undefined;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The kinds a policy names without wildcards, as upstream's typesToCheck: a rule with a wildcard group or version
 * names none, wildcard resources and subresources are skipped; each rule's groups, versions and resources are
 * walked sorted, at most 10 kinds a rule; the kinds come out sorted by group, version and kind.
 */
function matchedKinds(spec: PolicySpec, kinds: KindLookup): KindRegistration[] {
  const out: KindRegistration[] = [];
  const rules = ((spec.matchConstraints as { resourceRules?: RuleWithOperations[] } | undefined)?.resourceRules ?? []);
  rules: for (const r of rules) {
    const groups = [...(r.apiGroups ?? [])].sort(byString);
    const versions = [...(r.apiVersions ?? [])].sort(byString);
    const resources = (r.resources ?? []).filter((res) => !/[*/]/.test(res)).sort(byString);
    if (groups.some((g) => g.includes('*')) || versions.some((v) => v.includes('*'))) continue;
    let count = 0;
    for (const g of groups) {
      for (const v of versions) {
        for (const res of resources) {
          const k = kinds.forResource(g, v, res);
          if (!k) continue;
          if (!out.includes(k)) out.push(k);
          if (++count === maxKinds) break rules;
        }
      }
    }
  }
  return out.sort((a, b) => byString(a.group, b.group) || byString(a.version, b.version) || byString(a.kind, b.kind));
}

/**
 * Upstream names a kind's object type after the kind and the nanoseconds of the clock (typechecking.go's
 * generateUniqueTypeName): `Deployment123.spec` is what its messages print. One number per process here.
 */
const typeNameSuffix = process.hrtime()[1];

/** The kind's schema with its CEL object type name. */
function typedSchema(k: KindRegistration): FieldSchema {
  return { ...(k.schema as FieldSchema), objectTypeName: `${k.kind}${typeNameSuffix}` };
}

/** schema.GroupVersionKind's String(): `apps/v1, Kind=Deployment`, `/v1, Kind=ConfigMap` for the core group. */
function gvkString(k: KindRegistration): string {
  return `${k.group}/${k.version}, Kind=${k.kind}`;
}

/**
 * Upstream's TypeChecker.Check: each validation's expression and messageExpression (nothing else) is compiled
 * against every matched kind, its result type not enforced; a kind's problems read `<gvk>: <issues>` and a newline,
 * the kinds' joined by another.
 */
export function typeCheckPolicy(spec: PolicySpec, kinds: KindLookup): ExpressionWarning[] {
  const targets = matchedKinds(spec, kinds);
  if (targets.length === 0) return [];
  const variables: Record<string, Kind> = { ...policyVariables };
  const paramKind = spec.paramKind?.apiVersion && spec.paramKind.kind ? kinds.forKind(spec.paramKind.apiVersion, spec.paramKind.kind) : undefined;
  if (!spec.paramKind) delete variables.params;
  const expressions: Array<{ fieldRef: string; expression: string }> = [];
  (spec.validations ?? []).forEach((v, i) => {
    expressions.push({ fieldRef: `spec.validations[${i}].expression`, expression: v.expression });
    if (v.messageExpression) expressions.push({ fieldRef: `spec.validations[${i}].messageExpression`, expression: v.messageExpression });
  });

  const warnings: ExpressionWarning[] = [];
  for (const e of expressions) {
    const problems: string[] = [];
    for (const k of targets) {
      const object = typedSchema(k);
      const schemas: Record<string, FieldSchema> = { object, oldObject: object };
      if (paramKind) schemas.params = typedSchema(paramKind);
      const issue = typeCheck(e.expression, { variables, schemas });
      if (issue) problems.push(`${gvkString(k)}: ${issue}\n`);
    }
    if (problems.length) warnings.push({ fieldRef: e.fieldRef, warning: problems.join('\n') });
  }
  return warnings;
}
