/**
 * DefaultTolerationSeconds: a pod that does not tolerate the not-ready and unreachable NoExecute taints gets
 * tolerations for them that expire after 300 s (the flags --default-not-ready-toleration-seconds and
 * --default-unreachable-toleration-seconds), so its node's failure evicts it after five minutes, as upstream.
 */
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { isResource, type AdmissionPlugin } from '../types.ts';

export const notReadyTaint = 'node.kubernetes.io/not-ready';
export const unreachableTaint = 'node.kubernetes.io/unreachable';

function tolerates(tolerations: StoredObject[], key: string): boolean {
  return tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
}

export function defaultTolerationSeconds(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const notReadySeconds = Number(deps.options.defaultNotReadyTolerationSeconds ?? 300);
  const unreachableSeconds = Number(deps.options.defaultUnreachableTolerationSeconds ?? 300);
  return {
    name: 'DefaultTolerationSeconds',
    resources: ['pods'],
    async admit(attrs) {
      if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !isResource(attrs, 'pods') || !attrs.object) return;
      const spec = (attrs.object.spec ??= {});
      const tolerations: StoredObject[] = spec.tolerations ?? [];
      const added: StoredObject[] = [];
      if (!tolerates(tolerations, notReadyTaint)) added.push({ key: notReadyTaint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: notReadySeconds });
      if (!tolerates(tolerations, unreachableTaint)) added.push({ key: unreachableTaint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: unreachableSeconds });
      if (added.length) spec.tolerations = [...tolerations, ...added];
    },
  };
}
