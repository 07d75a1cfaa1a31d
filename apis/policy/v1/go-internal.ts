/**
 * The internal policy types upstream's validation reports whole, as Go's `%#v` prints them (go-syntax.ts). Field
 * order is kubernetes' pkg/apis/policy/types.go.
 */
import { goPointer, goStruct } from '../../../runtime/machinery/go-syntax.ts';

export const goPodDisruptionBudgetSpec = goStruct('policy.PodDisruptionBudgetSpec', [
  ['MinAvailable', goPointer('intstr.IntOrString')],
  ['Selector', goPointer('v1.LabelSelector')],
  ['MaxUnavailable', goPointer('intstr.IntOrString')],
  ['UnhealthyPodEvictionPolicy', goPointer('policy.UnhealthyPodEvictionPolicyType')],
]);
