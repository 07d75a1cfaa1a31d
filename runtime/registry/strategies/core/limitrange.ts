import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * LimitRanges, as upstream's pkg/registry/core/limitrange strategy: a PUT may create, and a create without a name
 * is named with a fresh UUID. (Upstream names it so before a generateName is used; here the store has already used
 * the generateName.)
 */
class LimitRangeStrategy extends DefaultStrategy {
  override readonly allowCreateOnUpdate = true;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    if (!obj.metadata.name) obj.metadata.name = crypto.randomUUID();
  }
}

registerStrategy('', 'LimitRange', (kind, schema, config) => new LimitRangeStrategy(kind, schema, config));
