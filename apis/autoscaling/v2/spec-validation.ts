/**
 * Upstream's checks of an HPA spec (pkg/apis/autoscaling/validation), shared by autoscaling/v2 and v1 (checked as
 * the v2 form it converts to).
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
/* eslint-disable @typescript-eslint/no-explicit-any */
import { goQuantity, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { compareQuantities } from '../../../runtime/machinery/quantity.ts';
import { isDNS1123Label, isValidPathSegmentName } from '../../../runtime/machinery/string-checks.ts';
import { validateContainerResourceName } from '../../core/v1/validation-common.ts';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget } from './horizontalpodautoscaler.ts';

/** The metric sources in the order upstream looks for them; only the first one present is checked in depth. */
const presentOrder = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;
const fieldOf: Record<string, (typeof presentOrder)[number]> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };
const sourceTypes = Object.keys(fieldOf).sort();

/** A name that becomes a URL path segment (apimachinery's IsValidPathSegmentName): one error per fault. */
function pathSegmentErrors(value: string, at: string): FieldError[] {
  return isValidPathSegmentName(value).map((msg) => invalid(at, value, msg));
}

/** Upstream's ValidateCrossVersionObjectReference (the scale target, an Object metric's described object). */
function validateReference(ref: Partial<CrossVersionObjectReference> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!ref?.kind) errors.push(required(`${path}.kind`, ''));
  else errors.push(...pathSegmentErrors(ref.kind, `${path}.kind`));
  if (!ref?.name) errors.push(required(`${path}.name`, ''));
  else errors.push(...pathSegmentErrors(ref.name, `${path}.name`));
  return errors;
}

/**
 * Checks shared with autoscaling/v1: the replica bounds, then the scale target. minReplicas 0 stays refused: it
 * needs the HPAScaleToZero gate, alpha and off in v1.32 (an update keeps a stored 0).
 */
function validateScaleTargetAndBounds(spec: { scaleTargetRef?: CrossVersionObjectReference; minReplicas?: number; maxReplicas?: number }, lowerBound: number): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.minReplicas != null && spec.minReplicas < lowerBound) errors.push(invalid('spec.minReplicas', spec.minReplicas, `must be greater than or equal to ${lowerBound}`));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errors.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas) errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errors.push(...validateReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  return errors;
}

const positive = (q: string | undefined) => q != null && compareQuantities(String(q), '0') > 0;

