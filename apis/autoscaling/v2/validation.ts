import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { CrossVersionObjectReference, HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricTarget } from './horizontalpodautoscaler.ts';

const sourceTypes = ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] as const;
const fieldOf: Record<string, keyof MetricSpec> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

/**
 * Checks shared with autoscaling/v1: the replica bounds and the scale target. minReplicas 0 stays refused: it needs
 * the HPAScaleToZero gate, alpha and off in v1.32.
 */
function validateScaleTargetAndBounds(spec: { scaleTargetRef?: CrossVersionObjectReference; minReplicas?: number; maxReplicas?: number }): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.minReplicas != null && spec.minReplicas < 1) errors.push(invalid('spec.minReplicas', spec.minReplicas, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errors.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (spec.minReplicas != null && max < spec.minReplicas) errors.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  // Upstream checks the bounds first, then the target (the order its message lists them in).
  const ref = spec.scaleTargetRef ?? ({} as CrossVersionObjectReference);
  if (!ref.kind) errors.push(required('spec.scaleTargetRef.kind', ''));
  else if (ref.kind.includes('/') || ref.kind.includes('%')) errors.push(invalid('spec.scaleTargetRef.kind', ref.kind, "may not contain '/' or '%'"));
  if (!ref.name) errors.push(required('spec.scaleTargetRef.name', ''));
  else if (ref.name.includes('/') || ref.name.includes('%')) errors.push(invalid('spec.scaleTargetRef.name', ref.name, "may not contain '/' or '%'"));
  return errors;
}

function validateTarget(t: MetricTarget | undefined, path: string, allowUtilization: boolean): FieldError[] {
  if (!t) return [required(path, '')];
  const errors: FieldError[] = [];
  switch (t.type) {
    case 'Utilization':
      if (!allowUtilization) errors.push(notSupported(`${path}.type`, t.type, ['Value', 'AverageValue']));
      if (t.averageUtilization == null) errors.push(required(`${path}.averageUtilization`, 'must be set when type is Utilization'));
      break;
    case 'Value':
      if (t.value == null) errors.push(required(`${path}.value`, 'must be set when type is Value'));
      break;
    case 'AverageValue':
      if (t.averageValue == null) errors.push(required(`${path}.averageValue`, 'must be set when type is AverageValue'));
      break;
    default:
      if (!t.type) errors.push(required(`${path}.type`, 'must specify a metric target type'));
      errors.push(invalid(`${path}.type`, t.type ?? '', 'must be either Utilization, Value, or AverageValue'));
  }
  if (t.averageUtilization != null && t.averageUtilization < 1) errors.push(invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errors;
}

/**
 * A metric of a type upstream does not know: refused twice (its check of the type, then its switch on it; the
 * message says it once), then every source set is one too many. The sources' own fields are not checked here.
 */
function unknownSourceErrors(m: MetricSpec, path: string): FieldError[] {
  const supported = [...sourceTypes].sort();
  const errors: FieldError[] = [];
  if (!m.type) errors.push(required(`${path}.type`, 'must specify a metric source type'));
  errors.push(notSupported(`${path}.type`, m.type ?? '', supported), notSupported(`${path}.type`, m.type ?? '', supported));
  for (const t of sourceTypes) if (m[fieldOf[t]] != null) errors.push(forbidden(`${path}.${fieldOf[t]}`, 'must populate the given metric source only'));
  return errors;
}

function validateMetric(m: MetricSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!(sourceTypes as readonly string[]).includes(m.type)) return unknownSourceErrors(m, path);
  const set = sourceTypes.filter((t) => m[fieldOf[t]] != null);
  if (set.length > 1 || (set.length === 1 && set[0] !== m.type)) errors.push(forbidden(path, 'must populate the given metric source only'));
  if (m[fieldOf[m.type]] == null) errors.push(required(`${path}.${fieldOf[m.type]}`, `must populate information for the given metric source`));
  if (m.object) {
    if (!m.object.metric?.name) errors.push(required(`${path}.object.metric.name`, 'must specify a metric name'));
    errors.push(...validateLabelSelector(m.object.metric?.selector, `${path}.object.metric.selector`));
    errors.push(...validateTarget(m.object.target, `${path}.object.target`, false));
  }
  if (m.pods) {
    if (!m.pods.metric?.name) errors.push(required(`${path}.pods.metric.name`, 'must specify a metric name'));
    if (m.pods.target?.type !== 'AverageValue') errors.push(notSupported(`${path}.pods.target.type`, m.pods.target?.type ?? '', ['AverageValue']));
    errors.push(...validateTarget(m.pods.target, `${path}.pods.target`, false));
  }
  for (const key of ['resource', 'containerResource'] as const) {
    const r = m[key];
    if (!r) continue;
    if (!r.name) errors.push(required(`${path}.${key}.name`, 'must specify a resource name'));
    if (key === 'containerResource' && !(r as { container?: string }).container) errors.push(required(`${path}.${key}.container`, 'must specify a container'));
    errors.push(...validateTarget(r.target, `${path}.${key}.target`, true));
  }
  if (m.external) {
    if (!m.external.metric?.name) errors.push(required(`${path}.external.metric.name`, 'must specify a metric name'));
    errors.push(...validateLabelSelector(m.external.metric?.selector, `${path}.external.metric.selector`));
    errors.push(...validateTarget(m.external.target, `${path}.external.target`, false));
  }
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

export function validate_HorizontalPodAutoscaler(obj: HorizontalPodAutoscaler, _old?: HorizontalPodAutoscaler): FieldError[] {
  const spec = obj.spec ?? ({} as NonNullable<HorizontalPodAutoscaler['spec']>);
  return [
    ...validateScaleTargetAndBounds(spec),
    ...(spec.metrics ?? []).flatMap((m, i) => validateMetric(m, `spec.metrics[${i}]`)),
    ...scaleToZeroErrors(spec),
    ...validateRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'),
    ...validateRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'),
  ];
}
