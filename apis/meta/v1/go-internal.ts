/**
 * The meta/v1 types (shared by every group's internal types) upstream's validation reports whole, as Go's `%#v`
 * prints them (go-syntax.ts). Field order is k8s.io/apimachinery's pkg/apis/meta/v1/types.go.
 */
import { goInt, goMap, goPointer, goSlice, goString, goStruct, goTime, goTimePointer } from '../../../runtime/machinery/go-syntax.ts';

/** Labels, annotations, node selectors: `map[string]string{"app":"web"}`. */
export const goStringMap = goMap(goString());

export const goLabelSelector = goStruct('v1.LabelSelector', [
  ['MatchLabels', goStringMap],
  ['MatchExpressions', goSlice(goStruct('v1.LabelSelectorRequirement', [
    ['Key', goString()],
    ['Operator', goString('v1.LabelSelectorOperator')],
    ['Values', goSlice(goString())],
  ]))],
]);

export const goObjectMeta = goStruct('v1.ObjectMeta', [
  ['Name', goString()],
  ['GenerateName', goString()],
  ['Namespace', goString()],
  ['SelfLink', goString()],
  ['UID', goString('types.UID'), 'uid'],
  ['ResourceVersion', goString()],
  ['Generation', goInt('int64')],
  ['CreationTimestamp', goTime],
  ['DeletionTimestamp', goTimePointer],
  ['DeletionGracePeriodSeconds', goPointer('int64')],
  ['Labels', goStringMap],
  ['Annotations', goStringMap],
  ['OwnerReferences', goSlice(goStruct('v1.OwnerReference', [
    ['APIVersion', goString(), 'apiVersion'],
    ['Kind', goString()],
    ['Name', goString()],
    ['UID', goString('types.UID'), 'uid'],
    ['Controller', goPointer('bool')],
    ['BlockOwnerDeletion', goPointer('bool')],
  ]))],
  ['Finalizers', goSlice(goString())],
  ['ManagedFields', goSlice(goStruct('v1.ManagedFieldsEntry', [
    ['Manager', goString()],
    ['Operation', goString('v1.ManagedFieldsOperationType')],
    ['APIVersion', goString(), 'apiVersion'],
    ['Time', goTimePointer],
    ['FieldsType', goString()],
    ['FieldsV1', goPointer('v1.FieldsV1'), 'fieldsV1'],
    ['Subresource', goString()],
  ]))],
]);
