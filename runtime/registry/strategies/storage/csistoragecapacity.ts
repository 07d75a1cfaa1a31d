/** CSIStorageCapacity strategy, as upstream's pkg/registry/storage/csistoragecapacity: updates only with a resourceVersion. */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class CSIStorageCapacityStrategy extends DefaultStrategy {
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('storage.k8s.io', 'CSIStorageCapacity', (kind, schema, config) => new CSIStorageCapacityStrategy(kind, schema, config));
