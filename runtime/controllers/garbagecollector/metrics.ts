/** The collector's metrics, upstream's names and help texts. */
import { counter } from '../../metrics/registry.ts';

export const resourcesSyncErrors = counter('garbagecollector_controller_resources_sync_error_total', 'Number of garbage collector resources sync errors');
