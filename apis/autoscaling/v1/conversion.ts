/**
 * autoscaling/v1 <-> autoscaling/v2 (the hub). v1 only knows a CPU utilisation target; everything else v2 can say
 * travels in annotations on the v1 object, as upstream does, so that a v2 object survives a round trip through
 * v1: other metrics, current metrics, conditions and behaviour. The metrics in those annotations use v1's own
 * (older) metric shapes.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { HorizontalPodAutoscaler as V1 } from './horizontalpodautoscaler.ts';
import type { HorizontalPodAutoscaler as V2, MetricSpec, MetricStatus } from '../v2/horizontalpodautoscaler.ts';

import {
  behaviorAnnotation,
  behaviorOf,
  conditionsAnnotation,
  currentMetricsAnnotation,
  identifier,
  metricsAnnotation,
  parseAnnotation,
  roundTripAnnotations,
  roundTripDecodeError,
  specFromV1,
} from './annotations.ts';

type Auto = (src: any, dst: any) => void;

/**
 * The behaviour annotation holds upstream's internal Go struct marshalled without json tags: Go field names, every
 * field written (null when unset), in struct order. Decoding matches names case-insensitively, as Go's does, so the
 * v2 spellings are read too.
 */
function behaviorToAnnotation(b: NonNullable<NonNullable<V2['spec']>['behavior']>): string {
  const rules = (r: any) =>
    r == null
      ? null
      : {
          StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
          SelectPolicy: r.selectPolicy ?? null,
          Policies: r.policies == null ? null : r.policies.map((p: any) => ({ Type: p.type ?? '', Value: p.value ?? 0, PeriodSeconds: p.periodSeconds ?? 0 })),
        };
  return JSON.stringify({ ScaleUp: rules(b.scaleUp), ScaleDown: rules(b.scaleDown) });
}

const isCPUUtilization = (m: MetricSpec) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.averageUtilization != null;

/** A CPU utilisation reading and nothing else: exactly what v1's currentCPUUtilizationPercentage holds. */
function isPlainCPUStatus(m: MetricStatus): boolean {
  const keys = (o: object | undefined) => Object.keys(o ?? {}).sort().join(',');
  return (
    m.type === 'Resource' &&
    keys(m) === 'resource,type' &&
    m.resource?.name === 'cpu' &&
    keys(m.resource) === 'current,name' &&
    keys(m.resource.current) === 'averageUtilization'
  );
}

// --- v2 metric shapes <-> v1 annotation metric shapes -------------------------------------------------------

function specToV1(m: MetricSpec): any {
  const out: any = { type: m.type };
  if (m.object) {
    out.object = { target: m.object.describedObject, metricName: m.object.metric?.name, targetValue: m.object.target?.value ?? '0' };
    if (m.object.metric?.selector) out.object.selector = m.object.metric.selector;
    if (m.object.target?.averageValue != null) out.object.averageValue = m.object.target.averageValue;
  }
  if (m.pods) {
    out.pods = { metricName: m.pods.metric?.name, targetAverageValue: m.pods.target?.averageValue ?? '0' };
    if (m.pods.metric?.selector) out.pods.selector = m.pods.metric.selector;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const v: any = { name: r.name };
    if (r.target?.averageUtilization != null) v.targetAverageUtilization = r.target.averageUtilization;
    if (r.target?.averageValue != null) v.targetAverageValue = r.target.averageValue;
    if (key === 'containerResource') v.container = (r as any).container;
    out[key] = v;
  }
  if (m.external) {
    out.external = { metricName: m.external.metric?.name };
    if (m.external.metric?.selector) out.external.metricSelector = m.external.metric.selector;
    if (m.external.target?.value != null) out.external.targetValue = m.external.target.value;
    if (m.external.target?.averageValue != null) out.external.targetAverageValue = m.external.target.averageValue;
  }
  return out;
}

function statusToV1(m: MetricStatus): any {
  const out: any = { type: m.type };
  if (m.object) {
    out.object = { target: m.object.describedObject, metricName: m.object.metric?.name, currentValue: m.object.current?.value ?? '0' };
    if (m.object.metric?.selector) out.object.selector = m.object.metric.selector;
    if (m.object.current?.averageValue != null) out.object.averageValue = m.object.current.averageValue;
  }
  if (m.pods) {
    out.pods = { metricName: m.pods.metric?.name, currentAverageValue: m.pods.current?.averageValue ?? '0' };
    if (m.pods.metric?.selector) out.pods.selector = m.pods.metric.selector;
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    // Go's field order: the optional utilization sits between the name and the always-written raw value.
    const v: any = { name: r.name };
    if (r.current?.averageUtilization != null) v.currentAverageUtilization = r.current.averageUtilization;
    v.currentAverageValue = r.current?.averageValue ?? '0';
    if (key === 'containerResource') v.container = (r as any).container;
    out[key] = v;
  }
  if (m.external) {
    out.external = { metricName: m.external.metric?.name };
    if (m.external.metric?.selector) out.external.metricSelector = m.external.metric.selector;
    out.external.currentValue = m.external.current?.value ?? '0';
    if (m.external.current?.averageValue != null) out.external.currentAverageValue = m.external.current.averageValue;
  }
  return out;
}

