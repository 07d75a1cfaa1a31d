/**
 * The Pod Security Standards checks, as upstream's k8s.io/pod-security-admission/policy (v1.32): one function per
 * check and policy version, each looking at a pod's metadata and spec (JSON as stored) and saying why it is not
 * allowed. The reasons and details are upstream's words, because users and tools read them.
 *
 * `evaluatePod(level, version, meta, spec)` runs every check that applies to a level and version in upstream's
 * order: baseline checks by ID, then restricted ones by ID; a restricted check that supersedes a baseline one
 * (capabilities, hostPath volumes, seccomp) replaces it at the restricted level.
 */

export type Level = 'privileged' | 'baseline' | 'restricted';

/** A policy version: a minor of 1.x, or 'latest'. */
export type PolicyVersion = number | 'latest';

/** The newest policy version this server knows (kube-apiserver v1.32): 'latest' and newer versions evaluate as it. */
export const latestKnownMinor = 32;

export interface CheckResult {
  allowed: boolean;
  /** Short, always shown: `privileged`, `host namespaces`. */
  reason?: string;
  /** The offending values, shown in parentheses after the reason for one object. */
  detail?: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type CheckFn = (meta: Json, spec: Json) => CheckResult;

const allowed: CheckResult = { allowed: true };
const deny = (reason: string, detail: string): CheckResult => ({ allowed: false, reason, detail });

function joinQuote(items: readonly string[]): string {
  return items.length ? `"${items.join('", "')}"` : '';
}

function pluralize(singular: string, plural: string, count: number): string {
  return count === 1 ? singular : plural;
}

/** Sorted unique strings, as Go's sets.NewString(...).List() (byte order). */
function sortedSet(items: Iterable<string>): string[] {
  return [...new Set(items)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Go's %q for the strings these messages quote (no control characters expected; JSON quoting is close enough). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

function asArray(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && typeof x === 'object') : [];
}

/** Init containers, containers, then ephemeral containers, as upstream's visitor. */
function containers(spec: Json): Json[] {
  return [...asArray(spec.initContainers), ...asArray(spec.containers), ...asArray(spec.ephemeralContainers)];
}

const nameOf = (c: Json): string => String(c.name ?? '');
const sc = (c: Json): Json | undefined => (c.securityContext && typeof c.securityContext === 'object' ? c.securityContext : undefined);
const podSc = (spec: Json): Json | undefined => (spec.securityContext && typeof spec.securityContext === 'object' ? spec.securityContext : undefined);
const isWindows = (spec: Json): boolean => spec.os?.name === 'windows';

/** `pod and containers "a", "b"`: who set a forbidden value. */
function setters(podSet: boolean, badContainers: string[]): string {
  const out: string[] = [];
  if (podSet) out.push('pod');
  if (badContainers.length) out.push(`${pluralize('container', 'containers', badContainers.length)} ${joinQuote(badContainers)}`);
  return out.join(' and ');
}

// --- baseline ----------------------------------------------------------------------------------------------------

function allowedAppArmorAnnotation(v: string): boolean {
  return v === '' || v === 'runtime/default' || v.startsWith('localhost/');
}
const allowedAppArmorType = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';

const appArmorProfile_1_0: CheckFn = (meta, spec) => {
  const badValues = new Set<string>();
  let podBad = false;
  const podProfile = podSc(spec)?.appArmorProfile;
  if (podProfile && !allowedAppArmorType(podProfile.type)) {
    podBad = true;
    badValues.add(String(podProfile.type ?? ''));
  }
  const badContainers: string[] = [];
  for (const c of containers(spec)) {
    const p = sc(c)?.appArmorProfile;
    if (p && p.type && !allowedAppArmorType(p.type)) {
      badContainers.push(nameOf(c));
      badValues.add(String(p.type));
    }
  }
  const who = [setters(podBad, badContainers)].filter(Boolean);
  const annotations: string[] = [];
  for (const [k, v] of Object.entries((meta.annotations ?? {}) as Record<string, string>)) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !allowedAppArmorAnnotation(String(v))) annotations.push(`${k}=${goQuote(String(v))}`);
  }
  const values = sortedSet(badValues);
  if (annotations.length) {
    values.push(...sortedSet(annotations));
    who.push(pluralize('annotation', 'annotations', annotations.length));
  }
  if (!who.length) return allowed;
  return deny(pluralize('forbidden AppArmor profile', 'forbidden AppArmor profiles', values.length), `${who.join(' and ')} must not set AppArmor profile type to ${joinQuote(values)}`);
};

