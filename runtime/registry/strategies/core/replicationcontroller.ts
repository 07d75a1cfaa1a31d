import { invalid, type FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { GarbageCollectionPolicy } from '../../deletion.ts';
import { validateObjectMetaUpdate } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Replication controllers (upstream's pkg/registry/core/replicationcontroller): generation and status as any kind
 * with a status subresource; they orphan their pods by default in core/v1, as upstream keeps for compatibility;
 * a status write is checked as ValidateReplicationControllerStatusUpdate checks it.
 */
class ReplicationControllerStrategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    const status = obj.status ?? {};
    const errors = validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {});
    const n = (f: string): number => status[f] ?? 0;
    for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
      if (n(f) < 0) errors.push(invalid(`status.${f}`, n(f), 'must be greater than or equal to 0'));
    }
    for (const f of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
      if (n(f) > n('replicas')) errors.push(invalid(`status.${f}`, n(f), 'cannot be greater than status.replicas'));
    }
    if (n('availableReplicas') > n('readyReplicas')) errors.push(invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than readyReplicas'));
    return errors;
  }
}
registerStrategy('', 'ReplicationController', (kind, schema, config) => new ReplicationControllerStrategy(kind, schema, config));
