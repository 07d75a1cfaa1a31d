/**
 * Service validation, as upstream's ValidateService / ValidateServiceUpdate / ValidateServiceStatusUpdate
 * (pkg/apis/core/validation): the rules that tie fields together (type, cluster IPs and families, ports and node
 * ports, traffic policies, load balancer fields), with upstream's paths and messages. Enumerations and types are
 * the schema's (generated from apis/core/v1/service.ts) and are not repeated here, but for ipFamilies and
 * ipFamilyPolicy: upstream checks those where it checks the cluster IPs, which allocation runs first and which
 * ExternalName Services skip.
 *
 * Values in messages are printed as Go prints them (`[]string{"10.0.0.1"}`), so some errors carry their value in
 * the detail rather than as `badValue`.
 */
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from '../../machinery/field-errors.ts';
import type { StoredObject } from '../../storage/store.ts';
import { goSlice, goString, goStrings, goValue } from '../../machinery/go-syntax.ts';
import { validateName, validateQualifiedName } from '../objectmeta.ts';
import { isValidLabelValue, isValidPortName } from '../../machinery/string-checks.ts';
import { netipIPv4, netipText, parseCIDRSloppy, parseIPv6Bytes, parseNetipPrefix, sloppyTextChecks } from '../../machinery/ip-address.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import { nonSpecialIPErrors } from '../../../apis/core/v1/ip-address.ts';
import { goServicePort } from '../../../apis/core/v1/go-internal.ts';

type Spec = StoredObject;

const portRangeMsg = 'must be between 1 and 65535, inclusive';
const ipMsg = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const cidrMsg = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const kubeletPort = 10250;
const maxClientIPServiceAffinitySeconds = 86400;
const topologyAwareHints = 'service.kubernetes.io/topology-aware-hints';
const topologyMode = 'service.kubernetes.io/topology-mode';
const sourceRangesAnnotation = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** An error whose value Go prints in a form JSON cannot give (slices, structs). */
function goInvalid(field: string, goValue: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `${goValue}: ${detail}` };
}

const goIPFamilies = goSlice(goString('core.IPFamily'));

export function goFamilies(families: readonly string[] | undefined): string {
  return goValue(goIPFamilies, families ?? []).text;
}

export function goIPs(ips: readonly string[] | undefined): string {
  return goValue(goStrings, ips).text;
}

// ---- addresses, as Go's net.ParseIP (ParseIPSloppy) reads them; an IPv4-mapped address is IPv4 (To4) ----

export const { isIPv4, isIPv6, isIP } = sloppyTextChecks;
const isCIDR = (s: string) => parseCIDRSloppy(s) !== undefined;

// ---- helpers on a Service, as upstream's ----

export function isHeadless(svc: StoredObject): boolean {
  const ips = svc.spec?.clusterIPs as string[] | undefined;
  return ips?.length === 1 && ips[0] === 'None';
}

/** LoadBalancer, NodePort, or ClusterIP with external IPs (upstream's ExternallyAccessible). */
export function externallyAccessible(svc: StoredObject): boolean {
  const t = svc.spec?.type;
  return t === 'LoadBalancer' || t === 'NodePort' || (t === 'ClusterIP' && (svc.spec?.externalIPs?.length ?? 0) > 0);
}

/** A LoadBalancer routing external traffic only to local endpoints (upstream's NeedsHealthCheck). */
export function needsHealthCheck(svc: StoredObject): boolean {
  return svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';
}

function portNameErrors(field: string, name: string): FieldError[] {
  return isValidPortName(name).map((e) => invalid(field, name, e));
}

function validPort(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

function validateServicePort(p: StoredObject, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (requireName && !p.name) errors.push(required(`${path}.name`));
  else if (p.name) {
    errors.push(...validateName(p.name, 'dns1123-label', `${path}.name`));
    if (names.has(p.name)) errors.push(duplicate(`${path}.name`, p.name));
    else names.add(p.name);
  }
  if (typeof p.port === 'number' && !validPort(p.port)) errors.push(invalid(`${path}.port`, p.port, portRangeMsg));
  if (!p.protocol) errors.push(required(`${path}.protocol`));
  if (typeof p.targetPort === 'number' && !validPort(p.targetPort)) errors.push(invalid(`${path}.targetPort`, p.targetPort, portRangeMsg));
  else if (typeof p.targetPort === 'string') errors.push(...portNameErrors(`${path}.targetPort`, p.targetPort));
  if (typeof p.appProtocol === 'string') errors.push(...validateQualifiedName(p.appProtocol, `${path}.appProtocol`));
  return errors;
}

function validateSelector(selector: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(selector)) {
    errors.push(...validateQualifiedName(k, 'spec.selector'));
    for (const msg of isValidLabelValue(String(v))) errors.push(invalid('spec.selector', String(v), msg));
  }
  return errors;
}

