import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { changedTemplateWarnings, podWarnings } from './pod-warnings.ts';

/**
 * PodTemplates (upstream's pkg/registry/core/podtemplate): the default rules, and upstream's pod template warnings
 * (at `template.`) on create and on an update that changes the template (the generation moved).
 */
class PodTemplateStrategy extends DefaultStrategy {
  warningsOnCreate(obj: StoredObject): string[] {
    return podWarnings(obj.template, 'template.');
  }

  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return changedTemplateWarnings(obj, old, obj.template, 'template.');
  }
}

registerStrategy('', 'PodTemplate', (kind, schema, config) => new PodTemplateStrategy(kind, schema, config));
