/** Writes response bodies in the negotiated format. */
import { encodeEnvelope, protobufContentType, type ProtobufCodec } from '../machinery/protobuf.ts';
import { encodedAllAs, parseEncoded, type EncodedItem, type StoredObject } from '../storage/store.ts';
import type { MetaApiVersion, Negotiated } from './negotiation.ts';
import { lend, takeBuffer } from './body-pool.ts';
import { spliceRawJson } from '../machinery/raw-json.ts';
import { jsonText } from '../machinery/json-text.ts';
import { jsonToYaml } from '../machinery/go-yaml/index.ts';
import { notAcceptable, type StatusError } from '../machinery/status.ts';
import { legacyInternalType } from '../machinery/legacy-scheme.ts';
import type { KindRegistration } from '../machinery/registration.ts';

export interface EncodedResponse {
  code: number;
  contentType: string;
  body: string | Uint8Array;
}

/**
 * `rawJson`: the object (or the list or table of them) is of a kind with RawExtension fields, whose raw forms are
 * written as the JSON text they keep (machinery/raw-json.ts); protobuf writes them as its bytes anyway.
 */
export function encodeBody(obj: unknown, negotiated: Negotiated, code = 200, protobuf?: ProtobufCodec, rawJson = false): EncodedResponse {
  if (negotiated.serializer === 'protobuf' && protobuf) return { code, contentType: protobufContentType, body: protobuf.encodeObject(obj) };
  const json = jsonText(obj);
  const body = rawJson ? spliceRawJson(json) : json;
  // Upstream's YAML is its JSON answer turned into YAML (sigs.k8s.io/yaml JSONToYAML), so ours is made from ours.
  if (negotiated.serializer === 'yaml') return { code, contentType: 'application/yaml', body: jsonToYaml(body) };
  return { code, contentType: negotiated.contentType, body };
}

/**
 * The metadata-only view of an object (`as=PartialObjectMetadata`), in the meta.k8s.io version the client asked for.
 * Go writes an ObjectMeta's unset creationTimestamp as null (a watch bookmark's object has none).
 */
export function partialObjectMetadata(obj: StoredObject, apiVersion: MetaApiVersion = 'meta.k8s.io/v1'): StoredObject {
  const metadata = obj.metadata && 'creationTimestamp' in obj.metadata ? obj.metadata : { ...obj.metadata, creationTimestamp: null };
  return { kind: 'PartialObjectMetadata', apiVersion, metadata };
}

/** The metadata-only view of a list (`as=PartialObjectMetadataList`): the list's metadata, each item's view. */
export function partialObjectMetadataList(items: readonly StoredObject[], metadata: unknown, apiVersion: MetaApiVersion = 'meta.k8s.io/v1'): StoredObject {
  return { kind: 'PartialObjectMetadataList', apiVersion, metadata, items: items.map((item) => partialObjectMetadata(item, apiVersion)) };
}

/**
 * 406 for a metadata view of the wrong arity: PartialObjectMetadata of a list, or PartialObjectMetadataList of one
 * object. Upstream's text names the Go type it held (`*core.ConfigMapList`, `*unstructured.Unstructured`).
 */
export function partialMetadataMismatch(requested: 'PartialObjectMetadata' | 'PartialObjectMetadataList', goType: string): StatusError {
  const what = requested === 'PartialObjectMetadata' ? 'is a list' : 'is not a list';
  return notAcceptable(`you requested ${requested}, but the requested object ${what} (*${goType})`);
}

/** The Go type upstream's handler holds for `kind` (or its list): the internal type, or unstructured for custom resources. */
export function servedGoType(kind: Pick<KindRegistration, 'group' | 'kind' | 'listKind' | 'builtIn'>, list: boolean): string {
  if (!kind.builtIn) return list ? 'unstructured.UnstructuredList' : 'unstructured.Unstructured';
  return legacyInternalType(kind.group, list ? kind.listKind : kind.kind);
}

/**
 * A cached object's protobuf body (`apiVersion`/`kind`: the served type, which the cache's text is in): its message
 * made from the text once per object state and shared by every get and list that reads that state (see encodedAllAs),
 * in an envelope of its own.
 */
export function cachedProtobufObject(protobuf: ProtobufCodec, apiVersion: string, kind: string, item: EncodedItem): Uint8Array {
  return encodeEnvelope(apiVersion, kind, cachedMessages(protobuf, apiVersion, kind, [item])[0]);
}

/**
 * A protobuf list of cached objects: the list's envelope and metadata around each item's shared message, in one
 * buffer. The bytes encodeBody writes for the same list (items carry no type meta in protobuf: it is the envelope's).
 */
export function cachedProtobufList(protobuf: ProtobufCodec, list: { apiVersion: string; kind: string; metadata: unknown }, itemKind: string, items: readonly EncodedItem[]): Uint8Array {
  let buf: Buffer | undefined;
  const body = protobuf.encodeList(list, cachedMessages(protobuf, list.apiVersion, itemKind, items), (size) => (buf = takeBuffer(size)));
  // Pooled like a JSON list's body: a new buffer per list is external memory that sets off full GCs (body-pool.ts).
  return buf ? lend(buf, body) : body;
}

/** Each item's message (the raw of its protobuf body), made from its text where no reader has kept it. */
function cachedMessages(protobuf: ProtobufCodec, apiVersion: string, kind: string, items: readonly EncodedItem[]): Uint8Array[] {
  // A list's small messages are neighbours in protobufjs' buffer pool: kept together, they waste little of its slabs.
  return encodedAllAs(items, `${protobufContentType};${apiVersion}/${kind}`, (item) => protobuf.encodeRaw(apiVersion, kind, parseEncoded(item)));
}
