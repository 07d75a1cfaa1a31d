/**
 * The one PodSpec validator: Pods, PodTemplates and every controller that embeds a pod template
 * (ReplicationControllers, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs) call it with the
 * path where their spec sits (`spec`, `template.spec`, `spec.template.spec`, `spec.jobTemplate.spec.template.spec`),
 * so every field error carries the full path upstream gives it.
 *
 * It follows upstream v1.32's pkg/apis/core/validation (ValidatePodSpec and the functions it calls), in the order
 * they run there, so a body with several mistakes lists them in the same order (after the schema's own errors).
 * Enumerated fields the generated schema already rejects with upstream's message (dnsPolicy, imagePullPolicy,
 * protocol, toleration effect and operator, whenUnsatisfiable) are not checked again here: their unions in pod.ts are
 * written in the order of upstream's "supported values" lists. restartPolicy is checked here all the same: the
 * controllers refuse a value at that field with a rule of their own, before which the schema's error would give way,
 * and upstream reports both. Where upstream words it
 * otherwise (node selector operators), or lists it elsewhere than the schema's errors (terminationMessagePolicy), a
 * check here reports the field, and the schema's error at that field gives way to it (compileSchemaValidator).
 *
 * Nothing here is built per request: the tables are module constants, each call walks the object once.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, notFound, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goStrings, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goContainerResizePolicies } from './go-internal.ts';
import { validateTolerations } from './toleration-validation.ts';
import { isConfigMapKey, isDNS1123Subdomain, isHTTPHeaderName, isRelaxedEnvVarName, isValidLabelValue, isValidPortName, isValidPortNum } from '../../../runtime/machinery/string-checks.ts';
import { validateAnnotations, validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import { podSpecificAnnotationErrors, securityAnnotationsMatchFields } from './pod-annotations.ts';
import { validateLabels, validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { LabelSelector } from '../../meta/v1/types.ts';
import type { Container, ContainerPort, EnvVar, EphemeralContainer, Lifecycle, LifecycleHandler, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm, PodSpec, PodTemplateSpec, Probe, ResourceRequirements, TopologySpreadConstraint, VolumeMount } from './pod.ts';
import { canonicalQuantity, compareQuantities, isQuantity } from '../../../runtime/machinery/quantity.ts';
import { ipMsg, isHugePagesResourceName, isHugePagesValueDivisible, isOvercommitAllowed, validateContainerResourceName, validateResourceQuantityValue } from './validation-common.ts';
// DNS nameservers and host aliases are read as v1.32's IsValidIP reads IPs (ParseIPSloppy: leading zeros allowed).
import { isIP } from './ip-address.ts';
import { localDescendingPathErrors, pathBackstepErrors, resourceDivisorErrors, validatePodVolumeSource } from './volume-validation.ts';
import { objectFieldSelectorErrors } from './field-selector-validation.ts';
import type { Volume } from './volume.ts';
import { containerSecurityContextErrors, osSpecificErrors, podSecurityContextErrors, windowsHostProcessErrors } from './security-context-validation.ts';
import type { ValidationOptions } from '../../../runtime/machinery/validation-options.ts';

type AnyContainer = Container | EphemeralContainer;
type ContainerKind = 'regular' | 'init' | 'ephemeral';

/** What the whole spec lends to each container's checks. */
interface SpecContext {
  /** Names of the volumes that validated (upstream leaves a bad volume out, so mounts of it are not found). */
  volumes: Set<string>;
  /** Those of them backed by a claim (persistentVolumeClaim or ephemeral): the only ones a block device may use. */
  claimVolumes: Set<string>;
  /** Pods must name an image; pod templates may leave it to whoever fills the template in. */
  forPod: boolean;
  /** The pod's terminationGracePeriodSeconds, which a lifecycle hook's sleep may not exceed. */
  gracePeriod?: number;
  /**
   * Whether a hook may sleep 0 seconds: PodLifecycleSleepActionAllowZero is off in v1.32, so only when the stored
   * spec already has such a hook (upstream's podLifecycleSleepActionZeroValueInUse).
   */
  allowZeroSleep: boolean;
  /** A stored spec that already had hugepages amounts of part pages may keep them (upstream's AllowIndivisibleHugePagesValues). */
  allowIndivisibleHugePages: boolean;
  /** The pod runs in the host's user namespace (hostUsers unset or true), where a container may not unmask /proc. */
  hostUsers: boolean;
  /** Whether the server allows privileged containers (--allow-privileged). */
  allowPrivileged: boolean;
}

// ---- names and ports (upstream's validateContainerPorts, ValidatePortNumOrName, checkHostPortConflicts) ----

function portNumErrors(field: string, port: number): FieldError[] {
  return isValidPortNum(port).map((msg) => invalid(field, port, msg));
}

/** An int-or-string port of a probe or lifecycle handler: a number in range or a valid port name. */
function portNumOrNameErrors(field: string, port: number | string | undefined): FieldError[] {
  if (port === undefined) return [];
  if (typeof port === 'number') return portNumErrors(field, port);
  return isValidPortName(port).map((msg) => invalid(field, port, msg));
}

function validateContainerPorts(path: string, ports: ContainerPort[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const at = `${path}[${i}]`;
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) for (const msg of msgs) errors.push(invalid(`${at}.name`, p.name, msg));
      else if (names.has(p.name)) errors.push(duplicate(`${at}.name`, p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errors.push(required(`${at}.containerPort`, ''));
    else errors.push(...portNumErrors(`${at}.containerPort`, p.containerPort));
    if (p.hostPort) errors.push(...portNumErrors(`${at}.hostPort`, p.hostPort));
  });
  return errors;
}

/** Two ports of the spec's regular containers may not claim the same protocol, host IP and host port. */
function hostPortConflicts(path: string, containers: Container[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errors.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    }),
  );
  return errors;
}

// ---- environment (upstream's ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom) ----

/** Field paths the downward API may put in an environment variable (sorted: they are listed in messages). */
const envFieldPaths = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

