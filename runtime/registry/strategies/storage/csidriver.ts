/**
 * CSIDriver strategy, as upstream's pkg/registry/storage/csidriver: no generation on create, one more for every
 * change of spec, and updates only with a resourceVersion.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class CSIDriverStrategy extends DefaultStrategy {
  protected override readonly tracksGeneration = false;
  override readonly allowUnconditionalUpdate = false;

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (!semanticEqual(obj.spec, old.spec)) obj.metadata.generation = (old.metadata?.generation ?? 0) + 1;
  }
}

registerStrategy('storage.k8s.io', 'CSIDriver', (kind, schema, config) => new CSIDriverStrategy(kind, schema, config));
