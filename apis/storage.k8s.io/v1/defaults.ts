import type { StorageClass } from './storageclass.ts';
import type { CSIDriver } from './csidriver.ts';
import type { VolumeAttachmentStatus } from './volumeattachment.ts';

/**
 * Upstream's SetDefaults_StorageClass fills the two pointers when they are nil: a policy or mode sent as "" is kept,
 * for validation to judge ("" is no binding mode; an empty reclaim policy passes).
 */
export function setDefaults_StorageClass(obj: StorageClass): void {
  obj.reclaimPolicy ??= 'Delete';
  obj.volumeBindingMode ??= 'Immediate';
}

/**
 * Upstream's SetDefaults_CSIDriver (pkg/apis/storage/v1/defaults.go), with SELinuxMountReadWriteOncePod on as in
 * v1.32: an empty volumeLifecycleModes list also becomes [Persistent], which a tag default would not do.
 */
export function setDefaults_CSIDriver(obj: CSIDriver): void {
  const spec = (obj.spec ??= {} as NonNullable<typeof obj.spec>); // Go holds it by value: it always exists
  spec.attachRequired ??= true;
  spec.podInfoOnMount ??= false;
  spec.storageCapacity ??= false;
  spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  if (!spec.volumeLifecycleModes?.length) spec.volumeLifecycleModes = ['Persistent'];
  spec.requiresRepublish ??= false;
  spec.seLinuxMount ??= false;
}

/**
 * Go decodes a status without `attached` as attached: false (a bool, not a pointer); a status write that leaves it
 * out (a merge patch of attachmentMetadata alone) is valid upstream, not a missing required field.
 */
export function setDefaults_VolumeAttachmentStatus(obj: VolumeAttachmentStatus): void {
  obj.attached ??= false;
}
