import type { StoredObject } from '../../../storage/store.ts';
import { nowTime } from '../../objectmeta.ts';
import { registerStrategy } from '../../strategy.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/** Persistent volumes start Pending and record when they entered that phase (upstream's lastPhaseTransitionTime, GA in 1.31). */
class PersistentVolumeStrategy extends PendingStatusStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: nowTime() };
  }
}

registerStrategy('', 'PersistentVolume', (k, schema, config) => new PersistentVolumeStrategy(k, schema, config));
