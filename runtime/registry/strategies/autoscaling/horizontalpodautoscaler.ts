import { invalid, type FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * HorizontalPodAutoscalers: status cleared on create and kept on update; upstream keeps no generation for them. A
 * status write is checked as upstream's ValidateHorizontalPodAutoscalerStatusUpdate: the counts, not the spec.
 */
class HorizontalPodAutoscalerStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    const errors = [...meta.coreObjectMetaUpdate()];
    for (const f of ['currentReplicas', 'desiredReplicas']) {
      const n = obj.status?.[f] ?? 0;
      if (n < 0) errors.push(invalid(`status.${f}`, n, 'must be greater than or equal to 0'));
    }
    return errors;
  }
}

registerStrategy('autoscaling', 'HorizontalPodAutoscaler', (kind, schema, config) => new HorizontalPodAutoscalerStrategy(kind, schema, config));
