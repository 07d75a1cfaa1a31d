/** Strategy overrides for core/v1 kinds whose rules go beyond their generated registration. */
import type { StoredObject } from '../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../strategy.ts';

/** Namespaces start Active with the `kubernetes` finalizer, as upstream; status is written only via /status. */
class NamespaceStrategy extends DefaultStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { phase: 'Active' };
    const finalizers: string[] = obj.spec?.finalizers ?? [];
    obj.spec = { ...(obj.spec ?? {}), finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    obj.spec = old.spec;
  }
}

/** Secrets can be selected by type (`kubectl get secrets --field-selector type=...`). */
class SecretStrategy extends DefaultStrategy {
  override selectableFields(obj: StoredObject): Record<string, string> {
    return { type: String(obj.type ?? '') };
  }
}

registerStrategy('', 'Namespace', (kind, schema) => new NamespaceStrategy(kind, schema));
registerStrategy('', 'Secret', (kind, schema) => new SecretStrategy(kind, schema));
