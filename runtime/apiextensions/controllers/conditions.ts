/**
 * CustomResourceDefinition conditions, as upstream's apihelpers: one condition per type, `lastTransitionTime`
 * moving only when the status changes.
 */
import type { StoredObject } from '../../storage/store.ts';
import type { CRDCondition } from '../serving/types.ts';

export type { CRDCondition };

/** A metav1.Time now: RFC 3339 in UTC at second precision. */
export function nowTime(): string {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

export function findCondition(crd: StoredObject, type: string): CRDCondition | undefined {
  const list = crd?.status?.conditions;
  return Array.isArray(list) ? list.find((c: CRDCondition) => c?.type === type) : undefined;
}

export function isConditionTrue(crd: StoredObject, type: string): boolean {
  return findCondition(crd, type)?.status === 'True';
}

/** Same status, reason and message (the transition time does not count). */
export function conditionEquivalent(a: CRDCondition | undefined, b: CRDCondition | undefined): boolean {
  if (!a || !b) return a === b;
  return a.type === b.type && a.status === b.status && (a.reason ?? '') === (b.reason ?? '') && (a.message ?? '') === (b.message ?? '');
}

/** Sets a condition in `crd.status.conditions` (mutates), keeping its transition time unless the status changes. */
export function setCondition(crd: StoredObject, condition: CRDCondition): void {
  crd.status ??= {};
  const list: CRDCondition[] = Array.isArray(crd.status.conditions) ? crd.status.conditions : (crd.status.conditions = []);
  const existing = list.find((c) => c.type === condition.type);
  const next = { ...condition, lastTransitionTime: nowTime() };
  if (!existing) {
    list.push(next);
    return;
  }
  if (existing.status !== condition.status || !existing.lastTransitionTime) existing.lastTransitionTime = next.lastTransitionTime;
  existing.status = condition.status;
  if (condition.reason !== undefined) existing.reason = condition.reason;
  else delete existing.reason;
  if (condition.message !== undefined) existing.message = condition.message;
  else delete existing.message;
}

export function removeCondition(crd: StoredObject, type: string): void {
  if (Array.isArray(crd.status?.conditions)) crd.status.conditions = crd.status.conditions.filter((c: CRDCondition) => c?.type !== type);
}
