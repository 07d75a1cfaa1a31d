import type { HorizontalPodAutoscaler, HPAScalingRules } from './horizontalpodautoscaler.ts';

const defaultCPUUtilization = 80;

function scaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

function scaleDownRules(): HPAScalingRules {
  // The stabilisation window stays unset: the controller's flag decides it (300 seconds by default).
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

function fill(rules: HPAScalingRules | undefined, defaults: HPAScalingRules): HPAScalingRules {
  if (!rules) return defaults;
  if (rules.stabilizationWindowSeconds == null && defaults.stabilizationWindowSeconds != null) rules.stabilizationWindowSeconds = defaults.stabilizationWindowSeconds;
  if (rules.selectPolicy == null) rules.selectPolicy = defaults.selectPolicy;
  if (rules.policies == null) rules.policies = defaults.policies;
  return rules;
}

export function setDefaults_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  if (spec.minReplicas == null) spec.minReplicas = 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: defaultCPUUtilization } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = fill(spec.behavior.scaleUp, scaleUpRules());
    spec.behavior.scaleDown = fill(spec.behavior.scaleDown, scaleDownRules());
  }
}
