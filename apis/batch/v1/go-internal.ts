/**
 * The internal batch types (k8s.io/kubernetes/pkg/apis/batch) upstream's validation reports whole, as Go's `%#v`
 * prints them (go-syntax.ts).
 */
import { goInt, goPointer, goSlice, goString, goStruct } from '../../../runtime/machinery/go-syntax.ts';

export const goInt32s = goSlice(goInt());

export const goSuccessPolicy = goStruct('batch.SuccessPolicy', [
  ['Rules', goSlice(goStruct('batch.SuccessPolicyRule', [
    ['SucceededIndexes', goPointer('string')],
    ['SucceededCount', goPointer('int32')],
  ]))],
]);

export const goUncountedTerminatedPods = goStruct('batch.UncountedTerminatedPods', [
  ['Succeeded', goSlice(goString('types.UID'))],
  ['Failed', goSlice(goString('types.UID'))],
]);
