import type { HorizontalPodAutoscaler } from './horizontalpodautoscaler.ts';

/**
 * minReplicas 1, and v1's optional CPU target, which means 80%: upstream's conversion makes it explicit unless the
 * metrics annotation carries other metrics, so a v1 HPA created without a target reads back with 80. Doing it here
 * gives clients the same object and keeps v1 -> hub -> v1 lossless.
 */
export function setDefaults_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  if (spec.minReplicas == null) spec.minReplicas = 1;
  const otherMetrics = obj.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/metrics'];
  if (spec.targetCPUUtilizationPercentage == null && !otherMetrics) spec.targetCPUUtilizationPercentage = 80;
}
