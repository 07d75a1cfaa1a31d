/**
 * Validation of ValidatingWebhookConfigurations and MutatingWebhookConfigurations, as upstream's
 * pkg/apis/admissionregistration/validation for objects written through admissionregistration.k8s.io/v1: each
 * webhook's name fully qualified, its rules well-formed, its policies known, side effects declared as None or
 * NoneOnDryRun (v1 webhooks must be safe to call on dry runs), a timeout of 1 to 30 seconds, valid selectors,
 * exactly one of url (https) or service, compilable match conditions, a recognised AdmissionReview version, and
 * names unique in the configuration. Errors come in upstream's order, since the Status message lists them so.
 */
import { validateLabelSelector } from '../../../apis/meta/v1/validation-helpers.ts';
import { validateWebhookService, validateWebhookURL } from '../../apiextensions/validation/crd.ts';
import { duplicate, invalid, notSupported, required, tooMany, type FieldError } from '../../machinery/field-errors.ts';
import { goSlice, goString, goStrings, goValue } from '../../machinery/go-syntax.ts';
import { isDNS1035Label, isDNS1123Subdomain } from '../../machinery/string-checks.ts';
import { validateQualifiedName } from '../../registry/objectmeta.ts';
import { environmentFor } from '../../cel/index.ts';
import { compileExpression } from '../policy/compile.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

/** The AdmissionReview versions the server understands, in upstream's order (the message lists them so). */
const acceptedReviewVersions = ['v1', 'v1beta1'];
// Sorted, as upstream's sets list them in messages.
export const failurePolicies = ['Fail', 'Ignore'];
export const matchPolicies = ['Equivalent', 'Exact'];
const noSideEffectClasses = ['None', 'NoneOnDryRun'];
const sideEffectClasses = ['None', 'NoneOnDryRun', 'Some', 'Unknown'];
const operations = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const reinvocationPolicies = ['IfNeeded', 'Never'];
const scopes = ['*', 'Cluster', 'Namespaced'];
const maxMatchConditions = 64;

/**
 * What a write must satisfy. A create satisfies everything; an update is held only to what the stored object
 * already satisfies (upstream's compatibility with objects written through older API versions).
 */
interface Requirements {
  noSideEffects: boolean;
  recognizedReviewVersion: boolean;
  uniqueNames: boolean;
  /** Every match condition expression of the stored configuration (they compile with the stored CEL environment). */
  preexistingMatchConditions?: ReadonlySet<string>;
}

function requirementsFor(old: Obj | undefined): Requirements {
  if (!old) return { noSideEffects: true, recognizedReviewVersion: true, uniqueNames: true };
  const hooks = list(old.webhooks);
  const preexistingMatchConditions = new Set(hooks.flatMap((h) => list(h?.matchConditions).map((m) => m?.expression)));
  const names = hooks.map((h) => h?.name);
  return {
    noSideEffects: hooks.every((h) => noSideEffectClasses.includes(h?.sideEffects)),
    recognizedReviewVersion: hooks.every((h) => list(h?.admissionReviewVersions).some((v) => acceptedReviewVersions.includes(v))),
    uniqueNames: new Set(names).size === names.length,
    preexistingMatchConditions,
  };
}

