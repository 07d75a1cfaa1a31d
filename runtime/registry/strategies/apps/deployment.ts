import type { StoredObject } from '../../../storage/store.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podWarnings } from '../core/pod-warnings.ts';
import { podNameWarnings } from './pod-name-warning.ts';

/**
 * Deployments as upstream's deployment strategy: status cleared on create and kept on update, and the generation
 * bumped by spec changes and by annotation changes too (the controller copies annotations to its ReplicaSets).
 */
class DeploymentStrategy extends DefaultStrategy {
  /** Upstream's update validation runs ValidateObjectMetaUpdate only. */
  protected override metadataOnUpdate = 'update' as const;
  protected override generationChanged(obj: StoredObject, old: StoredObject): boolean {
    return super.generationChanged(obj, old) || !semanticEqual(obj.metadata?.annotations, old.metadata?.annotations);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return obj.metadata?.generation !== old.metadata?.generation ? podWarnings(obj.spec?.template, 'spec.template.') : [];
  }
}

registerStrategy('apps', 'Deployment', (kind, schema, config) => new DeploymentStrategy(kind, schema, config));
