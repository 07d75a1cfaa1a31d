/** Pod conditions as upstream's podutil.UpdatePodCondition writes them. */
import type { StoredObject } from '../../storage/store.ts';
import { nowTime } from '../objectmeta.ts';

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Adds the condition, or replaces the one of its type; lastTransitionTime is now unless the status stays the same.
 * Mutates `podStatus`.
 */
export function setPodCondition(podStatus: StoredObject, condition: PodCondition): void {
  const conditions: StoredObject[] = (podStatus.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  const old = i < 0 ? undefined : conditions[i];
  const next: StoredObject = { ...condition, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : nowTime() };
  if (i < 0) conditions.push(next);
  else conditions[i] = next;
}
