/**
 * Volume sources, checked as kube-apiserver v1.32 checks them (pkg/apis/core/validation: validateVolumeSource with
 * its per-source functions for a pod's volumes, the source half of ValidatePersistentVolumeSpec for
 * PersistentVolumes). Paths, reasons, messages and bad values are upstream's, including its odd spellings: a GCE disk
 * is checked at `persistentDisk`, a second cephfs source is refused at `cephFS`, a second downwardAPI one at
 * `downwarAPI`, and ISCSI's initiator at `initiatorname`. Sources are visited in upstream's order, which is not the
 * order of the Go types, so a body with several sources lists its errors as upstream does.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goStrings, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import { validateAnnotationKey, validateName } from '../../../runtime/registry/objectmeta.ts';
import { validateLabels } from '../../meta/v1/validation-helpers.ts';
import type { PersistentVolumeSource, PersistentVolumeSpec, SecretReference } from './persistentvolume.ts';
import type { PersistentVolumeClaimSpec } from './persistentvolumeclaim.ts';
import { validatePersistentVolumeClaimSpec } from './claim-validation.ts';
import { objectFieldSelectorErrors } from './field-selector-validation.ts';
import { quantityValue } from './validation-common.ts';
import type { DownwardAPIVolumeFile, KeyToPath, Volume, VolumeSource } from './volume.ts';

// ---- small shared pieces ----

const fileModeMsg = 'must be a number between 0 and 0777 (octal), both inclusive';
const oneTypeMsg = 'may not specify more than 1 volume type';


function fileModeErrors(field: string, mode: number | undefined | null): FieldError[] {
  return mode != null && (mode < 0 || mode > 0o777) ? [invalid(field, mode, fileModeMsg)] : [];
}

/** No `..` element anywhere in the path (upstream's validatePathNoBacksteps): one error however many there are. */
export function pathBackstepErrors(field: string, p: string): FieldError[] {
  return p.split('/').includes('..') ? [invalid(field, p, "must not contain '..'")] : [];
}

/** A relative path that stays below its root (upstream's validateLocalDescendingPath). */
export function localDescendingPathErrors(field: string, p: string): FieldError[] {
  return [...(p.startsWith('/') ? [invalid(field, p, 'must be a relative path')] : []), ...pathBackstepErrors(field, p)];
}

/** A descending path that does not start with `..` either (upstream's ValidateLocalNonReservedPath). */
export function localNonReservedPathErrors(field: string, p: string): FieldError[] {
  const errors = localDescendingPathErrors(field, p);
  // `../x` is already the '..' element's error.
  if (p.startsWith('..') && !p.startsWith('../')) errors.push(invalid(field, p, "must not start with '..'"));
  return errors;
}

/** A key projected into a file (upstream's validateKeyToPath). */
export function validateKeyToPath(path: string, item: Partial<KeyToPath>): FieldError[] {
  const errors: FieldError[] = [];
  if (!item.key) errors.push(required(`${path}.key`, ''));
  if (!item.path) errors.push(required(`${path}.path`, ''));
  errors.push(...localNonReservedPathErrors(`${path}.path`, item.path ?? ''), ...fileModeErrors(`${path}.mode`, item.mode));
  return errors;
}

const dnsLabelErrors = (field: string, v: string) => isDNS1123Label(v).map((msg) => invalid(field, v, msg));
const dnsSubdomainErrors = (field: string, v: string) => isDNS1123Subdomain(v).map((msg) => invalid(field, v, msg));

// ---- ISCSI ----

const iqnPattern = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9.-]+)(:[^,;*&$|\t\n\f\r ]+)$/;
const euiPattern = /^eui.[A-Za-z0-9]{16}$/;
const naaPattern = /^naa.[A-Za-z0-9]{32}$/;
const iscsiPrefixed = (s: string) => s.startsWith('iqn') || s.startsWith('eui') || s.startsWith('naa');

/** The prefix's own pattern, when the name has one of the three prefixes; true when it has none. */
function iscsiNameMatches(s: string): boolean {
  if (s.startsWith('iqn')) return iqnPattern.test(s);
  if (s.startsWith('eui')) return euiPattern.test(s);
  if (s.startsWith('naa')) return naaPattern.test(s);
  return true;
}

interface ISCSICommon {
  targetPortal?: string;
  iqn?: string;
  lun?: number;
  chapAuthDiscovery?: boolean;
  chapAuthSession?: boolean;
  secretRef?: { name?: string } | null;
  initiatorName?: string | null;
}