function validateClientIPAffinityConfig(config: StoredObject | undefined): FieldError[] {
  const path = 'spec.sessionAffinityConfig';
  const when = 'when session affinity type is ClientIP';
  if (!config) return [required(path, when)];
  if (!config.clientIP) return [required(`${path}.clientIP`, when)];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout === undefined || timeout === null) return [required(`${path}.clientIP.timeoutSeconds`, when)];
  if (timeout <= 0 || timeout > maxClientIPServiceAffinitySeconds) {
    return [invalid(`${path}.clientIP.timeoutSeconds`, timeout, `must be greater than 0 and less than ${maxClientIPServiceAffinitySeconds}`)];
  }
  return [];
}

const ipFamilies = ['IPv4', 'IPv6'];
const ipFamilyPolicies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];

/**
 * spec.clusterIP(s), ipFamilies and ipFamilyPolicy together; also run by allocation before it fills them in, so a
 * family or policy nobody knows is refused there as Unsupported, with nothing else the body holds. The two
 * enumerations are checked here, where upstream checks them (not for ExternalName Services), and not by the schema
 * (withoutFamilyEnumErrors).
 */
export function validateServiceClusterIPsRelatedFields(svc: StoredObject): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const ips: string[] = spec.clusterIPs ?? [];
  if (spec.clusterIP) {
    if (ips.length === 0) errors.push(required('spec.clusterIPs'));
    else if (ips[0] !== spec.clusterIP) errors.push(goInvalid('spec.clusterIPs', goIPs(ips), 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    errors.push(goInvalid('spec.clusterIPs', goIPs(ips), 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  (spec.ipFamilies ?? []).forEach((f: string, i: number) => {
    if (!ipFamilies.includes(f)) errors.push(notSupported(`spec.ipFamilies[${i}]`, f, ipFamilies));
    if (seen.has(f)) errors.push(duplicate(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  const policy = spec.ipFamilyPolicy;
  if (policy != null && !ipFamilyPolicies.includes(policy)) errors.push(notSupported('spec.ipFamilyPolicy', policy, ipFamilyPolicies));
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        errors.push(goInvalid('spec.clusterIPs', goIPs(ips), "'None' must be the first and only value"));
      }
      return;
    }
    if (!isIP(ip)) {
      invalidIPs = true;
      errors.push(invalid(`spec.clusterIPs[${i}]`, ip, ipMsg));
    }
  });
  if (ips.length > 2) errors.push(goInvalid('spec.clusterIPs', goIPs(ips), 'may only hold up to 2 values'));
  if (invalidIPs) return errors;
  // Upstream asks k8s.io/utils/net's IsDualStackIPStrings: at least one IP of each family, however many there are
  // (three IPs of both families draw only the "up to 2 values" error above).
  if (ips.length > 1 && !(ips.some(isIPv6) && ips.some((ip) => !isIPv6(ip)))) {
    errors.push(goInvalid('spec.clusterIPs', goIPs(ips), 'may specify no more than one IP for each IP family'));
  }
  const families: string[] = spec.ipFamilies ?? [];
  if (!isHeadless(svc) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i >= families.length) return;
      if (families[i] === 'IPv4' && isIPv6(ip)) errors.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && !isIPv6(ip)) errors.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errors;
}

const familyEnumPath = /^spec\.(ipFamilies\[\d+\]|ipFamilyPolicy)$/;

/** The schema's errors without its checks of ipFamilies' and ipFamilyPolicy's values, which are upstream's above. */
export function withoutFamilyEnumErrors(errors: FieldError[]): FieldError[] {
  return errors.filter((e) => e.type !== 'FieldValueNotSupported' || !familyEnumPath.test(e.field));
}

function validateLoadBalancerClassField(old: StoredObject | undefined, svc: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const cls = svc.spec?.loadBalancerClass;
  if (old && old.spec?.type === 'LoadBalancer' && svc.spec?.type === 'LoadBalancer' && (old.spec?.loadBalancerClass ?? null) !== (cls ?? null)) {
    errors.push(invalid('spec.loadBalancerClass', cls ?? null, 'may not change once set'));
  }
  if (svc.spec?.type === 'LoadBalancer') {
    if (typeof cls === 'string') errors.push(...validateQualifiedName(cls, 'spec.loadBalancerClass'));
  } else if (cls !== undefined && cls !== null) {
    errors.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"));
  }
  return errors;
}

function validateExternalTrafficPolicy(svc: StoredObject): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  const errors: FieldError[] = [];
  if (!externallyAccessible(svc)) {
    if (spec.externalTrafficPolicy) errors.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  } else if (!spec.externalTrafficPolicy) {
    errors.push(required('spec.externalTrafficPolicy'));
  }
  const hc = spec.healthCheckNodePort ?? 0;
  if (!needsHealthCheck(svc)) {
    if (hc !== 0) errors.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (hc === 0) {
    errors.push(required('spec.healthCheckNodePort'));
  } else if (!validPort(hc)) {
    errors.push(invalid('spec.healthCheckNodePort', hc, portRangeMsg));
  }
  return errors;
}

/** Upstream's ValidateService, without ObjectMeta (the generic strategy checks it) and the schema's enumerations. */
export function validateService(svc: StoredObject): FieldError[] {
  const spec: Spec = svc.spec ?? {};
  const errors: FieldError[] = [];
  const annotations: Record<string, string> = svc.metadata?.annotations ?? {};
  if (topologyMode in annotations && topologyAwareHints in annotations && annotations[topologyMode] !== annotations[topologyAwareHints]) {
    errors.push(invalid(`metadata.annotations[${topologyMode}]`, annotations[topologyMode], `must match annotations[${topologyAwareHints}] when both are specified`));
  }
  const ports: StoredObject[] = spec.ports ?? [];
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && spec.type !== 'ExternalName') errors.push(required('spec.ports'));
  switch (spec.type) {
    case 'LoadBalancer':
      ports.forEach((p, i) => {
        if (p.port === kubeletPort) errors.push(invalid(`spec.ports[${i}]`, p.port, `may not expose port ${kubeletPort} externally since it is used by kubelet`));
      });
      if (headless) errors.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errors.push(invalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if ((spec.clusterIPs?.length ?? 0) > 0) errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if ((spec.ipFamilies?.length ?? 0) > 0) errors.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) errors.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errors.push(...validateName(cname, 'dns1123-subdomain', 'spec.externalName'));
      else errors.push(required('spec.externalName'));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errors.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (spec.selector) errors.push(...validateSelector(spec.selector));
  if (!spec.sessionAffinity) errors.push(required('spec.sessionAffinity'));
  if (spec.sessionAffinity === 'ClientIP') errors.push(...validateClientIPAffinityConfig(spec.sessionAffinityConfig));
  else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig !== undefined && spec.sessionAffinityConfig !== null) {
    errors.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'));
  }
  errors.push(...validateServiceClusterIPsRelatedFields(svc));
  (spec.externalIPs ?? []).forEach((ip: string, i: number) => {
    const field = `spec.externalIPs[${i}]`;
    if (!isIP(ip)) errors.push(invalid(field, ip, ipMsg));
    else errors.push(...nonSpecialIPErrors(ip, field));
  });
  if (!spec.type) errors.push(required('spec.type'));
  if (spec.type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errors.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errors.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort));
    nodePorts.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (portKeys.has(key)) {
      // Upstream's key is a core.ServicePort holding only the protocol and the port.
      errors.push(duplicate(`spec.ports[${i}]`, goValue(goServicePort, { protocol: p.protocol, port: p.port })));
    }
    portKeys.add(key);
  });
  const ranges: string[] = spec.loadBalancerSourceRanges ?? [];
  if (ranges.length > 0) {
    // Upstream's path really is capitalised here.
    if (spec.type !== 'LoadBalancer') errors.push(forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"));
    ranges.forEach((r, i) => {
      const v = r.trim();
      if (!isCIDR(v)) errors.push(invalid(`spec.LoadBalancerSourceRanges[${i}]`, v, cidrMsg));
    });
  } else if (sourceRangesAnnotation in annotations) {
    const field = `metadata.annotations[${sourceRangesAnnotation}]`;
    if (spec.type !== 'LoadBalancer') errors.push(forbidden(field, "may only be used when `type` is 'LoadBalancer'"));
    const val = annotations[sourceRangesAnnotation].trim();
    if (val) for (const c of val.split(',')) if (!isCIDR(c.trim())) errors.push(invalid(field, c.trim(), cidrMsg));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && spec.type !== 'LoadBalancer') {
    errors.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"));
  }
  if (spec.type === 'LoadBalancer' && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null)) {
    errors.push(required('allocateLoadBalancerNodePorts'));
  }
  errors.push(...validateLoadBalancerClassField(undefined, svc));
  errors.push(...validateExternalTrafficPolicy(svc));
  if ((spec.internalTrafficPolicy === undefined || spec.internalTrafficPolicy === null) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')) {
    errors.push(required('spec.internalTrafficPolicy'));
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== null && spec.trafficDistribution !== 'PreferClose') {
    errors.push({ type: 'FieldValueNotSupported', field: 'spec.trafficDistribution', badValue: spec.trafficDistribution, detail: 'supported values: "PreferClose"' });
  }
  return errors;
}

