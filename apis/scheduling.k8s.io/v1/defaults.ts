import type { PriorityClass } from './priorityclass.ts';

export function setDefaults_PriorityClass(obj: PriorityClass): void {
  if (!obj.preemptionPolicy) obj.preemptionPolicy = 'PreemptLowerPriority';
}
