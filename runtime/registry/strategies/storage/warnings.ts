/**
 * Upstream's storage warnings (pkg/api/storage/util.go, v1.32): a StorageClass or CSIStorageCapacity that names a
 * deprecated node label in its topology is valid, and gets a `Warning` header for it on create and update.
 */
import type { StoredObject } from '../../../storage/store.ts';
import { deprecatedNodeLabels } from '../core/pod-warnings.ts';

type TopologyTerm = { matchLabelExpressions?: Array<{ key?: string }> | null };

/** GetWarningsForStorageClass: each allowed topology requirement whose key is deprecated, at that key. */
export function storageClassWarnings(sc: StoredObject): string[] {
  return ((sc.allowedTopologies ?? []) as TopologyTerm[]).flatMap((term, i) =>
    (term?.matchLabelExpressions ?? []).flatMap((req, j) => {
      const message = req?.key !== undefined ? deprecatedNodeLabels[req.key] : undefined;
      return message ? [`allowedTopologies[${i}].matchLabelExpressions[${j}].key: ${message}`] : [];
    }),
  );
}

type LabelSelector = { matchLabels?: Record<string, string> | null; matchExpressions?: Array<{ key?: string }> | null };

/**
 * The node API's GetWarningsForNodeSelector for a label selector at `path`: an expression's deprecated key is named
 * with its message, a label's only by its path.
 */
function labelSelectorWarnings(selector: LabelSelector | undefined | null, path: string): string[] {
  if (!selector) return [];
  const out: string[] = [];
  (selector.matchExpressions ?? []).forEach((req, i) => {
    const message = req?.key !== undefined ? deprecatedNodeLabels[req.key] : undefined;
    if (message) out.push(`${path}.matchExpressions[${i}].key: ${req.key} is ${message}`);
  });
  for (const label of Object.keys(selector.matchLabels ?? {})) {
    if (label in deprecatedNodeLabels) out.push(`${path}.matchLabels.${label}: ${deprecatedNodeLabels[label]}`);
  }
  return out;
}

/** GetWarningsForCSIStorageCapacity: deprecated node labels in the capacity's node topology. */
export function csiStorageCapacityWarnings(capacity: StoredObject): string[] {
  return labelSelectorWarnings(capacity.nodeTopology, 'nodeTopology');
}