/** IQN, LUN, CHAP secret and initiator checks; a pod's volume and a PV word the "no prefix" case differently. */
function iscsiTail(at: string, s: ISCSICommon, pv: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const prefixMsg = pv ? 'must be valid format' : 'must be valid format starting with iqn, eui, or naa';
  if (!s.iqn) errors.push(required(`${at}.iqn`, ''));
  else if (!iscsiPrefixed(s.iqn)) errors.push(invalid(`${at}.iqn`, s.iqn, prefixMsg));
  else if (!iscsiNameMatches(s.iqn)) errors.push(invalid(`${at}.iqn`, s.iqn, 'must be valid format'));
  const lun = s.lun ?? 0;
  if (lun < 0 || lun > 255) errors.push(invalid(`${at}.lun`, lun, inclusiveRangeError(0, 255)));
  if ((s.chapAuthDiscovery || s.chapAuthSession) && !s.secretRef) errors.push(required(`${at}.secretRef`, ''));
  if (pv && s.secretRef && !s.secretRef.name) errors.push(required(`${at}.secretRef.name`, ''));
  if (s.initiatorName != null) {
    const name = s.initiatorName;
    if (!iscsiPrefixed(name)) errors.push(invalid(`${at}.initiatorname`, name, prefixMsg));
    else if (!iscsiNameMatches(name)) errors.push(invalid(`${at}.initiatorname`, name, 'must be valid format'));
  }
  return errors;
}

const iscsiNameTooLong = 'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.';

// ---- the sources (each takes the source and the path it is checked at) ----

type Check<S> = (src: S, at: string, ctx: SourceContext) => FieldError[];

interface SourceContext {
  /** The volume's path (`spec.volumes[0]`) or the PV spec's (`spec`). */
  base: string;
  /** The volume's name, or the PV's. */
  name: string;
  /** The pod's name (pods only; templates have none yet). */
  podName?: string;
  /** A Pod, not a pod template (an image volume must name its image then). */
  forPod: boolean;
  /** The PV has a node affinity (a local volume needs one). */
  nodeAffinity: boolean;
}

const hostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

const hostPath: Check<NonNullable<VolumeSource['hostPath']>> = (s, at) => {
  if (!s.path) return [required(`${at}.path`, '')];
  const errors = pathBackstepErrors(`${at}.path`, s.path);
  if (s.type != null && !hostPathTypes.includes(s.type)) errors.push(notSupported(`${at}.type`, s.type, hostPathTypes));
  return errors;
};

