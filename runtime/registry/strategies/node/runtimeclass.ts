/**
 * RuntimeClass strategy, as upstream's pkg/registry/node/runtimeclass: a PUT to a name that does not exist creates
 * the class, and a PUT to one that does must name the resourceVersion it replaces.
 */
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class RuntimeClassStrategy extends DefaultStrategy {
  override readonly allowCreateOnUpdate = true;
  override readonly allowUnconditionalUpdate = false;
}

registerStrategy('node.k8s.io', 'RuntimeClass', (kind, schema, config) => new RuntimeClassStrategy(kind, schema, config));
