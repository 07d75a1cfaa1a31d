/**
 * PersistentVolumeClaims as kube-apiserver v1.32 checks them (pkg/apis/core/validation: ValidatePersistentVolumeClaim,
 * ValidatePersistentVolumeClaimSpec, ValidatePersistentVolumeClaimUpdate, ValidatePersistentVolumeClaimStatusUpdate,
 * with the options ValidationOptionsForPersistentVolumeClaim derives from the stored claim). The claim spec rules
 * also hold for ephemeral volumes' claim templates and StatefulSets' volumeClaimTemplates.
 *
 * Feature gates as v1.32 ships them: RecoverVolumeExpansionFailure on (beta), VolumeAttributesClass and
 * CrossNamespaceVolumeDataSource off.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, GoValue, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goPointer, goString, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import { validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { PersistentVolumeClaim, PersistentVolumeClaimSpec } from './persistentvolumeclaim.ts';
import { quantityValue } from './validation-common.ts';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];
/** k8s.io/api v0.32.0's ClaimResourceStatus values (the Failed ones became Infeasible in 1.31), sorted as Go sorts them. */
const resizeStatuses = ['ControllerResizeInProgress', 'ControllerResizeInfeasible', 'NodeResizeInProgress', 'NodeResizeInfeasible', 'NodeResizePending'];
const defaultGroupKindMsg = "must be 'PersistentVolumeClaim' when referencing the default apiGroup";
const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** What the stored claim lets a new version of it keep (upstream's PersistentVolumeClaimSpecValidationOptions). */
interface ClaimSpecOptions {
  /** Selector values need not be label values: the stored claim's selector already had a bad one. */
  allowInvalidLabelValueInSelector: boolean;
  /** Data source API groups are not checked: the stored claim already named a group. */
  allowInvalidAPIGroupInDataSourceOrRef: boolean;
  /** volumeAttributesClassName is checked: its gate is off in v1.32, so only when the stored claim had one. */
  enableVolumeAttributesClass: boolean;
}

export const newClaimOptions: ClaimSpecOptions = { allowInvalidLabelValueInSelector: false, allowInvalidAPIGroupInDataSourceOrRef: false, enableVolumeAttributesClass: false };

/** Upstream's ValidationOptionsForPersistentVolumeClaim. */
export function claimSpecOptions(old?: PersistentVolumeClaim): ClaimSpecOptions {
  if (!old) return newClaimOptions;
  const spec = old.spec ?? {};
  return {
    allowInvalidAPIGroupInDataSourceOrRef: spec.dataSource?.apiGroup != null || spec.dataSourceRef?.apiGroup != null,
    enableVolumeAttributesClass: spec.volumeAttributesClassName != null,
    allowInvalidLabelValueInSelector: validateLabelSelector(spec.selector, 'spec.selector').length > 0,
  };
}

/** A *field.Path, which upstream reports (dereferenced) for mismatched data sources: a child of `spec`. */
const goFieldPath = goStruct('field.Path', [['name', goString()], ['index', goString()], ['parent', goPointer('field.Path')]]);
const dataSourcePath = goValue(goFieldPath, { name: 'dataSource', parent: 'spec' });

interface DataSource {
  apiGroup?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Upstream's validateDataSource and validateDataSourceRef (the latter with `withNamespace`). */
function dataSourceErrors(at: string, ds: DataSource, allowInvalidGroup: boolean, withNamespace: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (!ds.name) errors.push(required(`${at}.name`, ''));
  if (!ds.kind) errors.push(required(`${at}.kind`, ''));
  const group = ds.apiGroup ?? '';
  if (!group && ds.kind !== 'PersistentVolumeClaim') errors.push(invalid(at, ds.kind ?? '', defaultGroupKindMsg));
  if (group && !allowInvalidGroup) for (const msg of isDNS1123Subdomain(group)) errors.push(invalid(`${at}.apiGroup`, group, msg));
  if (withNamespace && ds.namespace) for (const msg of isDNS1123Label(ds.namespace)) errors.push(invalid(`${at}.namespace`, ds.namespace, msg));
  return errors;
}

/** A storage or volume attributes class name (upstream's ValidateClassName: a DNS subdomain). */
function classNameErrors(at: string, name: string): FieldError[] {
  return isDNS1123Subdomain(name).map((msg) => invalid(at, name, msg));
}

/** A claim's spec at `path` (upstream's ValidatePersistentVolumeClaimSpec). */
export function validatePersistentVolumeClaimSpec(path: string, spec: PersistentVolumeClaimSpec, opts: ClaimSpecOptions = newClaimOptions): FieldError[] {
  const errors: FieldError[] = [];
  const modes = spec.accessModes ?? [];
  if (modes.length === 0) errors.push(required(`${path}.accessModes`, 'at least 1 access mode is required'));
  if (spec.selector) errors.push(...validateLabelSelector(spec.selector, `${path}.selector`, opts.allowInvalidLabelValueInSelector));
  let onePod = false;
  let other = false;
  for (const mode of modes) {
    if (!accessModes.includes(mode)) errors.push(notSupported(`${path}.accessModes`, mode, accessModes));
    if (mode === 'ReadWriteOncePod') onePod = true;
    else if (accessModes.includes(mode)) other = true;
  }
  if (onePod && other) errors.push(forbidden(`${path}.accessModes`, 'may not use ReadWriteOncePod with other access modes'));

  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errors.push(required(`${path}.resources[storage]`, ''));
  else if (!(quantityValue(storage) > 0)) errors.push(invalid(`${path}.resources[storage]`, storage, 'must be greater than zero'));

  if (spec.storageClassName) errors.push(...classNameErrors(`${path}.storageClassName`, spec.storageClassName));
  if (spec.volumeMode != null && !volumeModes.includes(spec.volumeMode)) errors.push(notSupported(`${path}.volumeMode`, spec.volumeMode, volumeModes));

  const ds = spec.dataSource;
  const ref = spec.dataSourceRef;
  if (ds) errors.push(...dataSourceErrors(`${path}.dataSource`, ds, opts.allowInvalidAPIGroupInDataSourceOrRef, false));
  if (ref) errors.push(...dataSourceErrors(`${path}.dataSourceRef`, ref, opts.allowInvalidAPIGroupInDataSourceOrRef, true));
  if (ref?.namespace) {
    if (ds) errors.push(invalid(path, dataSourcePath, 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && ref && !((ds.apiGroup ?? null) === (ref.apiGroup ?? null) && (ds.kind ?? '') === (ref.kind ?? '') && (ds.name ?? '') === (ref.name ?? ''))) {
    errors.push(invalid(path, dataSourcePath, 'must match dataSourceRef'));
  }
  if (spec.volumeAttributesClassName && opts.enableVolumeAttributesClass) {
    errors.push(...classNameErrors(`${path}.volumeAttributesClassName`, spec.volumeAttributesClassName));
  }
  return errors;
}

/**
 * Whether a stored claim that named its class only by the beta annotation may now name it in the spec (upstream's
 * validateStorageClassUpgradeFromAnnotation).
 */
function classFromAnnotation(obj: PersistentVolumeClaim, old: PersistentVolumeClaim): boolean {
  const oldAnn = old.metadata?.annotations ?? {};
  const newAnn = obj.metadata?.annotations ?? {};
  if (!(betaStorageClassAnnotation in oldAnn) || old.spec?.storageClassName != null) return false;
  const oldClass = oldAnn[betaStorageClassAnnotation];
  if (obj.spec?.storageClassName == null || obj.spec.storageClassName !== oldClass) return false;
  return !(betaStorageClassAnnotation in newAnn) || newAnn[betaStorageClassAnnotation] === oldClass;
}

/** Whether a stored claim without a class may get one (upstream's validateStorageClassUpgradeFromNil). */
function classFromNil(obj: PersistentVolumeClaim, old: PersistentVolumeClaim): boolean {
  const oldAnn = old.metadata?.annotations ?? {};
  const next = obj.spec?.storageClassName;
  return next != null && old.spec?.storageClassName == null && (!(betaStorageClassAnnotation in oldAnn) || next === oldAnn[betaStorageClassAnnotation]);
}

/** The update rules of upstream's ValidatePersistentVolumeClaimUpdate (after its spec checks). */
function claimUpdateErrors(obj: PersistentVolumeClaim, old: PersistentVolumeClaim, opts: ClaimSpecOptions): FieldError[] {
  const errors: FieldError[] = [];
  const next: PersistentVolumeClaimSpec = structuredClone(obj.spec ?? {});
  const prev: PersistentVolumeClaimSpec = structuredClone(old.spec ?? {});
  // The volume controller binds a claim by setting volumeName, once.
  if (!prev.volumeName) prev.volumeName = next.volumeName;
  if (classFromAnnotation(obj, old)) delete next.storageClassName;
  else {
    const before = old.metadata?.annotations?.[betaStorageClassAnnotation] ?? '';
    const after = obj.metadata?.annotations?.[betaStorageClassAnnotation] ?? '';
    if (before !== after) errors.push(invalid(`metadata.annotations.${betaStorageClassAnnotation}`, after, 'field is immutable'));
    if (classFromNil(obj, old)) delete next.storageClassName;
  }
  // A bound claim may be resized; the checks below say how far.
  if (obj.status?.phase === 'Bound' && next.resources?.requests) next.resources.requests.storage = old.spec?.resources?.requests?.storage as string;
  if (prev.volumeAttributesClassName === undefined) delete next.volumeAttributesClassName;
  else next.volumeAttributesClassName = prev.volumeAttributesClassName;
  if (!semanticEqual(next, prev)) {
    errors.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const size = (q: string | undefined) => (q === undefined ? 0 : quantityValue(q));
  const newSize = size(obj.spec?.resources?.requests?.storage);
  // RecoverVolumeExpansionFailure (beta, on in v1.32): a request may shrink back, but not to the size it has.
  if (newSize < size(old.spec?.resources?.requests?.storage) && newSize <= size(old.status?.capacity?.storage)) {
    errors.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  if ((obj.spec?.volumeMode ?? null) !== (old.spec?.volumeMode ?? null)) errors.push(invalid('volumeMode', obj.spec?.volumeMode ?? null, 'field is immutable'));
  const vac = obj.spec?.volumeAttributesClassName;
  if (vac !== old.spec?.volumeAttributesClassName) {
    errors.push(forbidden('spec.volumeAttributesClassName', 'update is forbidden when the VolumeAttributesClass feature gate is disabled'));
    if (opts.enableVolumeAttributesClass && vac == null) errors.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to nil is forbidden'));
    else if (opts.enableVolumeAttributesClass && vac === '') errors.push(forbidden('spec.volumeAttributesClassName', 'update from non-nil value to an empty string is forbidden'));
  }
  return errors;
}

/**
 * A claim, created or updated (upstream's strategy: ValidatePersistentVolumeClaim, and on update that again inside
 * ValidatePersistentVolumeClaimUpdate, so spec errors of an update are listed twice, as upstream lists them).
 */
export function validatePersistentVolumeClaim(obj: PersistentVolumeClaim, old?: PersistentVolumeClaim): FieldError[] {
  const opts = claimSpecOptions(old);
  const specErrors = validatePersistentVolumeClaimSpec('spec', obj.spec ?? {}, opts);
  if (!old) return specErrors;
  return [...specErrors, ...specErrors, ...claimUpdateErrors(obj, old, opts)];
}

/** A resource name of a claim's status maps: a qualified name, and `storage` among the unprefixed ones. */
function claimResourceKeyErrors(at: string, key: string): FieldError[] {
  const errors = isQualifiedName(key).map((msg) => invalid(at, key, msg));
  if (errors.length > 0) return errors;
  const native = !key.includes('/') || key.includes('kubernetes.io/');
  return native && key !== 'storage' ? [notSupported(at, key, ['storage'])] : [];
}

/** Go's Quantity.Value(): the value rounded up to an integer. */
const roundedUp = (q: string) => Math.ceil(quantityValue(q));

function basicResourceErrors(at: string, q: string): FieldError[] {
  return roundedUp(q) < 0 ? [invalid(at, roundedUp(q), 'must be a valid resource quantity')] : [];
}

/**
 * A /status write (upstream's ValidatePersistentVolumeClaimStatusUpdate without the metadata checks, which the
 * strategy adds), with RecoverVolumeExpansionFailure on as in v1.32. Go walks these maps in random order; keys are
 * taken sorted here.
 */
export function validatePersistentVolumeClaimStatusUpdate(obj: PersistentVolumeClaim, _old: PersistentVolumeClaim): FieldError[] {
  const errors: FieldError[] = [];
  if (!obj.spec?.accessModes?.length) errors.push(required('Spec.accessModes', ''));
  const status = obj.status ?? {};
  const sorted = (m: Record<string, string> | undefined) => Object.keys(m ?? {}).sort().map((k) => [k, m![k]] as const);
  for (const [k, q] of sorted(status.capacity)) errors.push(...basicResourceErrors(`status.capacity[${k}]`, q));
  for (const [k, v] of sorted(status.allocatedResourceStatuses)) {
    errors.push(...claimResourceKeyErrors('status.allocatedResourceStatus', k));
    // Upstream reports the key, a core.ResourceName, whose String() the error prints unquoted.
    if (!resizeStatuses.includes(v)) errors.push(notSupported('status.allocatedResourceStatus', new GoValue(k), resizeStatuses));
  }
  for (const [k, q] of sorted(status.allocatedResources)) {
    const keyErrors = claimResourceKeyErrors('status.allocatedResources', k);
    errors.push(...(keyErrors.length > 0 ? keyErrors : basicResourceErrors(`status.allocatedResources[${k}]`, q)));
  }
  return errors;
}
