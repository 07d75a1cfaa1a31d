/**
 * The internal storage types (k8s.io/kubernetes/pkg/apis/storage) upstream's validation reports whole, as Go's
 * `%#v` prints them (go-syntax.ts).
 */
import { goPointer, goSlice, goString, goStruct } from '../../../runtime/machinery/go-syntax.ts';

export const goVolumeAttachmentSpec = goStruct('storage.VolumeAttachmentSpec', [
  ['Attacher', goString()],
  ['Source', goStruct('storage.VolumeAttachmentSource', [
    ['PersistentVolumeName', goPointer('string')],
    ['InlineVolumeSpec', goPointer('core.PersistentVolumeSpec')],
  ])],
  ['NodeName', goString()],
]);

export const goCSINodeDriver = goStruct('storage.CSINodeDriver', [
  ['Name', goString()],
  ['NodeID', goString(), 'nodeID'],
  ['TopologyKeys', goSlice(goString())],
  ['Allocatable', goPointer('storage.VolumeNodeResources')],
]);

export const goVolumeLifecycleModes = goSlice(goString('storage.VolumeLifecycleMode'));
