import type { StoredObject } from '../../../storage/store.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podWarnings } from '../core/pod-warnings.ts';
import { podNameWarnings } from './pod-name-warning.ts';
import { validateDeploymentStatusUpdate } from './status-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';

/**
 * Deployments as upstream's deployment strategy: status cleared on create and kept on update, and the generation
 * bumped by spec changes and by annotation changes too (the controller copies annotations to its ReplicaSets); a
 * status write is checked as a status.
 */
class DeploymentStrategy extends DefaultStrategy {
  /** Upstream's update validation runs ValidateObjectMetaUpdate only. */
  protected override metadataOnUpdate = 'update' as const;
  protected override generationChanged(obj: StoredObject, old: StoredObject): boolean {
    return super.generationChanged(obj, old) || !semanticEqual(obj.metadata?.annotations, old.metadata?.annotations);
  }
  validateStatusUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return validateDeploymentStatusUpdate(obj, old);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return obj.metadata?.generation !== old.metadata?.generation ? podWarnings(obj.spec?.template, 'spec.template.') : [];
  }
}

registerStrategy('apps', 'Deployment', (kind, schema, config) => new DeploymentStrategy(kind, schema, config));