/** Upstream's validateMetricTarget: the type, then each value set (quantities positive, utilization above 0). */
function validateTarget(t: Partial<MetricTarget> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = t?.type ?? '';
  if (!type) errors.push(required(`${path}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') errors.push(invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (t?.value != null && !positive(t.value)) errors.push(invalid(`${path}.value`, goValue(goQuantity, t.value), 'must be positive'));
  if (t?.averageValue != null && !positive(t.averageValue)) errors.push(invalid(`${path}.averageValue`, goValue(goQuantity, t.averageValue), 'must be positive'));
  if (t?.averageUtilization != null && t.averageUtilization < 1) errors.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errors;
}

function validateIdentifier(id: { name?: string } | undefined, path: string): FieldError[] {
  if (!id?.name) return [required(`${path}.name`, 'must specify a metric name')];
  return pathSegmentErrors(id.name, `${path}.name`);
}

/** A Resource or ContainerResource target: a utilization or a raw value, one of them. */
function utilizationOrValue(t: Partial<MetricTarget> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (t?.averageUtilization == null && t?.averageValue == null) errors.push(required(`${path}.averageUtilization`, 'must set either a target raw value or a target utilization'));
  if (t?.averageUtilization != null && t?.averageValue != null) errors.push(forbidden(`${path}.averageValue`, 'may not set both a target raw value and a target utilization'));
  return errors;
}

/** The in-depth check of each source kind (upstream's validate<Kind>Source). */
const sourceChecks: Record<(typeof presentOrder)[number], (src: any, path: string) => FieldError[]> = {
  object: (src, path) => [
    ...validateReference(src.describedObject, `${path}.describedObject`),
    ...validateIdentifier(src.metric, `${path}.metric`),
    ...validateTarget(src.target, `${path}.target`),
    ...(src.target?.value == null && src.target?.averageValue == null ? [required(`${path}.target.averageValue`, 'must set either a target value or averageValue')] : []),
  ],
  external: (src, path) => [
    ...validateIdentifier(src.metric, `${path}.metric`),
    ...validateTarget(src.target, `${path}.target`),
    ...(src.target?.value == null && src.target?.averageValue == null ? [required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target')] : []),
    ...(src.target?.value != null && src.target?.averageValue != null ? [forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target')] : []),
  ],
  pods: (src, path) => [
    ...validateIdentifier(src.metric, `${path}.metric`),
    ...validateTarget(src.target, `${path}.target`),
    ...(src.target?.averageValue == null ? [required(`${path}.target.averageValue`, 'must specify a positive target averageValue')] : []),
  ],
  resource: (src, path) => [
    ...(src.name ? [] : [required(`${path}.name`, 'must specify a resource name')]),
    ...validateTarget(src.target, `${path}.target`),
    ...utilizationOrValue(src.target, `${path}.target`),
  ],
  containerResource: (src, path) => [
    ...(src.name ? validateContainerResourceName(`${path}.name`, src.name) : [required(`${path}.name`, 'must specify a resource name')]),
    ...(src.container ? isDNS1123Label(src.container).map((msg) => invalid(`${path}.container`, src.container, msg)) : [required(`${path}.container`, 'must specify a container')]),
    ...validateTarget(src.target, `${path}.target`),
    ...utilizationOrValue(src.target, `${path}.target`),
  ],
};

/**
 * Upstream's validateMetricSpec: the type (an unknown one refused twice, by the check and by the switch on it), the
 * first source present checked in depth, the source the type names required, and any other source forbidden.
 */
function validateMetric(m: MetricSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = (m.type ?? '') as string;
  if (!type) errors.push(required(`${path}.type`, 'must specify a metric source type'));
  const known = type in fieldOf;
  if (!known) errors.push(notSupported(`${path}.type`, type, sourceTypes));
  const present = presentOrder.filter((f) => m[f] != null);
  if (present.length) errors.push(...sourceChecks[present[0]](m[present[0]], `${path}.${present[0]}`));
  const expected = known ? fieldOf[type] : '';
  if (known && m[expected as keyof MetricSpec] == null) errors.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (!known) errors.push(notSupported(`${path}.type`, type, sourceTypes));
  if (present.length !== 1) for (const f of present) if (f !== expected) errors.push(forbidden(`${path}.${f}`, 'must populate the given metric source only'));
  return errors;
}

function validateRules(r: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!r) return [];
  const errors: FieldError[] = [];
  const window = r.stabilizationWindowSeconds;
  if (window != null && window < 0) errors.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (window != null && window > 3600) errors.push(invalid(`${path}.stabilizationWindowSeconds`, window, 'must be less than or equal to 3600'));
  if (r.selectPolicy != null && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) errors.push(notSupported(`${path}.selectPolicy`, r.selectPolicy, ['Disabled', 'Max', 'Min']));
  // Even a Disabled direction needs a policy (the defaults give one unless policies is sent empty).
  const policies = r.policies ?? [];
  if (policies.length === 0) errors.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const at = `${path}.policies[${i}]`;
    if (p.type !== 'Pods' && p.type !== 'Percent') errors.push(notSupported(`${at}.type`, p.type ?? '', ['Percent', 'Pods']));
    if (!(p.value > 0)) errors.push(invalid(`${at}.value`, p.value, 'must be greater than zero'));
    if (!(p.periodSeconds > 0)) errors.push(invalid(`${at}.periodSeconds`, p.periodSeconds, 'must be greater than zero'));
    if (p.periodSeconds > 1800) errors.push(invalid(`${at}.periodSeconds`, p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errors;
}

/** Scaling to zero is driven only by an Object or External metric: refused without one (on top of the bound). */
function scaleToZeroErrors(spec: { minReplicas?: number; metrics?: MetricSpec[] }): FieldError[] {
  if (spec.minReplicas !== 0 || (spec.metrics ?? []).some((m) => m.type === 'Object' || m.type === 'External')) return [];
  return [forbidden('spec.metrics', 'must specify at least one Object or External metric to support scaling to zero replicas')];
}

/**
 * Upstream's validateHorizontalPodAutoscalerSpec; autoscaling/v1 objects are checked through it too, as the v2 form
 * they convert to (upstream validates the internal object, so its paths are v2's).
 */
export function validateHorizontalPodAutoscalerSpec(spec: NonNullable<HorizontalPodAutoscaler['spec']>, old?: NonNullable<HorizontalPodAutoscaler['spec']>): FieldError[] {
  // An object stored with minReplicas 0 (the gate on once) may keep it.
  const lowerBound = old?.minReplicas === 0 ? 0 : 1;
  return [
    ...validateScaleTargetAndBounds(spec, lowerBound),
    ...(spec.metrics ?? []).flatMap((m, i) => validateMetric(m, `spec.metrics[${i}]`)),
    ...scaleToZeroErrors(spec),
    ...validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'),
    ...validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'),
  ];
}
