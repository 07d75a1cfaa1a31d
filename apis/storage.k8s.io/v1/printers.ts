/** Computed `kubectl get` columns of storage.k8s.io/v1 kinds, as upstream's printers (pkg/printers/internalversion). */
import type { CSIDriver } from './csidriver.ts';
import type { CSIStorageCapacity } from './csistoragecapacity.ts';
import type { StorageClass } from './storageclass.ts';

/** An unset attachRequired means true, as the driver's default. */
export function print_CSIDriver_attachRequired(obj: Partial<CSIDriver>): boolean {
  return obj.spec?.attachRequired ?? true;
}

/** The audiences of the token requests, comma-separated; `<unset>` without any. */
export function print_CSIDriver_tokenRequests(obj: Partial<CSIDriver>): string {
  const audiences = (obj.spec?.tokenRequests ?? []).map((t) => t.audience ?? '');
  return audiences.length ? audiences.join(',') : '<unset>';
}

/** The volume lifecycle modes, comma-separated; `<none>` without any. */
export function print_CSIDriver_modes(obj: Partial<CSIDriver>): string {
  return (obj.spec?.volumeLifecycleModes ?? []).join(',') || '<none>';
}

/** The reported capacity; `<unset>` when the driver reported none. */
export function print_CSIStorageCapacity_capacity(obj: Partial<CSIStorageCapacity>): string {
  return obj.capacity ?? '<unset>';
}

/** A boolean in a string column, false when unset, as Go's printer puts it. */
export function print_StorageClass_allowVolumeExpansion(obj: Partial<StorageClass>): boolean {
  return obj.allowVolumeExpansion ?? false;
}

/** The name, with ` (default)` for the cluster's default class (the GA or the beta annotation set to true). */
export function print_StorageClass_name(obj: Partial<StorageClass>): string {
  const a = obj.metadata?.annotations ?? {};
  const isDefault = a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return `${obj.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`;
}