function validateEnv(path: string, env: EnvVar[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  (env ?? []).forEach((e, i) => {
    const at = `${path}[${i}]`;
    if (!e.name) errors.push(required(`${at}.name`, ''));
    for (const msg of isRelaxedEnvVarName(e.name ?? '')) errors.push(invalid(`${at}.name`, e.name, msg));
    errors.push(...validateEnvVarValueFrom(`${at}.valueFrom`, e));
  });
  return errors;
}

function validateEnvVarValueFrom(path: string, e: EnvVar): FieldError[] {
  const from = e.valueFrom;
  if (!from) return [];
  const errors: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errors.push(...validateObjectFieldSelector(`${path}.fieldRef`, from.fieldRef));
  }
  if (from.resourceFieldRef) {
    sources++;
    const resource = from.resourceFieldRef.resource;
    if (!resource) errors.push(required(`${path}.resourceFieldRef.resource`, ''));
    else if (!resourceFieldPaths.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource)) {
      errors.push(notSupported(`${path}.resourceFieldRef.resource`, resource, resourceFieldPaths));
    }
    errors.push(...resourceDivisorErrors(`${path}.resourceFieldRef.divisor`, resource ?? '', from.resourceFieldRef.divisor));
  }
  for (const k of ['configMapKeyRef', 'secretKeyRef'] as const) {
    const ref = from[k];
    if (!ref) continue;
    sources++;
    for (const msg of isDNS1123Subdomain(ref.name ?? '')) errors.push(invalid(`${path}.${k}.name`, ref.name ?? '', msg));
    if (!ref.key) errors.push(required(`${path}.${k}.key`, ''));
    else for (const msg of isConfigMapKey(ref.key)) errors.push(invalid(`${path}.${k}.key`, ref.key, msg));
  }
  // One complaint only, `value` first: upstream's if/else chain.
  if (sources === 0) errors.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (e.value) errors.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errors.push(invalid(path, '', 'may not have more than one field specified at a time'));
  return errors;
}

function validateObjectFieldSelector(path: string, ref: { apiVersion?: string; fieldPath: string }): FieldError[] {
  return objectFieldSelectorErrors(path, ref, envFieldPaths);
}

