/** Computed `kubectl get` columns of autoscaling/v2 HorizontalPodAutoscalers, as upstream's printers show them. */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from './horizontalpodautoscaler.ts';

type HPA = Partial<HorizontalPodAutoscaler>;

export function print_HorizontalPodAutoscaler_reference(obj: HPA): string {
  return `${obj.spec?.scaleTargetRef?.kind ?? ''}/${obj.spec?.scaleTargetRef?.name ?? ''}`;
}

export function print_HorizontalPodAutoscaler_minPods(obj: HPA): string {
  return obj.spec?.minReplicas != null ? String(obj.spec.minReplicas) : '<unset>';
}

const q = (v: string | undefined) => v ?? '<nil>';

/** One metric as `current/target`, as upstream's formatHPAMetrics. */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const source = spec.type === 'External' ? spec.external : spec.object;
      const current = spec.type === 'External' ? status?.external?.current : status?.object?.current;
      if (source?.target?.averageValue != null) return `${current?.averageValue ?? '<unknown>'}/${source.target.averageValue} (avg)`;
      return `${current ? q(current.value) : '<unknown>'}/${q(source?.target?.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current?.averageValue) : '<unknown>'}/${q(spec.pods?.target?.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const current = spec.type === 'Resource' ? status?.resource?.current : status?.containerResource?.current;
      const name = source?.name ?? '';
      if (source?.target?.averageValue != null) return `${name}: ${current ? q(current.averageValue) : '<unknown>'}/${source.target.averageValue}`;
      const now = current?.averageUtilization != null ? `${current.averageUtilization}%` : '<unknown>';
      const target = source?.target?.averageUtilization != null ? `${source.target.averageUtilization}%` : '<auto>';
      return `${name}: ${now}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The first two metrics as `current/target`, then `+ N more...`; `<none>` without metrics. */
export function print_HorizontalPodAutoscaler_targets(obj: HPA): string {
  const specs = obj.spec?.metrics ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = obj.status?.currentMetrics ?? [];
  const list = specs.map((s, i) => formatMetric(s, statuses[i]));
  return list.length > 2 ? `${list.slice(0, 2).join(', ')} + ${list.length - 2} more...` : list.join(', ');
}

/** Go's printer puts the counts in string columns as integers. */
export function print_HorizontalPodAutoscaler_maxPods(obj: HPA): number {
  return obj.spec?.maxReplicas ?? 0;
}

export function print_HorizontalPodAutoscaler_replicas(obj: HPA): number {
  return obj.status?.currentReplicas ?? 0;
}
