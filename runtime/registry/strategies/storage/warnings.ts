/**
 * Upstream's storage warnings (pkg/api/storage/util.go, v1.32): a StorageClass or CSIStorageCapacity that names a
 * deprecated node label in its topology is valid, and gets a `Warning` header for it on create and update.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { deprecatedNodeLabelMessage, nodeLabelSelectorWarnings } from '../node/deprecated-labels.ts';

type TopologyTerm = { matchLabelExpressions?: Array<{ key?: string }> | null };

/** GetWarningsForStorageClass: each allowed topology requirement whose key is deprecated, at that key. */
export function storageClassWarnings(sc: StoredObject): string[] {
  return ((sc.allowedTopologies ?? []) as TopologyTerm[]).flatMap((term, i) =>
    (term?.matchLabelExpressions ?? []).flatMap((req, j) => {
      const message = deprecatedNodeLabelMessage(req?.key);
      return message ? [`allowedTopologies[${i}].matchLabelExpressions[${j}].key: ${message}`] : [];
    }),
  );
}

/** GetWarningsForCSIStorageCapacity: deprecated node labels in the capacity's node topology. */
export function csiStorageCapacityWarnings(capacity: StoredObject): string[] {
  return nodeLabelSelectorWarnings(capacity.nodeTopology, 'nodeTopology');
}
