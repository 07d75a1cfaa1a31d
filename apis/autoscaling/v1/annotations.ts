/**
 * The round-trip annotations of an autoscaling/v1 HPA: what v2 can say that v1 cannot, carried in annotations as
 * upstream does, in v1's own (older) metric shapes; read by the conversion and by validation.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { HorizontalPodAutoscaler as V1 } from './horizontalpodautoscaler.ts';
import type { HorizontalPodAutoscaler as V2, MetricSpec } from '../v2/horizontalpodautoscaler.ts';

export const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';
export const roundTripAnnotations = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation];

/** `obj` with its keys renamed to the spellings in `names` they match case-insensitively (others dropped, nulls too). */
function goFields(obj: unknown, names: readonly string[]): Record<string, any> {
  const out: Record<string, any> = {};
  if (!obj || typeof obj !== 'object') return out;
  for (const [k, v] of Object.entries(obj)) {
    const name = names.find((n) => n.toLowerCase() === k.toLowerCase());
    if (name && v != null) out[name] = v;
  }
  return out;
}

export function behaviorFromAnnotation(parsed: unknown): NonNullable<V2['spec']>['behavior'] {
  const rules = (r: unknown) => {
    if (r == null) return undefined;
    const o = goFields(r, ['stabilizationWindowSeconds', 'selectPolicy', 'policies']);
    if (Array.isArray(o.policies)) o.policies = o.policies.map((p: unknown) => ({ type: '', value: 0, periodSeconds: 0, ...goFields(p, ['type', 'value', 'periodSeconds']) }));
    return o;
  };
  const b = goFields(parsed, ['scaleUp', 'scaleDown']);
  const out: any = {};
  if (b.scaleUp != null) out.scaleUp = rules(b.scaleUp);
  if (b.scaleDown != null) out.scaleDown = rules(b.scaleDown);
  return out;
}

export function identifier(name: string, selector: unknown): any {
  return selector ? { name, selector } : { name };
}

export function specFromV1(m: any): MetricSpec {
  const out: any = { type: m.type };
  if (m.object) {
    const type = m.object.averageValue == null ? 'Value' : 'AverageValue';
    const target: any = { type, value: m.object.targetValue };
    if (m.object.averageValue != null) target.averageValue = m.object.averageValue;
    out.object = { describedObject: m.object.target, metric: identifier(m.object.metricName, m.object.selector), target };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), target: { type: 'AverageValue', averageValue: m.pods.targetAverageValue } };
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const target: any = { type: r.targetAverageUtilization != null ? 'Utilization' : 'AverageValue' };
    if (r.targetAverageUtilization != null) target.averageUtilization = r.targetAverageUtilization;
    if (r.targetAverageValue != null) target.averageValue = r.targetAverageValue;
    out[key] = key === 'containerResource' ? { name: r.name, target, container: r.container } : { name: r.name, target };
  }
  if (m.external) {
    const target: any = { type: m.external.targetValue != null ? 'Value' : 'AverageValue' };
    if (m.external.targetValue != null) target.value = m.external.targetValue;
    if (m.external.targetAverageValue != null) target.averageValue = m.external.targetAverageValue;
    out.external = { metric: identifier(m.external.metricName, m.external.metricSelector), target };
  }
  return out;
}

export function parseAnnotation(annotations: Record<string, string> | undefined, key: string): any {
  const text = annotations?.[key];
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The autoscaling/v2 spec a v1 object stands for (its metrics annotation's metrics first, then the CPU target; its
 * behaviour annotation), for checking it as upstream does: on the converted object.
 */
export function hubSpecOf(src: V1): NonNullable<V2['spec']> {
  const spec = src.spec ?? ({} as NonNullable<V1['spec']>);
  const annotations = src.metadata?.annotations;
  const other = parseAnnotation(annotations, metricsAnnotation);
  const metrics: MetricSpec[] = Array.isArray(other) ? other.map(specFromV1) : [];
  if (spec.targetCPUUtilizationPercentage != null) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const behavior = parseAnnotation(annotations, behaviorAnnotation);
  return {
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    metrics,
    ...(behavior && typeof behavior === 'object' ? { behavior: behaviorFromAnnotation(behavior) } : {}),
  } as NonNullable<V2['spec']>;
}
