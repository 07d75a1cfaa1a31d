import type { StoredObject } from '../../../storage/store.ts';
import type { DeleteOptions } from '../../deletion.ts';
import { registerStrategy } from '../../strategy.ts';
import { PendingStatusStrategy } from './pending-status.ts';

/** Pods are deleted gracefully, as upstream (their field selectors are apis/core/v1 @selectableField tags). */
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
}

registerStrategy('', 'Pod', (kind, schema, config) => new PodStrategy(kind, schema, config));