const defaultCapabilities = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const capabilitiesBaseline_1_0: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const caps = new Set<string>();
  for (const c of containers(spec)) {
    const add = sc(c)?.capabilities?.add;
    if (!Array.isArray(add)) continue;
    const extra = add.map(String).filter((a) => !defaultCapabilities.has(a));
    if (extra.length) {
      bad.push(nameOf(c));
      for (const e of extra) caps.add(e);
    }
  }
  if (!bad.length) return allowed;
  return deny('non-default capabilities', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not include ${joinQuote(sortedSet(caps))} in securityContext.capabilities.add`);
};

const hostNamespaces_1_0: CheckFn = (_meta, spec) => {
  const set: string[] = [];
  if (spec.hostNetwork === true) set.push('hostNetwork=true');
  if (spec.hostPID === true) set.push('hostPID=true');
  if (spec.hostIPC === true) set.push('hostIPC=true');
  return set.length ? deny('host namespaces', set.join(', ')) : allowed;
};

const hostPathVolumes_1_0: CheckFn = (_meta, spec) => {
  const bad = asArray(spec.volumes).filter((v) => v.hostPath).map(nameOf);
  return bad.length ? deny('hostPath volumes', `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}`) : allowed;
};

const hostPorts_1_0: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const ports = new Set<string>();
  for (const c of containers(spec)) {
    let ok = true;
    for (const p of asArray(c.ports)) {
      if (p.hostPort && p.hostPort !== 0) {
        ok = false;
        ports.add(String(p.hostPort));
      }
    }
    if (!ok) bad.push(nameOf(c));
  }
  if (!bad.length) return allowed;
  const list = sortedSet(ports);
  return deny('hostPort', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}`);
};

const privileged_1_0: CheckFn = (_meta, spec) => {
  const bad = containers(spec).filter((c) => sc(c)?.privileged === true).map(nameOf);
  return bad.length ? deny('privileged', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.privileged=true`) : allowed;
};

const procMount_1_0: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const c of containers(spec)) {
    const pm = sc(c)?.procMount;
    if (pm === undefined || pm === null) continue;
    if (pm !== 'Default') {
      bad.push(nameOf(c));
      types.add(String(pm));
    }
  }
  if (!bad.length) return allowed;
  return deny('procMount', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must not set securityContext.procMount to ${joinQuote(sortedSet(types))}`);
};

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckFn {
  return (_meta, spec) => {
    const badTypes = new Set<string>();
    let setUser = false;
    let setRole = false;
    const valid = (o: Json): boolean => {
      let ok = true;
      const t = String(o.type ?? '');
      if (!allowedTypes.has(t)) {
        ok = false;
        badTypes.add(t);
      }
      if (o.user) {
        ok = false;
        setUser = true;
      }
      if (o.role) {
        ok = false;
        setRole = true;
      }
      return ok;
    };
    const podOpts = podSc(spec)?.seLinuxOptions;
    const podBad = Boolean(podOpts && typeof podOpts === 'object' && !valid(podOpts));
    const bad: string[] = [];
    for (const c of containers(spec)) {
      const o = sc(c)?.seLinuxOptions;
      if (o && typeof o === 'object' && !valid(o)) bad.push(nameOf(c));
    }
    if (!podBad && !bad.length) return allowed;
    const data: string[] = [];
    if (badTypes.size) {
      const types = sortedSet(badTypes);
      data.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    }
    if (setUser) data.push('user may not be set');
    if (setRole) data.push('role may not be set');
    return deny('seLinuxOptions', `${setters(podBad, bad)} set forbidden securityContext.seLinuxOptions: ${data.join('; ')}`);
  };
}
const seLinuxTypes_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const seLinuxTypes_1_31 = new Set([...seLinuxTypes_1_0, 'container_engine_t']);

const validSeccomp = (t: unknown): boolean => t === 'Localhost' || t === 'RuntimeDefault';
const validSeccompAnnotation = (v: string): boolean => v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');

