import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';

/** The CPU target default is applied in conversion, where the metrics kept in annotations are visible. */
export function setDefaults_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler): void {
  if (obj.spec && obj.spec.minReplicas == null) obj.spec.minReplicas = 1;
}
