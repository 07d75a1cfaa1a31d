/** The PersistentVolumeClaim strategy: upstream's pkg/registry/core/persistentvolumeclaim. */
import { validatePersistentVolumeClaimStatusUpdate } from '../../../../apis/core/v1/claim-validation.ts';
import type { PersistentVolumeClaim } from '../../../../apis/core/v1/persistentvolumeclaim.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { validateObjectMetaUpdate } from '../../objectmeta.ts';
import { registerStrategy } from '../../strategy.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/**
 * Upstream's pvcutil.DropDisabledFields with v1.32's gates: volumeAttributesClassName (VolumeAttributesClass off)
 * and a dataSourceRef into another namespace (CrossNamespaceVolumeDataSource off) are dropped unless the stored
 * claim already had them.
 */
function dropDisabledFields(spec: StoredObject | undefined, old: StoredObject | undefined): void {
  if (!spec) return;
  if (old?.volumeAttributesClassName == null) delete spec.volumeAttributesClassName;
  if (spec.dataSourceRef?.namespace && !old?.dataSourceRef?.namespace) delete spec.dataSourceRef;
}

class PersistentVolumeClaimStrategy extends PendingStatusStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    dropDisabledFields(obj.spec, undefined);
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    dropDisabledFields(obj.spec, old.spec);
  }
  /** A /status write checks the status only (upstream's ValidatePersistentVolumeClaimStatusUpdate). */
  validateStatusUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return [...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}), ...validatePersistentVolumeClaimStatusUpdate(obj as PersistentVolumeClaim, old as PersistentVolumeClaim)];
  }
}

registerStrategy('', 'PersistentVolumeClaim', (k, schema, config) => new PersistentVolumeClaimStrategy(k, schema, config));
