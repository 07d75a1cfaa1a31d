/** The collector's metrics, upstream's names and help texts. */
import { counter, gauge } from '../../metrics/registry.ts';

export const resourcesSyncErrors = counter('garbagecollector_controller_resources_sync_error_total', 'Number of garbage collector resources sync errors');

// client-go's workqueue metrics for the collector's queues (kube-controller-manager serves them; here, the server).
export const workqueueDepth = gauge('workqueue_depth', 'Current depth of workqueue', ['name']);
export const workqueueAdds = counter('workqueue_adds_total', 'Total number of adds handled by workqueue', ['name']);
export const workqueueRetries = counter('workqueue_retries_total', 'Total number of retries handled by workqueue', ['name']);
