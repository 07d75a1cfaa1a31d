import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required, tooMany } from '../../../runtime/machinery/field-errors.ts';
import { goLenOver, isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import type { StorageClass } from './storageclass.ts';
import type { TopologySelectorTerm } from '../../core/v1/topology.ts';
import { duplicate, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goPointee } from '../../../runtime/machinery/go-syntax.ts';
import { goLabelSelector } from '../../meta/v1/go-internal.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goCSINodeDriver, goVolumeAttachmentSpec, goVolumeLifecycleModes } from './go-internal.ts';
import { validateName, validateQualifiedName } from '../../../runtime/registry/objectmeta.ts';
import { validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { storedReflectEqual, stringMapSchema } from '../../../runtime/registry/stored-reflect-equal.ts';
import type { CSIDriver } from './csidriver.ts';
import type { CSINode } from './csinode.ts';
import type { CSIStorageCapacity } from './csistoragecapacity.ts';
import type { VolumeAttachment } from './volumeattachment.ts';
import { validatePersistentVolumeSpec } from '../../core/v1/pv-validation.ts';

const maxParameters = 512;
const maxParametersBytes = 256 * 1024;

/** Upstream's validateParameters: both limits are reported as Too long, the count with no look at the rest. */
function parametersErrors(parameters: Record<string, string>): FieldError[] {
  const params = Object.entries(parameters);
  if (params.length > maxParameters) return [tooLong('parameters', '', maxParameters)];
  const errors: FieldError[] = [];
  let size = 0;
  for (const [k, v] of params) {
    if (!k) errors.push(invalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > maxParametersBytes) errors.push(tooLong('parameters', '', maxParametersBytes));
  return errors;
}

/** A topology term as upstream's ValidateTopologySelectorTerm reads it: each key's set of values. */
type TermSets = Map<string, Set<string>>;

/**
 * Upstream's ValidateTopologySelectorTerm for one term: per requirement its values (required, no repeats), then its
 * key as a label name, then the key's uniqueness in the term. Gives the term as key -> set of values.
 */
function topologyTermErrors(term: TopologySelectorTerm, path: string): { sets: TermSets; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const sets: TermSets = new Map();
  (term.matchLabelExpressions ?? []).forEach((req, j) => {
    const at = `${path}.matchLabelExpressions[${j}]`;
    const values = new Set<string>();
    if (!req.values?.length) errors.push(required(`${at}.values`));
    (req.values ?? []).forEach((v, k) => {
      if (values.has(v)) errors.push(duplicate(`${at}.values[${k}]`, v));
      values.add(v);
    });
    for (const msg of isQualifiedName(req.key ?? '')) errors.push(invalid(`${at}.key`, req.key, msg));
    if (sets.has(req.key)) errors.push(duplicate(`${at}.key`, req.key));
    sets.set(req.key, values);
  });
  return { sets, errors };
}

const sameTerm = (a: TermSets, b: TermSets) =>
  a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k)!.size === v.size && [...v].every((x) => b.get(k)!.has(x)));

/**
 * Upstream's validateAllowedTopologies: a term equal to an earlier one is a Duplicate at its matchLabelExpressions.
 * Upstream's list of earlier terms starts with as many empty (nil) entries as there are terms, and its semantic
 * equality takes an empty term for one of them: a term without expressions is reported once per term in the list,
 * and once more per earlier empty term.
 */
function allowedTopologiesErrors(terms: TopologySelectorTerm[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen: TermSets[] = terms.map(() => new Map());
  terms.forEach((term, i) => {
    const path = `allowedTopologies[${i}]`;
    const { sets, errors: termErrors } = topologyTermErrors(term, path);
    errors.push(...termErrors);
    for (const earlier of seen) if (sameTerm(sets, earlier)) errors.push(duplicate(`${path}.matchLabelExpressions`, ''));
    seen.push(sets);
  });
  return errors;
}

export function validate_StorageClass(obj: StorageClass, old?: StorageClass): FieldError[] {
  const errors: FieldError[] = [];
  if (!obj.provisioner) errors.push(required('provisioner', ''));
  else {
    // Upstream checks, and reports, the lower-cased name.
    const lower = obj.provisioner.toLowerCase();
    for (const msg of isQualifiedName(lower)) errors.push(invalid('provisioner', lower, msg));
  }
  errors.push(...parametersErrors(obj.parameters ?? {}));
  // Upstream's validateReclaimPolicy judges a non-empty policy only: "" is stored as sent (the field is @openEnum).
  if (obj.reclaimPolicy && obj.reclaimPolicy !== 'Delete' && obj.reclaimPolicy !== 'Retain') {
    errors.push(notSupported('reclaimPolicy', obj.reclaimPolicy, ['Delete', 'Retain']));
  }
  // Upstream's validateVolumeBindingMode, on update too (the strategy validates the new class as on create before
  // the immutability checks): an unknown mode is NotSupported beside 'field is immutable'.
  if (obj.volumeBindingMode == null) errors.push(required('volumeBindingMode', ''));
  else if (obj.volumeBindingMode !== 'Immediate' && obj.volumeBindingMode !== 'WaitForFirstConsumer') {
    errors.push(notSupported('volumeBindingMode', obj.volumeBindingMode, ['Immediate', 'WaitForFirstConsumer']));
  }
  errors.push(...allowedTopologiesErrors(obj.allowedTopologies ?? []));
  if (old) {
    // reflect.DeepEqual, not the semantic comparison: `parameters: {}` sent over a class stored without parameters
    // (storage keeps no empty map) is a change.
    if (!storedReflectEqual(obj.parameters ?? null, old.parameters ?? null, stringMapSchema)) {
      errors.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    }
    if (old.provisioner !== obj.provisioner) errors.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (old.reclaimPolicy !== obj.reclaimPolicy) errors.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (old.volumeBindingMode !== obj.volumeBindingMode) errors.push(invalid('volumeBindingMode', obj.volumeBindingMode, 'field is immutable'));
  }
  return errors;
}

// ---- CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment (pkg/apis/storage/validation, v1.32) ----

// Upstream compares with apiequality.Semantic: key order does not matter, nil and empty are the same.
const same = semanticEqual;
const immutable = (path: string, value: unknown) => invalid(path, value ?? null, 'field is immutable');

/** A CSI driver's name (core's ValidateCSIDriverName): required, at most 63 bytes, a DNS subdomain once lower-cased. */
function csiDriverNameErrors(name: string | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const value = name ?? '';
  if (!value) errors.push(required(path, ''));
  if (goLenOver(value, 63)) errors.push(tooLong(path, value, 63));
  for (const e of validateName(value.toLowerCase(), 'dns1123-subdomain', path)) errors.push(invalid(path, value, e.detail ?? ''));
  return errors;
}

const fsGroupPolicies = ['File', 'None', 'ReadWriteOnceWithFSType'];
const lifecycleModes = ['Persistent', 'Ephemeral'];
const minTokenSeconds = 10 * 60;

export function validate_CSIDriver(obj: CSIDriver, old?: CSIDriver): FieldError[] {
  const spec = obj.spec ?? {};
  const errors: FieldError[] = [];
  // Upstream names the path of attachRequired "attachedRequired", in the required check and the immutable one.
  if (spec.attachRequired == null) errors.push(required('spec.attachedRequired', ''));
  if (spec.podInfoOnMount == null) errors.push(required('spec.podInfoOnMount', ''));
  if (spec.storageCapacity == null) errors.push(required('spec.storageCapacity', ''));
  if (spec.fsGroupPolicy != null && !fsGroupPolicies.includes(spec.fsGroupPolicy)) errors.push(notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, fsGroupPolicies));
  const audiences = new Set<string>();
  (spec.tokenRequests ?? []).forEach((t, i) => {
    const at = `spec.tokenRequests[${i}]`;
    const audience = t.audience ?? '';
    if (audiences.has(audience)) {
      errors.push(duplicate(`${at}.audience`, audience));
      return;
    }
    audiences.add(audience);
    if (t.expirationSeconds == null) return;
    if (t.expirationSeconds < minTokenSeconds) errors.push(invalid(`${at}.expirationSeconds`, t.expirationSeconds, 'may not specify a duration less than 10 minutes'));
    if (t.expirationSeconds > 2 ** 32) errors.push(invalid(`${at}.expirationSeconds`, t.expirationSeconds, 'may not specify a duration larger than 2^32 seconds'));
  });
  for (const mode of spec.volumeLifecycleModes ?? []) {
    if (!lifecycleModes.includes(mode)) errors.push(notSupported('spec.volumeLifecycleModes', mode, lifecycleModes));
  }
  if (spec.seLinuxMount == null) errors.push(required('spec.seLinuxMount', ''));
  if (old) {
    if (!same(spec.attachRequired, old.spec?.attachRequired)) errors.push(immutable('spec.attachedRequired', spec.attachRequired));
    if (!same(spec.volumeLifecycleModes, old.spec?.volumeLifecycleModes)) errors.push(immutable('spec.volumeLifecycleModes', goValue(goVolumeLifecycleModes, spec.volumeLifecycleModes)));
  }
  return errors;
}

/** Since v1.22 the strategy allows node IDs of up to 256 characters on create and update alike (AllowLongNodeID). */
const csiNodeIDMaxLength = 256;

/** Upstream's validateCSINodeSpec: each driver's name, node ID, count, uniqueness and topology keys. */
function csiNodeSpecErrors(obj: CSINode): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (obj.spec?.drivers ?? []).forEach((driver, i) => {
    const at = `spec.drivers[${i}]`;
    errors.push(...csiDriverNameErrors(driver.name, `${at}.name`));
    const nodeID = driver.nodeID ?? '';
    if (!nodeID) errors.push(required(`${at}.nodeID`, ''));
    if (goLenOver(nodeID, csiNodeIDMaxLength)) errors.push(invalid(`${at}.nodeID`, nodeID, `must be ${csiNodeIDMaxLength} characters or less`));
    const count = driver.allocatable?.count;
    if (typeof count === 'number' && count < 0) errors.push(invalid(`${at}.allocatable.count`, count, 'must be greater than or equal to 0'));
    if (names.has(driver.name)) errors.push(duplicate(`${at}.name`, driver.name));
    names.add(driver.name);
    const keys = new Set<string>();
    for (const key of driver.topologyKeys ?? []) {
      if (!key) errors.push(required(at, ''));
      if (keys.has(key)) errors.push(duplicate(at, key));
      keys.add(key);
      errors.push(...validateQualifiedName(key, at));
    }
  });
  return errors;
}

