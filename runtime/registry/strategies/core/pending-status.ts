import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy } from '../../strategy.ts';

/** Pods, volumes and claims start Pending; their status is written only through /status afterwards. */
export class PendingStatusStrategy extends DefaultStrategy {
  /** Pods, volumes and claims answer a delete with the deleted object, as upstream. */
  readonly returnDeletedObject = true;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Pending' };
  }
}
