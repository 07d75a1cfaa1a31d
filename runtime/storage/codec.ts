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
 * A RawExtension field (ControllerRevision.data) is stored as upstream stores it, so either server reads what the
 * other wrote: in protobuf, the bytes the client sent (spacing included, which immutability compares); in JSON, its
 * text in place (`"data":{"b":1,...}`), read back as its raw form (`{"\u0000raw": text}`, machinery/raw-json.ts) with
 * the text as stored. Go's encoder writes that text compacted, so kube-apiserver storing JSON reads back (and then
 * compares) the compacted text: etcd does the same (`compactRawJson`), where kube-apiserver may read or write the
 * values; the embedded store, which only kube-ts reads, keeps the spacing, as kube-apiserver's default (protobuf)
 * does. Only kinds with such fields pay for this.
 */
import { parse as parseYaml } from 'yaml';
import { jsonToYaml } from '../machinery/go-yaml/index.ts';
import { goJson, jsonCopy } from '../machinery/json-value.ts';
import { mayHoldInt64, parseJsonInt64, toInt64Form } from '../machinery/json-int64.ts';
import { jsonText } from '../machinery/json-text.ts';
import { compactJson, isRawForm, keepRawFields, rawForm, rawKey, spliceRawJson, spliceRawText, toRawForms } from '../machinery/raw-json.ts';
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
   * `encode(obj)` for a write whose object goes on to its writer and the watch cache: the bytes, and the object in
   * its stored shape (what was encoded), for decodeStored. Absent: those readers decode the bytes.
   */
  encodeWrite?(obj: StoredObject): EncodedWrite;
  /**
   * What `decode(value)` gives, for an EncodedWrite's `value` and `stored`, made without reading the bytes back;
   * undefined: decode them. Present with encodeWrite.
   */
  decodeStored?(stored: StoredObject, value: Uint8Array): StoredObject | undefined;
}

/** A write's bytes and the object they encode, in its stored shape (see StorageCodec.encodeWrite). */
export interface EncodedWrite {
  value: Uint8Array;
  stored: StoredObject;
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

/** The RawExtension fields of a kind (its registration's `rawJsonFields`); undefined for the many kinds without. */
export type RawJsonFieldsOf = (apiVersion: unknown, kind: unknown) => readonly string[] | undefined;

const noRawFields: RawJsonFieldsOf = () => undefined;

/** How JSON storage writes the text of a raw field: compacted as Go's encoder writes it, or as kept. */
export interface RawJsonStorage {
  rawJsonFields: RawJsonFieldsOf;
  /** Whether the text is compacted (kube-apiserver's bytes) rather than kept with its spacing. */
  compactRawJson: boolean;
  /** The kinds whose integers past 2^53 are read exactly, as BigInts (custom resources: machinery/json-int64.ts). */
  exactIntegers?: ExactIntegersOf;
}

/** Whether objects of a kind keep int64s exact (custom resources, decoded as unstructured upstream). */
export type ExactIntegersOf = (apiVersion: unknown, kind: unknown) => boolean;

const noExactIntegers: ExactIntegersOf = () => false;

/**
 * The stored shape of an object with raw `fields`: each one the raw form of the text JSON storage holds (a plain
 * value: Go's encoding of it), as decoding the stored bytes reads it back.
 */
function rawStorageShape(fields: readonly string[], compact: boolean, obj: StoredObject): StoredObject {
  const shape = storageShape(obj);
  for (const f of fields) {
    const v = shape[f];
    if (v === undefined || v === null) continue;
    if (!isRawForm(v)) shape[f] = rawForm(goJson(v));
    else if (compact) shape[f] = rawForm(compactJson(v[rawKey]));
  }
  return shape;
}

/** JSON storage (Go's encoder): the object, `kind` and `apiVersion` first, raw fields' texts in place, a newline. */
function jsonEncoder({ rawJsonFields, compactRawJson }: RawJsonStorage): (obj: StoredObject) => EncodedWrite {
  const splice = compactRawJson ? spliceRawJson : spliceRawText;
  return (obj) => {
    const fields = rawJsonFields(obj.apiVersion, obj.kind);
    if (!fields) {
      const stored = storageShape(obj);
      return { value: textEncoder.encode(jsonText(stored) + '\n'), stored };
    }
    const stored = rawStorageShape(fields, compactRawJson, obj);
    return { value: textEncoder.encode(splice(jsonText(stored)) + '\n'), stored };
  };
}

/** What decoding JSON bytes of `stored` gives, made without reading them (see StorageCodec.decodeStored). */
function jsonDecodeStored(stored: StoredObject, value: Uint8Array): StoredObject | undefined {
  return value[0] === 0x7b ? jsonCopy(stored) : undefined;
}

/**
 * A JSON or YAML value as an object. A raw field of JSON keeps its text as stored (kube-apiserver's or ours: the
 * same compacted text); in YAML it holds Go's encoding of its value (keys sorted, integers exact: upstream reads
 * YAML storage through YAMLToJSON), unless it is a raw form already.
 */
function textValueDecoder({ rawJsonFields: rawFieldsOf, exactIntegers = noExactIntegers }: RawJsonStorage): (value: Uint8Array) => StoredObject {
  return (value) => {
    const text = textDecoder.decode(value);
    const json = looksLikeJSON(value);
    let obj = json ? JSON.parse(text) : parseYaml(text);
    if (!isObject(obj)) throw new Error('not a JSON object');
    // A custom resource's int64s past 2^53, read again exactly (only values with the digits to hold one); YAML as
    // upstream reads it, turned into JSON first (YAMLToJSON keeps an integer's digits).
    if (mayHoldInt64(text) && exactIntegers(obj.apiVersion, obj.kind)) {
      obj = (json ? parseJsonInt64(text) : toInt64Form(parseYaml(text, { intAsBigInt: true }))) as StoredObject;
    }
    const fields = rawFieldsOf(obj.apiVersion, obj.kind);
    if (fields) {
      if (json) keepRawFields(fields, text, obj);
      else toRawForms(fields, obj, parseYaml(text, { intAsBigInt: true }));
    }
    return obj;
  };
}

/**
 * YAML storage as upstream's YAML serializer writes it: the JSON encoding (raw fields' texts in place, integers
 * exact) turned into YAML as sigs.k8s.io/yaml does (machinery/go-yaml), so the stored bytes are upstream's.
 */
function yamlEncoder(json: (obj: StoredObject) => Uint8Array): (obj: StoredObject) => Uint8Array {
  return (obj) => textEncoder.encode(jsonToYaml(textDecoder.decode(json(obj))));
}

/**
 * The JSON codec (reads JSON and YAML), with the kinds whose RawExtension fields are stored as text. Without them,
 * what the conformance suites and tools use when no scheme is at hand.
 */
export function newJsonCodec(raw: RawJsonStorage = { rawJsonFields: noRawFields, compactRawJson: true }): StorageCodec {
  const encodeWrite = jsonEncoder(raw);
  return { mediaType: jsonMediaType, encode: (obj) => encodeWrite(obj).value, decode: textValueDecoder(raw), encodeWrite, decodeStored: jsonDecodeStored };
}

/** JSON only, no kind with raw fields. */
export const jsonCodec: StorageCodec = newJsonCodec();

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
  /** The kinds whose RawExtension fields JSON storage holds as their text (see RawJsonFieldsOf). Default: none. */
  rawJsonFields?: RawJsonFieldsOf;
  /** Whether JSON storage compacts that text, as kube-apiserver does (see the top of this file). Default: true. */
  compactRawJson?: boolean;
  /** The kinds whose int64s past 2^53 are read exactly (see ExactIntegersOf). Default: none. */
  exactIntegers?: ExactIntegersOf;
}

