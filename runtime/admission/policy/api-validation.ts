/**
 * Validation of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding objects, as upstream's
 * pkg/apis/admissionregistration/validation: every CEL expression must compile (with the variables it will have),
 * plus the structural rules upstream checks. The generated registration calls these through
 * apis/admissionregistration.k8s.io/v1/validation.ts.
 */
import type { Condition, LabelSelector } from '../../../apis/meta/v1/types.ts';
import { validateConditions, validateLabelSelector } from '../../../apis/meta/v1/validation-helpers.ts';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../machinery/field-errors.ts';
import { goSlice, goString, goStruct, goValue } from '../../machinery/go-syntax.ts';
import { isDNS1035Label, isDNS1123Subdomain } from '../../machinery/string-checks.ts';
import { validateName, validateQualifiedName } from '../../registry/objectmeta.ts';
import { failurePolicies, matchPolicies, validateMatchConditions, validateRuleWithOperations } from '../webhook/config-validation.ts';
import { environmentFor } from '../../cel/index.ts';
import { jsonPathSyntaxError } from '../../machinery/client-go-jsonpath.ts';
import { compileExpression, type ExpressionKind, type PolicySpec } from './compile.ts';

const celIdentifier = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const reserved = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
// Sorted, as upstream's set lists them. Unauthorized, which the API docs name too, is not among them.
const supportedReasons = ['Forbidden', 'Invalid', 'RequestEntityTooLarge'];
const goValidationActions = goSlice(goString('admissionregistration.ValidationAction'));
const goAuditAnnotations = goSlice(goStruct('admissionregistration.AuditAnnotation', [['Key', goString(), 'key'], ['ValueExpression', goString(), 'valueExpression']]));

/**
 * The expressions a stored policy has, by where they stand (upstream's preexistingExpressions): on update, the same
 * text compiles with the stored CEL environment, new text with the compatibility version's.
 */
interface PreexistingExpressions {
  matchConditions: Set<string>;
  validations: Set<string>;
  messageExpressions: Set<string>;
  auditAnnotationValues: Set<string>;
}

function preexistingExpressions(old: PolicySpec | undefined): PreexistingExpressions {
  return {
    matchConditions: new Set((old?.matchConditions ?? []).map((m) => m.expression)),
    validations: new Set((old?.validations ?? []).map((v) => v.expression)),
    messageExpressions: new Set((old?.validations ?? []).flatMap((v) => (v.messageExpression ? [v.messageExpression] : []))),
    auditAnnotationValues: new Set((old?.auditAnnotations ?? []).map((a) => a.valueExpression)),
  };
}

function expression(errors: FieldError[], field: string, value: string | undefined, kind: ExpressionKind, hasParams: boolean, preexisting: Set<string>, requiredDetail = '', variables: readonly string[] = []): void {
  if (!value || !value.trim()) {
    errors.push(required(field, requiredDetail));
    return;
  }
  const r = compileExpression(value, kind, hasParams, variables, environmentFor(value, preexisting));
  if (r.error) errors.push(invalid(field, value, r.error));
}

const maxAuditAnnotations = 20;

/** upstream's parseGroupVersion: more than one slash is the only error; the parts are checked after. */
function validateParamKind(pk: { apiVersion?: string; kind?: string }): FieldError[] {
  const errors: FieldError[] = [];
  const at = 'spec.paramKind';
  const av = pk.apiVersion ?? '';
  if (!av) errors.push(required(`${at}.apiVersion`, ''));
  else if (av.split('/').length > 2) errors.push(invalid(`${at}.apiVersion`, av, `unexpected GroupVersion string: ${av}`));
  else if (av !== '/') {
    const [group, version] = av.includes('/') ? av.split('/') : ['', av];
    if (group) {
      const errs = isDNS1123Subdomain(group);
      if (errs.length) errors.push(invalid(`${at}.apiVersion`, group, errs.join(',')));
    }
    if (!version) errors.push(invalid(`${at}.apiVersion`, av, 'version must be specified'));
    else {
      const errs = isDNS1035Label(version);
      if (errs.length) errors.push(invalid(`${at}.apiVersion`, version, errs.join(',')));
    }
  } else errors.push(invalid(`${at}.apiVersion`, av, 'version must be specified'));
  if (!pk.kind) errors.push(required(`${at}.kind`, ''));
  else {
    const errs = isDNS1035Label(pk.kind.toLowerCase());
    if (errs.length) errors.push(invalid(`${at}.kind`, pk.kind, `may have mixed case, but should otherwise match: ${errs.join(',')}`));
  }
  return errors;
}

interface MatchResourcesLike {
  matchPolicy?: string;
  namespaceSelector?: LabelSelector | null;
  objectSelector?: LabelSelector | null;
  resourceRules?: NamedRule[];
  excludeResourceRules?: NamedRule[];
}
interface NamedRule { resourceNames?: string[] }