const emptyDir: Check<NonNullable<VolumeSource['emptyDir']>> = (s, at) =>
  s.sizeLimit != null && quantityValue(String(s.sizeLimit)) < 0 ? [forbidden(`${at}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')] : [];

const gitRepo: Check<NonNullable<VolumeSource['gitRepo']>> = (s, at) => [
  ...(s.repository ? [] : [required(`${at}.repository`, '')]),
  ...localDescendingPathErrors(`${at}.directory`, s.directory ?? ''),
];

const diskPartition = (at: string, partition: number | undefined): FieldError[] =>
  (partition ?? 0) < 0 || (partition ?? 0) > 255 ? [invalid(`${at}.partition`, partition, inclusiveRangeError(1, 255))] : [];

const gcePersistentDisk: Check<NonNullable<VolumeSource['gcePersistentDisk']>> = (s, at) => [
  ...(s.pdName ? [] : [required(`${at}.pdName`, '')]),
  ...diskPartition(at, s.partition),
];

const awsElasticBlockStore: Check<NonNullable<VolumeSource['awsElasticBlockStore']>> = (s, at) => [
  ...(s.volumeID ? [] : [required(`${at}.volumeID`, '')]),
  ...diskPartition(at, s.partition),
];

const secret: Check<NonNullable<VolumeSource['secret']>> = (s, at) => [
  ...(s.secretName ? [] : [required(`${at}.secretName`, '')]),
  ...fileModeErrors(`${at}.defaultMode`, s.defaultMode),
  ...(s.items ?? []).flatMap((item, i) => validateKeyToPath(`${at}.items[${i}]`, item)),
];

const configMap: Check<NonNullable<VolumeSource['configMap']>> = (s, at) => [
  ...(s.name ? [] : [required(`${at}.name`, '')]),
  ...fileModeErrors(`${at}.defaultMode`, s.defaultMode),
  ...(s.items ?? []).flatMap((item, i) => validateKeyToPath(`${at}.items[${i}]`, item)),
];

const nfs: Check<NonNullable<VolumeSource['nfs']>> = (s, at) => {
  const errors: FieldError[] = [];
  if (!s.server) errors.push(required(`${at}.server`, ''));
  if (!s.path) errors.push(required(`${at}.path`, ''));
  if (!(s.path ?? '').startsWith('/')) errors.push(invalid(`${at}.path`, s.path ?? '', 'must be an absolute path'));
  return errors;
};

const iscsi: Check<NonNullable<VolumeSource['iscsi']>> = (s, at) => [...(s.targetPortal ? [] : [required(`${at}.targetPortal`, '')]), ...iscsiTail(at, s, false)];

const iscsiPV: Check<NonNullable<PersistentVolumeSource['iscsi']>> = (s, at, ctx) => {
  const errors = s.targetPortal ? [] : [required(`${at}.targetPortal`, '')];
  if (s.initiatorName != null && `${ctx.name}:${s.targetPortal ?? ''}`.length > 64) errors.push(invalid(`${at}.targetportal`, s.targetPortal ?? '', iscsiNameTooLong));
  return [...errors, ...iscsiTail(at, s, true)];
};

const glusterfs: Check<{ endpoints?: string; path?: string }> = (s, at) => [
  ...(s.endpoints ? [] : [required(`${at}.endpoints`, '')]),
  ...(s.path ? [] : [required(`${at}.path`, '')]),
];

const glusterfsPV: Check<NonNullable<PersistentVolumeSource['glusterfs']>> = (s, at, ctx) => {
  const errors = glusterfs(s, at, ctx);
  const ns = s.endpointsNamespace;
  if (ns === '') errors.push(invalid(`${at}.endpointsNamespace`, ns, 'if the endpointnamespace is set, it must be a valid namespace name'));
  else if (ns != null) errors.push(...dnsLabelErrors(`${at}.endpointsNamespace`, ns));
  return errors;
};

const flocker: Check<NonNullable<VolumeSource['flocker']>> = (s, at) => {
  const errors: FieldError[] = [];
  if (!s.datasetName && !s.datasetUUID) errors.push(required(at, 'one of datasetName and datasetUUID is required'));
  if (s.datasetName && s.datasetUUID) errors.push(invalid(at, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
  if ((s.datasetName ?? '').includes('/')) errors.push(invalid(`${at}.datasetName`, s.datasetName, "must not contain '/'"));
  return errors;
};

const persistentVolumeClaim: Check<NonNullable<VolumeSource['persistentVolumeClaim']>> = (s, at) => (s.claimName ? [] : [required(`${at}.claimName`, '')]);

const rbd: Check<{ monitors?: string[] | null; image?: string }> = (s, at) => [
  ...(s.monitors?.length ? [] : [required(`${at}.monitors`, '')]),
  ...(s.image ? [] : [required(`${at}.image`, '')]),
];

const cinder: Check<NonNullable<VolumeSource['cinder']>> = (s, at) => [
  ...(s.volumeID ? [] : [required(`${at}.volumeID`, '')]),
  ...(s.secretRef && !s.secretRef.name ? [required(`${at}.secretRef.name`, '')] : []),
];

const cinderPV: Check<NonNullable<PersistentVolumeSource['cinder']>> = (s, at) => [
  ...(s.volumeID ? [] : [required(`${at}.volumeID`, '')]),
  ...(s.secretRef && !s.secretRef.name ? [required(`${at}.secretRef.name`, '')] : []),
  ...(s.secretRef && !s.secretRef.namespace ? [required(`${at}.secretRef.namespace`, '')] : []),
];

const cephfs: Check<{ monitors?: string[] | null }> = (s, at) => (s.monitors?.length ? [] : [required(`${at}.monitors`, '')]);

/** host:port, as Go's net.SplitHostPort accepts it (a bracketed IPv6 host, no other colon in the host). */
function isHostPort(s: string): boolean {
  const colon = s.lastIndexOf(':');
  if (colon < 0) return false;
  let host: string;
  if (s.startsWith('[')) {
    const end = s.indexOf(']');
    if (end < 0 || end + 1 !== colon) return false;
    host = s.slice(1, end);
  } else {
    host = s.slice(0, colon);
    if (host.includes(':')) return false;
  }
  return !host.includes('[') && !host.includes(']') && !s.slice(colon + 1).includes('[') && !s.slice(colon + 1).includes(']');
}

const quobyteRegistryMsg = 'must be a host:port pair or multiple pairs separated by commas';

const quobyte: Check<NonNullable<VolumeSource['quobyte']>> = (s, at) => {
  const errors: FieldError[] = [];
  if (!s.registry) errors.push(required(`${at}.registry`, quobyteRegistryMsg));
  else if ((s.tenant ?? '').length >= 65) errors.push(required(`${at}.tenant`, 'must be a UUID and may not exceed a length of 64 characters'));
  else for (const pair of s.registry.split(',')) if (!isHostPort(pair)) errors.push(invalid(`${at}.registry`, s.registry, quobyteRegistryMsg));
  if (!s.volume) errors.push(required(`${at}.volume`, ''));
  return errors;
};

// Downward API files: field paths a volume may show, and the container resources it may.
const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const hugePagesPrefixes = ['limits.hugepages-', 'requests.hugepages-'];

/** A downward API field reference of a volume file, with the volume's field paths. */
const volumeFieldRefErrors = (at: string, ref: { apiVersion?: string; fieldPath?: string }) => objectFieldSelectorErrors(at, ref, volumeFieldPaths);

function volumeResourceRefErrors(at: string, ref: { containerName?: string; resource?: string; divisor?: string | number }): FieldError[] {
  const errors: FieldError[] = [];
  const resource = ref.resource ?? '';
  if (!ref.containerName) errors.push(required(`${at}.containerName`, ''));
  else if (!resource) errors.push(required(`${at}.resource`, ''));
  else if (!resourceFieldPaths.includes(resource) && !hugePagesPrefixes.some((p) => resource.startsWith(p))) errors.push(notSupported(`${at}.resource`, resource, resourceFieldPaths));
  return [...errors, ...resourceDivisorErrors(`${at}.divisor`, resource, ref.divisor)];
}

const byteDivisors = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

/**
 * Whether a divisor prints (as Go's Quantity.String() canonicalizes it) as one of the allowed unit values: `1m` and
 * `1` for cpu, `1` and the decimal or binary powers for byte quantities. `1000m` prints as `1`, `1024Ki` as `1Mi`,
 * while `1024` stays `1024` and `1e3` stays `1e3`.
 */
function divisorAllowed(q: string, cpu: boolean): boolean {
  const m = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(q);
  const value = quantityValue(q);
  if (!m || Number.isNaN(value)) return false;
  const suffix = m[1] ?? '';
  const near = (x: number) => Math.abs(value - x) <= Math.abs(x) * 1e-9;
  if (near(1)) return true;
  if (cpu) return near(0.001) && !/^[eE]/.test(suffix);
  if (/^[KMGTPE]i$/.test(suffix)) return [1, 2, 3, 4, 5, 6].some((k) => near(1024 ** k));
  if (/^[eE]/.test(suffix)) return false;
  return [3, 6, 9, 12, 15, 18].some((k) => near(10 ** k));
}

/** A downward API resource's divisor (upstream's validateContainerResourceDivisor); zero means unset. */
export function resourceDivisorErrors(field: string, resource: string, divisor: string | number | undefined): FieldError[] {
  if (divisor == null) return [];
  const q = String(divisor);
  if (quantityValue(q) === 0) return [];
  const errors: FieldError[] = [];
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    if (!divisorAllowed(q, true)) errors.push(invalid(field, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
  } else if (resource === 'limits.memory' || resource === 'requests.memory') {
    if (!divisorAllowed(q, false)) errors.push(invalid(field, resource, `only divisor's values ${byteDivisors} are supported with the memory resource`));
  } else if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') {
    if (!divisorAllowed(q, false)) errors.push(invalid(field, resource, `only divisor's values ${byteDivisors} are supported with the local ephemeral storage resource`));
  }
  if (hugePagesPrefixes.some((p) => resource.startsWith(p)) && !divisorAllowed(q, false)) {
    errors.push(invalid(field, resource, `only divisor's values ${byteDivisors} are supported with the hugepages resource`));
  }
  return errors;
}

