/** flowcontrol.apiserver.k8s.io/v1 validation, with upstream's rules and wording. */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { mandatoryFlowSchemaSpec, mandatoryPriorityLevelSpec, specEqual } from '../../../runtime/flowcontrol/bootstrap.ts';
import type { FlowSchema, NonResourcePolicyRule, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from './flowschema.ts';
import type { PriorityLevelConfiguration, QueuingConfiguration } from './prioritylevelconfiguration.ts';

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Shuffle sharding draws hands from one 64-bit hash; upstream allows at most 60 bits of it. */
const maxHashBits = 60;

/** A list that holds `*` must hold nothing else. */
function wildcardAlone(path: string, values: string[], what: string, errors: FieldError[]): void {
  if (values.length > 1 && values.includes('*')) errors.push(invalid(path, values, `if '*' is present, must not specify other ${what}`));
}

function validateSubject(s: Subject, path: string, errors: FieldError[]): void {
  switch (s.kind) {
    case 'User':
      if (!s.user) errors.push(required(`${path}.user`, "user is required when subject kind is 'User'"));
      else if (!s.user.name) errors.push(required(`${path}.user.name`, 'username is required'));
      if (s.group) errors.push(forbidden(`${path}.group`, "group is forbidden when subject kind is not 'Group'"));
      if (s.serviceAccount) errors.push(forbidden(`${path}.serviceAccount`, "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"));
      break;
    case 'Group':
      if (!s.group) errors.push(required(`${path}.group`, "group is required when subject kind is 'Group'"));
      else if (!s.group.name) errors.push(required(`${path}.group.name`, 'name is required'));
      if (s.user) errors.push(forbidden(`${path}.user`, "user is forbidden when subject kind is not 'User'"));
      if (s.serviceAccount) errors.push(forbidden(`${path}.serviceAccount`, "serviceAccount is forbidden when subject kind is not 'ServiceAccount'"));
      break;
    case 'ServiceAccount':
      if (!s.serviceAccount) {
        errors.push(required(`${path}.serviceAccount`, "serviceAccount is required when subject kind is 'ServiceAccount'"));
      } else {
        if (!s.serviceAccount.name) errors.push(required(`${path}.serviceAccount.name`, 'name is required'));
        if (!s.serviceAccount.namespace) errors.push(required(`${path}.serviceAccount.namespace`, 'namespace is required'));
        else if (!dns1123Label.test(s.serviceAccount.namespace)) errors.push(invalid(`${path}.serviceAccount.namespace`, s.serviceAccount.namespace, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character'));
      }
      if (s.user) errors.push(forbidden(`${path}.user`, "user is forbidden when subject kind is not 'User'"));
      if (s.group) errors.push(forbidden(`${path}.group`, "group is forbidden when subject kind is not 'Group'"));
      break;
    default:
      errors.push(notSupported(`${path}.kind`, s.kind, ['Group', 'ServiceAccount', 'User']));
  }
}

function validateResourceRule(r: ResourcePolicyRule, path: string, errors: FieldError[]): void {
  if (!r.verbs?.length) errors.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  else wildcardAlone(`${path}.verbs`, r.verbs, 'verbs', errors);
  if (!r.apiGroups?.length) errors.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  else wildcardAlone(`${path}.apiGroups`, r.apiGroups, 'api groups', errors);
  if (!r.resources?.length) errors.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  else wildcardAlone(`${path}.resources`, r.resources, 'resources', errors);
  const namespaces = r.namespaces ?? [];
  if (!namespaces.length && !r.clusterScope) errors.push(required(`${path}.namespaces`, 'resource rules that are not cluster scoped must supply at least one namespace'));
  wildcardAlone(`${path}.namespaces`, namespaces, 'namespaces', errors);
  namespaces.forEach((ns, i) => {
    if (ns !== '*' && !dns1123Label.test(ns)) errors.push(invalid(`${path}.namespaces[${i}]`, ns, 'must be either \'*\' or a DNS-1123 label'));
  });
}

function validateNonResourceRule(r: NonResourcePolicyRule, path: string, errors: FieldError[]): void {
  if (!r.verbs?.length) errors.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  else wildcardAlone(`${path}.verbs`, r.verbs, 'verbs', errors);
  if (!r.nonResourceURLs?.length) {
    errors.push(required(`${path}.nonResourceURLs`, 'nonResource rules must supply at least one non-resource url'));
    return;
  }
  wildcardAlone(`${path}.nonResourceURLs`, r.nonResourceURLs, 'non-resource URLs', errors);
  r.nonResourceURLs.forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) errors.push(invalid(`${path}.nonResourceURLs[${i}]`, url, 'must start with slash'));
    else if (url.slice(0, -1).includes('*') || (url.endsWith('*') && !url.endsWith('/*'))) errors.push(invalid(`${path}.nonResourceURLs[${i}]`, url, 'wildcard can only do suffix glob matching'));
  });
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
  const mandatory = mandatoryFlowSchemaSpec(name);
  if (mandatory && !specEqual(spec, mandatory)) errors.push(invalid('spec', spec, `spec of '${name}' must equal the fixed value`));
  const precedence = spec.matchingPrecedence ?? 0;
  if (precedence <= 0) errors.push(invalid('spec.matchingPrecedence', precedence, 'must be a positive value'));
  else if (precedence > 10000) errors.push(invalid('spec.matchingPrecedence', precedence, 'must not be greater than 10000'));
  else if (precedence === 1 && name !== 'exempt') errors.push(invalid('spec.matchingPrecedence', precedence, "only the schema named 'exempt' may have matchingPrecedence 1"));
  const dm = spec.distinguisherMethod;
  if (dm && dm.type !== 'ByUser' && dm.type !== 'ByNamespace') errors.push(notSupported('spec.distinguisherMethod.type', dm.type, ['ByNamespace', 'ByUser']));
  const pl = spec.priorityLevelConfiguration?.name ?? '';
  if (!pl) errors.push(required('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
  else if (pl.length > 253 || !dns1123Subdomain.test(pl)) errors.push(invalid('spec.priorityLevelConfiguration.name', pl, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
  spec.rules?.forEach((r, i) => validateRule(r, `spec.rules[${i}]`, errors));
  return errors;
}

function validateQueuing(q: QueuingConfiguration, path: string, errors: FieldError[]): void {
  const queues = q.queues ?? 0;
  const handSize = q.handSize ?? 0;
  if ((q.queueLengthLimit ?? 0) <= 0) errors.push(invalid(`${path}.queueLengthLimit`, q.queueLengthLimit ?? 0, 'must be positive'));
  if (queues <= 0) errors.push(invalid(`${path}.queues`, queues, 'must be positive'));
  if (handSize <= 0) errors.push(invalid(`${path}.handSize`, handSize, 'must be positive'));
  else if (handSize > queues) errors.push(invalid(`${path}.handSize`, handSize, `should not be greater than queues (${queues})`));
  else {
    const bits = Math.ceil(Math.log2(queues) * handSize);
    if (bits > maxHashBits) errors.push(invalid(path, q, `required entropy bits of deckSize ${queues} and handSize ${handSize} should not be greater than ${maxHashBits}`));
  }
}

export function validate_PriorityLevelConfiguration(obj: PriorityLevelConfiguration, _old?: PriorityLevelConfiguration): FieldError[] {
  const errors: FieldError[] = [];
  const name = obj.metadata?.name ?? '';
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const mandatory = mandatoryPriorityLevelSpec(name);
  if (mandatory && !specEqual(spec, mandatory)) errors.push(invalid('spec', spec, `spec of '${name}' must equal the fixed value`));
  if (spec.type !== 'Exempt' && spec.type !== 'Limited') {
    errors.push(notSupported('spec.type', spec.type, ['Exempt', 'Limited']));
    return errors;
  }
  if ((spec.type === 'Exempt') !== (name === 'exempt')) errors.push(invalid('spec.type', spec.type, "type must be 'Exempt' if and only if name is 'exempt'"));
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
  if (l.lendablePercent !== undefined && (l.lendablePercent < 0 || l.lendablePercent > 100)) errors.push(invalid('spec.limited.lendablePercent', l.lendablePercent, 'must be between 0 and 100, inclusive'));
  if (l.borrowingLimitPercent !== undefined && l.borrowingLimitPercent !== null && l.borrowingLimitPercent < 0) errors.push(invalid('spec.limited.borrowingLimitPercent', l.borrowingLimitPercent, 'if specified, must be a non-negative integer'));
  const lr = l.limitResponse;
  const lrPath = 'spec.limited.limitResponse';
  if (lr?.type === 'Queue') {
    if (!lr.queuing) errors.push(required(`${lrPath}.queuing`, 'must not be empty if limited.limitResponse.type is Limited'));
    else validateQueuing(lr.queuing, `${lrPath}.queuing`, errors);
  } else if (lr?.type === 'Reject') {
    if (lr.queuing) errors.push(forbidden(`${lrPath}.queuing`, 'must be nil if limited.limitResponse.type is not Limited'));
  } else {
    errors.push(notSupported(`${lrPath}.type`, lr?.type ?? '', ['Queue', 'Reject']));
  }
  return errors;
}
