import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Secrets can be selected by type (`kubectl get secrets --field-selector type=...`). */
class SecretStrategy extends DefaultStrategy {
  override selectableFields(obj: StoredObject): Record<string, string> {
    return { type: String(obj.type ?? '') };
  }
}

registerStrategy('', 'Secret', (kind, schema, config) => new SecretStrategy(kind, schema, config));
