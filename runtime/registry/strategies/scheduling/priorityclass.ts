import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** PriorityClasses: upstream's strategy sets generation 1 on create and never bumps it (they have no spec). */
class PriorityClassStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.metadata.generation = 1;
  }
}

registerStrategy('scheduling.k8s.io', 'PriorityClass', (kind, schema, config) => new PriorityClassStrategy(kind, schema, config));
