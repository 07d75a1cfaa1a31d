/** The PersistentVolumeClaim strategy: upstream's pkg/registry/core/persistentvolumeclaim. */
import { validatePersistentVolumeClaimStatusUpdate } from '../../../../apis/core/v1/claim-validation.ts';
import type { PersistentVolumeClaim } from '../../../../apis/core/v1/persistentvolumeclaim.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { validateObjectMetaUpdate } from '../../objectmeta.ts';
import { registerStrategy } from '../../strategy.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/**
 * Upstream's pvcutil.DropDisabledFields and DropDisabledFieldsFromStatus with v1.32's gates: volumeAttributesClassName
 * and the status fields of its modification (VolumeAttributesClass off), and a dataSourceRef into another namespace
 * (CrossNamespaceVolumeDataSource off), are dropped unless the stored claim already had them.
 */
function dropDisabledClaimFields(claim: StoredObject, old: StoredObject | undefined): void {
  const spec = claim.spec;
  if (spec && typeof spec === 'object') {
    if (!featureEnabled('VolumeAttributesClass') && old?.spec?.volumeAttributesClassName == null) delete spec.volumeAttributesClassName;
    if (!featureEnabled('CrossNamespaceVolumeDataSource') && spec.dataSourceRef?.namespace && !old?.spec?.dataSourceRef?.namespace) delete spec.dataSourceRef;
  }
  // A status taken over from the stored claim (an update of the claim itself) is the stored object's: left alone.
  const status = claim.status;
  if (status && typeof status === 'object' && status !== old?.status && !featureEnabled('VolumeAttributesClass')) {
    if (old?.status?.currentVolumeAttributesClassName == null) delete status.currentVolumeAttributesClassName;
    if (old?.status?.modifyVolumeStatus == null) delete status.modifyVolumeStatus;
  }
}

class PersistentVolumeClaimStrategy extends PendingStatusStrategy {
  /** A /status write checks the status only (upstream's ValidatePersistentVolumeClaimStatusUpdate). */
  validateStatusUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return [...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}), ...validatePersistentVolumeClaimStatusUpdate(obj as PersistentVolumeClaim, old as PersistentVolumeClaim)];
  }
}

registerDisabledFields('', 'PersistentVolumeClaim', dropDisabledClaimFields);
registerStrategy('', 'PersistentVolumeClaim', (k, schema, config) => new PersistentVolumeClaimStrategy(k, schema, config));
