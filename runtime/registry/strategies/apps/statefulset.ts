import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podWarnings } from '../core/pod-warnings.ts';

/**
 * StatefulSets: the default spec/status rules; each volume claim template is a PersistentVolumeClaim that
 * upstream returns with its `apiVersion: v1` and `kind: PersistentVolumeClaim`.
 */
class StatefulSetStrategy extends DefaultStrategy {
  override prepareForCreate(obj: StoredObject): void {
    typeClaimTemplates(obj);
    super.prepareForCreate(obj);
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    typeClaimTemplates(obj);
    super.prepareForUpdate(obj, old);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return obj.metadata?.generation !== old.metadata?.generation ? podWarnings(obj.spec?.template, 'spec.template.') : [];
  }
}

function typeClaimTemplates(obj: StoredObject): void {
  const templates = obj.spec?.volumeClaimTemplates;
  if (!Array.isArray(templates)) return;
  obj.spec.volumeClaimTemplates = templates.map(({ apiVersion: _v, kind: _k, ...rest }: StoredObject) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...rest }));
}

registerStrategy('apps', 'StatefulSet', (kind, schema, config) => new StatefulSetStrategy(kind, schema, config));
