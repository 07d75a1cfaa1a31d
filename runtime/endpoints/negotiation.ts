/**
 * Content negotiation: which representation a client accepts (JSON, YAML, protobuf, a Table, a
 * PartialObjectMetadata) and which format a request body is in, following the media-type parameters Kubernetes
 * uses (`application/json;as=Table;v=v1;g=meta.k8s.io`).
 */
import { notAcceptable } from '../machinery/status.ts';

export type Serializer = 'json' | 'yaml' | 'protobuf';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export interface Negotiated {
  serializer: Serializer;
  /** Set when the client asked for a transformed response (`as=Table`, `as=PartialObjectMetadata[List]`). */
  as?: 'Table' | 'PartialObjectMetadata' | 'PartialObjectMetadataList' | 'APIGroupDiscoveryList';
  /** The group version the transformed response is written in, as the client asked (`g=meta.k8s.io;v=v1beta1`). */
  asApiVersion?: MetaApiVersion;
  contentType: string;
}

/** The group versions of meta.k8s.io a Table or PartialObjectMetadata[List] can be written in. */
export type MetaApiVersion = 'meta.k8s.io/v1' | 'meta.k8s.io/v1beta1';

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [{ type: '*/*', params: {} }];
  return header
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.trim().split(';');
      const params: Record<string, string> = {};
      for (const p of rest) {
        const [k, v] = p.split('=');
        if (k && v !== undefined) params[k.trim()] = v.trim();
      }
      return { type: type.trim().toLowerCase(), params };
    })
    .filter((r) => r.type);
}

const serializers: Record<string, Serializer> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/vnd.kubernetes.protobuf': 'protobuf',
  '*/*': 'json',
  'application/*': 'json',
};

const mediaTypes: Record<Serializer, string> = { json: 'application/json', yaml: 'application/yaml', protobuf: 'application/vnd.kubernetes.protobuf' };

/**
 * The representation of a Status error, as upstream's ErrorNegotiated picks it: the first media type the client
 * accepts, views (`as=`) left out; JSON when none is acceptable.
 */
export function statusSerializer(accept: string | undefined): Serializer {
  for (const range of parseAccept(accept)) {
    if (range.params.as) continue;
    const serializer = serializers[range.type];
    if (serializer) return serializer;
  }
  return 'json';
}

/** What can be written as protobuf: the server's codec (ProtobufCodec), when it has one. */
export interface ProtobufSupport {
  supports(apiVersion: string, kind: string): boolean;
}

/**
 * Picks the first acceptable representation for a resource response. `protobuf` is offered only where the
 * kind supports it; transformations only as meta.k8s.io v1 or v1beta1. A metadata view is offered as protobuf
 * wherever `views` can write it, whatever the kind (a custom resource too), as upstream's AllowsMediaTypeTransform
 * allows it in every media type; a Table only as JSON or YAML, and not at all where `noTable` says so.
 */
export function negotiateObject(accept: string | undefined, opts: { protobuf: boolean; views?: ProtobufSupport; noTable?: boolean }): Negotiated {
  for (const range of parseAccept(accept)) {
    const serializer = serializers[range.type];
    if (!serializer) continue;
    const as = range.params.as;
    if (serializer === 'protobuf' && !opts.protobuf && !as) continue;
    if (as) {
      const group = range.params.g;
      const version = range.params.v;
      if (group !== 'meta.k8s.io' || !['v1', 'v1beta1'].includes(version ?? '')) continue;
      if (as !== 'Table' && as !== 'PartialObjectMetadata' && as !== 'PartialObjectMetadataList') continue;
      if (as === 'Table' && opts.noTable) continue;
      if (serializer === 'protobuf' && !opts.views?.supports(`meta.k8s.io/${version}`, as)) continue;
      // Upstream names the serializer's media type alone (responsewriters.SerializeObject, and a watch's stream
      // serializer): the view's parameters are not repeated in the answer's Content-Type.
      return { serializer, as, asApiVersion: `meta.k8s.io/${version as 'v1' | 'v1beta1'}`, contentType: mediaTypes[serializer] };
    }
    return { serializer, contentType: mediaTypes[serializer] };
  }
  throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
}

/** Whether the client accepts aggregated discovery (apidiscovery.k8s.io/v2) before plain JSON. */
export function wantsAggregatedDiscovery(accept: string | undefined): boolean {
  for (const range of parseAccept(accept)) {
    if (range.params.as === 'APIGroupDiscoveryList' && range.params.g === 'apidiscovery.k8s.io' && range.params.v === 'v2' && range.type === 'application/json') return true;
    if (range.type === 'application/json' && !range.params.as) return false;
  }
  return false;
}

export function bodyFormat(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
}
