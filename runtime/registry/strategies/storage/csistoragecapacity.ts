/**
 * CSIStorageCapacity strategy, as upstream's pkg/registry/storage/csistoragecapacity: updates only with a
 * resourceVersion; warnings on create and update for deprecated node labels in the node topology.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { csiStorageCapacityWarnings } from './warnings.ts';

class CSIStorageCapacityStrategy extends DefaultStrategy {
  override readonly allowUnconditionalUpdate = false;

  warningsOnCreate(obj: StoredObject): string[] {
    return csiStorageCapacityWarnings(obj);
  }
  warningsOnUpdate(obj: StoredObject): string[] {
    return csiStorageCapacityWarnings(obj);
  }
}

registerStrategy('storage.k8s.io', 'CSIStorageCapacity', (kind, schema, config) => new CSIStorageCapacityStrategy(kind, schema, config));
