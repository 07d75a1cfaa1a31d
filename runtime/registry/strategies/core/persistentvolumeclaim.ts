/** The PersistentVolumeClaim strategy: upstream's pkg/registry/core/persistentvolumeclaim. */
import { validatePersistentVolumeClaimStatusUpdate } from '../../../../apis/core/v1/claim-validation.ts';
import type { PersistentVolumeClaim } from '../../../../apis/core/v1/persistentvolumeclaim.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import { cloneJson } from '../../../machinery/json-value.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { registerStrategy } from '../../strategy.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { claimWarnings } from './claim-warnings.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/**
 * Upstream's pvcutil.DropDisabledFields and DropDisabledFieldsFromStatus with v1.32's gates: volumeAttributesClassName
 * and the status fields of its modification (VolumeAttributesClass off), and a dataSourceRef into another namespace
 * (CrossNamespaceVolumeDataSource off), are dropped unless the stored claim already had them (for the latter: any
 * dataSourceRef, as upstream's dataSourceRefInUse).
 */
function dropDisabledClaimFields(claim: StoredObject, old: StoredObject | undefined): void {
  const spec = claim.spec;
  if (spec && typeof spec === 'object') {
    if (!featureEnabled('VolumeAttributesClass') && old?.spec?.volumeAttributesClassName == null) delete spec.volumeAttributesClassName;
    if (!featureEnabled('CrossNamespaceVolumeDataSource') && spec.dataSourceRef?.namespace && old?.spec?.dataSourceRef == null) delete spec.dataSourceRef;
  }
  // A status taken over from the stored claim (an update of the claim itself) is the stored object's: left alone.
  const status = claim.status;
  if (status && typeof status === 'object' && status !== old?.status && !featureEnabled('VolumeAttributesClass')) {
    if (old?.status?.currentVolumeAttributesClassName == null) delete status.currentVolumeAttributesClassName;
    if (old?.status?.modifyVolumeStatus == null) delete status.modifyVolumeStatus;
  }
}

/** The two kinds the dataSource field took before any populator could (KEP 1495). */
function isClaimOrSnapshot(ds: StoredObject): boolean {
  const group = ds.apiGroup ?? '';
  return (ds.kind === 'PersistentVolumeClaim' && group === '') || (ds.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io');
}

/**
 * Upstream's pvcutil.EnforceDataSourceBackwardsCompatibility: a client that knows nothing of dataSourceRef gets the
 * old behaviour, where a dataSource of any other kind is silently dropped (unless the stored claim has a source).
 */
function enforceDataSourceBackwardsCompatibility(spec: StoredObject, old: StoredObject | undefined): void {
  if (old?.dataSource != null || old?.dataSourceRef != null || spec.dataSourceRef != null) return;
  if (spec.dataSource != null && !isClaimOrSnapshot(spec.dataSource)) delete spec.dataSource;
}

/**
 * Upstream's pvcutil.NormalizeDataSources (AnyVolumeDataSource is on in v1.32): a source given in one field only
 * is copied to the other, so old and new clients read the same; a dataSourceRef into another namespace has no
 * dataSource counterpart.
 */
function normalizeDataSources(spec: StoredObject): void {
  const copy = ({ apiGroup, kind, name }: StoredObject) => ({ ...(apiGroup != null ? { apiGroup } : {}), kind, name });
  if (spec.dataSource != null && spec.dataSourceRef == null) spec.dataSourceRef = copy(spec.dataSource);
  else if (spec.dataSourceRef != null && spec.dataSource == null && !spec.dataSourceRef.namespace) spec.dataSource = copy(spec.dataSourceRef);
}

/** What PrepareForCreate and PrepareForUpdate do to a claim's spec after the disabled fields went (the strategy's hook), in upstream's order. */
function prepareSpec(spec: StoredObject | undefined, old: StoredObject | undefined): void {
  if (!spec) return;
  enforceDataSourceBackwardsCompatibility(spec, old);
  normalizeDataSources(spec);
}

class PersistentVolumeClaimStrategy extends PendingStatusStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    prepareSpec(obj.spec, undefined);
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    prepareSpec(obj.spec, old.spec);
  }
  /**
   * The stored claim is compared with its data sources normalized too (upstream's PrepareForUpdate normalizes the
   * old claim), so one stored before they were cannot make its own update look like a spec change.
   */
  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    if (!old.spec) return super.validateUpdate(obj, old);
    const spec = cloneJson(old.spec);
    normalizeDataSources(spec);
    return super.validateUpdate(obj, { ...old, spec });
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return claimWarnings(obj);
  }
  warningsOnUpdate(obj: StoredObject): string[] {
    return claimWarnings(obj);
  }
  /** A /status write checks the status only (upstream's ValidatePersistentVolumeClaimStatusUpdate). */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validatePersistentVolumeClaimStatusUpdate(obj as PersistentVolumeClaim, old as PersistentVolumeClaim)];
  }
}

registerDisabledFields('', 'PersistentVolumeClaim', dropDisabledClaimFields);
registerStrategy('', 'PersistentVolumeClaim', (k, schema, config) => new PersistentVolumeClaimStrategy(k, schema, config));
