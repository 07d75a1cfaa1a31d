/** CSINode strategy, as upstream's pkg/registry/storage/csinode: no generation, updates only with a resourceVersion. */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class CSINodeStrategy extends DefaultStrategy {
  protected override readonly tracksGeneration = false;
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('storage.k8s.io', 'CSINode', (kind, schema, config) => new CSINodeStrategy(kind, schema, config));
