/**
 * StorageObjectInUseProtection: PersistentVolumeClaims and PersistentVolumes are created with the finalizer that
 * keeps them while a pod uses them (kubernetes.io/pvc-protection, kubernetes.io/pv-protection); the controllers
 * that remove it belong to kube-controller-manager, as upstream.
 */
import { isResource, type AdmissionPlugin } from '../types.ts';

export const pvcProtectionFinalizer = 'kubernetes.io/pvc-protection';
export const pvProtectionFinalizer = 'kubernetes.io/pv-protection';

export function storageObjectInUseProtection(): AdmissionPlugin {
  return {
    name: 'StorageObjectInUseProtection',
    resources: ['persistentvolumeclaims', 'persistentvolumes'],
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || !attrs.object) return;
      const finalizer = isResource(attrs, 'persistentvolumeclaims') ? pvcProtectionFinalizer : isResource(attrs, 'persistentvolumes') ? pvProtectionFinalizer : undefined;
      if (!finalizer) return;
      const meta = (attrs.object.metadata ??= {});
      const finalizers: string[] = meta.finalizers ?? [];
      if (!finalizers.includes(finalizer)) meta.finalizers = [...finalizers, finalizer];
    },
  };
}
