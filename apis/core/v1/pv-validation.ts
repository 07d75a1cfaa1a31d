/**
 * PersistentVolumes as kube-apiserver v1.32 checks them (pkg/apis/core/validation: ValidatePersistentVolumeSpec,
 * ValidatePersistentVolumeUpdate; pkg/volume/validation's mount-options annotation rule). The spec check also serves a
 * VolumeAttachment's inline volume spec, where upstream runs it in its "inline" mode: no capacity, claim, node
 * affinity or class, a CSI source, reclaim policy Retain and volume mode Filesystem only.
 */
import { posix } from 'node:path';
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goPointee, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { canonicalQuantity, compareQuantities, quantityWholeValue } from '../../../runtime/machinery/quantity.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validateName } from '../../../runtime/registry/objectmeta.ts';
import { persistentVolumeSources } from './defaults.ts';
import { goVolumeNodeAffinity } from './go-internal.ts';
import { goResourceList } from './go-internal-pod.ts';
import type { PersistentVolume, PersistentVolumeSpec } from './persistentvolume.ts';
import { hasInvalidLabelValue, validateNodeSelectorTerm } from './podspec-validation.ts';
import { validatePersistentVolumeSource } from './volume-validation.ts';

const pvAccessModes: string[] = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const pvReclaimPolicies: string[] = ['Delete', 'Recycle', 'Retain'];
const pvVolumeModes: string[] = ['Block', 'Filesystem'];
const inlineMsg = 'may not be specified in the context of inline volumes';

interface PersistentVolumeSpecContext {
  /** Where the spec sits: `spec`, or a VolumeAttachment's `spec.source.inlineVolumeSpec`. */
  path: string;
  /** The volume's name (an inline spec has none). */
  name: string;
  /** Upstream's validateInlinePersistentVolumeSpec. */
  inline: boolean;
  /** The stored spec on update (its node affinity decides whether label values are checked). */
  old?: PersistentVolumeSpec;
}

/** Capacity: present, storage alone, each amount positive (upstream's validateBasicResource and ValidatePositiveQuantityValue). */
function capacityErrors(at: string, capacity: Record<string, string> | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const keys = Object.keys(capacity ?? {});
  // An empty capacity is both missing and not storage alone, as upstream says it.
  if (keys.length === 0) errors.push(required(at, ''));
  if (!keys.includes('storage') || keys.length > 1) errors.push(notSupported(at, goValue(goResourceList, capacity), ['storage']));
  for (const [k, v] of Object.entries(capacity ?? {})) {
    const whole = quantityWholeValue(v);
    if (whole === undefined) continue;
    if (whole < 0n) errors.push(invalid(`${at}[${k}]`, Number(whole), 'must be a valid resource quantity'));
    if (compareQuantities(v, '0') <= 0) errors.push(invalid(`${at}[${k}]`, canonicalQuantity(v), 'must be greater than zero'));
  }
  return errors;
}

/** Upstream's ValidatePersistentVolumeSpec, in its order. */
export function validatePersistentVolumeSpec(spec: PersistentVolumeSpec, ctx: PersistentVolumeSpecContext): FieldError[] {
  const { path, inline } = ctx;
  const errors: FieldError[] = [];
  if (inline) {
    if (spec.claimRef) errors.push(forbidden(`${path}.claimRef`, inlineMsg));
    if (Object.keys(spec.capacity ?? {}).length) errors.push(forbidden(`${path}.capacity`, inlineMsg));
    if (!spec.csi) errors.push(required(`${path}.csi`, 'has to be specified in the context of inline volumes'));
  }
  if (!spec.accessModes?.length) errors.push(required(`${path}.accessModes`, ''));
  // The enumerations are open in the schema (@openEnum): upstream reports them here, at the list, sorted.
  for (const mode of spec.accessModes ?? []) {
    if (!pvAccessModes.includes(mode)) errors.push(notSupported(`${path}.accessModes`, mode, pvAccessModes));
  }
  if (spec.accessModes?.includes('ReadWriteOncePod') && spec.accessModes.some((m) => m !== 'ReadWriteOncePod' && pvAccessModes.includes(m))) {
    errors.push(forbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));
  }
  if (!inline) errors.push(...capacityErrors(`${path}.capacity`, spec.capacity));
  const policy = spec.persistentVolumeReclaimPolicy;
  if (policy && inline && policy !== 'Retain') errors.push(forbidden(`${path}.persistentVolumeReclaimPolicy`, 'may only be Retain in the context of inline volumes'));
  if (policy && !inline && !pvReclaimPolicies.includes(policy)) errors.push(notSupported(`${path}.persistentVolumeReclaimPolicy`, policy, pvReclaimPolicies));
  // Upstream's validateVolumeNodeAffinity, before the source (a local volume needs the affinity). Values must be
  // label values, unless the stored PV already had one that is not (ValidationOptionsForPersistentVolume).
  const affinity = spec.nodeAffinity;
  let affinitySet = false;
  if (affinity && inline) errors.push(forbidden(`${path}.nodeAffinity`, inlineMsg));
  else if (affinity) {
    affinitySet = true;
    const at = `${path}.nodeAffinity.required`;
    const terms = affinity.required?.nodeSelectorTerms;
    const labelValues = !hasInvalidLabelValue(ctx.old?.nodeAffinity?.required?.nodeSelectorTerms);
    if (!affinity.required) errors.push(required(at, 'must specify required node constraints'));
    else if (!terms?.length) errors.push(required(`${at}.nodeSelectorTerms`, 'must have at least one node selector term'));
    else terms.forEach((t, i) => errors.push(...validateNodeSelectorTerm(`${at}.nodeSelectorTerms[${i}]`, t, labelValues)));
  }
  errors.push(...validatePersistentVolumeSource(spec, ctx.name, affinitySet, path));
  if (spec.hostPath && policy === 'Recycle' && posix.normalize(spec.hostPath.path || '.') === '/') {
    errors.push(forbidden(`${path}.persistentVolumeReclaimPolicy`, "may not be 'recycle' for a hostPath mount of '/'"));
  }
  if (spec.storageClassName && inline) errors.push(forbidden(`${path}.storageClassName`, inlineMsg));
  else if (spec.storageClassName) errors.push(...validateName(spec.storageClassName, 'dns1123-subdomain', `${path}.storageClassName`));
  if (spec.volumeMode != null && inline && spec.volumeMode !== 'Filesystem') {
    errors.push(forbidden(`${path}.volumeMode`, 'may not specify volumeMode other than Filesystem in the context of inline volumes'));
  } else if (spec.volumeMode != null && !inline && !pvVolumeModes.includes(spec.volumeMode)) {
    errors.push(notSupported(`${path}.volumeMode`, spec.volumeMode, pvVolumeModes));
  }
  return errors;
}

