/**
 * The internal core types (k8s.io/kubernetes/pkg/apis/core) upstream's validation reports whole, as Go's `%#v`
 * prints them (go-syntax.ts). Internal field order is upstream's internal types.go, not always v1's.
 */
import { goInt, goIntOrString, goPointer, goSlice, goString, goStruct, goTimePointer } from '../../../runtime/machinery/go-syntax.ts';

export const goServicePort = goStruct('core.ServicePort', [
  ['Name', goString()],
  ['Protocol', goString('core.Protocol')],
  ['AppProtocol', goPointer('string')],
  ['Port', goInt()],
  ['TargetPort', goIntOrString],
  ['NodePort', goInt()],
]);

export const goTaint = goStruct('core.Taint', [
  ['Key', goString()],
  ['Value', goString()],
  ['Effect', goString('core.TaintEffect')],
  ['TimeAdded', goTimePointer],
]);

export const goToleration = goStruct('core.Toleration', [
  ['Key', goString()],
  ['Operator', goString('core.TolerationOperator')],
  ['Value', goString()],
  ['Effect', goString('core.TaintEffect')],
  ['TolerationSeconds', goPointer('int64')],
]);

export const goNodeAddress = goStruct('core.NodeAddress', [
  ['Type', goString('core.NodeAddressType')],
  ['Address', goString()],
]);

export const goContainerResizePolicies = goSlice(
  goStruct('core.ContainerResizePolicy', [
    ['ResourceName', goString('core.ResourceName')],
    ['RestartPolicy', goString('core.ResourceResizeRestartPolicy')],
  ]),
);

export const goScopeSelector = goStruct('core.ScopeSelector', [
  ['MatchExpressions', goSlice(goStruct('core.ScopedResourceSelectorRequirement', [
    ['ScopeName', goString('core.ResourceQuotaScope')],
    ['Operator', goString('core.ScopeSelectorOperator')],
    ['Values', goSlice(goString())],
  ]))],
]);

export const goEventSource = goStruct('core.EventSource', [
  ['Component', goString()],
  ['Host', goString()],
]);

export const goVolumeNodeAffinity = goStruct('core.VolumeNodeAffinity', [['Required', goPointer('core.NodeSelector')]]);

export const goObjectReference = goStruct('core.ObjectReference', [
  ['Kind', goString()],
  ['Namespace', goString()],
  ['Name', goString()],
  ['UID', goString('types.UID'), 'uid'],
  ['APIVersion', goString(), 'apiVersion'],
  ['ResourceVersion', goString()],
  ['FieldPath', goString()],
]);

export const goNodeConfigSource = goStruct('core.NodeConfigSource', [['ConfigMap', goPointer('core.ConfigMapNodeConfigSource')]]);

export const goResourceQuotaScopes = goSlice(goString('core.ResourceQuotaScope'));