const goOperationTypes = goSlice(goString('admissionregistration.OperationType'));
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** Upstream's IsFullyQualifiedName: a DNS subdomain of at least three segments. */
function validateFullyQualifiedName(at: string, name: string): FieldError[] {
  if (!name) return [required(at)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length) return [invalid(at, name, errs.join(','))];
  if (name.split('.').length < 3) return [invalid(at, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateResources(at: string, resources: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (resources.length === 0) errs.push(required(at));
  const wildcardSubresourcesOf = new Set<string>();
  const wildcardResourceFor = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let withoutSubresource = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      errs.push(required(`${at}[${i}]`));
      return;
    }
    if (resSub === '*/*') doubleWildcard = true;
    if (resSub === '*') singleWildcard = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      withoutSubresource = resSub !== '*';
      return;
    }
    const res = resSub.slice(0, slash);
    const sub = resSub.slice(slash + 1);
    if (wildcardSubresourcesOf.has(res)) errs.push(invalid(`${at}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`));
    if (wildcardResourceFor.has(sub)) errs.push(invalid(`${at}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`));
    if (sub === '*') wildcardSubresourcesOf.add(res);
    if (res === '*') wildcardResourceFor.add(sub);
  });
  if (resources.length > 1 && doubleWildcard) errs.push(invalid(at, goValue(goStrings, resources), "if '*/*' is present, must not specify other resources"));
  if (singleWildcard && withoutSubresource) errs.push(invalid(at, goValue(goStrings, resources), "if '*' is present, must not specify other resources without subresources"));
  return errs;
}

export function validateRuleWithOperations(at: string, rule: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ops: string[] = list(rule?.operations);
  if (ops.length === 0) errs.push(required(`${at}.operations`));
  if (ops.length > 1 && ops.includes('*')) errs.push(invalid(`${at}.operations`, goValue(goOperationTypes, ops), "if '*' is present, must not specify other operations"));
  ops.forEach((op, i) => {
    if (!operations.includes(op)) errs.push(notSupported(`${at}.operations[${i}]`, op, operations));
  });
  const groups: string[] = list(rule?.apiGroups);
  if (groups.length === 0) errs.push(required(`${at}.apiGroups`));
  if (groups.length > 1 && groups.includes('*')) errs.push(invalid(`${at}.apiGroups`, goValue(goStrings, groups), "if '*' is present, must not specify other API groups"));
  const versions: string[] = list(rule?.apiVersions);
  if (versions.length === 0) errs.push(required(`${at}.apiVersions`));
  if (versions.length > 1 && versions.includes('*')) errs.push(invalid(`${at}.apiVersions`, goValue(goStrings, versions), "if '*' is present, must not specify other API versions"));
  versions.forEach((v, i) => {
    if (v === '') errs.push(required(`${at}.apiVersions[${i}]`));
  });
  errs.push(...validateResources(`${at}.resources`, list(rule?.resources)));
  if (rule?.scope !== undefined && rule?.scope !== null && !scopes.includes(rule.scope)) errs.push(notSupported(`${at}.scope`, rule.scope, scopes));
  return errs;
}

/**
 * `allowParams`: a ValidatingAdmissionPolicy with a paramKind lets its match conditions use `params`.
 * `preexisting`: the stored object's match condition expressions, which compile with the stored CEL environment.
 */
export function validateMatchConditions(at: string, conditions: Obj[], allowParams = false, preexisting?: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (conditions.length > maxMatchConditions) errs.push(tooMany(at, conditions.length, maxMatchConditions));
  const names = new Set<string>();
  conditions.forEach((c, i) => {
    const expression = typeof c?.expression === 'string' ? c.expression.trim() : '';
    if (!expression) errs.push(required(`${at}[${i}].expression`));
    else {
      const r = compileExpression(expression, 'matchCondition', allowParams, [], environmentFor(expression, preexisting));
      if (r.error) errs.push(invalid(`${at}[${i}].expression`, expression, r.error));
    }
    const name = typeof c?.name === 'string' ? c.name : '';
    if (!name) errs.push(required(`${at}[${i}].name`));
    else errs.push(...validateQualifiedName(name, `${at}[${i}].name`));
    if (name) {
      if (names.has(name)) errs.push(duplicate(`${at}[${i}].name`, name));
      names.add(name);
    }
  });
  return errs;
}

