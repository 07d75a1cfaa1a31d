import { registerDisabledFields } from '../../disabled-fields.ts';
import { featureEnabled } from '../../feature-gates.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Leases: upstream's lease strategy keeps no generation (holders renew the spec several times a minute), lets a PUT
 * create, and refuses an update without a resourceVersion (two candidates must never both win a renewal).
 */
class LeaseStrategy extends DefaultStrategy {
  protected override tracksGeneration = false;
  override readonly allowCreateOnUpdate = true;
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('coordination.k8s.io', 'Lease', (kind, schema, config) => new LeaseStrategy(kind, schema, config));

/**
 * Upstream's lease strategy with CoordinatedLeaderElection off: a create drops strategy and preferredHolder, an
 * update keeps each only if the stored lease had it.
 */
registerDisabledFields('coordination.k8s.io', 'Lease', (lease, old) => {
  const spec = lease.spec;
  if (featureEnabled('CoordinatedLeaderElection') || !spec || typeof spec !== 'object') return;
  if (old?.spec?.strategy == null) delete spec.strategy;
  if (old?.spec?.preferredHolder == null) delete spec.preferredHolder;
});
