import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Replication controllers orphan their pods by default in core/v1, as upstream keeps for compatibility. */
class ReplicationControllerStrategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }
}
registerStrategy('', 'ReplicationController', (kind, schema, config) => new ReplicationControllerStrategy(kind, schema, config));