function validateAdmissionReviewVersions(at: string, versions: string[], requireRecognized: boolean): FieldError[] {
  if (versions.length === 0) return [required(at, `must specify one of ${acceptedReviewVersions.join(', ')}`)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((v, i) => {
    if (seen.has(v)) {
      errs.push(invalid(`${at}[${i}]`, v, 'duplicate version'));
      return;
    }
    seen.add(v);
    for (const msg of isDNS1035Label(v)) errs.push(invalid(`${at}[${i}]`, v, msg));
    if (acceptedReviewVersions.includes(v)) accepted = true;
  });
  if (requireRecognized && !accepted) errs.push(invalid(at, goValue(goStrings, versions), `must include at least one of ${acceptedReviewVersions.join(', ')}`));
  return errs;
}

function validateWebhook(at: string, hook: Obj, mutating: boolean, req: Requirements): FieldError[] {
  const errs = validateFullyQualifiedName(`${at}.name`, typeof hook?.name === 'string' ? hook.name : '');
  list(hook?.rules).forEach((r, i) => errs.push(...validateRuleWithOperations(`${at}.rules[${i}]`, r)));
  if (hook?.failurePolicy != null && !failurePolicies.includes(hook.failurePolicy)) errs.push(notSupported(`${at}.failurePolicy`, hook.failurePolicy, failurePolicies));
  if (hook?.matchPolicy != null && !matchPolicies.includes(hook.matchPolicy)) errs.push(notSupported(`${at}.matchPolicy`, hook.matchPolicy, matchPolicies));
  const allowedSideEffects = req.noSideEffects ? noSideEffectClasses : sideEffectClasses;
  if (hook?.sideEffects == null) errs.push(required(`${at}.sideEffects`, `must specify one of ${allowedSideEffects.join(', ')}`));
  else if (!allowedSideEffects.includes(hook.sideEffects)) errs.push(notSupported(`${at}.sideEffects`, hook.sideEffects, allowedSideEffects));
  if (typeof hook?.timeoutSeconds === 'number' && (hook.timeoutSeconds > 30 || hook.timeoutSeconds < 1)) {
    errs.push(invalid(`${at}.timeoutSeconds`, hook.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  }
  errs.push(...validateLabelSelector(hook?.namespaceSelector, `${at}.namespaceSelector`));
  errs.push(...validateLabelSelector(hook?.objectSelector, `${at}.objectSelector`));
  if (mutating && hook?.reinvocationPolicy != null && !reinvocationPolicies.includes(hook.reinvocationPolicy)) {
    errs.push(notSupported(`${at}.reinvocationPolicy`, hook.reinvocationPolicy, reinvocationPolicies));
  }
  const cc = hook?.clientConfig ?? {};
  const hasURL = typeof cc.url === 'string';
  const hasService = cc.service != null;
  if (hasURL === hasService) errs.push(required(`${at}.clientConfig`, 'exactly one of url or service is required'));
  else if (hasURL) errs.push(...validateWebhookURL(`${at}.clientConfig.url`, cc.url));
  else errs.push(...validateWebhookService(`${at}.clientConfig.service`, cc.service));
  errs.push(...validateMatchConditions(`${at}.matchConditions`, list(hook?.matchConditions), false, req.preexistingMatchConditions));
  return errs;
}

function validateConfiguration(obj: Obj, mutating: boolean, old?: Obj): FieldError[] {
  const req = requirementsFor(old);
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(obj?.webhooks).forEach((hook, i) => {
    const at = `webhooks[${i}]`;
    errs.push(...validateWebhook(at, hook, mutating, req));
    errs.push(...validateAdmissionReviewVersions(`${at}.admissionReviewVersions`, list(hook?.admissionReviewVersions), req.recognizedReviewVersion));
    const name = typeof hook?.name === 'string' ? hook.name : '';
    if (name && req.uniqueNames) {
      if (names.has(name)) errs.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
  });
  return errs;
}

/** `old` on update: the stored object, whose own shortcomings the update may keep. */
export function validateValidatingWebhookConfiguration(obj: Obj, old?: Obj): FieldError[] {
  return validateConfiguration(obj, false, old);
}

export function validateMutatingWebhookConfiguration(obj: Obj, old?: Obj): FieldError[] {
  return validateConfiguration(obj, true, old);
}
