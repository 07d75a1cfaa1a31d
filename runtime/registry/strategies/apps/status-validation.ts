/**
 * What upstream checks on a write through the /status of a Deployment, a ReplicaSet, a StatefulSet or a DaemonSet
 * (Validate<Kind>StatusUpdate): the metadata update and the counts of the status, not the spec (a controller's
 * status write must not fail for a spec that newer rules refuse).
 */
import { invalid, type FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';

type Counts = Record<string, number | undefined>;

/** The counts that may not be negative, then those that may not exceed status.replicas, then available <= ready. */
function countErrors(status: Counts, nonNegative: string[], withinReplicas: string[]): FieldError[] {
  const n = (f: string): number => status[f] ?? 0;
  const errors: FieldError[] = [];
  for (const f of nonNegative) if (n(f) < 0) errors.push(invalid(`status.${f}`, n(f), 'must be greater than or equal to 0'));
  for (const f of withinReplicas) if (n(f) > n('replicas')) errors.push(invalid(`status.${f}`, n(f), 'cannot be greater than status.replicas'));
  if (n('availableReplicas') > n('readyReplicas')) errors.push(invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than readyReplicas'));
  return errors;
}

export function validateDeploymentStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
  const status: Counts = obj.status ?? {};
  const errors = [...meta.coreObjectMetaUpdate()];
  const nonNegative = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'];
  // collisionCount is a pointer upstream: checked only when set.
  if (status.collisionCount != null) nonNegative.push('collisionCount');
  errors.push(...countErrors(status, nonNegative, ['updatedReplicas', 'readyReplicas', 'availableReplicas']));
  errors.push(...collisionCountDecremented(status, old.status ?? {}));
  return errors;
}

export function validateReplicaSetStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
  const nonNegative = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];
  return [...meta.coreObjectMetaUpdate(), ...countErrors(obj.status ?? {}, nonNegative, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'])];
}

/**
 * The collision count may only grow (upstream's IsDecremented): controllers mix it into the names of the revisions
 * they make, and going back (or unsetting it, which counts as 0) would reuse names.
 */
function collisionCountDecremented(status: Counts, old: Counts): FieldError[] {
  const was = old.collisionCount;
  const now = status.collisionCount;
  return was != null && (now == null || now < was) ? [invalid('status.collisionCount', now ?? 0, 'cannot be decremented')] : [];
}

/** Upstream's ValidateStatefulSetStatusUpdate: the status counts first, then the metadata update. */
export function validateStatefulSetStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
  const status: Counts = obj.status ?? {};
  const n = (f: string): number => status[f] ?? 0;
  const nonNegative = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'];
  // observedGeneration and collisionCount are pointers upstream: checked only when set.
  for (const f of ['observedGeneration', 'collisionCount']) if (status[f] != null) nonNegative.push(f);
  const errors: FieldError[] = [];
  for (const f of nonNegative) if (n(f) < 0) errors.push(invalid(`status.${f}`, n(f), 'must be greater than or equal to 0'));
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (n(f) > n('replicas')) errors.push(invalid(`status.${f}`, n(f), 'cannot be greater than status.replicas'));
  }
  if (n('availableReplicas') > n('readyReplicas')) errors.push(invalid('status.availableReplicas', n('availableReplicas'), 'cannot be greater than status.readyReplicas'));
  errors.push(...meta.coreObjectMetaUpdate());
  errors.push(...collisionCountDecremented(status, old.status ?? {}));
  return errors;
}

/** Upstream's ValidateDaemonSetStatusUpdate: the metadata update, then counts that may not be negative. */
export function validateDaemonSetStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
  const status: Counts = obj.status ?? {};
  const nonNegative = ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'];
  if (status.collisionCount != null) nonNegative.push('collisionCount');
  const errors = [...meta.coreObjectMetaUpdate()];
  for (const f of nonNegative) if ((status[f] ?? 0) < 0) errors.push(invalid(`status.${f}`, status[f], 'must be greater than or equal to 0'));
  errors.push(...collisionCountDecremented(status, old.status ?? {}));
  return errors;
}
