/**
 * NetworkPolicies: the DefaultStrategy, but as upstream's pkg/registry/networking/networkpolicy/strategy.go (v1.32):
 * PrepareForUpdate compares the spec with reflect.DeepEqual, so an empty list or map sent in the spec bumps the
 * generation; and ValidateUpdate appends ValidateNetworkPolicy (ObjectMeta, spec) and ValidateNetworkPolicyUpdate
 * (ObjectMeta's update rules, the spec again), so an update lists each spec error twice: validated as a create first.
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class NetworkPolicyStrategy extends DefaultStrategy {
  protected override generationEquality = 'reflect' as const;
  protected override updateValidatesAsCreateFirst = true;
}

registerStrategy('networking.k8s.io', 'NetworkPolicy', (kind, schema, config) => new NetworkPolicyStrategy(kind, schema, config));