/** One downward API file, reported at `at` itself (upstream does not index the items). */
function downwardAPIFile(at: string, file: Partial<DownwardAPIVolumeFile>): FieldError[] {
  const errors: FieldError[] = [];
  if (!file.path) errors.push(required(`${at}.path`, ''));
  errors.push(...localNonReservedPathErrors(`${at}.path`, file.path ?? ''));
  if (file.fieldRef) {
    errors.push(...volumeFieldRefErrors(`${at}.fieldRef`, file.fieldRef));
    if (file.resourceFieldRef) errors.push(invalid(at, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (file.resourceFieldRef) errors.push(...volumeResourceRefErrors(`${at}.resourceFieldRef`, file.resourceFieldRef));
  else errors.push(required(at, 'one of fieldRef and resourceFieldRef is required'));
  errors.push(...fileModeErrors(`${at}.mode`, file.mode));
  return errors;
}

const downwardAPI: Check<NonNullable<VolumeSource['downwardAPI']>> = (s, at) => [
  ...fileModeErrors(`${at}.defaultMode`, s.defaultMode),
  ...(s.items ?? []).flatMap((f) => downwardAPIFile(at, f)),
];

const fc: Check<NonNullable<VolumeSource['fc']>> = (s, at) => {
  const errors: FieldError[] = [];
  const wwns = s.targetWWNs?.length ?? 0;
  const wwids = s.wwids?.length ?? 0;
  if (wwns < 1 && wwids < 1) errors.push(required(`${at}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
  if (wwns && wwids) errors.push(invalid(`${at}.targetWWNs`, goValue(goStrings, s.targetWWNs), 'targetWWNs and wwids can not be specified simultaneously'));
  if (wwns) {
    if (s.lun == null) errors.push(required(`${at}.lun`, 'lun is required if targetWWNs is specified'));
    else if (s.lun < 0 || s.lun > 255) errors.push(invalid(`${at}.lun`, s.lun, inclusiveRangeError(0, 255)));
  }
  return errors;
};

const flexVolume: Check<{ driver?: string; options?: Record<string, string> | null }> = (s, at) => {
  const errors = s.driver ? [] : [required(`${at}.driver`, '')];
  for (const key of Object.keys(s.options ?? {})) {
    const slash = key.indexOf('/');
    const domain = `.${(slash < 0 ? key : key.slice(0, slash)).toLowerCase()}`;
    if (domain.endsWith('.kubernetes.io') || domain.endsWith('.k8s.io')) errors.push(invalid(`${at}.options[${key}]`, key, 'kubernetes.io and k8s.io namespaces are reserved'));
  }
  return errors;
};

const azureFile: Check<{ secretName?: string; shareName?: string }> = (s, at) => [
  ...(s.secretName ? [] : [required(`${at}.secretName`, '')]),
  ...(s.shareName ? [] : [required(`${at}.shareName`, '')]),
];

const azureFilePV: Check<NonNullable<PersistentVolumeSource['azureFile']>> = (s, at, ctx) => [
  ...azureFile(s, at, ctx),
  ...(s.secretNamespace === '' ? [required(`${at}.secretNamespace`, '')] : []),
];

const cachingModes = ['None', 'ReadOnly', 'ReadWrite'];
const diskKinds = ['Dedicated', 'Managed', 'Shared'];

const azureDisk: Check<NonNullable<VolumeSource['azureDisk']>> = (s, at) => {
  const errors: FieldError[] = [];
  if (!s.diskName) errors.push(required(`${at}.diskName`, ''));
  if (!s.diskURI) errors.push(required(`${at}.diskURI`, ''));
  if (s.cachingMode != null && !cachingModes.includes(s.cachingMode)) errors.push(notSupported(`${at}.cachingMode`, s.cachingMode, cachingModes));
  if (s.kind != null && !diskKinds.includes(s.kind)) errors.push(notSupported(`${at}.kind`, s.kind, diskKinds));
  const uri = s.diskURI ?? '';
  if (s.kind === 'Managed' && !uri.startsWith('/subscriptions/')) {
    errors.push(notSupported(`${at}.diskURI`, uri, ['/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}']));
  }
  if (s.kind != null && s.kind !== 'Managed' && !uri.startsWith('https://')) {
    errors.push(notSupported(`${at}.diskURI`, uri, ['https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd']));
  }
  return errors;
};

const vsphereVolume: Check<NonNullable<VolumeSource['vsphereVolume']>> = (s, at) => (s.volumePath ? [] : [required(`${at}.volumePath`, '')]);
const photonPersistentDisk: Check<NonNullable<VolumeSource['photonPersistentDisk']>> = (s, at) => (s.pdID ? [] : [required(`${at}.pdID`, '')]);
const portworxVolume: Check<NonNullable<VolumeSource['portworxVolume']>> = (s, at) => (s.volumeID ? [] : [required(`${at}.volumeID`, '')]);

const scaleIO: Check<{ gateway?: string; system?: string; volumeName?: string }> = (s, at) => [
  ...(s.gateway ? [] : [required(`${at}.gateway`, '')]),
  ...(s.system ? [] : [required(`${at}.system`, '')]),
  ...(s.volumeName ? [] : [required(`${at}.volumeName`, '')]),
];

const storageos: Check<{ volumeName?: string; volumeNamespace?: string; secretRef?: { name?: string; namespace?: string } | null }> = (s, at) => [
  ...(s.volumeName ? dnsLabelErrors(`${at}.volumeName`, s.volumeName) : [required(`${at}.volumeName`, '')]),
  ...(s.volumeNamespace ? dnsLabelErrors(`${at}.volumeNamespace`, s.volumeNamespace) : []),
  ...(s.secretRef && !s.secretRef.name ? [required(`${at}.secretRef.name`, '')] : []),
];

const storageosPV: Check<NonNullable<PersistentVolumeSource['storageos']>> = (s, at, ctx) => [
  ...storageos(s, at, ctx),
  ...(s.secretRef && !s.secretRef.namespace ? [required(`${at}.secretRef.namespace`, '')] : []),
];

/** Projected sources: at most one kind each, and no two files at the same path across all of them. */
const projected: Check<NonNullable<VolumeSource['projected']>> = (s, at) => {
  const errors = fileModeErrors(`${at}.defaultMode`, s.defaultMode);
  const paths = new Set<string>();
  const claim = (p: string, bad: unknown) => {
    if (paths.has(p)) errors.push(invalid(at, bad, 'conflicting duplicate paths'));
    else paths.add(p);
  };
  (s.sources ?? []).forEach((src, i) => {
    const sp = `${at}.sources[${i}]`;
    let kinds = 0;
    for (const k of ['secret', 'configMap'] as const) {
      const ref = src[k];
      if (!ref) continue;
      kinds++;
      if (!ref.name) errors.push(required(`${sp}.${k}.name`, ''));
      (ref.items ?? []).forEach((item, j) => {
        errors.push(...validateKeyToPath(`${sp}.${k}.items[${j}]`, item));
        if (item.path) claim(item.path, ref.name ?? '');
      });
    }
    if (src.downwardAPI) {
      kinds++;
      for (const f of src.downwardAPI.items ?? []) {
        errors.push(...downwardAPIFile(`${sp}.downwardAPI`, f));
        if (f.path) claim(f.path, f.path);
      }
    }
    const token = src.serviceAccountToken;
    if (token) {
      kinds++;
      const seconds = token.expirationSeconds ?? 0;
      if (seconds < 600) errors.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errors.push(invalid(`${sp}.serviceAccountToken.expirationSeconds`, seconds, 'may not specify a duration larger than 2^32 seconds'));
      // Upstream checks the token's path at the projected volume's own `path`.
      if (!token.path) errors.push(required(`${at}.path`, ''));
      else errors.push(...localNonReservedPathErrors(`${at}.path`, token.path));
    }
    // clusterTrustBundle sources are not counted: v1.32 drops them (ClusterTrustBundleProjection is an alpha gate, off).
    if (kinds > 1) errors.push(forbidden(sp, 'may not specify more than 1 volume type per source'));
  });
  return errors;
};

/** A CSI driver name: a DNS subdomain (compared lower-cased) of at most 63 characters. */
export function csiDriverNameErrors(field: string, driver: string | undefined): FieldError[] {
  const name = driver ?? '';
  const errors: FieldError[] = [];
  if (!name) errors.push(required(field, ''));
  if (name.length > 63) errors.push(tooLong(field, undefined, 63));
  for (const msg of isDNS1123Subdomain(name.toLowerCase())) errors.push(invalid(field, name, msg));
  return errors;
}

const csi: Check<NonNullable<VolumeSource['csi']>> = (s, at) => {
  const errors = csiDriverNameErrors(`${at}.driver`, s.driver);
  const ref = s.nodePublishSecretRef;
  if (ref) {
    if (!ref.name) errors.push(required(`${at}.nodePublishSecretRef.name`, ''));
    // Upstream reports a bad secret name at `csi.name`.
    else errors.push(...dnsSubdomainErrors(`${at}.name`, ref.name));
  }
  return errors;
};

function pvSecretRefErrors(at: string, ref: SecretReference): FieldError[] {
  return [
    ...(ref.name ? dnsSubdomainErrors(`${at}.name`, ref.name) : [required(`${at}.name`, '')]),
    ...(ref.namespace ? dnsLabelErrors(`${at}.namespace`, ref.namespace) : [required(`${at}.namespace`, '')]),
  ];
}

const csiPV: Check<NonNullable<PersistentVolumeSource['csi']>> = (s, at) => {
  const errors = csiDriverNameErrors(`${at}.driver`, s.driver);
  if (!s.volumeHandle) errors.push(required(`${at}.volumeHandle`, ''));
  // Upstream checks these four (not nodeStageSecretRef), in this order.
  for (const k of ['controllerPublishSecretRef', 'controllerExpandSecretRef', 'nodePublishSecretRef', 'nodeExpandSecretRef'] as const) {
    const ref = s[k];
    if (ref) errors.push(...pvSecretRefErrors(`${at}.${k}`, ref));
  }
  return errors;
};

const local: Check<NonNullable<PersistentVolumeSource['local']>> = (s, at, ctx) => {
  const errors = s.path ? pathBackstepErrors(`${at}.path`, s.path) : [required(`${at}.path`, '')];
  if (!ctx.nodeAffinity) errors.push(required(`${ctx.base}.nodeAffinity`, 'Local volume requires node affinity'));
  return errors;
};

/** ObjectMeta fields in Go's order, with the name upstream's allow-list check reports them by (first letter lowered). */
const templateMetaFields: Array<[string, string]> = [
  ['name', 'name'], ['generateName', 'generateName'], ['namespace', 'namespace'], ['selfLink', 'selfLink'], ['uid', 'uID'],
  ['resourceVersion', 'resourceVersion'], ['generation', 'generation'], ['creationTimestamp', 'creationTimestamp'],
  ['deletionTimestamp', 'deletionTimestamp'], ['deletionGracePeriodSeconds', 'deletionGracePeriodSeconds'],
  ['ownerReferences', 'ownerReferences'], ['finalizers', 'finalizers'], ['managedFields', 'managedFields'],
];

const ephemeral: Check<NonNullable<VolumeSource['ephemeral']>> = (s, at, ctx) => {
  const tpl = s.volumeClaimTemplate;
  if (!tpl) return [required(`${at}.volumeClaimTemplate`, '')];
  const tp = `${at}.volumeClaimTemplate`;
  const meta = (tpl.metadata ?? {}) as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys((meta.annotations as Record<string, string>) ?? {})) errors.push(...validateAnnotationKey(key, `${tp}.metadata.annotations`));
  errors.push(...validateLabels(meta.labels as Record<string, string> | undefined, `${tp}.metadata.labels`));
  for (const [k, reported] of templateMetaFields) {
    const v = meta[k];
    if (v != null && v !== '' && v !== 0) errors.push(forbidden(`${tp}.metadata.${reported}`, 'cannot be set'));
  }
  errors.push(...validatePersistentVolumeClaimSpec(`${tp}.spec`, tpl.spec ?? ({} as PersistentVolumeClaimSpec)));
  if (ctx.podName && ctx.name) {
    const claimName = `${ctx.podName}-${ctx.name}`;
    for (const e of validateName(claimName, 'dns1123-subdomain', `${ctx.base}.name`)) errors.push(invalid(e.field, ctx.name, `PVC name ${JSON.stringify(claimName)}: ${e.detail}`));
  }
  return errors;
};

const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

const image: Check<NonNullable<VolumeSource['image']>> = (s, at, ctx) => {
  const errors = ctx.forPod && !s.reference ? [required(`${at}.reference`, '')] : [];
  if (!s.pullPolicy) errors.push(required(`${at}.pullPolicy`, ''));
  else if (!pullPolicies.includes(s.pullPolicy)) errors.push(notSupported(`${at}.pullPolicy`, s.pullPolicy, pullPolicies));
  return errors;
};

// ---- the walks ----

interface Rule<S> {
  key: keyof S & string;
  check: Check<never>;
  /** Where the source is checked, when upstream names it otherwise. */
  at?: string;
  /** Where a second source is refused, when upstream names it otherwise. */
  refusedAt?: string;
  /** Never refused as a second source (a PV's flexVolume), only counted. */
  neverRefused?: boolean;
}

function walkSources<S>(obj: S, rules: readonly Rule<S>[], ctx: SourceContext, after?: (key: string) => FieldError[]): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const r of rules) {
    const src = (obj as Record<string, unknown>)[r.key];
    if (src == null) continue;
    if (count > 0 && !r.neverRefused) errors.push(forbidden(`${ctx.base}.${r.refusedAt ?? r.key}`, oneTypeMsg));
    else {
      count++;
      errors.push(...(r.check as Check<unknown>)(src, `${ctx.base}.${r.at ?? r.key}`, ctx));
    }
    if (after) errors.push(...after(r.key));
  }
  if (count === 0) errors.push(required(ctx.base, 'must specify a volume type'));
  return errors;
}

/** A pod volume's sources, in upstream's validateVolumeSource order. */
const podVolumeRules: readonly Rule<VolumeSource>[] = [
  { key: 'emptyDir', check: emptyDir },
  { key: 'hostPath', check: hostPath },
  { key: 'gitRepo', check: gitRepo },
  { key: 'gcePersistentDisk', check: gcePersistentDisk, at: 'persistentDisk' },
  { key: 'awsElasticBlockStore', check: awsElasticBlockStore },
  { key: 'secret', check: secret },
  { key: 'nfs', check: nfs },
  { key: 'iscsi', check: iscsi },
  { key: 'glusterfs', check: glusterfs },
  { key: 'flocker', check: flocker },
  { key: 'persistentVolumeClaim', check: persistentVolumeClaim },
  { key: 'rbd', check: rbd },
  { key: 'cinder', check: cinder },
  { key: 'cephfs', check: cephfs, refusedAt: 'cephFS' },
  { key: 'quobyte', check: quobyte },
  { key: 'downwardAPI', check: downwardAPI, refusedAt: 'downwarAPI' },
  { key: 'fc', check: fc },
  { key: 'flexVolume', check: flexVolume },
  { key: 'configMap', check: configMap },
  { key: 'azureFile', check: azureFile },
  { key: 'vsphereVolume', check: vsphereVolume },
  { key: 'photonPersistentDisk', check: photonPersistentDisk },
  { key: 'portworxVolume', check: portworxVolume },
  { key: 'azureDisk', check: azureDisk },
  { key: 'storageos', check: storageos },
  { key: 'projected', check: projected },
  { key: 'scaleIO', check: scaleIO },
  { key: 'csi', check: csi },
  { key: 'ephemeral', check: ephemeral },
  { key: 'image', check: image },
];

/** A PersistentVolume's sources, in upstream's ValidatePersistentVolumeSpec order. */
const persistentVolumeRules: readonly Rule<PersistentVolumeSource>[] = [
  { key: 'hostPath', check: hostPath },
  { key: 'gcePersistentDisk', check: gcePersistentDisk, at: 'persistentDisk' },
  { key: 'awsElasticBlockStore', check: awsElasticBlockStore },
  { key: 'glusterfs', check: glusterfsPV },
  { key: 'flocker', check: flocker },
  { key: 'nfs', check: nfs },
  { key: 'rbd', check: rbd },
  { key: 'quobyte', check: quobyte },
  { key: 'cephfs', check: cephfs, refusedAt: 'cephFS' },
  { key: 'iscsi', check: iscsiPV },
  { key: 'cinder', check: cinderPV },
  { key: 'fc', check: fc },
  { key: 'flexVolume', check: flexVolume, neverRefused: true },
  { key: 'azureFile', check: azureFilePV },
  { key: 'vsphereVolume', check: vsphereVolume },
  { key: 'photonPersistentDisk', check: photonPersistentDisk },
  { key: 'portworxVolume', check: portworxVolume },
  { key: 'azureDisk', check: azureDisk },
  { key: 'scaleIO', check: scaleIO },
  { key: 'local', check: local },
  { key: 'storageos', check: storageosPV },
  { key: 'csi', check: csiPV },
];

/** The source of the pod volume at `vp` (upstream's validateVolumeSource). */
export function validatePodVolumeSource(vp: string, v: Volume, opts: { podName?: string; forPod: boolean }): FieldError[] {
  const ctx: SourceContext = { base: vp, name: v.name ?? '', podName: opts.podName, forPod: opts.forPod, nodeAffinity: false };
  // ISCSI's name-length rule holds whether or not iscsi was the volume's first source.
  const iscsiName = (key: string): FieldError[] =>
    key === 'iscsi' && v.iscsi?.initiatorName != null && `${ctx.name}:${v.iscsi.targetPortal ?? ''}`.length > 64 ? [invalid(`${vp}.name`, ctx.name, iscsiNameTooLong)] : [];
  return walkSources(v, podVolumeRules, ctx, iscsiName);
}

/** The source of a PersistentVolume's spec (the source half of upstream's ValidatePersistentVolumeSpec). */
export function validatePersistentVolumeSource(spec: PersistentVolumeSpec, pvName: string, nodeAffinity: boolean, base = 'spec'): FieldError[] {
  return walkSources(spec, persistentVolumeRules, { base, name: pvName, forPod: false, nodeAffinity });
}