/** The codec of `--storage-media-type` ('' is JSON, as upstream's storage factory defaults it). */
export function newStorageCodec(opts: StorageCodecOptions): StorageCodec {
  const mediaType = opts.mediaType || jsonMediaType;
  const protobuf = opts.protobuf;
  const protobufFor = opts.protobufFor ?? ((apiVersion: string, kind: string) => protobuf?.supports(apiVersion, kind) ?? false);
  const json = newJsonCodec({ rawJsonFields: opts.rawJsonFields ?? noRawFields, compactRawJson: opts.compactRawJson ?? true, exactIntegers: opts.exactIntegers ?? noExactIntegers });
  const decodeText = json.decode;
  const decode = (value: Uint8Array): StoredObject => {
    if (!isProtobuf(value)) return decodeText(value);
    if (!protobuf) throw new Error('the value is protobuf, which this store cannot read');
    // protobufjs reads strings from a Buffer natively, several times faster than from a plain Uint8Array.
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const obj = protobuf.decodeObject(bytes) as StoredObject;
    opts.defaultDecoded?.(obj);
    return obj;
  };
  if (mediaType === yamlMediaType) return { mediaType, encode: yamlEncoder(json.encode), decode };
  const encodeJson = json.encodeWrite!;
  if (mediaType !== protobufMediaType || !protobuf) return { mediaType, encode: json.encode, decode, encodeWrite: encodeJson, decodeStored: jsonDecodeStored };
  const encodeWrite = (obj: StoredObject): EncodedWrite => {
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !protobufFor(obj.apiVersion, obj.kind)) return encodeJson(obj);
    const stored = storageShape(obj);
    return { value: protobuf.encodeObject(stored), stored };
  };
  return {
    mediaType,
    encode: (obj) => encodeWrite(obj).value,
    encodeWrite,
    decodeStored: (stored, value) => {
      if (!isProtobuf(value)) return jsonDecodeStored(stored, value);
      const decoded = protobuf.decodedForm(stored) as StoredObject | undefined;
      if (decoded) opts.defaultDecoded?.(decoded);
      return decoded;
    },
    decode,
  };
}
