import { invalid, type FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { GarbageCollectionPolicy } from '../../deletion.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { podNameWarnings } from '../apps/pod-name-warning.ts';
import { changedTemplateWarnings, podWarnings } from './pod-warnings.ts';

/**
 * Replication controllers (upstream's pkg/registry/core/replicationcontroller): generation and status as any kind
 * with a status subresource; they orphan their pods by default in core/v1, as upstream keeps for compatibility;
 * a status write is checked as ValidateReplicationControllerStatusUpdate checks it. Warnings as upstream's: the name
 * (pods are named after it) and the template on create; on an update that changes the spec, the template the update
 * replaces (upstream's WarningsOnUpdate passes the old template where the new one is expected).
 */
class ReplicationControllerStrategy extends DefaultStrategy {
  garbageCollectionPolicy(): GarbageCollectionPolicy {
    return this.kind.version === 'v1' ? 'OrphanDependents' : 'DeleteDependents';
  }

  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...podWarnings(obj.spec?.template, 'spec.template.')];
  }

  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return changedTemplateWarnings(obj, old, old.spec?.template, 'spec.template.');
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    const status = obj.status ?? {};
    const errors = [...meta.coreObjectMetaUpdate()];
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
