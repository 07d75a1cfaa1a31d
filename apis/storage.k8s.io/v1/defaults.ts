import type { StorageClass } from './storageclass.ts';

export function setDefaults_StorageClass(obj: StorageClass): void {
  if (!obj.reclaimPolicy) obj.reclaimPolicy = 'Delete';
  if (!obj.volumeBindingMode) obj.volumeBindingMode = 'Immediate';
}
