/**
 * StorageClass strategy, as upstream's pkg/registry/storage/storageclass: the DefaultStrategy, with warnings on
 * create and update for deprecated node labels in the allowed topologies.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { storageClassWarnings } from './warnings.ts';

class StorageClassStrategy extends DefaultStrategy {
  warningsOnCreate(obj: StoredObject): string[] {
    return storageClassWarnings(obj);
  }
  warningsOnUpdate(obj: StoredObject): string[] {
    return storageClassWarnings(obj);
  }
}

registerStrategy('storage.k8s.io', 'StorageClass', (kind, schema, config) => new StorageClassStrategy(kind, schema, config));