function validateEnvFrom(path: string, envFrom: Container['envFrom']): FieldError[] {
  const errors: FieldError[] = [];
  (envFrom ?? []).forEach((ev, i) => {
    const at = `${path}[${i}]`;
    if (ev.prefix) for (const msg of isRelaxedEnvVarName(ev.prefix)) errors.push(invalid(`${at}.prefix`, ev.prefix, msg));
    let sources = 0;
    for (const k of ['configMapRef', 'secretRef'] as const) {
      const ref = ev[k];
      if (!ref) continue;
      sources++;
      if (!ref.name) errors.push(required(`${at}.${k}.name`, ''));
      else for (const msg of isDNS1123Subdomain(ref.name)) errors.push(invalid(`${at}.${k}.name`, ref.name, msg));
    }
    // Upstream reports these two at the list itself (ValidateEnvFrom's fldPath), not at the item.
    if (sources === 0) errors.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errors.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errors;
}

// ---- volumes and mounts (upstream's ValidateVolumes, ValidateVolumeMounts) ----

function validateVolumes(path: string, volumes: Volume[] | undefined, opts: { podName?: string; forPod: boolean }): { errors: FieldError[]; names: Set<string>; claims: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const claims = new Set<string>();
  // Claims the pod's ephemeral volumes will create: another volume may not name one of them.
  const created = new Set(opts.podName ? (volumes ?? []).filter((v) => v.ephemeral != null).map((v) => `${opts.podName}-${v.name}`) : []);
  (volumes ?? []).forEach((v, i) => {
    const vp = `${path}[${i}]`;
    const el = validatePodVolumeSource(vp, v, opts);
    if (!v.name) el.push(required(`${vp}.name`, ''));
    else el.push(...validateName(v.name, 'dns1123-label', `${vp}.name`));
    if (names.has(v.name)) el.push(duplicate(`${vp}.name`, v.name));
    if (el.length === 0) {
      names.add(v.name);
      if (v.persistentVolumeClaim != null || v.ephemeral != null) claims.add(v.name);
    } else errors.push(...el);
    const claim = v.persistentVolumeClaim?.claimName;
    if (claim != null && created.has(claim)) errors.push(invalid(`${vp}.persistentVolumeClaim.claimName`, claim, 'must not reference a PVC that gets created for an ephemeral volume'));
  });
  return { errors, names, claims };
}

function validateVolumeMounts(path: string, mounts: VolumeMount[] | undefined, c: AnyContainer, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  // Upstream looks the devices up in a map of name to path, where a repeated name's last path wins.
  const devices = new Map((c.volumeDevices ?? []).map((d) => [d.name, d.devicePath]));
  const devicePaths = new Set(devices.values());
  (mounts ?? []).forEach((m, i) => {
    const at = `${path}[${i}]`;
    if (!m.name) errors.push(required(`${at}.name`, ''));
    if (!ctx.volumes.has(m.name)) errors.push(notFound(`${at}.name`, m.name ?? ''));
    if (!m.mountPath) errors.push(required(`${at}.mountPath`, ''));
    if (mountPaths.has(m.mountPath)) errors.push(invalid(`${at}.mountPath`, m.mountPath, 'must be unique'));
    mountPaths.add(m.mountPath);
    if (devices.has(m.name)) errors.push(invalid(`${at}.name`, m.name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(m.mountPath)) errors.push(invalid(`${at}.mountPath`, m.mountPath, 'must not already exist as a path in volumeDevices'));
    // Upstream reports the sub-path, propagation and recursive read-only checks at the list's path, not the mount's.
    if (m.subPath) errors.push(...localDescendingPathErrors(`${path}.subPath`, m.subPath));
    if (m.subPathExpr) {
      if (m.subPath) errors.push(invalid(`${at}.subPathExpr`, m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errors.push(...localDescendingPathErrors(`${path}.subPathExpr`, m.subPathExpr));
    }
    if (m.mountPropagation != null) errors.push(...mountPropagationErrors(`${path}.mountPropagation`, m.mountPropagation, c));
    errors.push(...recursiveReadOnlyErrors(`${path}.recursiveReadOnly`, m));
  });
  return errors;
}

/** Sorted: upstream lists them in its messages so (and the schema's enum is in this order). */
const mountPropagations = ['Bidirectional', 'HostToContainer', 'None'];

/** Upstream's validateMountPropagation: a known mode, and Bidirectional only for a privileged container. */
function mountPropagationErrors(path: string, mode: string, c: AnyContainer): FieldError[] {
  const errors = mountPropagations.includes(mode) ? [] : [notSupported(path, mode, mountPropagations)];
  if (mode === 'Bidirectional' && c.securityContext?.privileged !== true) errors.push(forbidden(path, 'Bidirectional mount propagation is available only to privileged containers'));
  return errors;
}

/**
 * Upstream's ValidateVolumeDevices: each block device names a claim-backed volume of the pod, once, at a path of its
 * own without `..`, and neither its volume nor its path is also mounted (a name's last mount path counts, as in
 * upstream's map).
 */
function validateVolumeDevices(path: string, c: AnyContainer, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const mounts = new Map((c.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  (c.volumeDevices ?? []).forEach((d, i) => {
    const at = `${path}[${i}]`;
    const name = d.name ?? '';
    const devicePath = d.devicePath ?? '';
    if (!name) errors.push(required(`${at}.name`, ''));
    if (names.has(name)) errors.push(invalid(`${at}.name`, name, 'must be unique'));
    if (!ctx.volumes.has(name)) errors.push(notFound(`${at}.name`, name));
    else if (!ctx.claimVolumes.has(name)) errors.push(invalid(`${at}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    if (!devicePath) errors.push(required(`${at}.devicePath`, ''));
    if (paths.has(devicePath)) errors.push(invalid(`${at}.devicePath`, devicePath, 'must be unique'));
    // A path with `..` is refused, and not remembered as taken.
    if (devicePath && pathBackstepErrors(at, devicePath).length) errors.push(invalid(`${at}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.has(name)) errors.push(invalid(`${at}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errors.push(invalid(`${at}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errors;
}

/** Recursive read-only needs a read-only mount that propagates nothing; like the sub-path checks, at the list's path. */
function recursiveReadOnlyErrors(path: string, m: VolumeMount): FieldError[] {
  switch (m.recursiveReadOnly) {
    case undefined:
    case 'Disabled':
      return [];
    case 'Enabled':
    case 'IfPossible': {
      const errors: FieldError[] = [];
      if (!m.readOnly) errors.push(forbidden(path, 'may only be specified when readOnly is true'));
      if (m.mountPropagation != null && m.mountPropagation !== 'None') errors.push(forbidden(path, 'may only be specified when mountPropagation is None or not specified'));
      return errors;
    }
    default:
      return [notSupported(path, m.recursiveReadOnly, ['Disabled', 'Enabled', 'IfPossible'])];
  }
}

// ---- resources (upstream's ValidateContainerResourceRequirements) ----

/** The two resources whose presence lets a container ask for hugepages (upstream's supportedQoSComputeResources). */
const isCPUOrMemory = (name: string) => name === 'cpu' || name === 'memory';

/** Whether any hugepages amount of the spec is not a whole number of pages (upstream's usesIndivisibleHugePagesValues). */
function usesIndivisibleHugePages(spec: PodSpec | undefined): boolean {
  const lists = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])].flatMap((c) => [c.resources?.limits, c.resources?.requests]);
  lists.push(spec?.overhead);
  return lists.some((list) => Object.entries(list ?? {}).some(([name, value]) => isHugePagesResourceName(name) && !isHugePagesValueDivisible(name, value)));
}

/** A hugepages amount must be a whole number of pages, unless the stored spec already had one that was not. */
function hugePagesValueErrors(field: string, name: string, value: string, ctx: SpecContext): FieldError[] {
  if (!isHugePagesResourceName(name) || ctx.allowIndivisibleHugePages || isHugePagesValueDivisible(name, value)) return [];
  return [invalid(field, canonicalQuantity(value), `${canonicalQuantity(value)} is not positive integer multiple of ${name}`)];
}

/**
 * A container's requests and limits (upstream's ValidateContainerResourceRequirements): names and amounts by the
 * rules every resource list shares, then each request against its limit. Resources that may not be overcommitted
 * (hugepages, extended resources) must have a limit, equal to the request.
 */
function validateResources(path: string, r: ResourceRequirements | undefined, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const limits = r?.limits ?? {};
  const requests = r?.requests ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, value] of Object.entries(limits)) {
    const field = `${path}.limits[${name}]`;
    errors.push(...validateContainerResourceName(field, name), ...validateResourceQuantityValue(name, limits, field), ...hugePagesValueErrors(field, name, value, ctx));
    cpuOrMemory ||= isCPUOrMemory(name);
    hugePages ||= isHugePagesResourceName(name);
  }
  for (const [name, value] of Object.entries(requests)) {
    const field = `${path}.requests[${name}]`;
    errors.push(...validateContainerResourceName(field, name), ...validateResourceQuantityValue(name, requests, field));
    const limit = limits[name];
    // Upstream reports the comparison at `requests`, not at the resource's key, with both amounts as Go prints them.
    if (limit !== undefined) {
      const order = isQuantity(value) && isQuantity(limit) ? compareQuantities(value, limit) : 0;
      if (order !== 0 && !isOvercommitAllowed(name)) errors.push(invalid(`${path}.requests`, canonicalQuantity(value), `must be equal to ${name} limit of ${canonicalQuantity(limit)}`));
      else if (order > 0) errors.push(invalid(`${path}.requests`, canonicalQuantity(value), `must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`));
    } else if (!isOvercommitAllowed(name)) {
      errors.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
    errors.push(...hugePagesValueErrors(field, name, value, ctx));
    cpuOrMemory ||= isCPUOrMemory(name);
    hugePages ||= isHugePagesResourceName(name);
  }
  if (hugePages && !cpuOrMemory) errors.push(forbidden(path, 'HugePages require cpu or memory'));
  return errors;
}

/**
 * Resource requirements outside a pod (a RuntimeClass's overhead, checked as a container's limits): upstream calls
 * ValidateContainerResourceRequirements with empty options, so there is no stored spec to tolerate.
 */
export function validateResourceRequirements(path: string, r: ResourceRequirements): FieldError[] {
  return validateResources(path, r, { volumes: new Set(), claimVolumes: new Set(), forPod: false, allowZeroSleep: false, allowIndivisibleHugePages: false, hostUsers: true, allowPrivileged: false });
}

// ---- probes and lifecycle hooks (upstream's validateProbe, validateHandler, validateLifecycle) ----

const handlerKinds = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

/** Exactly one handler, each checked; every handler after the first is refused by name. */
function validateHandler(path: string, h: Probe | LifecycleHandler, ctx?: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const set = handlerKinds.filter((k) => (h as Record<string, unknown>)[k] != null);
  if (set.length === 0) return [required(path, 'must specify a handler type')];
  for (const extra of set.slice(1)) errors.push(forbidden(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  const first = set[0];
  const any = h as Record<string, any>;
  if (first === 'exec' && !any.exec.command?.length) errors.push(required(`${path}.exec.command`, ''));
  if (first === 'httpGet') {
    const g = any.httpGet;
    if (!g.path) errors.push(required(`${path}.httpGet.path`, ''));
    errors.push(...portNumOrNameErrors(`${path}.httpGet.port`, g.port));
    for (const header of g.httpHeaders ?? []) for (const msg of isHTTPHeaderName(header.name ?? '')) errors.push(invalid(`${path}.httpGet.httpHeaders`, header.name, msg));
  }
  if (first === 'tcpSocket') errors.push(...portNumOrNameErrors(`${path}.tcpSocket.port`, any.tcpSocket.port));
  if (first === 'grpc') errors.push(...portNumErrors(`${path}.grpc.port`, any.grpc.port));
  if (first === 'sleep' && ctx) errors.push(...sleepErrors(`${path}.sleep`, any.sleep.seconds ?? 0, ctx));
  return errors;
}

/** Upstream's validateSleepAction: more than 0 (0 too when allowed) and at most the grace period, when there is one. */
function sleepErrors(path: string, seconds: number, ctx: SpecContext): FieldError[] {
  const grace = ctx.gracePeriod;
  if (grace === undefined) return [];
  if (ctx.allowZeroSleep) {
    return seconds < 0 || seconds > grace ? [invalid(path, seconds, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`)] : [];
  }
  return seconds <= 0 || seconds > grace ? [invalid(path, seconds, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`)] : [];
}

/** Whether a container of the spec has a lifecycle hook sleeping 0 seconds. */
function zeroSleepInUse(spec: PodSpec | undefined): boolean {
  const lists = [spec?.initContainers, spec?.containers, spec?.ephemeralContainers] as Array<Array<{ lifecycle?: Lifecycle }> | undefined>;
  return lists.some((list) => (list ?? []).some((c) => [c?.lifecycle?.preStop, c?.lifecycle?.postStart].some((h) => h?.sleep != null && (h.sleep.seconds ?? 0) === 0)));
}

function validateProbe(path: string, probe: Probe | undefined, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!probe) return [];
  const errors = validateHandler(path, probe);
  for (const k of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[k];
    if (v !== undefined && v < 0) errors.push(invalid(`${path}.${k}`, v, 'must be greater than or equal to 0'));
  }
  if (probe.terminationGracePeriodSeconds != null && probe.terminationGracePeriodSeconds <= 0) {
    errors.push(invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && (probe.successThreshold ?? 1) !== 1) errors.push(invalid(`${path}.successThreshold`, probe.successThreshold, 'must be 1'));
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds != null) {
    errors.push(invalid(`${path}.terminationGracePeriodSeconds`, probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  return errors;
}

function validateLifecycle(path: string, l: Lifecycle | undefined, ctx: SpecContext): FieldError[] {
  if (!l) return [];
  return [...(l.postStart ? validateHandler(`${path}.postStart`, l.postStart, ctx) : []), ...(l.preStop ? validateHandler(`${path}.preStop`, l.preStop, ctx) : [])];
}

function probesAndLifecycle(path: string, c: AnyContainer, ctx: SpecContext): FieldError[] {
  return [
    ...validateLifecycle(`${path}.lifecycle`, c.lifecycle, ctx),
    ...validateProbe(`${path}.livenessProbe`, c.livenessProbe, 'liveness'),
    ...validateProbe(`${path}.readinessProbe`, c.readinessProbe, 'readiness'),
    ...validateProbe(`${path}.startupProbe`, c.startupProbe, 'startup'),
  ];
}

// ---- containers (upstream's validateContainerCommon, validateContainers, validateInitContainers,
// validateEphemeralContainers) ----


function validateContainerCommon(path: string, c: AnyContainer, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  if (!c.name) errors.push(required(`${path}.name`, ''));
  else errors.push(...validateName(c.name, 'dns1123-label', `${path}.name`));
  // Every container needs an image, in pod templates too (upstream's validateContainerCommon); only the whitespace
  // check is for pods alone, since templates use " " as a placeholder a trigger fills in.
  if (!c.image) errors.push(required(`${path}.image`, ''));
  // Checked here rather than left to the schema's enum so that it is listed where upstream lists it, after the name
  // and image and before the ports (the schema's same error at this field gives way to it).
  const tmp = c.terminationMessagePolicy;
  if (tmp !== undefined && tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errors.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  errors.push(
    ...validateContainerPorts(`${path}.ports`, c.ports),
    ...validateEnv(`${path}.env`, c.env),
    ...validateEnvFrom(`${path}.envFrom`, c.envFrom),
    ...validateVolumeMounts(`${path}.volumeMounts`, c.volumeMounts, c, ctx),
    ...validateVolumeDevices(`${path}.volumeDevices`, c, ctx),
    ...validateResources(`${path}.resources`, c.resources, ctx),
  );
  errors.push(...containerSecurityContextErrors(`${path}.securityContext`, c.securityContext, ctx.hostUsers, ctx.allowPrivileged));
  return errors;
}

function validateContainers(path: string, containers: Container[] | undefined, ctx: SpecContext): FieldError[] {
  if (!containers?.length) return [required(path, '')];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const at = `${path}[${i}]`;
    errors.push(...validateContainerCommon(at, c, ctx));
    // Collisions with init and ephemeral containers are reported there, once.
    if (names.has(c.name)) errors.push(duplicate(`${at}.name`, c.name));
    else names.add(c.name);
    errors.push(...probesAndLifecycle(at, c, ctx));
    if (c.restartPolicy != null) errors.push(forbidden(`${at}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errors.push(...hostPortConflicts(path, containers));
  return errors;
}

function validateInitContainers(path: string, init: Container[] | undefined, regular: Container[] | undefined, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (init ?? []).forEach((c, i) => {
    const at = `${path}[${i}]`;
    errors.push(...validateContainerCommon(at, c, ctx));
    if (c.restartPolicy != null && c.restartPolicy !== 'Always') errors.push(notSupported(`${at}.restartPolicy`, c.restartPolicy, ['Always']));
    if (names.has(c.name)) errors.push(duplicate(`${at}.name`, c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so each is checked alone; upstream passes it as a list of one, so the
    // duplicate reads `initContainers[0]` whichever init container it is.
    errors.push(...hostPortConflicts(path, [c]));
    if (c.restartPolicy === 'Always') errors.push(...probesAndLifecycle(at, c, ctx));
    else {
      for (const k of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[k] != null) errors.push(forbidden(`${at}.${k}`, 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    if (c.resizePolicy?.length) errors.push(invalid(`${at}.resizePolicy`, goValue(goContainerResizePolicies, c.resizePolicy), 'must not be set for init containers'));
  });
  return errors;
}

/**
 * The container fields an ephemeral container may not set, in Go's field order (upstream's validateFieldAllowList
 * over EphemeralContainerCommon against allowedEphemeralContainerFields): set means not Go's zero value, so an
 * empty list or map counts, an empty `resources` does not. restartPolicy is refused by this list alone in v1.32 (a
 * second refusal of its own came in a later release).
 */
const ephemeralDisallowed: ReadonlyArray<[string, (c: EphemeralContainer) => boolean]> = [
  ['ports', (c) => c.ports != null],
  ['resources', (c) => c.resources?.limits != null || c.resources?.requests != null || c.resources?.claims != null],
  ['resizePolicy', (c) => c.resizePolicy != null],
  ['restartPolicy', (c) => c.restartPolicy != null],
  ['livenessProbe', (c) => c.livenessProbe != null],
  ['readinessProbe', (c) => c.readinessProbe != null],
  ['startupProbe', (c) => c.startupProbe != null],
  ['lifecycle', (c) => c.lifecycle != null],
];

function validateEphemeralContainers(path: string, spec: PodSpec, ctx: SpecContext): FieldError[] {
  const errors: FieldError[] = [];
  const others = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  const names = new Set<string>();
  (spec.ephemeralContainers ?? []).forEach((e, i) => {
    const at = `${path}[${i}]`;
    errors.push(...validateContainerCommon(at, e, ctx));
    // Upstream's validateContainerOnlyForPod, which ephemeral containers get in pod templates too.
    if (e.image && e.image.trim() !== e.image) errors.push(invalid(`${at}.image`, e.image, 'must not have leading or trailing whitespace'));
    if (others.has(e.name) || names.has(e.name)) errors.push(duplicate(`${at}.name`, e.name));
    else names.add(e.name);
    if (e.targetContainerName && !others.has(e.targetContainerName)) errors.push(notFound(`${at}.targetContainerName`, e.targetContainerName));
    for (const [k, isSet] of ephemeralDisallowed) if (isSet(e)) errors.push(forbidden(`${at}.${k}`, 'cannot be set for an Ephemeral Container'));
    // A sub-path mount is a bind mount kept until the pod exits: not for a debugging container.
    (e.volumeMounts ?? []).forEach((m, j) => {
      if (m.subPath) errors.push(forbidden(`${at}.volumeMounts[${j}].subPath`, 'cannot be set for an Ephemeral Container'));
      if (m.subPathExpr) errors.push(forbidden(`${at}.volumeMounts[${j}].subPathExpr`, 'cannot be set for an Ephemeral Container'));
    });
  });
  return errors;
}

/**
 * With the host's network, a container's port is the host's: a set hostPort must equal containerPort (upstream's
 * validatePodHostNetworkDeps since v1.28). A pod's unset hostPort was defaulted to it; a template's stays unset
 * (the pod made from it is defaulted), so there 0 is accepted.
 */
function validateHostNetworkPorts(path: string, spec: PodSpec, forPod: boolean): FieldError[] {
  if (!spec.hostNetwork) return [];
  const errors: FieldError[] = [];
  (spec.containers ?? []).forEach((c, ci) =>
    (c.ports ?? []).forEach((p, pi) => {
      const hostPort = p.hostPort ?? 0;
      if ((forPod || hostPort !== 0) && hostPort !== p.containerPort) errors.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
    }),
  );
  return errors;
}

// ---- scheduling (upstream's validateAffinity, validateTopologySpreadConstraints; tolerations: toleration-validation.ts) ----

export { validateTolerations } from './toleration-validation.ts';

const weightMessage = 'must be in the range 1-100';

/** `labelValues`: values must be label values too (upstream's AllowInvalidLabelValueInRequiredNodeAffinity unset). */
function validateNodeSelectorRequirement(path: string, r: NodeSelectorRequirement, labelValues = false): FieldError[] {
  const errors: FieldError[] = [];
  const n = r.values?.length ?? 0;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (n === 0) errors.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (n > 0) errors.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (n !== 1) errors.push(required(`${path}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      // Upstream's words, not the schema enum's Unsupported (the schema's error at this field gives way to this one).
      errors.push(invalid(`${path}.operator`, r.operator, 'not a valid selector operator'));
  }
  errors.push(...validateQualifiedName(r.key ?? '', `${path}.key`));
  if (labelValues) (r.values ?? []).forEach((v, i) => errors.push(...isValidLabelValue(v).map((msg) => invalid(`${path}.values[${i}]`, v, msg))));
  return errors;
}

function validateNodeFieldSelectorRequirement(path: string, r: NodeSelectorRequirement): FieldError[] {
  const errors: FieldError[] = [];
  if (r.operator === 'In' || r.operator === 'NotIn') {
    if (r.values?.length !== 1) errors.push(required(`${path}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else errors.push(invalid(`${path}.operator`, r.operator, 'not a valid selector operator'));
  if (r.key !== 'metadata.name') errors.push(invalid(`${path}.key`, r.key, 'not a valid field selector key'));
  else (r.values ?? []).forEach((v, i) => {
    for (const msg of isDNS1123Subdomain(v)) errors.push(invalid(`${path}.values[${i}]`, v, msg));
  });
  return errors;
}

/**
 * Whether some match expression of `terms` has a value that is not a label value: a stored pod or volume that has
 * one keeps being accepted (upstream's AllowInvalidLabelValueInRequiredNodeAffinity and its PV counterpart).
 */
export function hasInvalidLabelValue(terms: NodeSelectorTerm[] | undefined | null): boolean {
  return (terms ?? []).some((t) => (t.matchExpressions ?? []).some((r) => (r.values ?? []).some((v) => isValidLabelValue(v).length > 0)));
}

export function validateNodeSelectorTerm(path: string, term: NodeSelectorTerm, labelValues = false): FieldError[] {
  return [
    ...(term.matchExpressions ?? []).flatMap((r, i) => validateNodeSelectorRequirement(`${path}.matchExpressions[${i}]`, r, labelValues)),
    ...(term.matchFields ?? []).flatMap((r, i) => validateNodeFieldSelectorRequirement(`${path}.matchFields[${i}]`, r)),
  ];
}

/** A pod affinity term's two selectors (upstream's ValidatePodAffinityTermSelector). */
function podAffinityTermSelectorErrors(path: string, t: PodAffinityTerm, allowInvalidValues: boolean): FieldError[] {
  return [
    ...validateLabelSelector(t.labelSelector as LabelSelector | undefined, `${path}.labelSelector`, allowInvalidValues),
    ...validateLabelSelector(t.namespaceSelector as LabelSelector | undefined, `${path}.namespaceSelector`, allowInvalidValues),
  ];
}

/** Every pod (anti-)affinity term of a spec, required and preferred. */
function podAffinityTerms(spec: PodSpec | undefined): PodAffinityTerm[] {
  const a = spec?.affinity;
  return [a?.podAffinity, a?.podAntiAffinity].flatMap((pa) => [
    ...(pa?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(pa?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => w.podAffinityTerm ?? ({} as PodAffinityTerm)),
  ]);
}

/**
 * Whether a stored spec has a pod affinity selector value that is no label value (upstream's
 * hasInvalidLabelValueInAffinitySelector): then its update may keep such values, in the affinity selectors and in
 * the selector of the workload the template belongs to (AllowInvalidLabelValueInSelector).
 */
export function hasInvalidLabelValueInAffinitySelector(old: PodSpec | undefined): boolean {
  return podAffinityTerms(old).some((t) => podAffinityTermSelectorErrors('', t, false).length > 0);
}

function validatePodAffinityTerm(path: string, t: PodAffinityTerm, allowInvalidValues: boolean): FieldError[] {
  const errors = podAffinityTermSelectorErrors(path, t, allowInvalidValues);
  // Upstream reports bad namespace names at `namespace`, singular.
  for (const ns of t.namespaces ?? []) errors.push(...validateName(ns, 'dns1123-label', `${path}.namespace`));
  errors.push(...affinityLabelKeyErrors(path, t));
  if (!t.topologyKey) errors.push(required(`${path}.topologyKey`, 'can not be empty'));
  errors.push(...validateQualifiedName(t.topologyKey ?? '', `${path}.topologyKey`));
  return errors;
}

/**
 * An affinity term's matchLabelKeys and mismatchLabelKeys are label keys of a term with a selector, and no key is in
 * both (upstream's validateMatchLabelKeysAndMismatchLabelKeys; the keys are in the selector already, put there on
 * create, so unlike a spread constraint's they may repeat its keys).
 */
function affinityLabelKeyErrors(path: string, t: PodAffinityTerm): FieldError[] {
  const keysErrors = (at: string, keys: string[] | undefined): FieldError[] => {
    if (!keys?.length) return [];
    if (!t.labelSelector) return [forbidden(at, 'must not be specified when labelSelector is not set')];
    return keys.flatMap((k, i) => validateQualifiedName(k, `${at}[${i}]`));
  };
  const errors = [...keysErrors(`${path}.matchLabelKeys`, t.matchLabelKeys), ...keysErrors(`${path}.mismatchLabelKeys`, t.mismatchLabelKeys)];
  // A key of matchLabelKeys the selector had already (before create added it again) is refused at the term's path
  // indexed by the key's position: upstream's path, which leaves out `matchLabelKeys`.
  const selector = t.labelSelector as LabelSelector | undefined;
  if (selector) {
    const position = new Map<string, number>();
    (t.matchLabelKeys ?? []).forEach((k, i) => position.set(k, i));
    const seen = new Set(Object.keys(selector.matchLabels ?? {}));
    for (const r of selector.matchExpressions ?? []) {
      const i = position.get(r.key);
      if (i !== undefined && seen.has(r.key)) errors.push(invalid(`${path}[${i}]`, r.key, 'exists in both matchLabelKeys and labelSelector'));
      seen.add(r.key);
    }
  }
  const mismatch = new Set(t.mismatchLabelKeys ?? []);
  (t.matchLabelKeys ?? []).forEach((k, i) => {
    if (mismatch.has(k)) errors.push(invalid(`${path}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  return errors;
}

/**
 * Required node affinity values must be label values on create, and on update unless the stored spec already had
 * one that is not (upstream's AllowInvalidLabelValueInRequiredNodeAffinity); preferred terms' values are not checked.
 * Pod affinity selector values likewise (AllowInvalidLabelValueInSelector).
 */
function validateAffinity(path: string, spec: PodSpec, old?: PodSpec): FieldError[] {
  const a = spec.affinity;
  if (!a) return [];
  const labelValues = !hasInvalidLabelValue(old?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms);
  const errors: FieldError[] = [];
  const na = a.nodeAffinity;
  const required_ = na?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required_) {
    const tp = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
    if (!required_.nodeSelectorTerms?.length) errors.push(required(tp, 'must have at least one node selector term'));
    else required_.nodeSelectorTerms.forEach((t, i) => errors.push(...validateNodeSelectorTerm(`${tp}[${i}]`, t, labelValues)));
  }
  (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const tp = `${path}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    if (t.weight <= 0 || t.weight > 100) errors.push(invalid(`${tp}.weight`, t.weight, weightMessage));
    errors.push(...validateNodeSelectorTerm(`${tp}.preference`, t.preference ?? {}));
  });
  const allowInvalidSelectorValues = hasInvalidLabelValueInAffinitySelector(old);
  for (const k of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[k];
    if (!pa) continue;
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
      errors.push(...validatePodAffinityTerm(`${path}.${k}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t, allowInvalidSelectorValues)),
    );
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const tp = `${path}.${k}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      if (t.weight <= 0 || t.weight > 100) errors.push(invalid(`${tp}.weight`, t.weight, weightMessage));
      errors.push(...validatePodAffinityTerm(`${tp}.podAffinityTerm`, t.podAffinityTerm ?? ({} as PodAffinityTerm), allowInvalidSelectorValues));
    });
  }
  return errors;
}

function validateTopologySpreadConstraints(path: string, constraints: TopologySpreadConstraint[] | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const list = constraints ?? [];
  list.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (c.maxSkew <= 0) errors.push(invalid(`${at}.maxSkew`, c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errors.push(required(`${at}.topologyKey`, 'can not be empty'));
    if (list.slice(i + 1).some((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable)) {
      errors.push(duplicate(`${at}.{topologyKey, whenUnsatisfiable}`, `{${c.topologyKey}, ${c.whenUnsatisfiable}}`));
    }
    if (c.minDomains != null) {
      if (c.minDomains <= 0) errors.push(invalid(`${at}.minDomains`, c.minDomains, 'must be greater than zero'));
      if (c.whenUnsatisfiable !== 'DoNotSchedule') errors.push(invalid(`${at}.minDomains`, c.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${c.whenUnsatisfiable}`));
    }
    errors.push(...validateMatchLabelKeys(`${at}.matchLabelKeys`, c.matchLabelKeys, c.labelSelector as LabelSelector | undefined));
    errors.push(...validateLabelSelector(c.labelSelector as LabelSelector | undefined, `${at}.labelSelector`));
  });
  return errors;
}

function validateMatchLabelKeys(path: string, keys: string[] | undefined, selector: LabelSelector | undefined): FieldError[] {
  if (!keys?.length) return [];
  if (!selector) return [forbidden(path, 'must not be specified when labelSelector is not set')];
  const selectorKeys = new Set([...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((r) => r.key)]);
  return keys.flatMap((k, i) => [...validateQualifiedName(k, `${path}[${i}]`), ...(selectorKeys.has(k) ? [invalid(`${path}[${i}]`, k, 'exists in both matchLabelKeys and labelSelector')] : [])]);
}

// ---- the rest of the spec (upstream's validatePodDNSConfig, validateReadinessGates, validateSchedulingGates,
// ValidateHostAliases, validatePodSpecSecurityContext) ----

function validateDNSConfig(path: string, spec: PodSpec): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!cfg.nameservers?.length) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errors: FieldError[] = [];
  const servers = cfg.nameservers ?? [];
  // Upstream passes the lists themselves as the bad value, which Go prints as `[]string{"a", "b"}`.
  if (servers.length > 3) errors.push(invalid(`${path}.nameservers`, goValue(goStrings, servers), 'must not have more than 3 nameservers'));
  servers.forEach((s, i) => {
    if (!isIP(s)) errors.push(invalid(`${path}.nameservers[${i}]`, s, ipMsg));
  });
  const searches = cfg.searches ?? [];
  if (searches.length > 32) errors.push(invalid(`${path}.searches`, goValue(goStrings, searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errors.push(invalid(`${path}.searches`, goValue(goStrings, searches), 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => errors.push(...validateName(s.replace(/\.$/, ''), 'dns1123-subdomain', `${path}.searches[${i}]`)));
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errors.push(required(`${path}.options[${i}]`, 'Option.Name must not be empty'));
  });
  return errors;
}

/**
 * Validates a pod spec sitting at `path`, under the server's `opts` (whether privileged containers are allowed).
 * `forPod` adds what only pods are held to, not pod templates (images without surrounding whitespace, an image for
 * every image volume); `podName` (pods only) names the claims ephemeral volumes create.
 */
export function validate_PodSpec(spec: PodSpec, old: PodSpec | undefined, path: string, opts: ValidationOptions, forPod = true, podName?: string): FieldError[] {
  const { errors, names, claims } = validateVolumes(`${path}.volumes`, spec.volumes, { podName, forPod });
  const ctx: SpecContext = {
    volumes: names,
    claimVolumes: claims,
    forPod,
    gracePeriod: spec.terminationGracePeriodSeconds ?? undefined,
    allowZeroSleep: zeroSleepInUse(old),
    allowIndivisibleHugePages: old !== undefined && usesIndivisibleHugePages(old),
    hostUsers: (spec as { hostUsers?: boolean }).hostUsers !== false,
    allowPrivileged: opts.allowPrivileged,
  };
  errors.push(
    ...validateContainers(`${path}.containers`, spec.containers, ctx),
    ...validateInitContainers(`${path}.initContainers`, spec.initContainers, spec.containers, ctx),
    ...validateEphemeralContainers(`${path}.ephemeralContainers`, spec, ctx),
    ...validateHostNetworkPorts(path, spec, forPod),
    ...restartPolicyErrors(`${path}.restartPolicy`, spec.restartPolicy),
    ...validateLabels(spec.nodeSelector, `${path}.nodeSelector`),
    ...podSecurityContextErrors(`${path}.securityContext`, spec, old),
    ...validateAffinity(`${path}.affinity`, spec, old),
    ...validateDNSConfig(`${path}.dnsConfig`, spec),
  );
  (spec.readinessGates ?? []).forEach((g, i) => errors.push(...validateQualifiedName(g.conditionType ?? '', `${path}.readinessGates[${i}].conditionType`)));
  const gates = new Set<string>();
  (spec.schedulingGates ?? []).forEach((g, i) => {
    // Upstream checks the name at the gate's own path, not at `.name`.
    errors.push(...validateQualifiedName(g.name ?? '', `${path}.schedulingGates[${i}]`));
    if (gates.has(g.name)) errors.push(duplicate(`${path}.schedulingGates[${i}]`, g.name));
    gates.add(g.name);
  });
  errors.push(...validateTopologySpreadConstraints(`${path}.topologySpreadConstraints`, spec.topologySpreadConstraints));
  errors.push(...windowsHostProcessErrors(path, spec, ctx.allowPrivileged));
  if (spec.serviceAccountName) errors.push(...validateName(spec.serviceAccountName, 'dns1123-subdomain', `${path}.serviceAccountName`));
  if (spec.nodeName) errors.push(...validateName(spec.nodeName, 'dns1123-subdomain', `${path}.nodeName`));
  if (spec.activeDeadlineSeconds != null && (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)) {
    errors.push(invalid(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  // A negative terminationGracePeriodSeconds is accepted (treated as 1) with a warning, as upstream.
  if (spec.hostname) errors.push(...validateName(spec.hostname, 'dns1123-label', `${path}.hostname`));
  if (spec.subdomain) errors.push(...validateName(spec.subdomain, 'dns1123-label', `${path}.subdomain`));
  errors.push(...validateTolerations(`${path}.tolerations`, spec.tolerations));
  (spec.hostAliases ?? []).forEach((h, i) => {
    if (!isIP(h.ip ?? '')) errors.push(invalid(`${path}.hostAliases[${i}].ip`, h.ip, ipMsg));
    (h.hostnames ?? []).forEach((n, j) => errors.push(...validateName(n, 'dns1123-subdomain', `${path}.hostAliases[${i}].hostnames[${j}]`)));
  });
  if (spec.priorityClassName) errors.push(...validateName(spec.priorityClassName, 'dns1123-subdomain', `${path}.priorityClassName`));
  if (spec.runtimeClassName != null) errors.push(...validateName(spec.runtimeClassName, 'dns1123-subdomain', `${path}.runtimeClassName`));
  // Upstream's validateOverhead: the overhead is checked as a container's limits, so its errors read `overhead.limits[...]`.
  if (spec.overhead && Object.keys(spec.overhead).length) errors.push(...validateResources(`${path}.overhead`, { limits: spec.overhead }, ctx));
  const osProblems = osErrors(`${path}.os`, spec.os);
  errors.push(...(osProblems.length ? osProblems : osSpecificErrors(path, spec)));
  return errors;
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];

function restartPolicyErrors(path: string, policy: string | undefined): FieldError[] {
  return policy == null || restartPolicies.includes(policy) ? [] : [notSupported(path, policy, restartPolicies)];
}

/** An unknown OS is reported at `os` itself, not at its name. */
function osErrors(path: string, os: PodSpec['os']): FieldError[] {
  if (!os) return [];
  if (!os.name) return [required(`${path}.name`, 'cannot be empty')];
  return os.name === 'linux' || os.name === 'windows' ? [] : [notSupported(path, os.name, ['linux', 'windows'])];
}

/**
 * Validates a pod template at `path` (`template` in a PodTemplate, `spec.template` in controllers); controllers add
 * their own restartPolicy rule.
 */
export function validate_PodTemplateSpec(tpl: PodTemplateSpec, old: PodTemplateSpec | undefined, path: string, opts: ValidationOptions): FieldError[] {
  // Upstream reports template labels and annotations at `<path>.labels` and `<path>.annotations` (its ObjectMeta is
  // embedded in Go); the annotations a pod's behaviour hangs on are checked as a pod's, against the template's spec.
  const annotations = tpl.metadata?.annotations ?? {};
  const errors = [
    ...validateLabels(tpl.metadata?.labels, `${path}.labels`),
    ...validateAnnotations(annotations, `${path}.annotations`),
    ...podSpecificAnnotationErrors(annotations, tpl.spec, `${path}.annotations`, old?.metadata?.annotations),
  ];
  if (!tpl.spec) return [...errors, required(`${path}.spec`, '')];
  errors.push(...validate_PodSpec(tpl.spec, old?.spec, `${path}.spec`, opts, false));
  errors.push(...securityAnnotationsMatchFields(annotations, tpl.spec, `${path}.spec`));
  if (tpl.spec.ephemeralContainers?.length) errors.push(forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errors;
}
