/**
 * Upstream's volume warnings (pkg/api/persistentvolume/util.go GetWarningsForPersistentVolume, v1.32): the beta
 * storage class annotation, the Recycle reclaim policy, deprecated node labels in the volume's node affinity, and the
 * volume plugins that no longer work. Sent on create and update, not on a /status write.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { nodeSelectorTermWarnings } from '../node/deprecated-labels.ts';

const betaStorageClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** The volume sources kubelets no longer mount, under the names upstream's warnings give them (`storageOS`). */
const deprecatedSources: Array<[source: string, at: string, message: string]> = [
  ['cephfs', 'cephfs', 'deprecated in v1.28, non-functional in v1.31+'],
  ['photonPersistentDisk', 'photonPersistentDisk', 'deprecated in v1.11, non-functional in v1.16+'],
  ['scaleIO', 'scaleIO', 'deprecated in v1.16, non-functional in v1.22+'],
  ['storageos', 'storageOS', 'deprecated in v1.22, non-functional in v1.25+'],
  ['glusterfs', 'glusterfs', 'deprecated in v1.25, non-functional in v1.26+'],
  ['rbd', 'rbd', 'deprecated in v1.28, non-functional in v1.31+'],
];

export function persistentVolumeWarnings(pv: StoredObject): string[] {
  const spec: StoredObject = pv.spec ?? {};
  const out: string[] = [];
  if (pv.metadata?.annotations?.[betaStorageClassAnnotation] !== undefined) {
    out.push(`metadata.annotations[${betaStorageClassAnnotation}]: deprecated since v1.8; use "storageClassName" attribute instead`);
  }
  if (spec.persistentVolumeReclaimPolicy === 'Recycle') {
    out.push('spec.persistentVolumeReclaimPolicy: The Recycle reclaim policy is deprecated. Instead, the recommended approach is to use dynamic provisioning.');
  }
  (spec.nodeAffinity?.required?.nodeSelectorTerms ?? []).forEach((t: StoredObject, i: number) => out.push(...nodeSelectorTermWarnings(t, `spec.nodeAffinity.required.nodeSelectorTerms[${i}]`)));
  for (const [source, at, message] of deprecatedSources) if (spec[source] != null) out.push(`spec.${at}: ${message}`);
  return out;
}
