/**
 * The round-trip annotations as upstream's v1 conversion reads them, with Go's standard encoding/json (field names
 * in any case): metrics, current metrics and conditions into autoscaling/v1's own MetricSpec, MetricStatus and
 * HorizontalPodAutoscalerCondition (k8s.io/api autoscaling/v1 types.go), whose decode error fails the body's decoding;
 * behaviour into the internal HorizontalPodAutoscalerBehavior (no json tags: Go field names), kept only when it
 * decodes (pkg/apis/autoscaling/v1/conversion.go).
 */
import { goStructs } from '../../../runtime/machinery/godecode/index.ts';
import { stdJsonDecoder } from '../../../runtime/machinery/godecode/stdjson.ts';
import type { GoStructTable, GoTypeDesc } from '../../../runtime/machinery/godecode/types.ts';

const ref = ['struct', 'v1.CrossVersionObjectReference', 'autoscaling/v1/CrossVersionObjectReference'] as const;
const selector = ['struct', 'v1.LabelSelector', 'meta/v1/LabelSelector'] as const;
const quantity = ['q', 'resource.Quantity'] as const;
const int32 = ['i32', 'int32'] as const;
const str = ['s', 'string'] as const;
const resourceName = ['s', 'v1.ResourceName'] as const;
const struct = (name: string) => ['struct', `v1.${name}`, `autoscaling/v1/annotation/${name}`] as const;
const internal = (name: string) => ['struct', `autoscaling.${name}`, `autoscaling/internal/${name}`] as const;

/** The annotations' own types; LabelSelector and CrossVersionObjectReference come from the generated table. */
const annotationTypes: GoStructTable = {
  'autoscaling/v1/annotation/MetricSpec': {
    name: 'MetricSpec',
    fields: {
      type: ['s', 'v1.MetricSourceType'],
      object: struct('ObjectMetricSource'),
      pods: struct('PodsMetricSource'),
      resource: struct('ResourceMetricSource'),
      containerResource: struct('ContainerResourceMetricSource'),
      external: struct('ExternalMetricSource'),
    },
  },
  'autoscaling/v1/annotation/ObjectMetricSource': {
    name: 'ObjectMetricSource',
    fields: { target: ref, metricName: str, targetValue: quantity, selector, averageValue: quantity },
  },
  'autoscaling/v1/annotation/PodsMetricSource': { name: 'PodsMetricSource', fields: { metricName: str, targetAverageValue: quantity, selector } },
  'autoscaling/v1/annotation/ResourceMetricSource': {
    name: 'ResourceMetricSource',
    fields: { name: resourceName, targetAverageUtilization: int32, targetAverageValue: quantity },
  },
  'autoscaling/v1/annotation/ContainerResourceMetricSource': {
    name: 'ContainerResourceMetricSource',
    fields: { name: resourceName, targetAverageUtilization: int32, targetAverageValue: quantity, container: str },
  },
  'autoscaling/v1/annotation/ExternalMetricSource': {
    name: 'ExternalMetricSource',
    fields: { metricName: str, metricSelector: selector, targetValue: quantity, targetAverageValue: quantity },
  },
  'autoscaling/v1/annotation/MetricStatus': {
    name: 'MetricStatus',
    fields: {
      type: ['s', 'v1.MetricSourceType'],
      object: struct('ObjectMetricStatus'),
      pods: struct('PodsMetricStatus'),
      resource: struct('ResourceMetricStatus'),
      containerResource: struct('ContainerResourceMetricStatus'),
      external: struct('ExternalMetricStatus'),
    },
  },
  'autoscaling/v1/annotation/ObjectMetricStatus': {
    name: 'ObjectMetricStatus',
    fields: { target: ref, metricName: str, currentValue: quantity, selector, averageValue: quantity },
  },
  'autoscaling/v1/annotation/PodsMetricStatus': { name: 'PodsMetricStatus', fields: { metricName: str, currentAverageValue: quantity, selector } },
  'autoscaling/v1/annotation/ResourceMetricStatus': {
    name: 'ResourceMetricStatus',
    fields: { name: resourceName, currentAverageUtilization: int32, currentAverageValue: quantity },
  },
  'autoscaling/v1/annotation/ContainerResourceMetricStatus': {
    name: 'ContainerResourceMetricStatus',
    fields: { name: resourceName, currentAverageUtilization: int32, currentAverageValue: quantity, container: str },
  },
  'autoscaling/v1/annotation/ExternalMetricStatus': {
    name: 'ExternalMetricStatus',
    fields: { metricName: str, metricSelector: selector, currentValue: quantity, currentAverageValue: quantity },
  },
  'autoscaling/v1/annotation/HorizontalPodAutoscalerCondition': {
    name: 'HorizontalPodAutoscalerCondition',
    fields: {
      type: ['s', 'v1.HorizontalPodAutoscalerConditionType'],
      status: ['s', 'v1.ConditionStatus'],
      lastTransitionTime: ['t', 'v1.Time'],
      reason: str,
      message: str,
    },
  },
  'autoscaling/internal/HorizontalPodAutoscalerBehavior': {
    name: 'HorizontalPodAutoscalerBehavior',
    fields: { ScaleUp: internal('HPAScalingRules'), ScaleDown: internal('HPAScalingRules') },
  },
  'autoscaling/internal/HPAScalingRules': {
    name: 'HPAScalingRules',
    fields: {
      StabilizationWindowSeconds: int32,
      SelectPolicy: ['s', 'autoscaling.ScalingPolicySelect'],
      Policies: ['[]', '[]autoscaling.HPAScalingPolicy', internal('HPAScalingPolicy')],
    },
  },
  'autoscaling/internal/HPAScalingPolicy': {
    name: 'HPAScalingPolicy',
    fields: { Type: ['s', 'autoscaling.HPAScalingPolicyType'], Value: int32, PeriodSeconds: int32 },
  },
};

/** The Go type each annotation decodes into. */
const roots = {
  metrics: ['[]', '[]v1.MetricSpec', struct('MetricSpec')],
  currentMetrics: ['[]', '[]v1.MetricStatus', struct('MetricStatus')],
  conditions: ['[]', '[]v1.HorizontalPodAutoscalerCondition', struct('HorizontalPodAutoscalerCondition')],
  behavior: internal('HorizontalPodAutoscalerBehavior'),
} satisfies Record<string, GoTypeDesc>;

export type RoundTripType = keyof typeof roots;

let table: GoStructTable | undefined;

/** `text` decoded as upstream's conversion decodes the annotation: `{ error }` in Go's words, or the value. */
export const decodeRoundTripJson = stdJsonDecoder(() => (table ??= { ...goStructs, ...annotationTypes }), roots);
