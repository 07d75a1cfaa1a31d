/**
 * Upstream's claim warnings (pkg/api/persistentvolumeclaim/util.go GetWarningsForPersistentVolumeClaim and
 * GetWarningsForPersistentVolumeClaimSpec): a storage amount with a fraction of a byte, and the beta storage class
 * annotation. Claims, StatefulSets' claim templates and pods' ephemeral volume templates all warn this way.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { quantityToNumber } from '../../../machinery/quantity.ts';

const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** Warnings for a claim spec sitting at `at` (`spec`, `spec.volumeClaimTemplates[0]`, ...). */
export function claimSpecWarnings(at: string, spec: StoredObject | undefined): string[] {
  const out: string[] = [];
  for (const list of ['requests', 'limits'] as const) {
    const q = spec?.resources?.[list]?.storage;
    if (q !== undefined && fractionalBytes(q)) out.push(`${at}.resources.${list}[storage]: fractional byte value ${JSON.stringify(q)} is invalid, must be an integer`);
  }
  return out;
}

/** Warnings for a PersistentVolumeClaim. */
export function claimWarnings(obj: StoredObject): string[] {
  const out: string[] = [];
  if (obj.metadata?.annotations?.[betaStorageClassAnnotation] !== undefined) {
    out.push(`metadata.annotations[${betaStorageClassAnnotation}]: deprecated since v1.8; use "storageClassName" attribute instead`);
  }
  return [...out, ...claimSpecWarnings('spec', obj.spec)];
}

/** Whether a byte quantity has a fraction (Go: MilliValue() % 1000 != 0). */
export function fractionalBytes(q: string): boolean {
  try {
    return Math.ceil(quantityToNumber(String(q)) * 1000) % 1000 !== 0;
  } catch {
    return false;
  }
}
