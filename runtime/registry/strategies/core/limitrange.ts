import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * LimitRanges, as upstream's pkg/registry/core/limitrange strategy: a PUT may create, and a create without a name
 * is named with a fresh UUID. A generateName has been used by then (the store generates the name before it prepares
 * the object), so only a LimitRange sent with neither gets a UUID.
 */
class LimitRangeStrategy extends DefaultStrategy {
  override readonly allowCreateOnUpdate = true;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    if (!obj.metadata.name) obj.metadata.name = crypto.randomUUID();
  }
}

registerStrategy('', 'LimitRange', (kind, schema, config) => new LimitRangeStrategy(kind, schema, config));