/** Before 1.19 seccomp was set by annotations. */
const seccompProfileBaseline_1_0: CheckFn = (meta, spec) => {
  const annotations = (meta.annotations ?? {}) as Record<string, string>;
  const forbidden = new Set<string>();
  const podKey = 'seccomp.security.alpha.kubernetes.io/pod';
  if (podKey in annotations && !validSeccompAnnotation(String(annotations[podKey]))) forbidden.add(`${podKey}=${goQuote(String(annotations[podKey]))}`);
  for (const c of containers(spec)) {
    const key = `container.seccomp.security.alpha.kubernetes.io/${nameOf(c)}`;
    if (key in annotations && !validSeccompAnnotation(String(annotations[key]))) forbidden.add(`${key}=${goQuote(String(annotations[key]))}`);
  }
  if (!forbidden.size) return allowed;
  return deny('seccompProfile', `forbidden ${pluralize('annotation', 'annotations', forbidden.size)} ${sortedSet(forbidden).join(', ')}`);
};

/** Shared by the baseline and restricted seccomp checks: `requireSet` makes an unset profile a violation. */
function seccompFields(spec: Json, requireSet: boolean): CheckResult {
  const badValues = new Set<string>();
  let podBad = false;
  let podSet = false;
  const podProfile = podSc(spec)?.seccompProfile;
  if (podProfile && typeof podProfile === 'object') {
    if (!validSeccomp(podProfile.type)) {
      podBad = true;
      badValues.add(String(podProfile.type ?? ''));
    } else podSet = true;
  }
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const p = sc(c)?.seccompProfile;
    if (p && typeof p === 'object') {
      if (!validSeccomp(p.type)) {
        explicit.push(nameOf(c));
        badValues.add(String(p.type ?? ''));
      }
    } else if (!podSet) implicit.push(nameOf(c));
  }
  if (podBad || explicit.length) {
    return deny('seccompProfile', `${setters(podBad, explicit)} must not set securityContext.seccompProfile.type to ${joinQuote(sortedSet(badValues))}`);
  }
  if (requireSet && implicit.length) {
    return deny('seccompProfile', `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
  }
  return allowed;
}

const seccompProfileBaseline_1_19: CheckFn = (_meta, spec) => seccompFields(spec, false);

function sysctls(allowedNames: ReadonlySet<string>): CheckFn {
  return (_meta, spec) => {
    const bad = asArray(podSc(spec)?.sysctls)
      .map((s) => String(s.name ?? ''))
      .filter((n) => !allowedNames.has(n));
    return bad.length ? deny('forbidden sysctls', bad.join(', ')) : allowed;
  };
}
const sysctls_1_0 = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']);
const sysctls_1_27 = new Set([...sysctls_1_0, 'net.ipv4.ip_local_reserved_ports']);
const sysctls_1_29 = new Set([...sysctls_1_27, 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']);
const sysctls_1_32 = new Set([...sysctls_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);

const windowsHostProcess_1_0: CheckFn = (_meta, spec) => {
  const bad = containers(spec).filter((c) => sc(c)?.windowsOptions?.hostProcess === true).map(nameOf);
  const podBad = podSc(spec)?.windowsOptions?.hostProcess === true;
  if (!podBad && !bad.length) return allowed;
  return deny('hostProcess', `${setters(podBad, bad)} must not set securityContext.windowsOptions.hostProcess=true`);
};

// --- restricted --------------------------------------------------------------------------------------------------

const allowPrivilegeEscalation_1_8: CheckFn = (_meta, spec) => {
  const bad = containers(spec).filter((c) => sc(c)?.allowPrivilegeEscalation !== false).map(nameOf);
  return bad.length ? deny('allowPrivilegeEscalation != false', `${pluralize('container', 'containers', bad.length)} ${joinQuote(bad)} must set securityContext.allowPrivilegeEscalation=false`) : allowed;
};

const capabilitiesRestricted_1_22: CheckFn = (_meta, spec) => {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbidden = new Set<string>();
  for (const c of containers(spec)) {
    const caps = sc(c)?.capabilities;
    if (!caps || typeof caps !== 'object') {
      missingDropAll.push(nameOf(c));
      continue;
    }
    if (!(Array.isArray(caps.drop) && caps.drop.includes('ALL'))) missingDropAll.push(nameOf(c));
    const extra = (Array.isArray(caps.add) ? caps.add : []).map(String).filter((a: string) => a !== 'NET_BIND_SERVICE');
    if (extra.length) {
      addingForbidden.push(nameOf(c));
      for (const e of extra) forbidden.add(e);
    }
  }
  const details: string[] = [];
  if (missingDropAll.length) details.push(`${pluralize('container', 'containers', missingDropAll.length)} ${joinQuote(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  if (addingForbidden.length) {
    details.push(`${pluralize('container', 'containers', addingForbidden.length)} ${joinQuote(addingForbidden)} must not include ${joinQuote(sortedSet(forbidden))} in securityContext.capabilities.add`);
  }
  return details.length ? deny('unrestricted capabilities', details.join('; ')) : allowed;
};

/** Volume sources the restricted level allows; anything else is named by its field (or `unknown`). */
const allowedVolumeSources = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
const restrictedVolumeSources = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

const restrictedVolumes_1_0: CheckFn = (_meta, spec) => {
  const bad: string[] = [];
  const types = new Set<string>();
  for (const v of asArray(spec.volumes)) {
    if (allowedVolumeSources.some((s) => v[s] !== undefined && v[s] !== null)) continue;
    bad.push(nameOf(v));
    types.add(restrictedVolumeSources.find((s) => v[s] !== undefined && v[s] !== null) ?? 'unknown');
  }
  if (!bad.length) return allowed;
  const list = sortedSet(types);
  return deny(
    'restricted volume types',
    `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('restricted volume type', 'restricted volume types', list.length)} ${joinQuote(list)}`,
  );
};

const runAsNonRoot_1_0: CheckFn = (_meta, spec) => {
  const podValue = podSc(spec)?.runAsNonRoot;
  const podBad = podValue === false;
  const podTrue = podValue === true;
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of containers(spec)) {
    const v = sc(c)?.runAsNonRoot;
    if (v === true || v === false) {
      if (v === false) explicit.push(nameOf(c));
    } else if (!podTrue) implicit.push(nameOf(c));
  }
  if (podBad || explicit.length) return deny('runAsNonRoot != true', `${setters(podBad, explicit)} must not set securityContext.runAsNonRoot=false`);
  if (implicit.length) return deny('runAsNonRoot != true', `pod or ${pluralize('container', 'containers', implicit.length)} ${joinQuote(implicit)} must set securityContext.runAsNonRoot=true`);
  return allowed;
};

const runAsUser_1_23: CheckFn = (_meta, spec) => {
  const podBad = podSc(spec)?.runAsUser === 0;
  const bad = containers(spec).filter((c) => sc(c)?.runAsUser === 0).map(nameOf);
  if (!podBad && !bad.length) return allowed;
  return deny('runAsUser=0', `${setters(podBad, bad)} must not set runAsUser=0`);
};

const seccompProfileRestricted_1_19: CheckFn = (_meta, spec) => seccompFields(spec, true);

/** From 1.25 the Linux-only restricted checks skip pods that declare `spec.os.name: windows`. */
const exceptWindows =
  (fn: CheckFn): CheckFn =>
  (meta, spec) =>
    isWindows(spec) ? allowed : fn(meta, spec);

// --- the registry ------------------------------------------------------------------------------------------------

interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** [minimum minor, check], strictly increasing. */
  versions: [number, CheckFn][];
  /** Baseline checks a restricted check replaces at the restricted level. */
  overrides?: string[];
}

const checks: Check[] = [
  { id: 'allowPrivilegeEscalation', level: 'restricted', versions: [[8, allowPrivilegeEscalation_1_8], [25, exceptWindows(allowPrivilegeEscalation_1_8)]] },
  { id: 'appArmorProfile', level: 'baseline', versions: [[0, appArmorProfile_1_0]] },
  { id: 'capabilities_baseline', level: 'baseline', versions: [[0, capabilitiesBaseline_1_0]] },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    versions: [[22, capabilitiesRestricted_1_22], [25, exceptWindows(capabilitiesRestricted_1_22)]],
    overrides: ['capabilities_baseline'],
  },
  { id: 'hostNamespaces', level: 'baseline', versions: [[0, hostNamespaces_1_0]] },
  { id: 'hostPathVolumes', level: 'baseline', versions: [[0, hostPathVolumes_1_0]] },
  { id: 'hostPorts', level: 'baseline', versions: [[0, hostPorts_1_0]] },
  { id: 'privileged', level: 'baseline', versions: [[0, privileged_1_0]] },
  { id: 'procMount', level: 'baseline', versions: [[0, procMount_1_0]] },
  { id: 'restrictedVolumes', level: 'restricted', versions: [[0, restrictedVolumes_1_0]], overrides: ['hostPathVolumes'] },
  { id: 'runAsNonRoot', level: 'restricted', versions: [[0, runAsNonRoot_1_0]] },
  { id: 'runAsUser', level: 'restricted', versions: [[23, runAsUser_1_23]] },
  { id: 'seLinuxOptions', level: 'baseline', versions: [[0, seLinuxOptions(seLinuxTypes_1_0)], [31, seLinuxOptions(seLinuxTypes_1_31)]] },
  { id: 'seccompProfile_baseline', level: 'baseline', versions: [[0, seccompProfileBaseline_1_0], [19, seccompProfileBaseline_1_19]] },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    versions: [[19, seccompProfileRestricted_1_19], [25, exceptWindows(seccompProfileRestricted_1_19)]],
    overrides: ['seccompProfile_baseline'],
  },
  { id: 'sysctls', level: 'baseline', versions: [[0, sysctls(sysctls_1_0)], [27, sysctls(sysctls_1_27)], [29, sysctls(sysctls_1_29)], [32, sysctls(sysctls_1_32)]] },
  { id: 'windowsHostProcess', level: 'baseline', versions: [[0, windowsHostProcess_1_0]] },
];

