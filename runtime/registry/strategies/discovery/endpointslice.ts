/**
 * EndpointSlice strategy, as upstream's pkg/registry/discovery/endpointslice: v1 writes silently drop each
 * endpoint's deprecatedTopology (kept only for v1beta1 clients, which this server does not serve), unless an update
 * leaves the endpoints as they were; a change of labels counts for metadata.generation too.
 */
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

function dropDeprecatedTopology(obj: StoredObject): void {
  for (const ep of (obj.endpoints as Record<string, unknown>[] | null | undefined) ?? []) delete ep.deprecatedTopology;
}

class EndpointSliceStrategy extends DefaultStrategy {
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    dropDeprecatedTopology(obj);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (!semanticEqual(obj.endpoints, old.endpoints)) dropDeprecatedTopology(obj);
  }

  protected override generationChanged(obj: StoredObject, old: StoredObject): boolean {
    return super.generationChanged(obj, old) || !semanticEqual(obj.metadata?.labels, old.metadata?.labels);
  }
}

registerStrategy('discovery.k8s.io', 'EndpointSlice', (kind, schema, config) => new EndpointSliceStrategy(kind, schema, config));