function validateNamedRule(at: string, rule: NamedRule): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  (rule?.resourceNames ?? []).forEach((n, i) => {
    errors.push(...validateName(n, 'path-segment', `${at}.resourceNames[${i}]`));
    if (seen.has(n)) errors.push(duplicate(`${at}.resourceNames[${i}]`, n));
    seen.add(n);
  });
  return [...errors, ...validateRuleWithOperations(at, rule)];
}

/** A policy's matchConstraints or a binding's matchResources (defaults make the policy and selectors present). */
function validateMatchResources(at: string, mr: MatchResourcesLike | undefined): FieldError[] {
  if (!mr) return [];
  const errors: FieldError[] = [];
  if (mr.matchPolicy == null) errors.push(required(`${at}.matchPolicy`, ''));
  else if (!matchPolicies.includes(mr.matchPolicy)) errors.push(notSupported(`${at}.matchPolicy`, mr.matchPolicy, matchPolicies));
  if (mr.namespaceSelector == null) errors.push(required(`${at}.namespaceSelector`, ''));
  else errors.push(...validateLabelSelector(mr.namespaceSelector, `${at}.namespaceSelector`));
  if (mr.objectSelector == null) errors.push(required(`${at}.objectSelector`, ''));
  else errors.push(...validateLabelSelector(mr.objectSelector, `${at}.objectSelector`));
  (mr.resourceRules ?? []).forEach((r, i) => errors.push(...validateNamedRule(`${at}.resourceRules[${i}]`, r)));
  (mr.excludeResourceRules ?? []).forEach((r, i) => errors.push(...validateNamedRule(`${at}.excludeResourceRules[${i}]`, r)));
  return errors;
}

/** In upstream's order: failurePolicy, paramKind, matchConstraints, matchConditions, variables, validations, auditAnnotations. */
export function validatePolicySpec(spec: PolicySpec | undefined, name: string, old?: PolicySpec): FieldError[] {
  const errors: FieldError[] = [];
  const pre = preexistingExpressions(old);
  if (!spec) return [required('spec', '')];
  if (spec.failurePolicy == null) errors.push(required('spec.failurePolicy', ''));
  else if (!failurePolicies.includes(spec.failurePolicy as string)) errors.push(notSupported('spec.failurePolicy', spec.failurePolicy, failurePolicies));
  const hasParams = !!spec.paramKind;
  if (spec.paramKind) errors.push(...validateParamKind(spec.paramKind));
  const mc = spec.matchConstraints as MatchResourcesLike | undefined;
  if (!mc) errors.push(required('spec.matchConstraints', ''));
  else {
    errors.push(...validateMatchResources('spec.matchConstraints', mc));
    if (!mc.resourceRules?.length) errors.push(required('spec.matchConstraints.resourceRules', ''));
  }
  errors.push(...validateMatchConditions('spec.matchConditions', spec.matchConditions ?? [], hasParams, pre.matchConditions));
  const variableNames = (spec.variables ?? []).map((v) => v.name);
  (spec.variables ?? []).forEach((v, i) => {
    const f = `spec.variables[${i}]`;
    if (!v.name?.trim()) errors.push(required(`${f}.name`, 'name is not specified'));
    else if (!celIdentifier.test(v.name) || reserved.has(v.name)) errors.push(invalid(`${f}.name`, v.name, 'name is not a valid CEL identifier'));
    // Upstream looks a variable up among the stored validations' expressions.
    expression(errors, `${f}.expression`, v.expression, 'variable', hasParams, pre.validations, 'expression is not specified', variableNames.slice(0, i));
  });
  if (!spec.validations?.length && !spec.auditAnnotations?.length) {
    errors.push(required('spec.validations', 'validations or auditAnnotations must contain at least one item'));
    errors.push(required('spec.auditAnnotations', 'validations or auditAnnotations must contain at least one item'));
    return errors;
  }
  (spec.validations ?? []).forEach((v, i) => {
    const f = `spec.validations[${i}]`;
    expression(errors, `${f}.expression`, v.expression, 'validation', hasParams, pre.validations, 'expression is not specified', variableNames);
    if (v.messageExpression !== undefined) {
      if (!v.messageExpression.trim()) errors.push(invalid(`${f}.messageExpression`, v.messageExpression, 'must be non-empty if specified'));
      else expression(errors, `${f}.messageExpression`, v.messageExpression, 'message', hasParams, pre.messageExpressions, '', variableNames);
    }
    if (v.message !== undefined) {
      if (v.message && !v.message.trim()) errors.push(invalid(`${f}.message`, v.message, 'message must be non-empty if specified'));
      else if (/[\n\r]/.test(v.message.trim())) errors.push(invalid(`${f}.message`, v.message, 'message must not contain line breaks'));
    }
    if (v.reason != null && !supportedReasons.includes(v.reason)) errors.push(notSupported(`${f}.reason`, v.reason, supportedReasons));
  });
  const annotations = spec.auditAnnotations ?? [];
  if (annotations.length > maxAuditAnnotations) {
    errors.push(invalid('spec.auditAnnotations', goValue(goAuditAnnotations, annotations), `must not have more than ${maxAuditAnnotations} auditAnnotations`));
  }
  const keys = new Set<string>();
  annotations.forEach((a, i) => {
    const f = `spec.auditAnnotations[${i}]`;
    const key = a.key ?? '';
    // The key becomes the audit annotation `<policy name>/<key>`, which must be a qualified name.
    if (name) errors.push(...validateQualifiedName(`${name}/${key}`, `${f}.key`));
    else errors.push(invalid(`${f}.key`, key, 'requires metadata.name be non-empty'));
    const value = a.valueExpression?.trim() ?? '';
    if (!value) errors.push(required(`${f}.valueExpression`, 'valueExpression is not specified'));
    else if (value.length > 5 * 1024) errors.push(required(`${f}.valueExpression`, 'must not exceed 5120 bytes in length'));
    else {
      // Upstream compiles the trimmed text, but picks the environment by, and names in its error, the text as written.
      const written = a.valueExpression ?? '';
      const r = compileExpression(value, 'auditAnnotation', hasParams, variableNames, environmentFor(written, pre.auditAnnotationValues));
      if (r.error) errors.push(invalid(`${f}.valueExpression`, written, r.error));
    }
    if (keys.has(key)) errors.push(duplicate(`${f}.key`, key));
    keys.add(key);
  });
  return errors;
}

