/**
 * TaintNodesByCondition: a node is created with the `node.kubernetes.io/not-ready:NoSchedule` taint, so nothing is
 * scheduled onto it before its controller has seen it ready and lifted the taint, as upstream.
 */
import type { StoredObject } from '../../storage/store.ts';
import { isResource, type AdmissionPlugin } from '../types.ts';
import { notReadyTaint } from './default-toleration-seconds.ts';

export function taintNodesByCondition(): AdmissionPlugin {
  return {
    name: 'TaintNodesByCondition',
    resources: ['nodes'],
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || !isResource(attrs, 'nodes') || !attrs.object) return;
      const spec = (attrs.object.spec ??= {});
      const taints: StoredObject[] = spec.taints ?? [];
      if (taints.some((t) => t.key === notReadyTaint && t.effect === 'NoSchedule')) return;
      spec.taints = [...taints, { key: notReadyTaint, effect: 'NoSchedule' }];
    },
  };
}
