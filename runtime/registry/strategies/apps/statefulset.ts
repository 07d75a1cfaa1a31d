import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { podWarnings } from '../core/pod-warnings.ts';

/**
 * StatefulSets: the default spec/status rules and upstream's pod template warnings. Claim templates are typed
 * (`apiVersion: v1`, `kind: PersistentVolumeClaim`) by apps/v1 defaulting, which also runs on reads from protobuf.
 */
class StatefulSetStrategy extends DefaultStrategy {
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return obj.metadata?.generation !== old.metadata?.generation ? podWarnings(obj.spec?.template, 'spec.template.') : [];
  }
}

registerStrategy('apps', 'StatefulSet', (kind, schema, config) => new StatefulSetStrategy(kind, schema, config));

/** Upstream's dropStatefulSetDisabledFields: a rolling update's maxUnavailable (MaxUnavailableStatefulSet off) unless the stored set had one. */
registerDisabledFields('apps', 'StatefulSet', (set, old) => {
  const rollingUpdate = set.spec?.updateStrategy?.rollingUpdate;
  if (featureEnabled('MaxUnavailableStatefulSet') || !rollingUpdate || typeof rollingUpdate !== 'object') return;
  if (old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable == null) delete rollingUpdate.maxUnavailable;
});
