/** Computed `kubectl get` columns of policy/v1 kinds, as upstream's printers show them. */
import type { IntOrString } from '../../meta/v1/types.ts';
import type { PodDisruptionBudget } from './poddisruptionbudget.ts';

/** An int-or-percent as its text, `N/A` when unset. */
const limit = (v: IntOrString | undefined | null) => (v === undefined || v === null ? 'N/A' : String(v));

export function print_PodDisruptionBudget_minAvailable(obj: Partial<PodDisruptionBudget>): string {
  return limit(obj.spec?.minAvailable);
}

export function print_PodDisruptionBudget_maxUnavailable(obj: Partial<PodDisruptionBudget>): string {
  return limit(obj.spec?.maxUnavailable);
}
