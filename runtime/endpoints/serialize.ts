/** Writes response bodies in the negotiated format. */
import { stringify as toYaml } from 'yaml';
import { envelopedRaw, protobufContentType, type ProtobufCodec } from '../machinery/protobuf.ts';
import { encodedAs, type EncodedItem, type StoredObject } from '../storage/store.ts';
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

/**
 * A cached object's protobuf body (`apiVersion`/`kind`: the served type, which the cache's text is in), made from
 * its text once per object state and shared by every get and list that reads that state (see encodedAs).
 */
export function cachedProtobufObject(protobuf: ProtobufCodec, apiVersion: string, kind: string, item: EncodedItem, form = protobufForm(apiVersion, kind)): Uint8Array {
  return encodedAs(item, form, () => protobuf.encodeObjectAs(apiVersion, kind, JSON.parse(item.json)));
}

/** The key of an object's protobuf body among its encodings. */
function protobufForm(apiVersion: string, kind: string): string {
  return `${protobufContentType};${apiVersion}/${kind}`;
}

/**
 * A protobuf list of cached objects: the list's envelope and metadata around each item's shared bytes (the message
 * inside its object body), in one buffer. The bytes encodeBody writes for the same list; items carry no type meta
 * in protobuf either way (it lives in the envelope).
 */
export function cachedProtobufList(protobuf: ProtobufCodec, list: { apiVersion: string; kind: string; metadata: unknown }, itemKind: string, items: readonly EncodedItem[]): Uint8Array {
  const form = protobufForm(list.apiVersion, itemKind);
  const raws = items.map((item) => envelopedRaw(cachedProtobufObject(protobuf, list.apiVersion, itemKind, item, form)));
  return protobuf.encodeList(list, raws);
}
