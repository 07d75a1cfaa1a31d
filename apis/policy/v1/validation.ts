import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, notSupported } from '../../../runtime/machinery/field-errors.ts';
import { nonNegative, notMoreThan100Percent, validateConditions, validateLabelSelector, validatePositiveIntOrPercent } from '../../meta/v1/validation-helpers.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goPodDisruptionBudgetSpec } from './go-internal.ts';
import type { PodDisruptionBudget } from './poddisruptionbudget.ts';

// Upstream lists the supported values from a sorted set.
const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

/**
 * Upstream's ValidatePodDisruptionBudget (and, on a write through /status, the status rules). On an update a
 * selector value that is no label value passes when the stored selector already had one (the strategy's
 * hasInvalidLabelValueInLabelSelector), so budgets stored before values were checked can still be updated.
 */
export function validate_PodDisruptionBudget(obj: PodDisruptionBudget, old?: PodDisruptionBudget): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? {};
  if (spec.minAvailable != null && spec.maxUnavailable != null) {
    errors.push(invalid('spec', goValue(goPodDisruptionBudgetSpec, spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    errors.push(...validatePositiveIntOrPercent(spec[key], `spec.${key}`), ...notMoreThan100Percent(spec[key], `spec.${key}`));
  }
  const allowInvalidValues = old != null && validateLabelSelector(old.spec?.selector, 'spec.selector').length > 0;
  errors.push(...validateLabelSelector(spec.selector, 'spec.selector', allowInvalidValues));
  // Any policy sent is checked, an empty one too: upstream tests the pointer, not the string.
  if (spec.unhealthyPodEvictionPolicy != null && !evictionPolicies.includes(spec.unhealthyPodEvictionPolicy)) {
    errors.push(notSupported('spec.unhealthyPodEvictionPolicy', spec.unhealthyPodEvictionPolicy, evictionPolicies));
  }
  const st = obj.status;
  if (st) {
    errors.push(...validateConditions(st.conditions, 'status.conditions'));
    for (const key of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) errors.push(...nonNegative(st[key], `status.${key}`));
  }
  return errors;
}
