import type { StoredObject } from '../../../storage/store.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import { nowTime, type ObjectMetaChecks } from '../../objectmeta.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { registerStrategy, registerSubresourceStrategy } from '../../strategy.ts';
import { PendingStatusStrategy } from './pending-status.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { persistentVolumeWarnings } from './persistentvolume-warnings.ts';

/** Persistent volumes start Pending and record when they entered that phase (upstream's lastPhaseTransitionTime, GA in 1.31). */
class PersistentVolumeStrategy extends PendingStatusStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: nowTime() };
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return persistentVolumeWarnings(obj);
  }
  warningsOnUpdate(obj: StoredObject): string[] {
    return persistentVolumeWarnings(obj);
  }
  /**
   * ValidatePersistentVolumeStatusUpdate: core's ValidateObjectMetaUpdate, not the volume's own checks (the spec is
   * the stored one). Its resourceVersion check cannot fail: an update without one is given the stored version first,
   * here as in upstream's store (an unconditional update).
   */
  validateStatusUpdate(_obj: StoredObject, _old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate()];
  }
}

/**
 * A status write that changes the phase gets a new transition time unless the writer set one of its own; one that
 * keeps the phase and leaves the time out keeps the stored time.
 */
class PersistentVolumeStatusStrategy extends StatusStrategy {
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    const status = obj.status ?? {};
    const before = old.status ?? {};
    if (status.phase === before.phase) {
      if (!status.lastPhaseTransitionTime && before.lastPhaseTransitionTime) status.lastPhaseTransitionTime = before.lastPhaseTransitionTime;
    } else if (!status.lastPhaseTransitionTime || status.lastPhaseTransitionTime === before.lastPhaseTransitionTime) {
      status.lastPhaseTransitionTime = nowTime();
    }
    obj.status = status;
  }
}

registerStrategy('', 'PersistentVolume', (k, schema, config) => new PersistentVolumeStrategy(k, schema, config));
registerSubresourceStrategy('', 'PersistentVolume', 'status', (main) => new PersistentVolumeStatusStrategy(main));

/** Upstream's DropDisabledSpecFields: volumeAttributesClassName (VolumeAttributesClass off) unless the stored volume had one. */
registerDisabledFields('', 'PersistentVolume', (pv, old) => {
  if (!featureEnabled('VolumeAttributesClass') && pv.spec && typeof pv.spec === 'object' && old?.spec?.volumeAttributesClassName == null) delete pv.spec.volumeAttributesClassName;
});