function validateUpgradeDowngradeClusterIPs(old: StoredObject, svc: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return errors;
  if (isHeadless(old) && isHeadless(svc)) return errors;
  const oldIPs: string[] = old.spec?.clusterIPs ?? [];
  const ips: string[] = svc.spec?.clusterIPs ?? [];
  if (oldIPs.length === ips.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errors.push(goInvalid(`spec.clusterIPs[${i}]`, goIPs(svc.spec?.clusterIPs), 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errors.push(goInvalid('spec.clusterIPs[0]', goIPs(svc.spec?.clusterIPs), 'primary clusterIP can not be unset'));
    if (oldIPs.length > 0 && ips.length > 0 && ips[0] !== oldIPs[0]) errors.push(goInvalid('spec.clusterIPs[0]', goIPs(svc.spec?.clusterIPs), 'may not change once set'));
    if (ips.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack') {
      errors.push(invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary clusterIP"));
    }
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errors.push(goInvalid('spec.clusterIPs[0]', goIPs(svc.spec?.clusterIPs), 'may not change once set'));
  }
  return errors;
}

function validateUpgradeDowngradeIPFamilies(old: StoredObject, svc: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  if (svc.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return errors;
  if (isHeadless(old) !== isHeadless(svc) || isHeadless(svc)) return errors;
  const oldF: string[] = old.spec?.ipFamilies ?? [];
  const f: string[] = svc.spec?.ipFamilies ?? [];
  if (oldF.length === f.length) {
    oldF.forEach((fam, i) => {
      if (fam !== f[i]) errors.push(goInvalid('spec.ipFamilies[0]', goFamilies(f), 'may not change once set'));
    });
  } else if (oldF.length > f.length) {
    if ((svc.spec?.clusterIPs?.length ?? 0) === 0) errors.push(goInvalid('spec.ipFamilies[0]', goFamilies(f), 'primary ipFamily can not be unset'));
    if (f.length > 0 && f[0] !== oldF[0]) errors.push(goInvalid('spec.ipFamilies[0]', goIPs(svc.spec?.clusterIPs), 'may not change once set'));
    if (f.length === 1 && svc.spec?.ipFamilyPolicy !== 'SingleStack') {
      errors.push(invalid('spec.ipFamilyPolicy', svc.spec?.ipFamilyPolicy ?? null, "must be set to 'SingleStack' when releasing the secondary ipFamily"));
    }
  } else if (oldF.length > 0 && f.length > 0 && f[0] !== oldF[0]) {
    errors.push(goInvalid('spec.ipFamilies[0]', goIPs(svc.spec?.clusterIPs), 'may not change once set'));
  }
  return errors;
}

/** Upstream's ValidateServiceUpdate, without ObjectMeta. */
/** ValidateServiceUpdate's own checks, between its ObjectMeta update check and ValidateService. */
export function serviceUpdateOnlyErrors(svc: StoredObject, old: StoredObject): FieldError[] {
  const errors = [...validateUpgradeDowngradeClusterIPs(old, svc), ...validateUpgradeDowngradeIPFamilies(old, svc), ...validateLoadBalancerClassField(old, svc)];
  if (needsHealthCheck(old) && needsHealthCheck(svc) && (svc.spec?.healthCheckNodePort ?? 0) !== (old.spec?.healthCheckNodePort ?? 0)) {
    errors.push(forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errors;
}

/** Upstream's ValidateServiceStatusUpdate, without ObjectMeta: the load balancer's ingress points. */
export function validateServiceStatusUpdate(svc: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const ingress: StoredObject[] = svc.status?.loadBalancer?.ingress ?? [];
  if (svc.spec?.type !== 'LoadBalancer' && ingress.length) return [forbidden('status.loadBalancer.ingress', "may only be used when `spec.type` is 'LoadBalancer'")];
  ingress.forEach((ing, i) => {
    const path = `status.loadBalancer.ingress[${i}]`;
    if (ing.ip) {
      if (!isIP(ing.ip)) errors.push(invalid(`${path}.ip`, ing.ip, ipMsg));
    }
    if (!ing.ipMode) {
      if (ing.ip) errors.push(required(`${path}.ipMode`, 'must be specified when `ip` is set'));
    } else if (!ing.ip) {
      errors.push(forbidden(`${path}.ipMode`, 'may not be specified when `ip` is not set'));
    } else if (ing.ipMode !== 'VIP' && ing.ipMode !== 'Proxy') {
      errors.push({ type: 'FieldValueNotSupported', field: `${path}.ipMode`, badValue: ing.ipMode, detail: 'supported values: "Proxy", "VIP"' });
    }
    if (ing.hostname) {
      errors.push(...validateName(ing.hostname, 'dns1123-subdomain', `${path}.hostname`));
      if (isIP(ing.hostname)) errors.push(invalid(`${path}.hostname`, ing.hostname, 'must be a DNS name, not an IP address'));
    }
  });
  return errors;
}

// ---- warnings (upstream's pkg/api/service/warnings.go) ----

/** Go's netip.ParseAddr: the bytes of an address, or netip's words when it refuses the text. */
function netipParseAddr(address: string): number[] | string {
  return address.includes(':') ? parseIPv6Bytes(address, netipIPv4) : netipIPv4(address);
}

/**
 * What a later release will refuse of an address validation took (ParseIPSloppy): netip refuses it (IPv4 octets with
 * leading zeros), or it is IPv6 text other than netip's RFC 5952 form (netip's Is6 goes by the text, so an
 * IPv4-mapped address counts as IPv6).
 */
function ipWarnings(field: string, address: string): string[] {
  const ip = netipParseAddr(address);
  if (typeof ip === 'string') return [`${field}: IP address was accepted, but will be invalid in a future Kubernetes release: ParseAddr(${goQuote(address)}): ${ip}`];
  if (ip.length === 16 && netipText(ip) !== address) return [`${field}: IPv6 address ${goQuote(address)} is not in RFC 5952 canonical format (${goQuote(netipText(ip))}), which may cause controller apply-loops`];
  return [];
}

/**
 * The same for a CIDR, read by netip.ParsePrefix: besides the address, netip refuses a prefix length with a leading
 * zero, and the spaces around a loadBalancerSourceRanges entry that validation trims.
 */
function cidrWarnings(field: string, cidr: string): string[] {
  const prefix = parseNetipPrefix(cidr);
  if (typeof prefix === 'string') return [`${field}: IP prefix was accepted, but will be invalid in a future Kubernetes release: netip.ParsePrefix(${goQuote(cidr)}): ${prefix}`];
  const text = `${netipText(prefix.ip)}/${prefix.bits}`;
  if (prefix.ip.length === 16 && text !== cidr) return [`${field}: IPv6 prefix ${goQuote(cidr)} is not in RFC 5952 canonical format (${goQuote(text)}), which may cause controller apply-loops`];
  return [];
}

/** The `Warning` texts upstream's Service strategy gives on create and update. */
export function serviceWarnings(svc: StoredObject): string[] {
  const spec: Spec = svc.spec ?? {};
  const warnings: string[] = [];
  if (topologyAwareHints in (svc.metadata?.annotations ?? {})) warnings.push(`annotation ${topologyAwareHints} is deprecated, please use ${topologyMode} instead`);
  if (spec.clusterIP && spec.clusterIP !== 'None') (spec.clusterIPs ?? []).forEach((ip: string, i: number) => warnings.push(...ipWarnings(`spec.clusterIPs[${i}]`, ip)));
  (spec.externalIPs ?? []).forEach((ip: string, i: number) => warnings.push(...ipWarnings(`spec.externalIPs[${i}]`, ip)));
  if (spec.loadBalancerIP) warnings.push(...ipWarnings('spec.loadBalancerIP', spec.loadBalancerIP));
  (spec.loadBalancerSourceRanges ?? []).forEach((c: string, i: number) => warnings.push(...cidrWarnings(`spec.loadBalancerSourceRanges[${i}]`, c)));
  if (spec.type === 'ExternalName' && (spec.externalIPs?.length ?? 0) > 0) warnings.push('spec.externalIPs is ignored when spec.type is "ExternalName"');
  if (spec.type !== 'ExternalName' && spec.externalName) warnings.push('spec.externalName is ignored when spec.type is not "ExternalName"');
  return warnings;
}
