/** Writes response bodies in the negotiated format. */
import { stringify as toYaml } from 'yaml';
import { protobufContentType, type ProtobufCodec } from '../machinery/protobuf.ts';
import type { StoredObject } from '../storage/store.ts';
import type { Negotiated } from './negotiation.ts';

export interface EncodedResponse {
  code: number;
  contentType: string;
  body: string | Uint8Array;
}

export function encodeBody(obj: unknown, negotiated: Negotiated, code = 200, protobuf?: ProtobufCodec): EncodedResponse {
  if (negotiated.serializer === 'protobuf' && protobuf) return { code, contentType: protobufContentType, body: protobuf.encodeObject(obj) };
  if (negotiated.serializer === 'yaml') return { code, contentType: 'application/yaml', body: toYaml(obj) };
  return { code, contentType: negotiated.contentType, body: JSON.stringify(obj) };
}

/** The metadata-only view of an object (`as=PartialObjectMetadata`). */
export function partialObjectMetadata(obj: StoredObject): StoredObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}
