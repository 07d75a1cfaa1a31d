/**
 * PodDisruptionBudget strategy, as upstream's pkg/registry/policy/poddisruptionbudget: an update (of the budget or
 * of its status) must name the resourceVersion it replaces, so a status computed from an older budget never lands.
 * v1.32's ValidatePodDisruptionBudget checks the spec alone, so a budget's metadata gets only the generic checks
 * of every write (a name need only be a path segment: the kind's @nameFormat; finalizers need not be standard names).
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class PodDisruptionBudgetStrategy extends DefaultStrategy {
  override readonly allowUnconditionalUpdate = false;
  protected override readonly kubeFinalizerNames = false;
}

registerStrategy('policy', 'PodDisruptionBudget', (kind, schema, config) => new PodDisruptionBudgetStrategy(kind, schema, config));