const byId = (a: Check, b: Check): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The version of `check` that applies at `minor`, if any. */
function versionAt(check: Check, minor: number): CheckFn | undefined {
  let fn: CheckFn | undefined;
  for (const [min, f] of check.versions) if (min <= minor) fn = f;
  return fn;
}

/** Checks per level and minor, built once per minor on first use. */
const cache = new Map<string, CheckFn[]>();

function checksFor(level: 'baseline' | 'restricted', minor: number): CheckFn[] {
  const key = `${level}:${minor}`;
  let list = cache.get(key);
  if (list) return list;
  const baseline = checks.filter((c) => c.level === 'baseline').sort(byId);
  const restricted = checks.filter((c) => c.level === 'restricted').sort(byId);
  const active = (c: Check) => versionAt(c, minor) !== undefined;
  let chosen: Check[];
  if (level === 'baseline') chosen = baseline.filter(active);
  else {
    const restrictedActive = restricted.filter(active);
    const overridden = new Set(restrictedActive.flatMap((c) => c.overrides ?? []));
    chosen = [...baseline.filter((c) => active(c) && !overridden.has(c.id)), ...restrictedActive];
  }
  list = chosen.map((c) => versionAt(c, minor)!);
  cache.set(key, list);
  return list;
}

/** Every check's result for a pod (metadata and spec as JSON) at a level and version; none for privileged. */
export function evaluatePod(level: Level, version: PolicyVersion, meta: Json | undefined, spec: Json | undefined): CheckResult[] {
  if (level === 'privileged') return [];
  const minor = version === 'latest' || version > latestKnownMinor ? latestKnownMinor : version;
  const m = meta ?? {};
  const s = spec ?? {};
  return checksFor(level, minor).map((fn) => fn(m, s));
}

/** The failed checks of an evaluation, aggregated as upstream's AggregateCheckResult. */
export interface AggregateResult {
  allowed: boolean;
  reasons: string[];
  details: string[];
}

export function aggregate(results: readonly CheckResult[]): AggregateResult {
  const failed = results.filter((r) => !r.allowed);
  return { allowed: failed.length === 0, reasons: failed.map((r) => r.reason || 'unknown forbidden reason'), details: failed.map((r) => r.detail ?? '') };
}

/** `reason (detail), reason, ...`: what one object's message lists. */
export function forbiddenDetail(a: AggregateResult): string {
  return a.reasons.map((r, i) => (a.details[i] ? `${r} (${a.details[i]})` : r)).join(', ');
}

/** `reason, reason`: what the namespace check lists per pod. */
export function forbiddenReason(a: AggregateResult): string {
  return a.reasons.join(', ');
}
