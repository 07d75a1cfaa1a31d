/**
 * Validation of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects, as upstream's
 * pkg/apis/admissionregistration/validation: every CEL expression must compile (with the variables it will have),
 * plus the structural rules upstream checks. The generated registration calls these through
 * apis/admissionregistration.k8s.io/v1/validation.ts.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../machinery/field-errors.ts';
import { compileExpression, type ExpressionKind, type PolicySpec } from './compile.ts';

const celIdentifier = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const reserved = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const supportedReasons = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];

function expression(errors: FieldError[], field: string, value: string | undefined, kind: ExpressionKind, hasParams: boolean, requiredDetail = '', variables: readonly string[] = []): void {
  if (!value || !value.trim()) {
    errors.push(required(field, requiredDetail));
    return;
  }
  const r = compileExpression(value, kind, hasParams, variables);
  if (r.error) errors.push(invalid(field, value, r.error));
}

export function validatePolicySpec(spec: PolicySpec | undefined, name: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec) return [required('spec', '')];
  const hasParams = !!spec.paramKind;
  if (spec.paramKind) {
    if (!spec.paramKind.apiVersion) errors.push(required('spec.paramKind.apiVersion', ''));
    if (!spec.paramKind.kind) errors.push(required('spec.paramKind.kind', ''));
  }
  const mc = spec.matchConstraints as { resourceRules?: unknown[] } | undefined;
  if (!mc) errors.push(required('spec.matchConstraints', ''));
  else if (!mc.resourceRules?.length) errors.push(required('spec.matchConstraints.resourceRules', ''));
  if (!spec.validations?.length && !spec.auditAnnotations?.length) {
    errors.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    errors.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
  }
  const names = new Set<string>();
  const variableNames = (spec.variables ?? []).map((v) => v.name);
  (spec.variables ?? []).forEach((v, i) => {
    const f = `spec.variables[${i}]`;
    if (!v.name?.trim()) errors.push(required(`${f}.name`, 'name is not specified'));
    else if (!celIdentifier.test(v.name) || reserved.has(v.name)) errors.push(invalid(`${f}.name`, v.name, 'name is not a valid CEL identifier'));
    expression(errors, `${f}.expression`, v.expression, 'variable', hasParams, 'expression is not specified', variableNames.slice(0, i));
  });
  (spec.matchConditions ?? []).forEach((m, i) => {
    const f = `spec.matchConditions[${i}]`;
    if (!m.name) errors.push(required(`${f}.name`, ''));
    else if (names.has(m.name)) errors.push(duplicate(`${f}.name`, m.name));
    names.add(m.name);
    expression(errors, `${f}.expression`, m.expression, 'matchCondition', hasParams, '', variableNames);
  });
  (spec.validations ?? []).forEach((v, i) => {
    const f = `spec.validations[${i}]`;
    expression(errors, `${f}.expression`, v.expression, 'validation', hasParams, 'expression is not specified', variableNames);
    if (v.messageExpression !== undefined) {
      if (!v.messageExpression.trim()) errors.push(invalid(`${f}.messageExpression`, v.messageExpression, 'must be non-empty if specified'));
      else expression(errors, `${f}.messageExpression`, v.messageExpression, 'message', hasParams, '', variableNames);
    }
    if (v.message !== undefined) {
      if (!v.message.trim()) errors.push(invalid(`${f}.message`, v.message, 'message must be non-empty if specified'));
      else if (/[\n\r]/.test(v.message.trim())) errors.push(invalid(`${f}.message`, v.message, 'message must not contain line breaks'));
    }
    if (v.reason !== undefined && !supportedReasons.includes(v.reason)) errors.push(notSupported(`${f}.reason`, v.reason, supportedReasons));
  });
  (spec.auditAnnotations ?? []).forEach((a, i) => {
    const f = `spec.auditAnnotations[${i}]`;
    if (!a.key) errors.push(required(`${f}.key`, ''));
    else if (!name) errors.push(invalid(`${f}.key`, a.key, 'requires metadata.name be non-empty'));
    if (a.valueExpression && a.valueExpression.trim().length > 5 * 1024) errors.push(required(`${f}.valueExpression`, 'must not exceed 5120 bytes in length'));
    else expression(errors, `${f}.valueExpression`, a.valueExpression?.trim(), 'auditAnnotation', hasParams, 'valueExpression is not specified', variableNames);
  });
  if (spec.failurePolicy !== undefined && spec.failurePolicy !== 'Fail' && spec.failurePolicy !== 'Ignore') {
    errors.push(notSupported('spec.failurePolicy', spec.failurePolicy, ['Fail', 'Ignore']));
  }
  return errors;
}

interface BindingSpecLike {
  policyName?: string;
  paramRef?: { name?: string; selector?: unknown; parameterNotFoundAction?: string };
  validationActions?: string[];
}

export function validateBindingSpec(spec: BindingSpecLike | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec) return [required('spec', '')];
  if (!spec.policyName) errors.push(required('spec.policyName', ''));
  const pr = spec.paramRef;
  if (pr) {
    if (pr.name && pr.selector) {
      errors.push(forbidden('spec.paramRef.name', 'name and selector are mutually exclusive'));
      errors.push(forbidden('spec.paramRef.selector', 'name and selector are mutually exclusive'));
    }
    if (!pr.name && !pr.selector) errors.push(required('spec.paramRef', 'one of name or selector must be specified'));
    if (!pr.parameterNotFoundAction) errors.push(required('spec.paramRef.parameterNotFoundAction', ''));
    else if (pr.parameterNotFoundAction !== 'Deny' && pr.parameterNotFoundAction !== 'Allow') {
      errors.push(notSupported('spec.paramRef.parameterNotFoundAction', pr.parameterNotFoundAction, ['Deny', 'Allow']));
    }
  }
  const actions = spec.validationActions ?? [];
  if (actions.length === 0) errors.push(required('spec.validationActions', 'at least one validation action is required'));
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (seen.has(a)) errors.push(duplicate(`spec.validationActions[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) errors.push(invalid('spec.validationActions', actions, 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  return errors;
}
