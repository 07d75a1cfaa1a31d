/**
 * DefaultStorageClass: a PersistentVolumeClaim created without a storage class (neither spec.storageClassName
 * nor the beta annotation) gets the default StorageClass, if there is one, as upstream's setdefault plug-in.
 */
import type { AdmissionPluginDependencies } from '../registry.ts';
import { isResource, type AdmissionPlugin } from '../types.ts';
import { newestDefault } from './default-class.ts';

export const defaultStorageClassAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
export const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export function defaultStorageClass(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const classes = deps.watched('storage.k8s.io', 'v1', 'storageclasses');
  return {
    name: 'DefaultStorageClass',
    resources: ['persistentvolumeclaims'],
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || !isResource(attrs, 'persistentvolumeclaims') || !attrs.object) return;
      const pvc = attrs.object;
      const spec = (pvc.spec ??= {});
      // An explicit "" asks for no class, and is kept.
      if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
      if (pvc.metadata?.annotations?.[betaStorageClassAnnotation] !== undefined) return;
      const def = newestDefault(await classes.list(''), defaultStorageClassAnnotations);
      if (def) spec.storageClassName = def.metadata.name;
    },
  };
}
