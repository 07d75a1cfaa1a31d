/** flowcontrol.apiserver.k8s.io/v1 validation, with upstream's rules and wording. */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goString, goStrings, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goFlowSchemaSpec, goPriorityLevelConfigurationSpec } from './go-internal.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../runtime/machinery/string-checks.ts';
import { mandatoryFlowSchemaSpec, mandatoryPriorityLevelSpec, priorityLevelSpecIsBuiltIn, specEqual } from '../../../runtime/flowcontrol/bootstrap.ts';
import type { FlowSchema, NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from './flowschema.ts';
import type { LimitResponse, PriorityLevelConfiguration, QueuingConfiguration } from './prioritylevelconfiguration.ts';

/** Shuffle sharding draws hands from one 64-bit hash; upstream allows at most 60 bits of it. */
const maxHashBits = 60;
const maxQueues = 10 * 1000 * 1000;
/** The verbs a rule may name (sorted, as upstream's set lists them). */
const supportedVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const preserveZeroSharesAnnotation = 'flowcontrol.k8s.io/v1beta3-preserve-zero-concurrency-shares';
const nsErrIntro = "each member of this list must be '*' or a DNS-1123 label; ";

/** A []string as Go's %#v prints it, the way upstream's messages show a bad list. */
const goFlowDistinguisherMethod = goStruct('flowcontrol.FlowDistinguisherMethod', [['Type', goString('flowcontrol.FlowDistinguisherMethodType')]]);

/** A list that holds `*` must hold nothing else. */
function wildcardAlone(path: string, values: string[], what: string, errors: FieldError[]): void {
  if (values.length > 1 && values.includes('*')) errors.push(invalid(path, goValue(goStrings, values), `if '*' is present, must not specify other ${what}`));
}

/** Verbs: at least one; `*` alone; otherwise only known verbs. */
function validateVerbs(path: string, verbs: string[] | undefined, errors: FieldError[]): void {
  if (!verbs?.length) errors.push(required(path, 'verbs must contain at least one value'));
  else if (verbs.includes('*')) wildcardAlone(path, verbs, 'verbs', errors);
  else if (!verbs.every((v) => supportedVerbs.includes(v))) errors.push(notSupported(path, goValue(goStrings, verbs), supportedVerbs));
}

function validateSubject(s: Subject, path: string, errors: FieldError[]): void {
  const userForbidden = () => s.user && errors.push(forbidden(`${path}.user`, "user is forbidden when subject kind is not 'User'"));
  const groupForbidden = () => s.group && errors.push(forbidden(`${path}.group`, "group is forbidden when subject kind is not 'Group'"));
  const saForbidden = () => s.serviceAccount && errors.push(forbidden(`${path}.serviceAccount`, "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"));
  switch (s.kind) {
    case 'ServiceAccount': {
      const sa = s.serviceAccount;
      if (!sa) errors.push(required(`${path}.serviceAccount`, "serviceAccount is required when subject kind is 'ServiceAccount'"));
      else {
        if (!sa.name) errors.push(required(`${path}.serviceAccount.name`));
        else if (sa.name !== '*') for (const msg of isDNS1123Subdomain(sa.name)) errors.push(invalid(`${path}.serviceAccount.name`, sa.name, msg));
        if (!sa.namespace) errors.push(required(`${path}.serviceAccount.namespace`, 'must specify namespace for service account'));
        else for (const msg of isDNS1123Label(sa.namespace)) errors.push(invalid(`${path}.serviceAccount.namespace`, sa.namespace, msg));
      }
      userForbidden();
      groupForbidden();
      break;
    }
    case 'User':
      if (!s.user) errors.push(required(`${path}.user`, "user is required when subject kind is 'User'"));
      else if (!s.user.name) errors.push(required(`${path}.user.name`));
      saForbidden();
      groupForbidden();
      break;
    case 'Group':
      if (!s.group) errors.push(required(`${path}.group`, "group is required when subject kind is 'Group'"));
      else if (!s.group.name) errors.push(required(`${path}.group.name`));
      saForbidden();
      userForbidden();
      break;
    default:
      errors.push(notSupported(`${path}.kind`, s.kind ?? '', ['Group', 'ServiceAccount', 'User']));
  }
}

function validateResourceRule(r: ResourcePolicyRule, path: string, errors: FieldError[]): void {
  validateVerbs(`${path}.verbs`, r.verbs, errors);
  if (!r.apiGroups?.length) errors.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  else wildcardAlone(`${path}.apiGroups`, r.apiGroups, 'api groups', errors);
  if (!r.resources?.length) errors.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  else wildcardAlone(`${path}.resources`, r.resources, 'resources', errors);
  const namespaces = r.namespaces ?? [];
  if (!namespaces.length && !r.clusterScope) errors.push(required(`${path}.namespaces`, 'resource rules that are not cluster scoped must supply at least one namespace'));
  else if (namespaces.includes('*')) wildcardAlone(`${path}.namespaces`, namespaces, 'namespaces', errors);
  else {
    namespaces.forEach((ns, i) => {
      for (const msg of isDNS1123Label(ns)) errors.push(invalid(`${path}.namespaces[${i}]`, ns, nsErrIntro + msg));
    });
  }
}

/** Upstream's ValidateNonResourceURLPath: a slash first, no spaces or double slashes, `*` only as a `/*` suffix. */
function nonResourceURLError(url: string): string | undefined {
  if (url === '') return 'must not be empty';
  if (url === '/') return undefined;
  if (!url.startsWith('/')) return 'must start with slash';
  if (url.includes(' ')) return 'must not contain white-space';
  if (url.includes('//')) return 'must not contain double slash';
  const wildcards = url.split('*').length - 1;
  if (wildcards > 1 || (wildcards === 1 && !url.endsWith('/*'))) return 'wildcard can only do suffix matching';
  return undefined;
}

function validateNonResourceRule(r: NonResourcePolicyRule, path: string, errors: FieldError[]): void {
  validateVerbs(`${path}.verbs`, r.verbs, errors);
  const urls = r.nonResourceURLs ?? [];
  if (!urls.length) errors.push(required(`${path}.nonResourceURLs`, 'nonResourceURLs must contain at least one value'));
  else if (urls.includes('*')) wildcardAlone(`${path}.nonResourceURLs`, urls, 'non-resource URLs', errors);
  else {
    urls.forEach((url, i) => {
      const e = nonResourceURLError(url);
      if (e) errors.push(invalid(`${path}.nonResourceURLs[${i}]`, url, e));
    });
  }
}

function validateRule(r: PolicyRulesWithSubjects, path: string, errors: FieldError[]): void {
  if (!r.subjects?.length) errors.push(required(`${path}.subjects`, 'subjects must contain at least one value'));
  r.subjects?.forEach((s, i) => validateSubject(s, `${path}.subjects[${i}]`, errors));
  if (!r.resourceRules?.length && !r.nonResourceRules?.length) errors.push(required(path, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
  r.resourceRules?.forEach((rr, i) => validateResourceRule(rr, `${path}.resourceRules[${i}]`, errors));
  r.nonResourceRules?.forEach((nr, i) => validateNonResourceRule(nr, `${path}.nonResourceRules[${i}]`, errors));
}

export function validate_FlowSchema(obj: FlowSchema, _old?: FlowSchema): FieldError[] {
  const errors: FieldError[] = [];
  const name = obj.metadata?.name ?? '';
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const precedence = spec.matchingPrecedence ?? 0;
  if (precedence <= 0) errors.push(invalid('spec.matchingPrecedence', precedence, 'must be a positive value'));
  if (precedence > 10000) errors.push(invalid('spec.matchingPrecedence', precedence, 'must not be greater than 10000'));
  if (precedence === 1 && name !== 'exempt') errors.push(invalid('spec.matchingPrecedence', precedence, "only the schema named 'exempt' may have matchingPrecedence 1"));
  const dm = spec.distinguisherMethod;
  // Upstream reports the whole method (a pointer to a struct, printed dereferenced).
  if (dm && dm.type !== 'ByUser' && dm.type !== 'ByNamespace') errors.push(notSupported('spec.distinguisherMethod.type', goValue(goFlowDistinguisherMethod, dm), ['ByNamespace', 'ByUser']));
  const pl = spec.priorityLevelConfiguration?.name ?? '';
  if (!pl) errors.push(required('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
  else for (const msg of isDNS1123Subdomain(pl)) errors.push(invalid('spec.priorityLevelConfiguration.name', pl, msg));
  spec.rules?.forEach((r, i) => validateRule(r, `spec.rules[${i}]`, errors));
  // The fixed schemas are compared last, as upstream's ValidateFlowSchema does.
  const mandatory = mandatoryFlowSchemaSpec(name);
  if (mandatory && !specEqual(spec, mandatory)) errors.push(invalid('spec', goValue(goFlowSchemaSpec, spec), `spec of '${name}' must equal the fixed value`));
  validateConditions(obj.status?.conditions, errors);
  return errors;
}

/** Upstream's status checks of both kinds: each condition has a type, and no type twice. */
function validateConditions(conditions: { type?: string }[] | undefined, errors: FieldError[]): void {
  const seen = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const type = c.type ?? '';
    if (seen.has(type)) errors.push(duplicate(`status.conditions[${i}].type`, type));
    seen.add(type);
    if (!type) errors.push(required(`status.conditions[${i}].type`, 'must not be empty'));
  });
}

function validateQueuing(q: QueuingConfiguration, path: string, errors: FieldError[]): void {
  const queues = q.queues ?? 0;
  const handSize = q.handSize ?? 0;
  if ((q.queueLengthLimit ?? 0) <= 0) errors.push(invalid(`${path}.queueLengthLimit`, q.queueLengthLimit ?? 0, 'must be positive'));
  if (queues <= 0) errors.push(invalid(`${path}.queues`, queues, 'must be positive'));
  else if (queues > maxQueues) errors.push(invalid(`${path}.queues`, queues, `must not be greater than ${maxQueues}`));
  if (handSize <= 0) errors.push(invalid(`${path}.handSize`, handSize, 'must be positive'));
  else if (handSize > queues) errors.push(invalid(`${path}.handSize`, handSize, `should not be greater than queues (${queues})`));
  else {
    const bits = Math.ceil(Math.log2(queues) * handSize);
    if (bits > maxHashBits) errors.push(invalid(`${path}.handSize`, handSize, `required entropy bits of deckSize ${queues} and handSize ${handSize} should not be greater than ${maxHashBits}`));
  }
}

export function validate_PriorityLevelConfiguration(obj: PriorityLevelConfiguration, _old?: PriorityLevelConfiguration): FieldError[] {
  const name = obj.metadata?.name ?? '';
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const errors: FieldError[] = [];
  // Only v1beta3 may carry this annotation (its conversion consumes it); anywhere else it is refused.
  if (obj.metadata?.annotations?.[preserveZeroSharesAnnotation] !== undefined) {
    errors.push(forbidden('metadata.annotations', `annotation '${preserveZeroSharesAnnotation}' is forbidden`));
  }
  errors.push(...validatePriorityLevelSpec(spec, name));
  errors.push(...validateMandatoryPriorityLevel(spec, name));
  validateConditions(obj.status?.conditions, errors);
  return errors;
}

/**
 * The fixed levels are compared last, as upstream's ValidatePriorityLevelConfiguration does. The `exempt` level's
 * `spec.exempt` (its shares and lendable percent) is the admin's to tune, so only the rest of its spec is fixed.
 */
function validateMandatoryPriorityLevel(spec: NonNullable<PriorityLevelConfiguration['spec']>, name: string): FieldError[] {
  const mandatory = mandatoryPriorityLevelSpec(name);
  if (!mandatory || priorityLevelSpecIsBuiltIn(name, spec, mandatory)) return [];
  const what = name === 'exempt' ? `spec of '${name}' except the 'spec.exempt' field` : `spec of '${name}'`;
  return [invalid('spec', goValue(goPriorityLevelConfigurationSpec, spec), `${what} must equal the fixed value`)];
}

function validatePriorityLevelSpec(spec: NonNullable<PriorityLevelConfiguration['spec']>, name: string): FieldError[] {
  const errors: FieldError[] = [];
  if ((spec.type === 'Exempt') !== (name === 'exempt')) errors.push(invalid('spec.type', spec.type ?? '', "type must be 'Exempt' if and only if name is 'exempt'"));
  if (spec.type !== 'Exempt' && spec.type !== 'Limited') {
    errors.push(notSupported('spec.type', spec.type ?? '', ['Exempt', 'Limited']));
    return errors;
  }
  if (spec.type === 'Exempt') {
    if (spec.limited) errors.push(forbidden('spec.limited', 'must be nil if the type is not Limited'));
    const e = spec.exempt;
    if (e?.nominalConcurrencyShares !== undefined && e.nominalConcurrencyShares < 0) errors.push(invalid('spec.exempt.nominalConcurrencyShares', e.nominalConcurrencyShares, 'must be a non-negative integer'));
    if (e?.lendablePercent !== undefined && (e.lendablePercent < 0 || e.lendablePercent > 100)) errors.push(invalid('spec.exempt.lendablePercent', e.lendablePercent, 'must be between 0 and 100, inclusive'));
    return errors;
  }
  if (spec.exempt) errors.push(forbidden('spec.exempt', 'must be nil if the type is Limited'));
  const l = spec.limited;
  if (!l) {
    errors.push(required('spec.limited', 'must not be empty when type is Limited'));
    return errors;
  }
  if ((l.nominalConcurrencyShares ?? 0) < 0) errors.push(invalid('spec.limited.nominalConcurrencyShares', l.nominalConcurrencyShares, 'must be a non-negative integer'));
  validateLimitResponse(l.limitResponse, errors);
  // The borrowing fields came later upstream, and are checked after the limit response.
  if (l.lendablePercent !== undefined && (l.lendablePercent < 0 || l.lendablePercent > 100)) errors.push(invalid('spec.limited.lendablePercent', l.lendablePercent, 'must be between 0 and 100, inclusive'));
  if (l.borrowingLimitPercent !== undefined && l.borrowingLimitPercent !== null && l.borrowingLimitPercent < 0) errors.push(invalid('spec.limited.borrowingLimitPercent', l.borrowingLimitPercent, 'if specified, must be a non-negative integer'));
  return errors;
}

function validateLimitResponse(lr: LimitResponse | undefined, errors: FieldError[]): void {
  const lrPath = 'spec.limited.limitResponse';
  if (lr?.type === 'Queue') {
    if (!lr.queuing) errors.push(required(`${lrPath}.queuing`, 'must not be empty if limited.limitResponse.type is Limited'));
    else validateQueuing(lr.queuing, `${lrPath}.queuing`, errors);
  } else if (lr?.type === 'Reject') {
    if (lr.queuing) errors.push(forbidden(`${lrPath}.queuing`, 'must be nil if limited.limitResponse.type is not Limited'));
  } else {
    errors.push(notSupported(`${lrPath}.type`, lr?.type ?? '', ['Queue', 'Reject']));
  }
}
