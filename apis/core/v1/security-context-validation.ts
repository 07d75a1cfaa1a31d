/**
 * Security settings of a pod spec and its containers, as upstream v1.32 checks them (validatePodSpecSecurityContext,
 * ValidateSecurityContext, validateWindowsHostProcessPod and the OS-specific validateLinux / validateWindows of
 * pkg/apis/core/validation). Paths follow upstream's, including where its internal types show through: v1's
 * `spec.shareProcessNamespace` lives in the internal pod security context, so its error reads
 * `spec.securityContext.shareProcessNamespace`, while `hostPID` and `hostIPC` of a Windows pod read `spec.hostPID`.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goPointer, goString, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { isDNS1123Subdomain } from '../../../runtime/machinery/string-checks.ts';
import type { AppArmorProfile, Container, EphemeralContainer, PodSpec, SeccompProfile, SecurityContext, WindowsSecurityContextOptions } from './pod.ts';
import { localDescendingPathErrors } from './volume-validation.ts';

type AnyContainer = Container | EphemeralContainer;

const userIDMessage = 'must be between 0 and 2147483647, inclusive';
const validID = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0 && n <= 2147483647);

/** core.SeccompProfile as field.Error prints it (a pointer is dereferenced once, then `%#v`). */
const goSeccompProfile = goStruct('core.SeccompProfile', [['Type', goString('core.SeccompProfileType')], ['LocalhostProfile', goPointer('string')]]);

/** The internal core.SecurityContext, for the errors that show a container's whole security context. */
const goSecurityContext = goStruct('core.SecurityContext', [
  ['Capabilities', goPointer('core.Capabilities')],
  ['Privileged', goPointer('bool')],
  ['SELinuxOptions', goPointer('core.SELinuxOptions'), 'seLinuxOptions'],
  ['WindowsOptions', goPointer('core.WindowsSecurityContextOptions')],
  ['RunAsUser', goPointer('int64')],
  ['RunAsGroup', goPointer('int64')],
  ['RunAsNonRoot', goPointer('bool')],
  ['ReadOnlyRootFilesystem', goPointer('bool')],
  ['AllowPrivilegeEscalation', goPointer('bool')],
  ['ProcMount', goPointer('core.ProcMountType')],
  ['SeccompProfile', goPointer('core.SeccompProfile')],
  ['AppArmorProfile', goPointer('core.AppArmorProfile')],
]);

/** Upstream's validateSeccompProfileField (the type's enum itself is the schema's). */
export function seccompProfileErrors(path: string, p: SeccompProfile | undefined): FieldError[] {
  if (!p) return [];
  if (!p.type) return [required(`${path}.type`, 'type is required when seccompProfile is set')];
  if (p.type === 'Localhost') {
    if (p.localhostProfile == null) return [required(`${path}.localhostProfile`, 'must be set when seccomp type is Localhost')];
    return localDescendingPathErrors(`${path}.localhostProfile`, p.localhostProfile);
  }
  return p.localhostProfile != null ? [invalid(`${path}.localhostProfile`, goValue(goSeccompProfile, p), 'can only be set when seccomp type is Localhost')] : [];
}

