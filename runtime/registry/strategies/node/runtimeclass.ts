/**
 * RuntimeClass strategy, as upstream's pkg/registry/node/runtimeclass: a PUT to a name that does not exist creates
 * the class, and a PUT to one that does must name the resourceVersion it replaces. Create and update warn once per
 * deprecated node label in the scheduling node selector (upstream's pkg/api/node GetWarningsForRuntimeClass, which
 * names the selector, not the label).
 */
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { deprecatedNodeLabelMessage } from './deprecated-labels.ts';

function runtimeClassWarnings(rc: StoredObject): string[] {
  return Object.keys(rc.scheduling?.nodeSelector ?? {}).flatMap((key) => {
    const message = deprecatedNodeLabelMessage(key);
    return message ? [`scheduling.nodeSelector: ${message}`] : [];
  });
}

class RuntimeClassStrategy extends DefaultStrategy {
  override readonly allowCreateOnUpdate = true;
  override readonly allowUnconditionalUpdate = false;

  warningsOnCreate(obj: StoredObject): string[] {
    return runtimeClassWarnings(obj);
  }
  warningsOnUpdate(obj: StoredObject): string[] {
    return runtimeClassWarnings(obj);
  }
}

registerStrategy('node.k8s.io', 'RuntimeClass', (kind, schema, config) => new RuntimeClassStrategy(kind, schema, config));
