/**
 * Node labels upstream deprecates, and the warnings for naming them (pkg/api/node/util.go, v1.32): shared by the
 * warnings of Pods and pod templates, PersistentVolumes, StorageClasses, CSIStorageCapacities and RuntimeClasses.
 */

const deprecatedNodeLabels = new Map<string, string>([
  ['beta.kubernetes.io/arch', 'deprecated since v1.14; use "kubernetes.io/arch" instead'],
  ['beta.kubernetes.io/os', 'deprecated since v1.14; use "kubernetes.io/os" instead'],
  ['failure-domain.beta.kubernetes.io/region', 'deprecated since v1.17; use "topology.kubernetes.io/region" instead'],
  ['failure-domain.beta.kubernetes.io/zone', 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead'],
  ['beta.kubernetes.io/instance-type', 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead'],
  ['app.kubernetes.io/created-by', 'deprecated since v1.9'],
  ['scheduler.alpha.kubernetes.io/preferAvoidPods', 'deprecated since v1.22; use Taints and Tolerations instead'],
  ['node-role.kubernetes.io/master', 'use "node-role.kubernetes.io/control-plane" instead'],
]);

/** GetNodeLabelDeprecatedMessage: the message for a deprecated label key, undefined for any other key. */
export function deprecatedNodeLabelMessage(key: unknown): string | undefined {
  return typeof key === 'string' ? deprecatedNodeLabels.get(key) : undefined;
}

type Requirement = { key?: string } | null | undefined;

/** `<path>.matchExpressions[i].key: <key> is <message>` for each requirement naming a deprecated label. */
function expressionWarnings(expressions: readonly Requirement[] | null | undefined, path: string): string[] {
  return (expressions ?? []).flatMap((r, i) => {
    const message = deprecatedNodeLabelMessage(r?.key);
    return message ? [`${path}.matchExpressions[${i}].key: ${r!.key} is ${message}`] : [];
  });
}

/**
 * GetWarningsForNodeSelectorTerm: deprecated labels in a node selector term at `path` (its matchFields may only name
 * metadata.name, so they never warn).
 */
export function nodeSelectorTermWarnings(term: { matchExpressions?: Requirement[] | null } | null | undefined, path: string): string[] {
  return expressionWarnings(term?.matchExpressions, path);
}

/**
 * GetWarningsForNodeSelector, for a label selector at `path`: an expression's deprecated key is named with its
 * message, a label's only by its path.
 */
export function nodeLabelSelectorWarnings(selector: { matchLabels?: Record<string, string> | null; matchExpressions?: Requirement[] | null } | null | undefined, path: string): string[] {
  if (!selector) return [];
  const out = expressionWarnings(selector.matchExpressions, path);
  for (const label of Object.keys(selector.matchLabels ?? {})) {
    const message = deprecatedNodeLabelMessage(label);
    if (message) out.push(`${path}.matchLabels.${label}: ${message}`);
  }
  return out;
}