/**
 * An update reports the spec's errors twice, as upstream's strategy does (ValidateCSINode, then
 * ValidateCSINodeUpdate, which runs ValidateCSINode again), then any change to a registered driver entry.
 */
export function validate_CSINode(obj: CSINode, old?: CSINode): FieldError[] {
  const specErrors = csiNodeSpecErrors(obj);
  if (!old) return specErrors;
  const errors = [...specErrors, ...specErrors];
  // A driver entry, once registered, does not change; upstream reports it at the path `CSINodeDriver`.
  for (const was of old.spec?.drivers ?? []) {
    for (const now of obj.spec?.drivers ?? []) {
      if (was.name === now.name && !same(now, was)) errors.push(immutable('CSINodeDriver', goValue(goCSINodeDriver, now)));
    }
  }
  return errors;
}

/**
 * Upstream's strategy lets an update keep invalid label values in the selector when the stored one has any error
 * (AllowInvalidLabelValueInSelector), so a capacity an older server stored stays updatable.
 */
export function validate_CSIStorageCapacity(obj: CSIStorageCapacity, old?: CSIStorageCapacity): FieldError[] {
  const allow = old !== undefined && validateLabelSelector(old.nodeTopology, 'nodeTopology').length > 0;
  const errors = validateLabelSelector(obj.nodeTopology, 'nodeTopology', allow);
  for (const e of validateName(obj.storageClassName ?? '', 'dns1123-subdomain', 'storageClassName')) errors.push(e);
  if (obj.capacity != null && obj.capacity.trim().startsWith('-') && !/^-0*(\.0*)?([a-zA-Z]*|[eE][-+]?\d+)?$/.test(obj.capacity.trim())) {
    errors.push(invalid('capacity', obj.capacity, 'must be greater than or equal to 0'));
  }
  if (old) {
    if (!same(obj.nodeTopology, old.nodeTopology)) errors.push(immutable('nodeTopology', goPointee(goLabelSelector, obj.nodeTopology)));
    if (obj.storageClassName !== old.storageClassName) errors.push(immutable('storageClassName', obj.storageClassName));
  }
  return errors;
}