function statusFromV1(m: any): MetricStatus {
  const out: any = { type: m.type };
  if (m.object) {
    const current: any = { value: m.object.currentValue };
    if (m.object.averageValue != null) current.averageValue = m.object.averageValue;
    out.object = { metric: identifier(m.object.metricName, m.object.selector), current, describedObject: m.object.target };
  }
  if (m.pods) out.pods = { metric: identifier(m.pods.metricName, m.pods.selector), current: { averageValue: m.pods.currentAverageValue } };
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    const current: any = { averageValue: r.currentAverageValue };
    if (r.currentAverageUtilization != null) current.averageUtilization = r.currentAverageUtilization;
    out[key] = key === 'containerResource' ? { name: r.name, current, container: r.container } : { name: r.name, current };
  }
  if (m.external) {
    const current: any = { value: m.external.currentValue };
    if (m.external.currentAverageValue != null) current.averageValue = m.external.currentAverageValue;
    out.external = { metric: identifier(m.external.metricName, m.external.metricSelector), current };
  }
  return out;
}

/**
 * A condition as Go marshals autoscaling/v1's HorizontalPodAutoscalerCondition: struct order, lastTransitionTime
 * always written (null when unset), reason and message only when set.
 */
function conditionToV1(c: NonNullable<NonNullable<V2['status']>['conditions']>[number]): object {
  return { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime ?? null, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
}

// --- the hooks --------------------------------------------------------------------------------------------

export function convert_HorizontalPodAutoscaler_to_hub(src: V1, dst: V2, auto: Auto): void {
  auto(src, dst);
  const annotations = src.metadata?.annotations;
  if (src.spec) {
    const spec = (dst.spec ??= {} as NonNullable<V2['spec']>);
    const metrics: MetricSpec[] = [];
    const other = parseAnnotation(annotations, metricsAnnotation);
    if (Array.isArray(other)) metrics.push(...other.map(specFromV1));
    if (src.spec.targetCPUUtilizationPercentage != null) {
      metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: src.spec.targetCPUUtilizationPercentage } } });
    }
    // Upstream makes v1's implicit 80% CPU target explicit here; autoscaling/v2's defaults add the same metric
    // to a hub object without metrics, so leaving it to them keeps v1 -> hub -> v1 lossless.
    if (metrics.length) spec.metrics = metrics;
    const behavior = behaviorOf(annotations);
    if (behavior) spec.behavior = behavior;
  }
  if (src.status) {
    const status = (dst.status ??= {} as NonNullable<V2['status']>);
    // v1 always writes currentReplicas; v2's json tag omits it when 0, so a v1 object's 0 is no v2 value.
    if (status.currentReplicas === 0) delete status.currentReplicas;
    const current = parseAnnotation(annotations, currentMetricsAnnotation);
    if (Array.isArray(current)) status.currentMetrics = current.map(statusFromV1);
    else if (src.status.currentCPUUtilizationPercentage != null) {
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: src.status.currentCPUUtilizationPercentage } } }];
    }
    const conditions = parseAnnotation(annotations, conditionsAnnotation);
    if (Array.isArray(conditions)) status.conditions = conditions;
  }
  if (dst.metadata?.annotations) {
    for (const key of roundTripAnnotations) delete dst.metadata.annotations[key];
  }
}

export function convert_HorizontalPodAutoscaler_from_hub(src: V2, dst: V1, auto: Auto): void {
  auto(src, dst);
  const extra: Record<string, string> = {};
  if (src.spec) {
    const spec = (dst.spec ??= {} as NonNullable<V1['spec']>);
    const cpu = (src.spec.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
    if (cpu?.resource?.target?.averageUtilization != null) spec.targetCPUUtilizationPercentage = cpu.resource.target.averageUtilization;
    const other = (src.spec.metrics ?? []).filter((m) => !isCPUUtilization(m));
    if (other.length) extra[metricsAnnotation] = JSON.stringify(other.map(specToV1));
    if (src.spec.behavior) extra[behaviorAnnotation] = behaviorToAnnotation(src.spec.behavior);
  }
  if (src.status) {
    const status = (dst.status ??= {} as NonNullable<V1['status']>);
    // The other side of the 0 dropped on the way in: v1's Go field has no omitempty, so a v1 status holds it always.
    status.currentReplicas ??= 0;
    for (const m of src.status.currentMetrics ?? []) {
      if (m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current?.averageUtilization != null) {
        status.currentCPUUtilizationPercentage = m.resource.current.averageUtilization;
      }
    }
    // Upstream always writes this annotation; it is only written here when it says more than
    // currentCPUUtilizationPercentage does, so that v1 -> hub -> v1 gives back the same object.
    if (src.status.currentMetrics?.some((m) => !isPlainCPUStatus(m))) extra[currentMetricsAnnotation] = JSON.stringify(src.status.currentMetrics.map(statusToV1));
    if (src.status.conditions?.length) extra[conditionsAnnotation] = JSON.stringify(src.status.conditions.map(conditionToV1));
  }
  if (Object.keys(extra).length) {
    dst.metadata ??= {};
    dst.metadata.annotations = { ...(dst.metadata.annotations ?? {}), ...extra };
  }
}

/**
 * Upstream's conversion reads the metrics, current-metrics and conditions annotations with encoding/json and
 * returns its error, which fails the body's decoding: 400 `HorizontalPodAutoscaler in version "v1" cannot be handled
 * as a HorizontalPodAutoscaler: json: cannot unmarshal ...`, before admission and validation.
 */
export function decodeError_HorizontalPodAutoscaler(obj: unknown): string | undefined {
  return roundTripDecodeError(obj);
}
