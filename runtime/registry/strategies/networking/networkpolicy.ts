/**
 * NetworkPolicies: the DefaultStrategy, but upstream's PrepareForUpdate compares the spec with reflect.DeepEqual
 * (pkg/registry/networking/networkpolicy/strategy.go), so an empty list or map sent in the spec bumps the generation.
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class NetworkPolicyStrategy extends DefaultStrategy {
  protected override generationEquality = 'reflect' as const;
}

registerStrategy('networking.k8s.io', 'NetworkPolicy', (kind, schema, config) => new NetworkPolicyStrategy(kind, schema, config));
