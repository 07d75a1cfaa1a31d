/**
 * How a Scale prints as a Table (`kubectl get deploy web --subresource=scale`): upstream's scale handlers hand the
 * Scale to their kind's table convertor; the built-in kinds' printers know Scale as Name, Desired (spec replicas),
 * Available (status replicas) and Age. Scale is only a subresource body, so its columns live here, not in apis/ (codegen
 * gives printer columns to kinds with a resource of their own).
 */
import { Scale } from '../../generated/autoscaling/v1/register.ts';
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import { toTable, type Table, type TableOptions } from './table.ts';

const scalePrinting: KindRegistration = {
  ...Scale,
  printColumns: [
    // Upstream's Scale Name column has no `name` format, unlike the kinds' own tables.
    { name: 'Name', type: 'string', format: '', jsonPath: '.metadata.name', description: 'The name of the scaled object.', priority: 0 },
    { name: 'Desired', type: 'integer', jsonPath: '.spec.replicas', description: 'The replica count the scaled object wants.', priority: 0 },
    { name: 'Available', type: 'integer', jsonPath: '.status.replicas', description: 'The replica count the scaled object has now.', priority: 0 },
  ],
};

/**
 * One Scale as a Table. A built-in kind's printers know Scale (an absent spec.replicas, a scale to zero, prints
 * 0 as Go's printer does); a custom resource's table convertor is its CRD's columns, evaluated on the Scale.
 */
export function scaleTable(scaled: KindRegistration, scale: StoredObject, opts: TableOptions): Table {
  return toTable(scaled.builtIn ? scalePrinting : scaled, [scale], opts, { resourceVersion: scale.metadata?.resourceVersion });
}