/** Upstream's ValidateAppArmorProfileField. */
function appArmorProfileErrors(path: string, p: AppArmorProfile | undefined): FieldError[] {
  if (!p) return [];
  switch (p.type) {
    case 'Localhost': {
      const profile = p.localhostProfile;
      if (profile == null) return [required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const errors: FieldError[] = [];
      if (profile.trim() !== profile) errors.push(invalid(`${path}.localhostProfile`, profile, 'must not be padded with whitespace'));
      else if (profile === '') errors.push(required(`${path}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(profile) > 4095) errors.push(tooLong(`${path}.localhostProfile`, '', 4095));
      return errors;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return p.localhostProfile != null ? [invalid(`${path}.localhostProfile`, p.localhostProfile, 'can only be set when AppArmor type is Localhost')] : [];
    case undefined:
    case '' as never:
      return [required(`${path}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [];
  }
}

/** A Windows user name: `[DOMAIN\]USER`, each part within Windows' rules (upstream's validateWindowsSecurityContextOptions). */
function windowsOptionsErrors(path: string, w: WindowsSecurityContextOptions | undefined): FieldError[] {
  if (!w) return [];
  const errors: FieldError[] = [];
  if (w.gmsaCredentialSpecName != null) {
    for (const msg of isDNS1123Subdomain(w.gmsaCredentialSpecName)) errors.push(invalid(`${path}.gmsaCredentialSpecName`, w.gmsaCredentialSpecName, msg));
  }
  if (w.gmsaCredentialSpec != null) {
    const n = Buffer.byteLength(w.gmsaCredentialSpec);
    if (n === 0) errors.push(invalid(`${path}.gmsaCredentialSpec`, w.gmsaCredentialSpec, 'gmsaCredentialSpec cannot be an empty string'));
    else if (n > 64 * 1024) errors.push(invalid(`${path}.gmsaCredentialSpec`, w.gmsaCredentialSpec, 'gmsaCredentialSpec size must be under 64 KiB'));
  }
  const name = w.runAsUserName;
  if (name == null) return errors;
  const at = `${path}.runAsUserName`;
  const bad = (msg: string) => errors.push(invalid(at, name, msg));
  const parts = name.split('\\');
  if (name.length === 0) bad('runAsUserName cannot be an empty string');
  // eslint-disable-next-line no-control-regex
  else if (/[\x00-\x1f\x7f]/.test(name)) bad('runAsUserName cannot contain control characters');
  else if (parts.length > 2) bad('runAsUserName cannot contain more than one backslash');
  else {
    const [domain, user] = parts.length === 1 ? ['', parts[0]] : parts;
    if (domain.length >= 256) bad("runAsUserName's Domain length must be under 256 characters");
    const netBios = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
    const dns = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
    if (parts.length === 2 && !(netBios.test(domain) || dns.test(domain))) bad("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
    if (user.length === 0) bad("runAsUserName's User cannot be empty");
    else if (user.length > 104) bad("runAsUserName's User length must not be longer than 104 characters");
    if (/^[. ]+$/.test(user)) bad("runAsUserName's User cannot contain only periods or spaces");
    if (/["/\\:;|=,+*?<>@[\]]/.test(user)) bad('runAsUserName\'s User cannot contain the following characters: "/\\:;|=,+*?<>@[]');
  }
  return errors;
}

/** The sysctl names upstream's utilsysctl.GetNamespace puts in the network and IPC namespaces. */
const ipcSysctls = new Set(['kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni']);
function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  // A name written with slashes (net/ipv4/ip_forward) is read as one written with dots.
  const dotted = name.indexOf('/') !== -1 && (name.indexOf('.') === -1 || name.indexOf('/') < name.indexOf('.')) ? name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/')) : name;
  if (dotted.startsWith('net.')) return 'net';
  if (ipcSysctls.has(dotted) || dotted.startsWith('fs.mqueue.')) return 'ipc';
  return undefined;
}

const sysctlPattern = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const sysctlRegex = new RegExp(sysctlPattern);

/** Upstream's validateSysctls; `hostNamespacedAllowed` when the stored pod already had such a sysctl. */
function sysctlErrors(path: string, spec: PodSpec, hostNamespacedAllowed: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (spec.securityContext?.sysctls ?? []).forEach((s, i) => {
    const at = `${path}[${i}].name`;
    if (!s.name) errors.push(required(at, ''));
    else if (s.name.length > 253 || !sysctlRegex.test(s.name)) errors.push(invalid(at, s.name, `must have at most 253 characters and match regex ${sysctlPattern}`));
    else if (names.has(s.name)) errors.push(duplicate(at, s.name));
    if (!hostNamespacedAllowed) {
      const ns = sysctlNamespace(s.name ?? '');
      if (spec.hostNetwork && ns === 'net') errors.push(invalid(at, s.name, "may not be specified when 'hostNetwork' is true"));
      else if (spec.hostIPC && ns === 'ipc') errors.push(invalid(at, s.name, "may not be specified when 'hostIPC' is true"));
    }
    names.add(s.name);
  });
  return errors;
}

/** Whether a stored spec shares the host's network or IPC namespace and sets a sysctl of it. */
function namespacedSysctlsInUse(spec: PodSpec | undefined): boolean {
  return (spec?.securityContext?.sysctls ?? []).some((s) => {
    const ns = sysctlNamespace(s.name ?? '');
    return (spec?.hostNetwork && ns === 'net') || (spec?.hostIPC && ns === 'ipc');
  });
}

/** Upstream's validatePodSpecSecurityContext, at `path` (`spec.securityContext`). */
export function podSecurityContextErrors(path: string, spec: PodSpec, old?: PodSpec): FieldError[] {
  const sc = spec.securityContext;
  const errors: FieldError[] = [];
  for (const k of ['fsGroup', 'runAsUser', 'runAsGroup'] as const) if (sc && !validID(sc[k])) errors.push(invalid(`${path}.${k}`, sc[k], userIDMessage));
  (sc?.supplementalGroups ?? []).forEach((g, i) => {
    if (!validID(g)) errors.push(invalid(`${path}.supplementalGroups[${i}]`, g, userIDMessage));
  });
  // v1's shareProcessNamespace and hostPID sit in the internal security context, which Go never leaves nil here.
  if (spec.shareProcessNamespace && spec.hostPID) errors.push(invalid(`${path}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  if (!sc) return errors;
  if (sc.sysctls?.length) errors.push(...sysctlErrors(`${path}.sysctls`, spec, namespacedSysctlsInUse(old)));
  errors.push(...seccompProfileErrors(`${path}.seccompProfile`, sc.seccompProfile));
  errors.push(...windowsOptionsErrors(`${path}.windowsOptions`, sc.windowsOptions));
  errors.push(...appArmorProfileErrors(`${path}.appArmorProfile`, sc.appArmorProfile));
  return errors;
}

const clusterPolicy = 'disallowed by cluster policy';

/** Upstream's ValidateSecurityContext for one container; a privileged one only where the server allows it. */
export function containerSecurityContextErrors(path: string, sc: SecurityContext | undefined, hostUsers: boolean, allowPrivileged = false): FieldError[] {
  if (!sc) return [];
  const errors: FieldError[] = [];
  if (sc.privileged && !allowPrivileged) errors.push(forbidden(`${path}.privileged`, clusterPolicy));
  if (!validID(sc.runAsUser)) errors.push(invalid(`${path}.runAsUser`, sc.runAsUser, userIDMessage));
  if (!validID(sc.runAsGroup)) errors.push(invalid(`${path}.runAsGroup`, sc.runAsGroup, userIDMessage));
  if (sc.procMount === 'Unmasked' && hostUsers) errors.push(invalid(`${path}.procMount`, 'Unmasked', '`hostUsers` must be false to use `Unmasked`'));
  errors.push(...seccompProfileErrors(`${path}.seccompProfile`, sc.seccompProfile));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) errors.push(invalid(path, goValue(goSecurityContext, sc), 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap === 'CAP_SYS_ADMIN') errors.push(invalid(path, goValue(goSecurityContext, sc), 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  errors.push(...windowsOptionsErrors(`${path}.windowsOptions`, sc.windowsOptions));
  errors.push(...appArmorProfileErrors(`${path}.appArmorProfile`, sc.appArmorProfile));
  return errors;
}

/** Every container with its path, init containers first (upstream's podshelper.VisitContainersWithPath). */
function containersWithPath(spec: PodSpec, path: string): Array<[AnyContainer, string]> {
  const out: Array<[AnyContainer, string]> = [];
  for (const k of ['initContainers', 'containers', 'ephemeralContainers'] as const) (spec[k] ?? []).forEach((c: AnyContainer, i: number) => out.push([c, `${path}.${k}[${i}]`]));
  return out;
}

/**
 * Upstream's validateWindowsHostProcessPod: where the pod and a container both say hostProcess they agree, and a
 * pod with any hostProcess container has only such containers and the host's network, and only where the server
 * allows privileged containers.
 */
export function windowsHostProcessErrors(path: string, spec: PodSpec, allowPrivileged = false): FieldError[] {
  const errors: FieldError[] = [];
  const podHostProcess = spec.securityContext?.windowsOptions?.hostProcess;
  let containers = 0;
  let hostProcess = 0;
  for (const [c, at] of containersWithPath(spec, path)) {
    containers++;
    const mine = c.securityContext?.windowsOptions?.hostProcess;
    if (podHostProcess != null && mine != null && podHostProcess !== mine) {
      errors.push(invalid(`${at}.securityContext.windowsOptions.hostProcess`, mine, `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`));
    }
    if (mine === true || (mine == null && podHostProcess === true)) hostProcess++;
  }
  if (hostProcess > 0) {
    if (hostProcess !== containers) errors.push(invalid(path, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
    if (!spec.hostNetwork) errors.push(invalid(`${path}.hostNetwork`, false, 'hostNetwork must be true if pod contains any hostProcess containers'));
    // A hostProcess container has the node's privileges, so the same flag governs it.
    if (!allowPrivileged) errors.push(forbidden(path, `hostProcess containers are ${clusterPolicy}`));
  }
  return errors;
}

const linuxOnlyPod = [
  ['securityContext.appArmorProfile', (s: PodSpec) => s.securityContext?.appArmorProfile],
  ['securityContext.seLinuxOptions', (s: PodSpec) => s.securityContext?.seLinuxOptions],
  ['hostUsers', (s: PodSpec) => (s as { hostUsers?: boolean }).hostUsers],
  ['hostPID', (s: PodSpec) => (s.hostPID ? true : undefined)],
  ['hostIPC', (s: PodSpec) => (s.hostIPC ? true : undefined)],
  ['securityContext.seccompProfile', (s: PodSpec) => s.securityContext?.seccompProfile],
  ['securityContext.fsGroup', (s: PodSpec) => s.securityContext?.fsGroup],
  ['securityContext.fsGroupChangePolicy', (s: PodSpec) => s.securityContext?.fsGroupChangePolicy],
  ['securityContext.sysctls', (s: PodSpec) => (s.securityContext?.sysctls?.length ? s.securityContext.sysctls : undefined)],
  ['shareProcessNamespace', (s: PodSpec) => s.shareProcessNamespace],
  ['securityContext.runAsUser', (s: PodSpec) => s.securityContext?.runAsUser],
  ['securityContext.runAsGroup', (s: PodSpec) => s.securityContext?.runAsGroup],
  ['securityContext.supplementalGroups', (s: PodSpec) => s.securityContext?.supplementalGroups],
  ['securityContext.supplementalGroupsPolicy', (s: PodSpec) => s.securityContext?.supplementalGroupsPolicy],
  ['securityContext.seLinuxChangePolicy', (s: PodSpec) => s.securityContext?.seLinuxChangePolicy],
] as const;

const linuxOnlyContainer = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'] as const;

/**
 * With `os.name` set, the settings of the other OS are refused (upstream's validateLinux and validateWindows), after
 * the rest of the spec.
 */
export function osSpecificErrors(path: string, spec: PodSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.os?.name === 'linux') {
    if (spec.securityContext?.windowsOptions != null) errors.push(forbidden(`${path}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
    for (const [c, at] of containersWithPath(spec, path)) {
      if (c.securityContext?.windowsOptions != null) errors.push(forbidden(`${at}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
    }
  } else if (spec.os?.name === 'windows') {
    for (const [field, get] of linuxOnlyPod) if (get(spec) != null) errors.push(forbidden(`${path}.${field}`, 'cannot be set for a windows pod'));
    for (const [c, at] of containersWithPath(spec, path)) {
      const sc = c.securityContext as Record<string, unknown> | undefined;
      if (!sc) continue;
      for (const field of linuxOnlyContainer) if (sc[field] != null) errors.push(forbidden(`${at}.securityContext.${field}`, 'cannot be set for a windows pod'));
    }
  }
  return errors;
}