interface PolicyStatusLike {
  typeChecking?: { expressionWarnings?: { fieldRef?: string; warning?: string }[] } | null;
  conditions?: Condition[];
}

/** What a /status write is held to (upstream's validateValidatingAdmissionPolicyStatus); the spec is the stored one. */
export function validatePolicyStatus(status: PolicyStatusLike | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (status?.typeChecking?.expressionWarnings ?? []).forEach((w, i) => {
    const at = `status.typeChecking.expressionWarnings[${i}]`;
    if (!w.warning) errors.push(required(`${at}.warning`, ''));
    const fieldRef = w.fieldRef?.trim() ?? '';
    if (!fieldRef) errors.push(required(`${at}.fieldRef`, ''));
    else {
      // Upstream parses the reference as one action of a client-go JSONPath template.
      const syntax = jsonPathSyntaxError(`{${fieldRef}}`);
      if (syntax) errors.push(invalid(`${at}.fieldRef`, fieldRef, `invalid JSONPath: ${syntax}`));
    }
  });
  return [...errors, ...validateConditions(status?.conditions, 'status.conditions')];
}

interface BindingSpecLike {
  policyName?: string;
  paramRef?: { name?: string; selector?: LabelSelector | null; parameterNotFoundAction?: string };
  matchResources?: MatchResourcesLike;
  validationActions?: string[];
}

const validationActions = ['Audit', 'Deny', 'Warn'];

function validateParamRef(pr: NonNullable<BindingSpecLike['paramRef']>): FieldError[] {
  const errors: FieldError[] = [];
  const at = 'spec.paramRef';
  const exclusive = 'name and selector are mutually exclusive';
  if (pr.name) {
    errors.push(...validateName(pr.name, 'path-segment', `${at}.name`));
    if (pr.selector != null) errors.push(forbidden(`${at}.name`, exclusive));
  }
  if (pr.selector != null) {
    errors.push(...validateLabelSelector(pr.selector, `${at}.selector`));
    if (pr.name) errors.push(forbidden(`${at}.selector`, exclusive));
  }
  if (!pr.name && pr.selector == null) errors.push(required(at, 'one of name or selector must be specified'));
  if (!pr.parameterNotFoundAction) errors.push(required(`${at}.parameterNotFoundAction`, ''));
  else if (pr.parameterNotFoundAction !== 'Deny' && pr.parameterNotFoundAction !== 'Allow') {
    errors.push(notSupported(`${at}.parameterNotFoundAction`, pr.parameterNotFoundAction, ['Deny', 'Allow']));
  }
  return errors;
}

function validateValidationActions(actions: string[]): FieldError[] {
  const errors: FieldError[] = [];
  const at = 'spec.validationActions';
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (!validationActions.includes(a)) errors.push(notSupported(`${at}[${i}]`, a, validationActions));
    if (seen.has(a)) errors.push(duplicate(`${at}[${i}]`, a));
    seen.add(a);
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errors.push(invalid(at, goValue(goValidationActions, actions), 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  }
  if (seen.size === 0) errors.push(required(at, 'at least one validation action is required'));
  return errors;
}

export function validateBindingSpec(spec: BindingSpecLike | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec) return [required('spec', '')];
  if (!spec.policyName) errors.push(required('spec.policyName', ''));
  else errors.push(...validateName(spec.policyName, 'dns1123-subdomain', 'spec.policyName'));
  if (spec.paramRef) errors.push(...validateParamRef(spec.paramRef));
  // Upstream names this path with its typo, and clients see it so.
  errors.push(...validateMatchResources('spec.matchResouces', spec.matchResources));
  errors.push(...validateValidationActions(spec.validationActions ?? []));
  return errors;
}
