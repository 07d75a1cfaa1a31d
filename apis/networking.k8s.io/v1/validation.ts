import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { ipNetContains, parseCIDRSloppy } from '../../../runtime/machinery/ip-address.ts';
import { goSlice, goString, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidPathSegmentName, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain } from '../../../runtime/machinery/string-checks.ts';
import { isIP } from '../../core/v1/ip-address.ts';
import { validateDomainPrefixedPath, validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { Ingress, IngressBackend, IngressClass } from './ingress.ts';
import type { IPBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from './networkpolicy.ts';

const protocols = ['TCP', 'UDP', 'SCTP'];

function validateBackend(b: IngressBackend, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (b.resource && b.service) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    const r = b.resource;
    if (r.apiGroup != null) for (const msg of isDNS1123Subdomain(r.apiGroup)) errors.push(invalid(`${path}.resource.apiGroup`, r.apiGroup, msg));
    for (const key of ['kind', 'name'] as const) {
      if (!r[key]) errors.push(required(`${path}.resource.${key}`, `${key} is required`));
      else for (const msg of isValidPathSegmentName(r[key])) errors.push(invalid(`${path}.resource.${key}`, r[key], msg));
    }
    return errors;
  }
  if (!b.service) return [invalid(path, '', 'resource or service backend is required')];
  const svc = b.service;
  if (!svc.name) errors.push(required(`${path}.service.name`, ''));
  else for (const msg of isDNS1035Label(svc.name)) errors.push(invalid(`${path}.service.name`, svc.name, msg));
  const name = svc.port?.name ?? '';
  const number = svc.port?.number ?? 0;
  // Both port faults are reported at the backend itself, not at its port.
  if (name && number) errors.push(invalid(path, '', 'cannot set both port name & port number'));
  else if (name) for (const msg of isValidPortName(name)) errors.push(invalid(`${path}.service.port.name`, name, msg));
  else if (number) for (const msg of isValidPortNum(number)) errors.push(invalid(`${path}.service.port.number`, number, msg));
  else errors.push(required(path, 'port name or number is required'));
  return errors;
}

function validatePath(p: string | undefined, type: string | undefined, path: string): FieldError[] {
  const value = p ?? '';
  switch (type) {
    case undefined:
      return [required(`${path}.pathType`, 'pathType must be specified')];
    case 'Exact':
    case 'Prefix': {
      const errors: FieldError[] = [];
      if (!value.startsWith('/')) errors.push(invalid(`${path}.path`, value, 'must be an absolute path'));
      for (const bad of ['//', '/./', '/../', '%2f', '%2F']) if (value.includes(bad)) errors.push(invalid(`${path}.path`, value, `must not contain '${bad}'`));
      for (const bad of ['/..', '/.']) if (value.endsWith(bad)) errors.push(invalid(`${path}.path`, value, `cannot end with '${bad}'`));
      return errors;
    }
    case 'ImplementationSpecific':
      return value && !value.startsWith('/') ? [invalid(`${path}.path`, value, 'must be an absolute path')] : [];
    default:
      return [notSupported(`${path}.pathType`, type, ['Exact', 'ImplementationSpecific', 'Prefix'])];
  }
}

/** A host with a `*` anywhere is checked as a wildcard subdomain, any other as a plain one. */
function hostErrors(host: string, path: string): FieldError[] {
  const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
  return msgs.map((msg) => invalid(path, host, msg));
}

// Upstream reports the (empty) rules slice itself when an Ingress has neither rules nor a default backend.
const goIngressRules = goSlice(goStruct('networking.IngressRule', []));

const ingressClassAnnotation = 'kubernetes.io/ingress.class';

/**
 * Upstream's ValidateIngressCreate/Update. Only a create compares the deprecated class annotation with
 * spec.ingressClassName, and reports it at upstream's path, which names no `metadata`.
 */
export function validate_Ingress(obj: Ingress, old?: Ingress): FieldError[] {
  const errors = validateIngressSpec(obj, ingressOptions(old));
  const annotations = obj.metadata?.annotations ?? {};
  const className = obj.spec?.ingressClassName;
  if (!old && Object.hasOwn(annotations, ingressClassAnnotation) && className != null && annotations[ingressClassAnnotation] !== className) {
    errors.push(invalid(`annotations.${ingressClassAnnotation}`, annotations[ingressClassAnnotation], 'must match `ingressClassName` when both are specified'));
  }
  return errors;
}

/** Upstream's IngressValidationOptions: what an update tolerates because the stored Ingress already has it. */
interface IngressOptions {
  allowInvalidSecretName: boolean;
  allowInvalidWildcardHostRule: boolean;
}

type IngressRule = NonNullable<NonNullable<Ingress['spec']>['rules']>[number];

/**
 * An update keeps an Ingress that an older server stored updatable: a TLS secret name that is no DNS subdomain lets
 * every secret name pass, and a wildcard-host rule with invalid paths lets the paths of every wildcard-host rule pass.
 */
function ingressOptions(old?: Ingress): IngressOptions {
  const spec = old?.spec;
  return {
    allowInvalidSecretName: (spec?.tls ?? []).some((tls) => !!tls.secretName && isDNS1123Subdomain(tls.secretName).length > 0),
    allowInvalidWildcardHostRule: (spec?.rules ?? []).some((rule) => (rule.host ?? '').includes('*') && ruleValueErrors(rule, '').length > 0),
  };
}

/** Upstream's validateIngressRuleValue: a rule's HTTP paths, each with its backend. */
function ruleValueErrors(rule: IngressRule, at: string): FieldError[] {
  if (!rule.http) return [];
  const errors: FieldError[] = [];
  if (!rule.http.paths?.length) errors.push(required(`${at}.http.paths`, ''));
  (rule.http.paths ?? []).forEach((p, j) => {
    const pat = `${at}.http.paths[${j}]`;
    errors.push(...validatePath(p.path, p.pathType, pat));
    // A path without a pathType is reported alone; its backend is not looked at.
    if (p.pathType !== undefined) errors.push(...validateBackend(p.backend ?? {}, `${pat}.backend`));
  });
  return errors;
}

function validateIngressSpec(obj: Ingress, opts: IngressOptions): FieldError[] {
  const spec = obj.spec ?? {};
  const errors: FieldError[] = [];
  if (!spec.rules?.length && !spec.defaultBackend) errors.push(invalid('spec', goValue(goIngressRules, spec.rules), 'either `defaultBackend` or `rules` must be specified'));
  if (spec.defaultBackend) errors.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  (spec.rules ?? []).forEach((rule, i) => {
    const at = `spec.rules[${i}]`;
    if (rule.host) {
      if (isIP(rule.host)) errors.push(invalid(`${at}.host`, rule.host, 'must be a DNS name, not an IP address'));
      errors.push(...hostErrors(rule.host, `${at}.host`));
    }
    if (!(rule.host ?? '').includes('*') || !opts.allowInvalidWildcardHostRule) errors.push(...ruleValueErrors(rule, at));
  });
  (spec.tls ?? []).forEach((tls, i) => {
    (tls.hosts ?? []).forEach((h, j) => errors.push(...hostErrors(h, `spec.tls[${i}].hosts[${j}]`)));
    if (tls.secretName && !opts.allowInvalidSecretName) for (const msg of isDNS1123Subdomain(tls.secretName)) errors.push(invalid(`spec.tls[${i}].secretName`, tls.secretName, msg));
  });
  if (spec.ingressClassName != null) {
    for (const msg of isDNS1123Subdomain(spec.ingressClassName)) errors.push(invalid('spec.ingressClassName', spec.ingressClassName, msg));
  }
  return errors;
}

/**
 * Upstream's ValidateIngressClass(Update): on update the controller's immutability is reported before the checks
 * every write gets; the parameters reference is a typed object reference (apiGroup a DNS subdomain, kind and name
 * path segments) with a scope, a namespace when the scope is Namespace and none when it is Cluster.
 */
export function validate_IngressClass(obj: IngressClass, old?: IngressClass): FieldError[] {
  const spec = obj.spec ?? {};
  const errors: FieldError[] = [];
  const controller = spec.controller ?? '';
  if (old && (old.spec?.controller ?? '') !== controller) errors.push(invalid('spec.controller', controller, 'field is immutable'));
  if (controller.length > 250) errors.push(tooLong('spec.controller', controller, 250));
  errors.push(...validateDomainPrefixedPath(controller, 'spec.controller'));
  if (spec.parameters) errors.push(...validateParametersReference(spec.parameters, 'spec.parameters'));
  return errors;
}

type IngressClassParameters = NonNullable<NonNullable<IngressClass['spec']>['parameters']>;

function validateParametersReference(params: IngressClassParameters, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (params.apiGroup != null) for (const msg of isDNS1123Subdomain(params.apiGroup)) errors.push(invalid(`${path}.apiGroup`, params.apiGroup, msg));
  for (const key of ['kind', 'name'] as const) {
    const value = params[key];
    if (!value) errors.push(required(`${path}.${key}`, `${key} is required`));
    else for (const msg of isValidPathSegmentName(value)) errors.push(invalid(`${path}.${key}`, value, msg));
  }
  // v1 defaults the scope to Cluster, so a missing one only comes from an internal caller.
  if (params.scope == null) return [...errors, required(`${path}.scope`, '')];
  if (params.scope !== 'Cluster' && params.scope !== 'Namespace') errors.push(notSupported(`${path}.scope`, params.scope, ['Cluster', 'Namespace']));
  else if (params.scope === 'Namespace') {
    if (params.namespace == null) errors.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of isDNS1123Label(params.namespace)) errors.push(invalid(`${path}.namespace`, params.namespace, msg));
  } else if (params.namespace != null) errors.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  return errors;
}

