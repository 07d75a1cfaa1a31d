import type { StoredObject } from '../../../storage/store.ts';
import { registerStrategy } from '../../strategy.ts';
import { SelectorHoldingStrategy } from './selector-holding-strategy.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { changedTemplateWarnings, podWarnings } from '../core/pod-warnings.ts';
import { podNameWarnings } from './pod-name-warning.ts';
import { validateReplicaSetStatusUpdate } from './status-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';

/**
 * ReplicaSets: the default spec/status rules, a status write checked as a status, and upstream's warnings for names
 * that are not DNS labels and for pod templates.
 */
class ReplicaSetStrategy extends SelectorHoldingStrategy {
  protected override updateValidatesAsCreateFirst = true;
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return validateReplicaSetStatusUpdate(obj, old, meta);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return changedTemplateWarnings(obj, old, obj.spec?.template, 'spec.template.');
  }
}

registerStrategy('apps', 'ReplicaSet', (kind, schema, config) => new ReplicaSetStrategy(kind, schema, config));
