/**
 * EndpointSlice strategy, as upstream's pkg/registry/discovery/endpointslice: v1 writes silently drop each
 * endpoint's deprecatedTopology (kept only for v1beta1 clients, which this server does not serve), unless an update
 * leaves the endpoints as they were; a change of labels counts for metadata.generation too. A slice of FQDN
 * addresses is warned of on create (nothing in Kubernetes reads them; an update does not warn in v1.32).
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

  warningsOnCreate(obj: StoredObject): string[] {
    return obj.addressType === 'FQDN' ? ['spec.addressType: FQDN endpoints are deprecated'] : [];
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
