/**
 * Computed `kubectl get` columns of autoscaling/v1 HorizontalPodAutoscalers. Upstream prints the stored (v2)
 * object, whose defaults give a v1 autoscaler without a CPU target the 80% one.
 */
import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';

type HPA = Partial<HorizontalPodAutoscaler>;

export function print_HorizontalPodAutoscaler_reference(obj: HPA): string {
  return `${obj.spec?.scaleTargetRef?.kind ?? ''}/${obj.spec?.scaleTargetRef?.name ?? ''}`;
}

export function print_HorizontalPodAutoscaler_minPods(obj: HPA): string {
  return obj.spec?.minReplicas != null ? String(obj.spec.minReplicas) : '<unset>';
}

export function print_HorizontalPodAutoscaler_targets(obj: HPA): string {
  const current = obj.status?.currentCPUUtilizationPercentage;
  return `cpu: ${current != null ? `${current}%` : '<unknown>'}/${obj.spec?.targetCPUUtilizationPercentage ?? 80}%`;
}

/** Go's printer puts the counts in string columns as integers. */
export function print_HorizontalPodAutoscaler_maxPods(obj: HPA): number {
  return obj.spec?.maxReplicas ?? 0;
}

export function print_HorizontalPodAutoscaler_replicas(obj: HPA): number {
  return obj.status?.currentReplicas ?? 0;
}
