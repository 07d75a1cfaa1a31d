/**
 * Go's names of this version's types where they are not what codegen derives from the declarations (named types,
 * Go struct names): the decoder's errors name them. Facts of k8s.io/api/storage/v1 at v0.32.0,
 * written by scripts/go-type-facts.ts.
 */
export const goTypes: Record<string, string> = {
  'CSIDriverSpec.fsGroupPolicy': 'v1.FSGroupPolicy',
  'CSIDriverSpec.volumeLifecycleModes': '[]v1.VolumeLifecycleMode',
  'CSIDriverSpec.volumeLifecycleModes.elem': 'v1.VolumeLifecycleMode',
  'StorageClass.reclaimPolicy': 'v1.PersistentVolumeReclaimPolicy',
  'StorageClass.volumeBindingMode': 'v1.VolumeBindingMode',
};
