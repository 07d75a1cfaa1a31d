/**
 * How objects become stored bytes and back (upstream's storage codec, `k8s.io/apiserver/pkg/server/storage/
 * storage_codec.go`). Writes use one media type (`--storage-media-type`); reads recognise every media type by its
 * first bytes, as upstream's recognizing decoder does, so values written before the media type changed, or by
 * kube-apiserver, are still read:
 *  - `application/vnd.kubernetes.protobuf`: `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw} (kube-apiserver's
 *    default for built-in kinds);
 *  - `application/json`: the object as JSON, `kind` and `apiVersion` first, with a trailing newline (Go's encoder);
 *  - `application/yaml`.
 * Kinds without a protobuf form (custom resources; CustomResourceDefinitions and APIServices, which upstream's
 * apiextensions and aggregator servers always store as JSON) are written as JSON whatever the media type.
 * Stored objects never carry `metadata.resourceVersion` (the key's revision, set on every read) nor `selfLink`.
 * A RawExtension field (ControllerRevision.data) is stored as the text the client sent: its bytes in protobuf, its
 * raw form (`{"\u0000raw": text}`, machinery/raw-json.ts) in JSON and YAML, so every media type keeps what protobuf
 * keeps upstream (spacing included, which immutability compares).
 */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { jsonCopy } from '../machinery/json-value.ts';
import { protobufContentType, protobufMagic, type ProtobufCodec } from '../machinery/protobuf.ts';

export type StoredObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const jsonMediaType = 'application/json';
export const yamlMediaType = 'application/yaml';
export const protobufMediaType = protobufContentType;

/** The values `--storage-media-type` accepts, sorted as upstream lists them in its error. */
export const storageMediaTypes = [jsonMediaType, protobufMediaType, yamlMediaType] as const;
export type StorageMediaType = (typeof storageMediaTypes)[number];

/** Upstream's check of `--storage-media-type` (k8s.io/apiserver EtcdOptions.Validate); '' is allowed (JSON). */
export function validateStorageMediaType(value: string): string | undefined {
  if (value === '' || (storageMediaTypes as readonly string[]).includes(value)) return undefined;
  return `--storage-media-type "${value}" invalid, allowed values: ${storageMediaTypes.join(', ')}`;
}

export interface StorageCodec {
  /** The media type objects are written in (kinds without a protobuf form fall back to JSON). */
  readonly mediaType: string;
  /** The bytes stored for `obj`; its `metadata.resourceVersion` is left out. Does not change `obj`. */
  encode(obj: StoredObject): Uint8Array;
  /** A stored value as a new object (without resourceVersion). Throws with a reason when the bytes are not an object. */
  decode(value: Uint8Array): StoredObject;
  /**
   * What `decode(value)` gives, where `value` is what `encode(obj)` just gave, made from `obj` without reading the
   * bytes back (a written object goes on to its writer and the watch cache); undefined: decode the bytes.
   */
  decodeEncoded?(obj: StoredObject, value: Uint8Array): StoredObject | undefined;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/**
 * The object as stored: no resourceVersion (the revision is) nor selfLink, as upstream's PrepareObjectForStorage;
 * `kind` and `apiVersion` first as Go writes them.
 */
function storageShape(obj: StoredObject): StoredObject {
  const { resourceVersion: _rv, selfLink: _selfLink, ...metadata } = (obj.metadata ?? {}) as StoredObject;
  const { kind, apiVersion, metadata: _m, ...rest } = obj;
  return { kind, apiVersion, metadata, ...rest };
}

function isObject(v: unknown): v is StoredObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether the bytes start with `{` after JSON whitespace. */
function looksLikeJSON(value: Uint8Array): boolean {
  for (const b of value) {
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b;
  }
  return false;
}

function isProtobuf(value: Uint8Array): boolean {
  return value.length >= 4 && value[0] === protobufMagic[0] && value[1] === protobufMagic[1] && value[2] === protobufMagic[2] && value[3] === protobufMagic[3];
}

function decodeText(value: Uint8Array): StoredObject {
  const text = textDecoder.decode(value);
  const obj = looksLikeJSON(value) ? JSON.parse(text) : parseYaml(text);
  if (!isObject(obj)) throw new Error('not a JSON object');
  return obj;
}

/** JSON only: what the conformance suites and tools use when no scheme is at hand. Reads JSON and YAML. */
export const jsonCodec: StorageCodec = {
  mediaType: jsonMediaType,
  encode: (obj) => textEncoder.encode(JSON.stringify(storageShape(obj)) + '\n'),
  decode: decodeText,
  decodeEncoded: (obj, value) => (value[0] === 0x7b ? jsonCopy(storageShape(obj)) : undefined),
};

export interface StorageCodecOptions {
  mediaType: string;
  /** The protobuf forms of the scheme's kinds (values in protobuf can only be read with it). */
  protobuf?: ProtobufCodec;
  /**
   * Whether objects of this kind are written in protobuf when that is the media type. Default: every kind the
   * protobuf codec knows.
   */
  protobufFor?(apiVersion: string, kind: string): boolean;
  /**
   * Defaults an object read from protobuf, as upstream's storage decoder does: what protobuf cannot hold (the
   * apiVersion and kind of a StatefulSet's claim templates) comes back from the kind's defaulting. Mutates `obj`.
   */
  defaultDecoded?(obj: StoredObject): void;
}

/** The codec of `--storage-media-type` ('' is JSON, as upstream's storage factory defaults it). */
export function newStorageCodec(opts: StorageCodecOptions): StorageCodec {
  const mediaType = opts.mediaType || jsonMediaType;
  const protobuf = opts.protobuf;
  const protobufFor = opts.protobufFor ?? ((apiVersion: string, kind: string) => protobuf?.supports(apiVersion, kind) ?? false);
  const decode = (value: Uint8Array): StoredObject => {
    if (!isProtobuf(value)) return decodeText(value);
    if (!protobuf) throw new Error('the value is protobuf, which this store cannot read');
    // protobufjs reads strings from a Buffer natively, several times faster than from a plain Uint8Array.
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const obj = protobuf.decodeObject(bytes) as StoredObject;
    opts.defaultDecoded?.(obj);
    return obj;
  };
  const encodeText = mediaType === yamlMediaType ? (obj: StoredObject) => textEncoder.encode(stringifyYaml(storageShape(obj))) : jsonCodec.encode;
  const decodeEncoded = mediaType === yamlMediaType ? undefined : jsonCodec.decodeEncoded;
  if (mediaType !== protobufMediaType || !protobuf) return { mediaType, encode: encodeText, decode, decodeEncoded };
  return {
    mediaType,
    decodeEncoded, // JSON values only (kinds without a protobuf form): protobuf's bytes say less than the object
    encode: (obj) => {
      if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !protobufFor(obj.apiVersion, obj.kind)) return encodeText(obj);
      return protobuf.encodeObject(storageShape(obj));
    },
    decode,
  };
}
