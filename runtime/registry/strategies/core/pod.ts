import type { FieldError } from '../../../machinery/field-errors.ts';
import { isDNS1123Label } from '../../../machinery/string-checks.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { DeleteOptions } from '../../deletion.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { registerStrategy, registerSubresourceStrategy } from '../../strategy.ts';
import { applyAppArmorVersionSkew } from '../../../../apis/core/v1/pod-annotations.ts';
import type { Pod } from '../../../../apis/core/v1/pod.ts';
import { validatePodStatusUpdate } from '../../../../apis/core/v1/pod-validation.ts';
import { setPodCondition } from '../../core/pod-conditions.ts';
import { PendingStatusStrategy } from './pending-status.ts';
import { podQOSClass } from './pod-qos.ts';
import { podWarnings } from './pod-warnings.ts';

/**
 * Pods as upstream's pod strategy: created Pending with their QoS class, a PodScheduled=False condition while
 * scheduling gates hold them, affinity terms' matchLabelKeys turned into selector requirements; no generation
 * (v1.32 keeps none for pods). Field selectors are apis/core/v1's @selectableField tags.
 */
class PodStrategy extends PendingStatusStrategy {
  protected override tracksGeneration = false;

  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status.qosClass = podQOSClass(obj.spec);
    // As upstream's podutil.UpdatePodCondition writes it since v1.30: with the time of the transition.
    if (obj.spec?.schedulingGates?.length) {
      setPodCondition(obj.status, { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' });
    }
    applyMatchLabelKeys(obj);
    applyAppArmorVersionSkew(obj as Pod);
  }

  /**
   * A /status write is checked as a kubelet's report (upstream's ValidatePodStatusUpdate), not as a spec change,
   * with core's finalizer rule on the metadata it may change (the common metadata checks come first, StatusStrategy).
   */
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validatePodStatusUpdate(obj as Pod, old as Pod)];
  }

  /**
   * Upstream warns on create only: pod updates are a high-frequency path few people write by hand. A name that is
   * no DNS label comes first: it becomes the pod's hostname.
   */
  warningsOnCreate(obj: StoredObject): string[] {
    const msgs = isDNS1123Label(obj.metadata?.name ?? '');
    const name = msgs.length ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
    return [...name, ...podWarnings(obj, '')];
  }

  /**
   * Graceful deletion (upstream's CheckGracefulDelete): the grace period asked for, else the pod's
   * terminationGracePeriodSeconds; an unscheduled or finished pod goes at once. A pod deleted with a grace
   * period stays, with a deletionTimestamp in the future, until the kubelet (or a forced delete) deletes it with 0.
   */
  checkGracefulDelete(obj: StoredObject, opts: DeleteOptions): boolean {
    let period: number = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 0;
    if (!obj.spec?.nodeName) period = 0;
    if (obj.status?.phase === 'Failed' || obj.status?.phase === 'Succeeded') period = 0;
    if (period < 0) period = 1;
    opts.gracePeriodSeconds = period;
    return true;
  }
}

registerStrategy('', 'Pod', (kind, schema, config) => new PodStrategy(kind, schema, config));

/**
 * `pods/<name>/status` (upstream's podStatusStrategy and the v1 <-> internal conversion of PodStatus): a write that
 * drops the QoS class keeps the stored one (old kubelets dropped it), and the single podIP wins over a podIPs list
 * that disagrees with it (old kubelets set only podIP); podIP is then podIPs[0] as read back.
 */
class PodStatusStrategy extends StatusStrategy {
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    const status = (obj.status ??= {});
    if (!status.qosClass && old.status?.qosClass) status.qosClass = old.status.qosClass;
    if (status.podIP && status.podIPs?.[0]?.ip !== status.podIP) status.podIPs = [{ ip: status.podIP }];
    if (status.podIPs?.length) status.podIP = status.podIPs[0].ip;
    if (status.hostIP && !status.hostIPs?.length) status.hostIPs = [{ ip: status.hostIP }];
    else if (status.hostIP && status.hostIPs[0]?.ip !== status.hostIP) status.hostIPs = [{ ip: status.hostIP }];
  }
}

registerSubresourceStrategy('', 'Pod', 'status', (main) => new PodStatusStrategy(main));

type AffinityTerm = { labelSelector?: { matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> } | null; matchLabelKeys?: string[]; mismatchLabelKeys?: string[] };

/**
 * Upstream's mutatePodAffinity (MatchLabelKeysInPodAffinity, on by default in v1.32): each key of matchLabelKeys
 * (mismatchLabelKeys) the pod carries becomes an `In` (`NotIn`) requirement on the pod's value, once.
 */
function applyMatchLabelKeys(pod: StoredObject): void {
  const affinity = pod.spec?.affinity;
  if (!affinity) return;
  const labels: Record<string, string> = pod.metadata?.labels ?? {};
  const apply = (term: AffinityTerm | undefined) => {
    if (!term?.labelSelector || (!term.matchLabelKeys?.length && !term.mismatchLabelKeys?.length)) return;
    const selector = term.labelSelector;
    const ensure = (key: string, operator: string) => {
      const exprs = (selector.matchExpressions ??= []);
      const value = labels[key];
      if (!exprs.some((r) => r.key === key && r.operator === operator && r.values?.length === 1 && r.values[0] === value)) exprs.push({ key, operator, values: [value] });
    };
    for (const key of term.matchLabelKeys ?? []) if (key in labels) ensure(key, 'In');
    for (const key of term.mismatchLabelKeys ?? []) if (key in labels) ensure(key, 'NotIn');
  };
  for (const a of [affinity.podAffinity, affinity.podAntiAffinity]) {
    for (const t of a?.requiredDuringSchedulingIgnoredDuringExecution ?? []) apply(t);
    for (const t of a?.preferredDuringSchedulingIgnoredDuringExecution ?? []) apply(t?.podAffinityTerm);
  }
}