function validatePolicyPort(p: NetworkPolicyPort, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (p.protocol != null && !protocols.includes(p.protocol)) errors.push(notSupported(`${path}.protocol`, p.protocol, protocols));
  if (typeof p.port === 'number') {
    for (const msg of isValidPortNum(p.port)) errors.push(invalid(`${path}.port`, p.port, msg));
    if (p.endPort != null) {
      // Upstream reports the port, not the endPort, as the bad value here; clients see it that way.
      if (p.endPort < p.port) errors.push(invalid(`${path}.endPort`, p.port, 'must be greater than or equal to `port`'));
      for (const msg of isValidPortNum(p.endPort)) errors.push(invalid(`${path}.endPort`, p.endPort, msg));
    }
  } else if (typeof p.port === 'string') {
    if (p.endPort != null) errors.push(invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is non-numeric'));
    for (const msg of isValidPortName(p.port)) errors.push(invalid(`${path}.port`, p.port, msg));
  } else if (p.endPort != null) {
    errors.push(invalid(`${path}.endPort`, p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errors;
}

function validatePeer(peer: NetworkPolicyPeer, path: string, allowInvalidLabelValues: boolean): FieldError[] {
  // Each selector's own errors come before the count of peers, as upstream reports them.
  const errors = validateLabelSelector(peer.podSelector, `${path}.podSelector`, allowInvalidLabelValues);
  errors.push(...validateLabelSelector(peer.namespaceSelector, `${path}.namespaceSelector`, allowInvalidLabelValues));
  if (peer.ipBlock) errors.push(...validateIPBlock(peer.ipBlock, `${path}.ipBlock`));
  const count = [peer.podSelector, peer.namespaceSelector, peer.ipBlock].filter((x) => x != null).length;
  if (count === 0) errors.push(required(path, 'must specify a peer'));
  else if (count > 1 && peer.ipBlock) errors.push(forbidden(path, 'may not specify both ipBlock and another peer'));
  return errors;
}

/**
 * v1.32's ipBlock rules: the first CIDR that does not parse ends the checks; each except must lie strictly inside
 * the cidr (inside it and with a longer prefix).
 */
function validateIPBlock(block: IPBlock, path: string): FieldError[] {
  if (!block.cidr) return [required(`${path}.cidr`, '')];
  const cidr = parseCIDRSloppy(block.cidr);
  if (!cidr) return [invalid(`${path}.cidr`, block.cidr, 'not a valid CIDR')];
  const errors: FieldError[] = [];
  for (const [i, text] of (block.except ?? []).entries()) {
    const except = parseCIDRSloppy(text);
    if (!except) return [...errors, invalid(`${path}.except[${i}]`, text, 'not a valid CIDR')];
    if (!ipNetContains(cidr, except.ip) || cidr.bits >= except.bits) {
      errors.push(invalid(`${path}.except[${i}]`, text, 'must be a strict subset of `cidr`'));
    }
  }
  return errors;
}

const goPolicyTypes = goSlice(goString('networking.PolicyType'));

/**
 * Upstream's ValidateNetworkPolicy(Update). An update whose stored policy has a pod selector with an invalid label
 * value (ValidationOptionsForNetworking) lets invalid label values pass in every selector of the policy.
 */
export function validate_NetworkPolicy(obj: NetworkPolicy, old?: NetworkPolicy): FieldError[] {
  const spec: NetworkPolicySpec = obj.spec ?? { podSelector: {} };
  const allow = old !== undefined && validateLabelSelector(old.spec?.podSelector, 'spec.podSelector').length > 0;
  const errors = validateLabelSelector(spec.podSelector, 'spec.podSelector', allow);
  (spec.ingress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((p, j) => errors.push(...validatePolicyPort(p, `spec.ingress[${i}].ports[${j}]`)));
    (rule.from ?? []).forEach((p, j) => errors.push(...validatePeer(p, `spec.ingress[${i}].from[${j}]`, allow)));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    (rule.ports ?? []).forEach((p, j) => errors.push(...validatePolicyPort(p, `spec.egress[${i}].ports[${j}]`)));
    (rule.to ?? []).forEach((p, j) => errors.push(...validatePeer(p, `spec.egress[${i}].to[${j}]`, allow)));
  });
  const types = spec.policyTypes ?? [];
  // Too many types are reported alone, the list printed as Go prints it; the types themselves are not looked at.
  if (types.length > 2) return [...errors, invalid('spec.policyTypes', goValue(goPolicyTypes, types), 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errors.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  return errors;
}
