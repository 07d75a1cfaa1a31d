/**
 * The round-trip annotations of an autoscaling/v1 HPA: what v2 can say that v1 cannot, carried in annotations as
 * upstream does, in v1's own (older) metric shapes; read by the conversion and by validation.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { HorizontalPodAutoscaler as V1 } from './horizontalpodautoscaler.ts';
import type { HorizontalPodAutoscaler as V2, MetricSpec } from '../v2/horizontalpodautoscaler.ts';
import { decodeRoundTripJson, type RoundTripType } from './annotation-json.ts';

export const metricsAnnotation = 'autoscaling.alpha.kubernetes.io/metrics';
export const currentMetricsAnnotation = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const conditionsAnnotation = 'autoscaling.alpha.kubernetes.io/conditions';
export const behaviorAnnotation = 'autoscaling.alpha.kubernetes.io/behavior';
export const roundTripAnnotations = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation, behaviorAnnotation];

/**
 * The behaviour the annotation holds, as upstream keeps it: only when it decodes and sets scaleUp or scaleDown; a
 * policy's unset fields are Go's zero values.
 */
export function behaviorOf(annotations: Record<string, string> | undefined): NonNullable<V2['spec']>['behavior'] | undefined {
  const b = parseAnnotation(annotations, behaviorAnnotation);
  if (!b?.scaleUp && !b?.scaleDown) return undefined;
  const rules = (r: any) => (r?.policies ? { ...r, policies: r.policies.map((p: any) => ({ type: '', value: 0, periodSeconds: 0, ...p })) } : r);
  const out: any = {};
  if (b.scaleUp) out.scaleUp = rules(b.scaleUp);
  if (b.scaleDown) out.scaleDown = rules(b.scaleDown);
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

const typeOf: Record<string, RoundTripType> = {
  [metricsAnnotation]: 'metrics',
  [currentMetricsAnnotation]: 'currentMetrics',
  [conditionsAnnotation]: 'conditions',
  [behaviorAnnotation]: 'behavior',
};

/**
 * What the round-trip annotation `key` says, fields by their JSON names, or undefined when it is absent or does not
 * decode (a body whose metrics, current metrics or conditions do not decode is refused before this is read).
 */
export function parseAnnotation(annotations: Record<string, string> | undefined, key: string): any {
  const text = annotations?.[key];
  if (typeof text !== 'string') return undefined;
  const decoded = decodeRoundTripJson(text, typeOf[key]);
  return 'value' in decoded ? decoded.value : undefined;
}

/** The annotations whose decode error fails a v1 body's decoding upstream, in the order its conversion reads them. */
const refusing = [metricsAnnotation, currentMetricsAnnotation, conditionsAnnotation];

/** The error upstream's conversion fails a v1 body's decoding with (a behaviour that does not decode is dropped). */
export function roundTripDecodeError(obj: unknown): string | undefined {
  const annotations = (obj as { metadata?: { annotations?: unknown } } | null)?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return undefined;
  for (const key of refusing) {
    const text = (annotations as Record<string, unknown>)[key];
    if (typeof text !== 'string') continue;
    const decoded = decodeRoundTripJson(text, typeOf[key]);
    if ('error' in decoded) return decoded.error;
  }
  return undefined;
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
  const behavior = behaviorOf(annotations);
  return {
    scaleTargetRef: spec.scaleTargetRef,
    minReplicas: spec.minReplicas,
    maxReplicas: spec.maxReplicas,
    metrics,
    ...(behavior ? { behavior } : {}),
  } as NonNullable<V2['spec']>;
}
