import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { claimSpecWarnings } from '../core/claim-warnings.ts';
import { changedTemplateWarnings, podWarnings } from '../core/pod-warnings.ts';
import { validateStatefulSetStatusUpdate } from './status-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';

/**
 * StatefulSets: the default spec/status rules, status writes checked as upstream's, and upstream's warnings for the
 * pod template and the claim templates. Claim templates are typed (`apiVersion: v1`, `kind: PersistentVolumeClaim`)
 * by apps/v1 defaulting, which also runs on reads from protobuf.
 */
class StatefulSetStrategy extends DefaultStrategy {
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return validateStatefulSetStatusUpdate(obj, old, meta);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podWarnings(obj.spec?.template, 'spec.template.'), ...claimTemplateWarnings(obj, '')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    const template = changedTemplateWarnings(obj, old, obj.spec?.template, 'spec.template.');
    // Upstream's update path names each template's spec `Spec`, as written there.
    return [...template, ...claimTemplateWarnings(obj, '.Spec')];
  }
}

/** The claim warnings of each volumeClaimTemplate, at `spec.volumeClaimTemplates[i]` followed by `suffix`. */
function claimTemplateWarnings(obj: StoredObject, suffix: string): string[] {
  return (obj.spec?.volumeClaimTemplates ?? []).flatMap((t: StoredObject, i: number) => claimSpecWarnings(`spec.volumeClaimTemplates[${i}]${suffix}`, t?.spec));
}

registerStrategy('apps', 'StatefulSet', (kind, schema, config) => new StatefulSetStrategy(kind, schema, config));

/** Upstream's dropStatefulSetDisabledFields: a rolling update's maxUnavailable (MaxUnavailableStatefulSet off) unless the stored set had one. */
registerDisabledFields('apps', 'StatefulSet', (set, old) => {
  const rollingUpdate = set.spec?.updateStrategy?.rollingUpdate;
  if (featureEnabled('MaxUnavailableStatefulSet') || !rollingUpdate || typeof rollingUpdate !== 'object') return;
  if (old?.spec?.updateStrategy?.rollingUpdate?.maxUnavailable == null) delete rollingUpdate.maxUnavailable;
});
