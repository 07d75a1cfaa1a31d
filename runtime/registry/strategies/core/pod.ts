import type { StoredObject } from '../../../storage/store.ts';
import type { DeleteOptions } from '../../deletion.ts';
import { registerStrategy } from '../../strategy.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/** Pods are selected by node, phase and a few other fields (kubelets watch `spec.nodeName=<node>`), as upstream. */
class PodStrategy extends PendingStatusStrategy {
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
  override selectableFields(obj: StoredObject): Record<string, string> {
    const spec = obj.spec ?? {};
    const status = obj.status ?? {};
    return {
      'spec.nodeName': String(spec.nodeName ?? ''),
      'spec.restartPolicy': String(spec.restartPolicy ?? ''),
      'spec.schedulerName': String(spec.schedulerName ?? ''),
      'spec.serviceAccountName': String(spec.serviceAccountName ?? ''),
      'spec.hostNetwork': String(Boolean(spec.hostNetwork)),
      'status.phase': String(status.phase ?? ''),
      'status.podIP': String(status.podIPs?.[0]?.ip ?? status.podIP ?? ''),
      'status.nominatedNodeName': String(status.nominatedNodeName ?? ''),
    };
  }
}

registerStrategy('', 'Pod', (kind, schema, config) => new PodStrategy(kind, schema, config));
