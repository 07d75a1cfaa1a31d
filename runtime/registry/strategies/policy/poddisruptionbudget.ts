/**
 * PodDisruptionBudget strategy, as upstream's pkg/registry/policy/poddisruptionbudget: an update (of the budget or
 * of its status) must name the resourceVersion it replaces, so a status computed from an older budget never lands.
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class PodDisruptionBudgetStrategy extends DefaultStrategy {
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('policy', 'PodDisruptionBudget', (kind, schema, config) => new PodDisruptionBudgetStrategy(kind, schema, config));
