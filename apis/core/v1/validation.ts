import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { isConfigMapKey } from '../../../runtime/machinery/string-checks.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { ConfigMap } from './configmap.ts';
import { persistentVolumeSources, volumeSources } from './defaults.ts';
import type { Endpoints } from './endpoints.ts';
import type { Event } from './event.ts';
import type { LimitRange } from './limitrange.ts';
import type { Node } from './node.ts';
import type { PersistentVolume } from './persistentvolume.ts';
import type { PersistentVolumeClaim } from './persistentvolumeclaim.ts';
import type { Container, ContainerPort, EphemeralContainer, Pod, PodSpec, PodTemplateSpec, Probe } from './pod.ts';
import type { PodTemplate } from './podtemplate.ts';
import type { ReplicationController } from './replicationcontroller.ts';
import type { ResourceQuota } from './resourcequota.ts';
import type { Secret } from './secret.ts';
import type { Volume } from './volume.ts';

const maxTotalDataBytes = 1024 * 1024;

// Keys of data maps become file names in volumes and environment variable names.
function validateDataKeys(path: string, keys: string[]): FieldError[] {
  return keys.flatMap((key) => isConfigMapKey(key).map((msg) => invalid(`${path}[${key}]`, key, msg)));
}

export function validate_ConfigMap(obj: ConfigMap, old?: ConfigMap): FieldError[] {
  const errors = [
    ...validateDataKeys('data', Object.keys(obj.data ?? {})),
    ...validateDataKeys('binaryData', Object.keys(obj.binaryData ?? {})),
  ];
  for (const key of Object.keys(obj.binaryData ?? {})) {
    if (obj.data && key in obj.data) errors.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  }
  let size = 0;
  for (const v of Object.values(obj.data ?? {})) size += v.length;
  for (const v of Object.values(obj.binaryData ?? {})) size += v.length;
  if (size > maxTotalDataBytes) errors.push(invalid('data', '', `must have at most ${maxTotalDataBytes} bytes`));
  if (old?.immutable) {
    if (JSON.stringify(old.data ?? {}) !== JSON.stringify(obj.data ?? {}) || JSON.stringify(old.binaryData ?? {}) !== JSON.stringify(obj.binaryData ?? {})) {
      errors.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
    if (!obj.immutable) errors.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  }
  return errors;
}

const maxSecretBytes = 1024 * 1024;

/** What Go's encoding/json says when bytes are not a JSON object (upstream unmarshals dockercfg data so). */
function jsonObjectError(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'unexpected end of JSON input';
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return /^[[{"0-9tfn-]/.test(trimmed) ? 'unexpected end of JSON input' : `invalid character '${trimmed[0]}' looking for beginning of value`;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
  const goType = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'bool';
  return value === null ? undefined : `json: cannot unmarshal ${goType} into Go value of type map[string]interface {}`;
}

const decodeBase64 = (v: string | undefined): string => Buffer.from(v ?? '', 'base64').toString('utf8');

/** Each well-known Secret type needs its keys (upstream's ValidateSecret). */
function validateSecretType(obj: Secret): FieldError[] {
  const data = obj.data ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  const dockerConfig = (key: string): FieldError[] => {
    if (!has(key)) return [required(`data[${key}]`)];
    const err = jsonObjectError(decodeBase64(data[key]));
    return err ? [invalid(`data[${key}]`, '<secret contents redacted>', err)] : [];
  };
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      return obj.metadata?.annotations?.['kubernetes.io/service-account.name'] ? [] : [required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
      return dockerConfig('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return dockerConfig('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [required('data[username]'), required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [required('data[tls.crt]')]), ...(has('tls.key') ? [] : [required('data[tls.key]')])];
    default:
      return [];
  }
}

export function validate_Secret(obj: Secret, old?: Secret): FieldError[] {
  const errors = validateDataKeys('data', Object.keys(obj.data ?? {}));
  let size = 0;
  for (const [key, value] of Object.entries(obj.data ?? {})) {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
      errors.push(invalid(`data[${key}]`, '<secret contents redacted>', 'must be base64-encoded'));
    }
    size += Math.floor((value.length * 3) / 4) - (value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0);
  }
  if (size > maxSecretBytes) errors.push(tooLong('data', '', maxSecretBytes));
  errors.push(...validateSecretType(obj));
  if (old) {
    if (old.type !== obj.type) errors.push(invalid('type', obj.type, 'field is immutable'));
    if (old.immutable && JSON.stringify(old.data ?? {}) !== JSON.stringify(obj.data ?? {})) {
      errors.push(forbidden('data', 'field is immutable when `immutable` is set'));
    }
  }
  return errors;
}

// ---- shared helpers, as in upstream's pkg/apis/core/validation ----

const portRangeMsg = 'must be between 1 and 65535, inclusive';
const ianaSvcName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function validPort(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** A named port (IANA_SVC_NAME): at most 15 characters, lower-case letters, digits and single hyphens, one letter. */
function portNameErrors(field: string, name: string): FieldError[] {
  if (name.length > 15) return [invalid(field, name, 'must be no more than 15 characters')];
  if (!ianaSvcName.test(name)) return [invalid(field, name, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")];
  if (name.includes('--')) return [invalid(field, name, 'must not contain consecutive hyphens')];
  if (!/[a-z]/.test(name)) return [invalid(field, name, 'must contain at least one letter (a-z)')];
  return [];
}

function intOrPortNameErrors(field: string, v: number | string | undefined): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return validPort(v) ? [] : [invalid(field, v, portRangeMsg)];
  return portNameErrors(field, v);
}

function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}
function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && (p === '0' || !p.startsWith('0')));
}
function isIPv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const last = groups[groups.length - 1];
  const v4tail = last?.includes('.') ? (isIPv4(last) ? 2 : -100) : 0;
  const hex = groups.filter((g) => !g.includes('.'));
  if (!hex.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hex.length + v4tail;
  return halves.length === 2 ? count < 8 : count === 8;
}
function isCIDR(s: string): boolean {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length || bits === undefined || !/^\d+$/.test(bits)) return false;
  return isIPv4(ip) ? Number(bits) <= 32 : isIPv6(ip) && Number(bits) <= 128;
}
const ipMsg = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

// ---- Pod ----

function validateProbe(path: string, probe: Probe | undefined, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!probe) return [];
  const errors: FieldError[] = [];
  const handlers = (['exec', 'httpGet', 'tcpSocket', 'grpc'] as const).filter((k) => probe[k] != null);
  if (handlers.length === 0) errors.push(required(path, 'must specify a handler type'));
  else if (handlers.length > 1) errors.push(forbidden(`${path}.${handlers[1]}`, 'may not specify more than 1 handler type'));
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errors.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  }
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[k];
    if (v !== undefined && v < 0) errors.push(invalid(`${path}.${k}`, v, 'must be greater than or equal to 0'));
  }
  if (probe.httpGet) errors.push(...intOrPortNameErrors(`${path}.httpGet.port`, probe.httpGet.port));
  if (probe.tcpSocket) errors.push(...intOrPortNameErrors(`${path}.tcpSocket.port`, probe.tcpSocket.port));
  if (probe.grpc && !validPort(probe.grpc.port)) errors.push(invalid(`${path}.grpc.port`, probe.grpc.port, portRangeMsg));
  if (probe.terminationGracePeriodSeconds !== undefined && probe.terminationGracePeriodSeconds <= 0) {
    errors.push(invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  return errors;
}

function validatePorts(path: string, ports: ContainerPort[] | undefined, hostNetwork: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const pp = `${path}[${i}]`;
    if (p.name) {
      errors.push(...portNameErrors(`${pp}.name`, p.name));
      if (names.has(p.name)) errors.push(duplicate(`${pp}.name`, p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errors.push(required(`${pp}.containerPort`, ''));
    else if (!validPort(p.containerPort)) errors.push(invalid(`${pp}.containerPort`, p.containerPort, portRangeMsg));
    if (p.hostPort !== undefined && p.hostPort !== 0 && !validPort(p.hostPort)) errors.push(invalid(`${pp}.hostPort`, p.hostPort, portRangeMsg));
    if (hostNetwork && p.hostPort && p.hostPort !== p.containerPort) {
      errors.push(invalid(`${pp}.containerPort`, p.containerPort, 'must match `hostPort` when `hostNetwork` is true'));
    }
  });
  return errors;
}

function validateContainer(path: string, c: Container | EphemeralContainer, spec: PodSpec, volumes: Set<string>, seen: Set<string>, kind: 'regular' | 'init' | 'ephemeral', forPod: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!c.name) errors.push(required(`${path}.name`, ''));
  else {
    errors.push(...validateName(c.name, 'dns1123-label', `${path}.name`));
    if (seen.has(c.name)) errors.push(duplicate(`${path}.name`, c.name));
    seen.add(c.name);
  }
  // Pod templates may leave images empty (a controller or trigger fills them in); pods may not.
  if (forPod && !c.image) errors.push(required(`${path}.image`, ''));
  else if (forPod && c.image!.trim() !== c.image) errors.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'));
  errors.push(...validatePorts(`${path}.ports`, c.ports, spec.hostNetwork === true));
  (c.env ?? []).forEach((e, i) => {
    if (!e.name) errors.push(required(`${path}.env[${i}].name`, ''));
    else if (!relaxedEnvVarName.test(e.name)) errors.push(invalid(`${path}.env[${i}].name`, e.name, relaxedEnvVarNameMessage));
    if (e.valueFrom) errors.push(...validateEnvVarSource(`${path}.env[${i}].valueFrom`, e.valueFrom, e.value));
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = `${path}.volumeMounts[${i}]`;
    if (!m.name) errors.push(required(`${mp}.name`, ''));
    else if (!volumes.has(m.name)) errors.push(invalid(`${mp}.name`, m.name, 'not found'));
    if (!m.mountPath) errors.push(required(`${mp}.mountPath`, ''));
    if (m.subPath && m.subPathExpr) errors.push(invalid(`${mp}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
  });
  if (kind === 'ephemeral') {
    const e = c as EphemeralContainer;
    for (const k of ['ports', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const) {
      if (e[k] != null) errors.push(forbidden(`${path}.${k}`, 'cannot be set for an Ephemeral Container'));
    }
    if (e.resources && (Object.keys(e.resources.limits ?? {}).length || Object.keys(e.resources.requests ?? {}).length)) {
      errors.push(forbidden(`${path}.resources`, 'cannot be set for an Ephemeral Container'));
    }
  } else {
    errors.push(
      ...validateProbe(`${path}.livenessProbe`, c.livenessProbe, 'liveness'),
      ...validateProbe(`${path}.readinessProbe`, c.readinessProbe, 'readiness'),
      ...validateProbe(`${path}.startupProbe`, c.startupProbe, 'startup'),
    );
    if (c.restartPolicy !== undefined) {
      if (kind === 'regular') errors.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
      else if (c.restartPolicy !== 'Always') errors.push(notSupported(`${path}.restartPolicy`, c.restartPolicy, ['Always']));
    }
    if (kind === 'init' && c.restartPolicy !== 'Always') {
      for (const k of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const) {
        if (c[k] != null) errors.push(forbidden(`${path}.${k}`, `may not be set for init containers without restartPolicy=Always`));
      }
    }
  }
  for (const [field, list] of [['limits', c.resources?.limits], ['requests', c.resources?.requests]] as const) {
    for (const [key, value] of Object.entries(list ?? {})) {
      errors.push(...validateContainerResourceName(`${path}.resources.${field}[${key}]`, key));
      if (quantityValue(value) < 0) errors.push(invalid(`${path}.resources.${field}[${key}]`, value, 'must be greater than or equal to 0'));
    }
  }
  for (const [key, req] of Object.entries(c.resources?.requests ?? {})) {
    const limit = c.resources?.limits?.[key];
    if (limit === undefined) continue;
    // Hugepages and extended resources cannot be overcommitted: their requests must equal their limits.
    const overcommit = (!key.includes('/') || key.includes('kubernetes.io/')) && !key.startsWith('hugepages-');
    if (!overcommit && quantityValue(req) !== quantityValue(limit)) {
      errors.push(invalid(`${path}.resources.requests[${key}]`, req, `must be equal to ${key} limit of ${limit}`));
    } else if (quantityValue(req) > quantityValue(limit)) {
      errors.push(invalid(`${path}.resources.requests[${key}]`, req, `must be less than or equal to ${key} limit of ${limit}`));
    }
  }
  return errors;
}

const suffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Approximate numeric value of a quantity, for ordering comparisons (NaN when unparsable). */
function quantityValue(q: string): number {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/.exec(String(q));
  if (!m) return NaN;
  const suffix = m[2] ?? '';
  return Number(m[1]) * (suffix in suffixes ? suffixes[suffix] : 10 ** Number(suffix.slice(1)));
}

function validateVolumes(path: string, volumes: Volume[] | undefined): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((v, i) => {
    const vp = `${path}[${i}]`;
    if (!v.name) errors.push(required(`${vp}.name`, ''));
    else {
      errors.push(...validateName(v.name, 'dns1123-label', `${vp}.name`));
      if (names.has(v.name)) errors.push(duplicate(`${vp}.name`, v.name));
      names.add(v.name);
    }
    const set = volumeSources.filter((k) => v[k] != null);
    if (set.length === 0) errors.push(required(vp, 'must specify a volume type'));
    else if (set.length > 1) errors.push(forbidden(`${vp}.${set[1]}`, 'may not specify more than 1 volume type'));
    if (v.hostPath && !v.hostPath.path) errors.push(required(`${vp}.hostPath.path`, ''));
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.claimName) errors.push(required(`${vp}.persistentVolumeClaim.claimName`, ''));
    if (v.nfs) {
      if (!v.nfs.server) errors.push(required(`${vp}.nfs.server`, ''));
      if (!v.nfs.path) errors.push(required(`${vp}.nfs.path`, ''));
    }
    if (v.csi && !v.csi.driver) errors.push(required(`${vp}.csi.driver`, ''));
    if (v.secret && !v.secret.secretName) errors.push(required(`${vp}.secret.secretName`, ''));
    if (v.configMap && !v.configMap.name) errors.push(required(`${vp}.configMap.name`, ''));
    for (const [k, mode] of [['secret', v.secret?.defaultMode], ['configMap', v.configMap?.defaultMode], ['downwardAPI', v.downwardAPI?.defaultMode], ['projected', v.projected?.defaultMode]] as const) {
      if (mode !== undefined && (mode < 0 || mode > 0o777)) errors.push(invalid(`${vp}.${k}.defaultMode`, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
    }
    if (v.ephemeral && !v.ephemeral.volumeClaimTemplate) errors.push(required(`${vp}.ephemeral.volumeClaimTemplate`, ''));
  });
  return { errors, names };
}

/** Validates a pod spec; `path` is where it sits (spec, or spec.template.spec in controllers). */
const fieldRefPaths = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const resourceFieldRefs = ['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage'];

/** An env var's valueFrom: exactly one source, each with its name and key (upstream's validateEnvVarValueFrom). */
function validateEnvVarSource(path: string, from: NonNullable<Container['env']>[number]['valueFrom'], value: string | undefined): FieldError[] {
  const errors: FieldError[] = [];
  if (!from) return errors;
  const sources = (['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'] as const).filter((k) => from[k] != null);
  if (sources.length === 0) errors.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = from[k];
    if (!ref) continue;
    if (!ref.name) errors.push(required(`${path}.${k}.name`, ''));
    // An absent key is the schema's Required error already.
    if (ref.key) for (const msg of isConfigMapKey(ref.key)) errors.push(invalid(`${path}.${k}.key`, ref.key, msg));
  }
  const fieldPath = from.fieldRef?.fieldPath;
  if (from.fieldRef) {
    if (!fieldPath) errors.push(required(`${path}.fieldRef.fieldPath`, ''));
    else if (!fieldRefPaths.includes(fieldPath) && !/^metadata\.(labels|annotations)\['[^']+'\]$/.test(fieldPath)) {
      errors.push(notSupported(`${path}.fieldRef.fieldPath`, fieldPath, [...fieldRefPaths].sort()));
    }
  }
  const resource = from.resourceFieldRef?.resource;
  if (from.resourceFieldRef) {
    if (!resource) errors.push(required(`${path}.resourceFieldRef.resource`, ''));
    else if (!resourceFieldRefs.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) errors.push(notSupported(`${path}.resourceFieldRef.resource`, resource, resourceFieldRefs));
  }
  if (sources.length > 1) errors.push(invalid(path, '', 'may not have more than one field specified at a time'));
  if (value) errors.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  return errors;
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** A container's resource name: a standard one, hugepages-<size>, or a qualified extended resource (upstream's validateContainerResourceName). */
function validateContainerResourceName(path: string, name: string): FieldError[] {
  const errors = validateQualifiedName(name, path);
  if (errors.length) return errors;
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !name.startsWith('hugepages-')) {
      if (!standardResourceNames.has(name) && !name.startsWith('requests.hugepages-')) errors.push(invalid(path, name, 'must be a standard resource type or fully qualified'));
      errors.push(invalid(path, name, 'must be a standard resource for containers'));
    }
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    errors.push(invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errors;
}

/** Upstream's standardResources (IsStandardResourceName), besides the container ones. */
const standardResourceNames = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'services.nodeports', 'services.loadbalancers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'requests.storage']);

/**
 * Environment variable names: any printable ASCII but '=' (upstream's RelaxedEnvironmentVariableValidation, on by
 * default in v1.32).
 */
const relaxedEnvVarName = /^[\x20-\x3c\x3e-\x7e]+$/;
const relaxedEnvVarNameMessage = "a valid environment variable name must consist only of printable ASCII characters other than '='";

/**
 * Validates a pod spec; `path` is where it sits (spec, or spec.template.spec in controllers). `forPod` adds the
 * checks only pods get, not pod templates (images).
 */
export function validate_PodSpec(spec: PodSpec, _old?: PodSpec, path = 'spec', forPod = true): FieldError[] {
  const { errors, names: volumes } = validateVolumes(`${path}.volumes`, spec.volumes);
  const seen = new Set<string>();
  if (!spec.containers?.length) errors.push(required(`${path}.containers`, ''));
  (spec.initContainers ?? []).forEach((c, i) => errors.push(...validateContainer(`${path}.initContainers[${i}]`, c, spec, volumes, seen, 'init', forPod)));
  (spec.containers ?? []).forEach((c, i) => errors.push(...validateContainer(`${path}.containers[${i}]`, c, spec, volumes, seen, 'regular', forPod)));
  (spec.ephemeralContainers ?? []).forEach((c, i) => errors.push(...validateContainer(`${path}.ephemeralContainers[${i}]`, c, spec, volumes, seen, 'ephemeral', forPod)));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds <= 0) {
    errors.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  // A negative terminationGracePeriodSeconds is accepted (treated as 1) with a warning, as upstream.
  if (spec.serviceAccountName) errors.push(...validateName(spec.serviceAccountName, 'dns1123-subdomain', `${path}.serviceAccountName`));
  if (spec.nodeName) errors.push(...validateName(spec.nodeName, 'dns1123-subdomain', `${path}.nodeName`));
  if (spec.hostname) errors.push(...validateName(spec.hostname, 'dns1123-label', `${path}.hostname`));
  if (spec.subdomain) errors.push(...validateName(spec.subdomain, 'dns1123-label', `${path}.subdomain`));
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) errors.push(required(`${path}.dnsConfig`, 'must provide `dnsConfig` when `dnsPolicy` is None'));
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) errors.push(...validateQualifiedName(k, `${path}.nodeSelector`), ...(v.length > 63 ? [invalid(`${path}.nodeSelector`, v, 'must be no more than 63 characters')] : []));
  (spec.tolerations ?? []).forEach((t, i) => {
    const tp = `${path}.tolerations[${i}]`;
    if (t.key) errors.push(...validateQualifiedName(t.key, `${tp}.key`));
    if (!t.key && t.operator !== 'Exists') errors.push(invalid(`${tp}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') errors.push(invalid(`${tp}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    if (t.operator === 'Exists' && t.value) errors.push(invalid(`${tp}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
  });
  (spec.hostAliases ?? []).forEach((h, i) => {
    if (!isIP(h.ip)) errors.push(invalid(`${path}.hostAliases[${i}].ip`, h.ip, ipMsg));
  });
  (spec.topologySpreadConstraints ?? []).forEach((c, i) => {
    if (c.maxSkew < 1) errors.push(invalid(`${path}.topologySpreadConstraints[${i}].maxSkew`, c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errors.push(required(`${path}.topologySpreadConstraints[${i}].topologyKey`, 'can not be empty'));
  });
  return errors;
}

/** Validates a pod template; exported for controllers (apps/v1, batch/v1) that embed one at spec.template. */
export function validate_PodTemplateSpec(tpl: PodTemplateSpec, old?: PodTemplateSpec, path = 'spec.template'): FieldError[] {
  // Upstream reports template labels at `<path>.labels` (its ObjectMeta is embedded in Go).
  const errors = validateLabels(tpl.metadata?.labels, `${path}.labels`);
  if (!tpl.spec) return [...errors, required(`${path}.spec`, '')];
  errors.push(...validate_PodSpec(tpl.spec, old?.spec, `${path}.spec`, false));
  if (tpl.spec.ephemeralContainers?.length) errors.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errors;
}

/**
 * The spec as a pod update may not change it: images, activeDeadlineSeconds, added tolerations and removed
 * scheduling gates are checked apart; terminationGracePeriodSeconds may only go from negative to 1; a pod still
 * gated may gain node selectors and node affinity (upstream's ValidatePodUpdate munging).
 */
function immutablePodSpecView(spec: PodSpec, old: PodSpec): unknown {
  const strip = (cs: Container[] | undefined) => cs?.map((c) => ({ ...c, image: undefined }));
  const grace = (old.terminationGracePeriodSeconds ?? 0) < 0 && spec.terminationGracePeriodSeconds === 1 ? old.terminationGracePeriodSeconds : spec.terminationGracePeriodSeconds;
  const gated = (old.schedulingGates?.length ?? 0) > 0;
  return {
    ...spec,
    containers: strip(spec.containers),
    initContainers: strip(spec.initContainers),
    ephemeralContainers: undefined,
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    terminationGracePeriodSeconds: grace,
    schedulingGates: undefined,
    ...(gated ? { nodeSelector: undefined, affinity: spec.affinity ? { ...spec.affinity, nodeAffinity: undefined } : undefined } : {}),
  };
}

export function validate_Pod(obj: Pod, old?: Pod): FieldError[] {
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const errors = validate_PodSpec(spec, old?.spec);
  if (old?.spec) {
    if (!semanticEqual(immutablePodSpecView(spec, old.spec), immutablePodSpecView(old.spec, old.spec))) {
      errors.push(
        forbidden(
          'spec',
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
        ),
      );
    }
    const oldTolerations = (old.spec.tolerations ?? []).map((t) => JSON.stringify(t));
    const newTolerations = new Set((spec.tolerations ?? []).map((t) => JSON.stringify(t)));
    if (oldTolerations.some((t) => !newTolerations.has(t))) errors.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
    if (old.spec.activeDeadlineSeconds != null) {
      if (spec.activeDeadlineSeconds == null) errors.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
      else if (spec.activeDeadlineSeconds > old.spec.activeDeadlineSeconds) errors.push(invalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be less than or equal to previous value'));
    }
    const oldGates = new Set((old.spec.schedulingGates ?? []).map((g) => g.name));
    for (const g of spec.schedulingGates ?? []) if (!oldGates.has(g.name)) errors.push(forbidden('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate \'' + g.name + '\''));
  }
  return errors;
}

// Services are validated by their strategy (runtime/registry/core/service-validation.ts), as upstream's
// ValidateService needs the allocators' view of cluster IPs and node ports.

// ---- Endpoints, Event, Node ----

export function validate_Endpoints(obj: Endpoints, _old?: Endpoints): FieldError[] {
  const errors: FieldError[] = [];
  (obj.subsets ?? []).forEach((ss, i) => {
    const sp = `subsets[${i}]`;
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errors.push(required(sp, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [field, list] of [['addresses', ss.addresses], ['notReadyAddresses', ss.notReadyAddresses]] as const) {
      (list ?? []).forEach((a, j) => {
        if (!isIP(a.ip)) errors.push(invalid(`${sp}.${field}[${j}].ip`, a.ip, ipMsg));
        if (a.hostname) errors.push(...validateName(a.hostname, 'dns1123-label', `${sp}.${field}[${j}].hostname`));
        if (a.nodeName) errors.push(...validateName(a.nodeName, 'dns1123-subdomain', `${sp}.${field}[${j}].nodeName`));
      });
    }
    (ss.ports ?? []).forEach((p, j) => {
      const pp = `${sp}.ports[${j}]`;
      if ((ss.ports?.length ?? 0) > 1 && !p.name) errors.push(required(`${pp}.name`, ''));
      if (p.name) errors.push(...validateName(p.name, 'dns1123-label', `${pp}.name`));
      if (!validPort(p.port)) errors.push(invalid(`${pp}.port`, p.port, portRangeMsg));
    });
  });
  return errors;
}

export function validate_Event(obj: Event, _old?: Event): FieldError[] {
  const errors: FieldError[] = [];
  const ns = obj.metadata?.namespace ?? '';
  const involvedNs = obj.involvedObject?.namespace ?? '';
  if (involvedNs && ns && involvedNs !== ns) errors.push(invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  if (obj.eventTime && obj.reportingComponent === undefined) errors.push(required('reportingComponent', ''));
  if (obj.eventTime && obj.reportingInstance === undefined) errors.push(required('reportingInstance', ''));
  if (obj.type && obj.eventTime && obj.type !== 'Normal' && obj.type !== 'Warning') errors.push(notSupported('type', obj.type, ['Normal', 'Warning']));
  return errors;
}

export function validate_Node(obj: Node, old?: Node): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? {};
  const seen = new Set<string>();
  (spec.taints ?? []).forEach((t, i) => {
    const tp = `spec.taints[${i}]`;
    errors.push(...validateQualifiedName(t.key, `${tp}.key`));
    const key = `${t.key}:${t.effect}`;
    if (seen.has(key)) errors.push(duplicate(tp, `${t.key}:${t.effect}`));
    seen.add(key);
  });
  (spec.podCIDRs ?? []).forEach((c, i) => {
    if (!isCIDR(c)) errors.push(invalid(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  if ((spec.podCIDRs?.length ?? 0) > 2) errors.push(invalid('spec.podCIDRs', spec.podCIDRs, 'may specify no more than one CIDR for each IP family'));
  if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR) errors.push(invalid('spec.podCIDRs', spec.podCIDRs, 'first value must match `podCIDR`'));
  if (old?.spec) {
    if (old.spec.podCIDRs?.length && JSON.stringify(old.spec.podCIDRs) !== JSON.stringify(spec.podCIDRs ?? [])) {
      errors.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
    if (old.spec.providerID && old.spec.providerID !== spec.providerID) {
      errors.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errors;
}

// ---- LimitRange, ResourceQuota ----

function quantityErrors(path: string, list: Record<string, string> | undefined, nonNegative = true): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(list ?? {})) {
    if (nonNegative && quantityValue(v) < 0) errors.push(invalid(`${path}[${k}]`, v, 'must be greater than or equal to 0'));
  }
  return errors;
}

export function validate_LimitRange(obj: LimitRange, _old?: LimitRange): FieldError[] {
  const errors: FieldError[] = [];
  const seenTypes = new Set<string>();
  (obj.spec?.limits ?? []).forEach((item, i) => {
    const ip = `spec.limits[${i}]`;
    if (!item.type) errors.push(required(`${ip}.type`, ''));
    else if (seenTypes.has(item.type)) errors.push(duplicate(`${ip}.type`, item.type));
    seenTypes.add(item.type);
    if (item.type === 'Pod' && (item.default || item.defaultRequest)) {
      if (item.default) errors.push(forbidden(`${ip}.default`, 'may not be specified when `type` is \'Pod\''));
      if (item.defaultRequest) errors.push(forbidden(`${ip}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
    }
    for (const f of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'] as const) errors.push(...quantityErrors(`${ip}.${f}`, item[f]));
    for (const [k, min] of Object.entries(item.min ?? {})) {
      const max = item.max?.[k];
      if (max !== undefined && quantityValue(min) > quantityValue(max)) errors.push(invalid(`${ip}.min[${k}]`, min, `min value ${min} is greater than max value ${max}`));
    }
    for (const [k, def] of Object.entries(item.default ?? {})) {
      const max = item.max?.[k];
      const min = item.min?.[k];
      if (max !== undefined && quantityValue(def) > quantityValue(max)) errors.push(invalid(`${ip}.default[${k}]`, def, `max value ${max} is less than default value ${def}`));
      if (min !== undefined && quantityValue(def) < quantityValue(min)) errors.push(invalid(`${ip}.default[${k}]`, def, `min value ${min} is greater than default value ${def}`));
    }
    for (const [k, req] of Object.entries(item.defaultRequest ?? {})) {
      const def = item.default?.[k];
      if (def !== undefined && quantityValue(req) > quantityValue(def)) errors.push(invalid(`${ip}.defaultRequest[${k}]`, req, `default request value ${req} is greater than default limit value ${def}`));
    }
    for (const [k, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
      if (quantityValue(ratio) < 1) errors.push(invalid(`${ip}.maxLimitRequestRatio[${k}]`, ratio, `ratio ${ratio} is less than 1`));
    }
  });
  return errors;
}

export function validate_ResourceQuota(obj: ResourceQuota, _old?: ResourceQuota): FieldError[] {
  const errors = [...quantityErrors('spec.hard', obj.spec?.hard), ...quantityErrors('status.hard', obj.status?.hard), ...quantityErrors('status.used', obj.status?.used)];
  (obj.spec?.scopeSelector?.matchExpressions ?? []).forEach((r, i) => {
    const rp = `spec.scopeSelector.matchExpressions[${i}]`;
    const needsValues = r.operator === 'In' || r.operator === 'NotIn';
    if (needsValues && !r.values?.length) errors.push(required(`${rp}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    if (!needsValues && r.values?.length) errors.push(invalid(`${rp}.values`, r.values, 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
  });
  return errors;
}

// ---- PersistentVolume, PersistentVolumeClaim ----

export function validate_PersistentVolume(obj: PersistentVolume, old?: PersistentVolume): FieldError[] {
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const errors: FieldError[] = [];
  if (!spec.accessModes?.length) errors.push(required('spec.accessModes', ''));
  const capacity = Object.keys(spec.capacity ?? {});
  if (capacity.length === 0) errors.push(required('spec.capacity', ''));
  else if (!capacity.includes('storage') || capacity.length > 1) errors.push(notSupported('spec.capacity', capacity, ['storage']));
  errors.push(...quantityErrors('spec.capacity', spec.capacity));
  const sources = persistentVolumeSources.filter((k) => spec[k] != null);
  if (sources.length === 0) errors.push(required('spec', 'must specify a volume type'));
  else if (sources.length > 1) errors.push(forbidden(`spec.${sources[1]}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errors.push(required('spec.hostPath.path', ''));
  if (spec.local) {
    if (!spec.local.path) errors.push(required('spec.local.path', ''));
    if (!spec.nodeAffinity) errors.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  }
  if (spec.nfs) {
    if (!spec.nfs.server) errors.push(required('spec.nfs.server', ''));
    if (!spec.nfs.path) errors.push(required('spec.nfs.path', ''));
  }
  if (spec.csi) {
    if (!spec.csi.driver) errors.push(required('spec.csi.driver', ''));
    if (!spec.csi.volumeHandle) errors.push(required('spec.csi.volumeHandle', ''));
  }
  if (spec.storageClassName) errors.push(...validateName(spec.storageClassName, 'dns1123-subdomain', 'spec.storageClassName'));
  if (spec.persistentVolumeReclaimPolicy === 'Recycle' && !(spec.hostPath || spec.nfs)) {
    errors.push(notSupported('spec.persistentVolumeReclaimPolicy', 'Recycle', ['Delete', 'Retain']));
  }
  if (old?.spec) {
    if ((old.spec.volumeMode ?? 'Filesystem') !== (spec.volumeMode ?? 'Filesystem')) errors.push(invalid('spec.volumeMode', spec.volumeMode, 'field is immutable'));
    if (old.spec.nodeAffinity && JSON.stringify(old.spec.nodeAffinity) !== JSON.stringify(spec.nodeAffinity ?? null)) {
      errors.push(invalid('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable'));
    }
    const source = (s: typeof spec) => JSON.stringify(persistentVolumeSources.map((k) => s[k] ?? null));
    if (source(old.spec) !== source(spec)) {
      errors.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
    }
  }
  return errors;
}

export function validate_PersistentVolumeClaim(obj: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const errors: FieldError[] = [];
  if (!spec.accessModes?.length) errors.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (spec.accessModes?.includes('ReadWriteOncePod') && spec.accessModes.length > 1) {
    errors.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errors.push(required('spec.resources[storage]', ''));
  else if (!(quantityValue(storage) > 0)) errors.push(invalid('spec.resources[storage]', storage, 'must be greater than zero'));
  if (spec.storageClassName) errors.push(...validateName(spec.storageClassName, 'dns1123-subdomain', 'spec.storageClassName'));
  if (spec.dataSource && !spec.dataSource.name) errors.push(required('spec.dataSource.name', ''));
  if (spec.dataSource && !spec.dataSource.kind) errors.push(required('spec.dataSource.kind', ''));
  if (spec.dataSourceRef && !spec.dataSourceRef.name) errors.push(required('spec.dataSourceRef.name', ''));
  if (spec.dataSourceRef && !spec.dataSourceRef.kind) errors.push(required('spec.dataSourceRef.kind', ''));
  if (old?.spec) {
    const bound = old.status?.phase === 'Bound';
    const view = (s: typeof spec) =>
      JSON.stringify({ ...s, resources: bound ? { ...s.resources, requests: undefined } : s.resources, volumeAttributesClassName: undefined, volumeName: undefined });
    if (view(spec) !== view(old.spec) || (old.spec.volumeName && old.spec.volumeName !== spec.volumeName)) {
      errors.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    }
    const capacity = old.status?.capacity?.storage;
    if (bound && storage !== undefined && capacity !== undefined && quantityValue(storage) < quantityValue(capacity)) {
      errors.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
    }
  }
  return errors;
}

// ---- PodTemplate, ReplicationController ----

/** Upstream's ValidatePodTemplate: the template as any pod template, at `template`. */
export function validate_PodTemplate(obj: PodTemplate, old?: PodTemplate): FieldError[] {
  return validate_PodTemplateSpec(obj.template ?? {}, old?.template, 'template');
}

/** A selector map that selects nothing (upstream's ValidateNonEmptySelector). */
function emptySelectorMap(selector: Record<string, string> | undefined): boolean {
  return Object.keys(selector ?? {}).length === 0;
}

/** Upstream's ValidateReplicationControllerSpec, with ValidatePodTemplateSpecForRC. */
export function validate_ReplicationController(obj: ReplicationController, _old?: ReplicationController): FieldError[] {
  const spec = obj.spec ?? {};
  const errors: FieldError[] = [];
  if ((spec.minReadySeconds ?? 0) < 0) errors.push(invalid('spec.minReadySeconds', spec.minReadySeconds, 'must be greater than or equal to 0'));
  if (emptySelectorMap(spec.selector)) errors.push(required('spec.selector', ''));
  if ((spec.replicas ?? 0) < 0) errors.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  const template = spec.template;
  if (!template) return [...errors, required('spec.template', '')];
  const labels = template.metadata?.labels ?? {};
  if (!emptySelectorMap(spec.selector) && !Object.entries(spec.selector!).every(([k, v]) => labels[k] === v)) {
    errors.push(invalid('spec.template.metadata.labels', template.metadata?.labels ?? null, 'selector does not match labels in spec.template'));
  }
  errors.push(...validate_PodTemplateSpec(template, undefined, 'spec.template'));
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errors.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    errors.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errors;
}
