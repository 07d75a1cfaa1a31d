import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Nodes can be selected by `spec.unschedulable` (upstream's NodeToSelectableFields), written as Go prints the bool:
 * `false` when the field is absent, so `spec.unschedulable=false` finds every schedulable node.
 */
class NodeStrategy extends DefaultStrategy {
  override selectableFields(obj: StoredObject): Record<string, string> {
    return { 'spec.unschedulable': String(obj.spec?.unschedulable === true) };
  }
}

registerStrategy('', 'Node', (kind, schema, config) => new NodeStrategy(kind, schema, config));
