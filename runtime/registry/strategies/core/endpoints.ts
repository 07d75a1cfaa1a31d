import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

/**
 * Endpoints, as upstream's pkg/registry/core/endpoint strategy: a PUT may create. Subsets are stored as sent (the
 * strategy's Canonicalize no longer repacks them; the endpoints controller packs what it writes itself).
 */
class EndpointsStrategy extends DefaultStrategy {
  override readonly allowCreateOnUpdate = true;
}

registerStrategy('', 'Endpoints', (kind, schema, config) => new EndpointsStrategy(kind, schema, config));
