/**
 * PersistentVolumeClaimResize: a claim may grow only when it is bound and its StorageClass allows volume
 * expansion, as upstream's resize plug-in. Shrinking is refused by validation, not here.
 */
import { compareQuantities } from '../../machinery/quantity.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, isResource, type AdmissionPlugin } from '../types.ts';
import { betaStorageClassAnnotation } from './default-storage-class.ts';

export function persistentVolumeClaimResize(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const classes = deps.reader('storage.k8s.io', 'v1', 'storageclasses');
  return {
    name: 'PersistentVolumeClaimResize',
    resources: ['persistentvolumeclaims'],
    async validate(attrs) {
      if (attrs.operation !== 'UPDATE' || !isResource(attrs, 'persistentvolumeclaims') || !attrs.object || !attrs.oldObject) return;
      const oldSize: string | undefined = attrs.oldObject.spec?.resources?.requests?.storage;
      const newSize: string | undefined = attrs.object.spec?.resources?.requests?.storage;
      if (!newSize || !oldSize || compareQuantities(newSize, oldSize) <= 0) return;
      if (attrs.oldObject.status?.phase !== 'Bound') throw admissionForbidden(attrs, 'Only bound persistent volume claims can be expanded');
      const className: string = attrs.oldObject.spec?.storageClassName ?? attrs.oldObject.metadata?.annotations?.[betaStorageClassAnnotation] ?? '';
      const sc = className ? await classes.get('', className) : undefined;
      if (sc?.allowVolumeExpansion !== true) {
        throw admissionForbidden(attrs, 'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
      }
    },
  };
}
