/**
 * The internal batch types (k8s.io/kubernetes/pkg/apis/batch) upstream's validation reports whole, as Go's `%#v`
 * prints them (go-syntax.ts). Field order is v1.32's pkg/apis/batch/types.go, the same as batch/v1's here.
 */
import { goInt, goPointer, goSlice, goString, goStruct } from '../../../runtime/machinery/go-syntax.ts';

export const goInt32s = goSlice(goInt());

export const goSuccessPolicy = goStruct('batch.SuccessPolicy', [
  ['Rules', goSlice(goStruct('batch.SuccessPolicyRule', [
    ['SucceededIndexes', goPointer('string')],
    ['SucceededCount', goPointer('int32')],
  ]))],
]);

export const goPodFailurePolicy = goStruct('batch.PodFailurePolicy', [
  ['Rules', goSlice(goStruct('batch.PodFailurePolicyRule', [
    ['Action', goString('batch.PodFailurePolicyAction')],
    ['OnExitCodes', goPointer('batch.PodFailurePolicyOnExitCodesRequirement')],
    ['OnPodConditions', goSlice(goStruct('batch.PodFailurePolicyOnPodConditionsPattern', [
      ['Type', goString('core.PodConditionType')],
      ['Status', goString('core.ConditionStatus')],
    ]))],
  ]))],
]);

export const goUncountedTerminatedPods = goStruct('batch.UncountedTerminatedPods', [
  ['Succeeded', goSlice(goString('types.UID'))],
  ['Failed', goSlice(goString('types.UID'))],
]);