const maxAttachedVolumeMetadataSize = 256 * 1024;
const maxVolumeErrorMessageSize = 1024;

/**
 * Creates get the stricter v1 checks (the attacher a CSI driver name, the PV name a DNS subdomain); an update
 * refuses any change of spec, and reports what the common checks find twice: upstream's strategy runs them, then
 * ValidateVolumeAttachmentUpdate runs them again.
 */
export function validate_VolumeAttachment(obj: VolumeAttachment, old?: VolumeAttachment): FieldError[] {
  const spec = obj.spec ?? ({} as VolumeAttachment['spec']);
  const source = spec.source ?? {};
  const common = volumeAttachmentErrors(obj);
  if (!old) {
    const errors = [...common, ...csiDriverNameErrors(spec.attacher, 'spec.attacher')];
    if (source.persistentVolumeName != null) errors.push(...validateName(source.persistentVolumeName, 'dns1123-subdomain', 'spec.source.persistentVolumeName'));
    return errors;
  }
  const errors = [...common, ...common];
  if (!same(spec, old.spec)) errors.push(immutable('spec', goValue(goVolumeAttachmentSpec, spec)));
  return errors;
}

/** Upstream's ValidateVolumeAttachment (for v1 and v1beta1 alike): the spec's parts and the status' sizes, in UTF-8 bytes as Go counts. */
function volumeAttachmentErrors(obj: VolumeAttachment): FieldError[] {
  const spec = obj.spec ?? ({} as VolumeAttachment['spec']);
  const errors: FieldError[] = [];
  if (!spec.attacher) errors.push(required('spec.attacher', ''));
  const source = spec.source ?? {};
  const hasPV = source.persistentVolumeName != null;
  const hasInline = source.inlineVolumeSpec != null;
  const oneOf = 'must specify exactly one of inlineVolumeSpec and persistentVolumeName';
  if (!hasPV && !hasInline) errors.push(required('spec.source', oneOf));
  else if (hasPV && hasInline) errors.push(forbidden('spec.source', oneOf));
  else if (hasPV && !source.persistentVolumeName) errors.push(required('spec.source.persistentVolumeName', 'must specify non empty persistentVolumeName'));
  else if (hasInline) errors.push(...validatePersistentVolumeSpec(source.inlineVolumeSpec!, { path: 'spec.source.inlineVolumeSpec', name: '', inline: true }));
  errors.push(...validateName(spec.nodeName ?? '', 'dns1123-subdomain', 'spec.nodeName'));
  const status = obj.status;
  let size = 0;
  for (const [k, v] of Object.entries(status?.attachmentMetadata ?? {})) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  if (size > maxAttachedVolumeMetadataSize) errors.push(tooLong('status.attachmentMetadata', '', maxAttachedVolumeMetadataSize));
  for (const which of ['attachError', 'detachError'] as const) {
    const message = status?.[which]?.message ?? '';
    // Upstream reports the metadata size limit here, not the message limit it checks.
    if (goLenOver(message, maxVolumeErrorMessageSize)) errors.push(tooLong(`status.${which}.message`, '', maxAttachedVolumeMetadataSize));
  }
  return errors;
}
