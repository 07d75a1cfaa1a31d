/** The quota controller's metrics, upstream's names and help texts. */
import { counter } from '../../metrics/registry.ts';

/**
 * client-go's workqueue adds, as kube-controller-manager counts them for the queue of changes that may free quota
 * ("resource_quota_controller_resource_changes"): deletes, and updates the kind's evaluator says can lower usage.
 */
export const workqueueAdds = counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
export const resourceChangesQueue = 'resource_quota_controller_resource_changes';