/** The beta node labels and the GA labels that replaced them (upstream's betaToGALabel). */
const betaToGALabel: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
};

type VolumeNodeAffinity = NonNullable<PersistentVolumeSpec['nodeAffinity']>;

/**
 * The stored node affinity with each beta label key that the update's requirement at the same place names by its GA
 * label taken as that GA key: a volume's affinity is fixed except for moving from a beta label to its GA one
 * (upstream's validatePvNodeAffinity, whose equality lets a requirement's key change so, and nothing else).
 */
function withGALabelKeys(old: VolumeNodeAffinity, next: PersistentVolumeSpec['nodeAffinity']): VolumeNodeAffinity {
  const nextTerms = next?.required?.nodeSelectorTerms;
  const terms = old.required?.nodeSelectorTerms;
  if (!terms || !nextTerms) return old;
  const nodeSelectorTerms = terms.map((term, i) => ({
    ...term,
    matchExpressions: term.matchExpressions?.map((req, j) => {
      const key = nextTerms[i]?.matchExpressions?.[j]?.key;
      return key !== undefined && req.key !== key && betaToGALabel[req.key] === key ? { ...req, key } : req;
    }),
  }));
  return { ...old, required: { ...old.required, nodeSelectorTerms } };
}

/** What an update may not change (upstream's ValidatePersistentVolumeUpdate after its spec checks). */
function persistentVolumeUpdateErrors(spec: PersistentVolumeSpec, old: PersistentVolumeSpec): FieldError[] {
  const errors: FieldError[] = [];
  // A CSI volume may get a controllerExpandSecretRef it did not have.
  const addsExpandSecret = old.csi && !old.csi.controllerExpandSecretRef && spec.csi?.controllerExpandSecretRef;
  const mine: PersistentVolumeSpec = addsExpandSecret ? { ...spec, csi: { ...spec.csi!, controllerExpandSecretRef: undefined } } : spec;
  const source = (s: PersistentVolumeSpec) => persistentVolumeSources.map((k) => s[k] ?? null);
  if (!semanticEqual(source(old), source(mine))) {
    errors.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
  }
  if ((old.volumeMode ?? null) !== (spec.volumeMode ?? null)) errors.push(invalid('volumeMode', spec.volumeMode ?? null, 'field is immutable'));
  if (old.nodeAffinity && !semanticEqual(withGALabelKeys(old.nodeAffinity, spec.nodeAffinity), spec.nodeAffinity)) {
    errors.push(invalid('nodeAffinity', goPointee(goVolumeNodeAffinity, spec.nodeAffinity), 'field is immutable, except for updating from beta label to GA'));
  }
  return errors;
}

const mountOptionsAnnotation = 'volume.beta.kubernetes.io/mount-options';
const mountOptionSources = ['gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'iscsi', 'cinder', 'cephfs', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk'] as const;

/** Only some volume plug-ins take the mount-options annotation (upstream's pkg/volume/validation checkMountOption). */
function mountOptionErrors(pv: PersistentVolume): FieldError[] {
  if (mountOptionSources.some((k) => pv.spec?.[k] != null)) return [];
  return pv.metadata?.annotations?.[mountOptionsAnnotation] !== undefined ? [forbidden(`metadata.annotations.${mountOptionsAnnotation}`, 'may not specify mount options for this volume type')] : [];
}

/**
 * A PersistentVolume, created or updated: the strategy's Validate runs the core checks, then the volume plug-ins'
 * one; its ValidateUpdate adds ValidatePersistentVolumeUpdate, which runs the core checks again before its own, so
 * an update reports spec errors twice.
 */
export function validatePersistentVolume(obj: PersistentVolume, old?: PersistentVolume): FieldError[] {
  const spec = obj.spec;
  if (!spec) return [required('spec', '')];
  const specErrors = validatePersistentVolumeSpec(spec, { path: 'spec', name: obj.metadata?.name ?? '', inline: false, old: old?.spec });
  const errors = [...specErrors, ...mountOptionErrors(obj)];
  if (old?.spec) errors.push(...specErrors, ...persistentVolumeUpdateErrors(spec, old.spec));
  return errors;
}
