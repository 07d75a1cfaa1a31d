import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podNameWarnings } from './pod-name-warning.ts';

/** ReplicaSets: the default spec/status rules, and upstream's warning for names that are not DNS labels. */
class ReplicaSetStrategy extends DefaultStrategy {
  warningsOnCreate(obj: StoredObject): string[] {
    return podNameWarnings(obj.metadata?.name);
  }
}

registerStrategy('apps', 'ReplicaSet', (kind, schema, config) => new ReplicaSetStrategy(kind, schema, config));
