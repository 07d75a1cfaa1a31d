import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/** Leases: upstream's lease strategy keeps no generation (holders renew the spec several times a minute). */
class LeaseStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;
}

registerStrategy('coordination.k8s.io', 'Lease', (kind, schema, config) => new LeaseStrategy(kind, schema, config));
