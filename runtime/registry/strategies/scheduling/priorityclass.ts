import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

const systemPriorityClassNames = new Set(['system-node-critical', 'system-cluster-critical']);

/**
 * PriorityClasses: upstream's strategy sets generation 1 on create and never bumps it (they have no spec), and its
 * REST.Delete refuses to delete a system class by name.
 */
class PriorityClassStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;
  refuseDelete(name: string): string | undefined {
    return systemPriorityClassNames.has(name) ? 'this is a system priority class and cannot be deleted' : undefined;
  }
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.metadata.generation = 1;
  }
}

registerStrategy('scheduling.k8s.io', 'PriorityClass', (kind, schema, config) => new PriorityClassStrategy(kind, schema, config));
