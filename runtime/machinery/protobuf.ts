/**
 * Kubernetes' protobuf wire format, driven by the generated message descriptors: objects travel as
 * `k8s\x00` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}, where raw is the object's message; lists are
 * `<Kind>List` messages; watch streams are length-prefixed WatchEvent messages whose object is an enveloped
 * object. Varints and length-delimited framing come from protobufjs; the mapping between JSON objects and
 * messages is ours, one descriptor table for every kind.
 */
import protobuf from 'protobufjs/minimal.js';
import { formatGoTime, isZeroInstant } from './godecode/gotime.ts';
import { rawForm, rawTextOf } from './raw-json.ts';
import { FlatWriter } from './flat-writer.ts';
import { jsonCopy } from './json-value.ts';
import { sortGoStrings } from './order.ts';

const { Reader, Writer } = protobuf;

/** A scalar zero, which a field marked omitZero does not hold once read (the wire leaves it out). */
const isScalarZero = (v: unknown): boolean => v === '' || v === 0 || v === false;
/** Objects are written by FlatWriter (protobufjs' bytes, without its queue of operations). */
type ProtoWriter = FlatWriter;
type ProtoReader = protobuf.Reader;

/** A field's value type: a scalar wire form, a well-known Kubernetes type, or another message's name. */
/** `stringList` is a list of strings as a map value: Go's named string slices (ExtraValue), `repeated string items = 1`. */
/** `jsonText` is any JSON value as its text in a bytes field (apiextensions' `JSON { raw = 1 }`). */
export type FieldType = 'string' | 'bytes' | 'int32' | 'int64' | 'bool' | 'double' | 'time' | 'microTime' | 'quantity' | 'intOrString' | 'rawJSON' | 'rawExtension' | 'stringList' | 'jsonText' | (string & {});

export interface FieldDescriptor {
  name: string;
  number: number;
  type: FieldType;
  repeated?: boolean;
  /** map<string, type>: repeated entries of {key = 1, value = 2}. */
  map?: boolean;
  /**
   * A zero value ('', 0, false) on the wire means absent: Go clients send their non-pointer fields always, and
   * their JSON leaves those out when zero. Set for optional fields without a default.
   */
  omitZero?: boolean;
  /**
   * Written even when unset, as gogo-protobuf writes every field Go holds by value: a scalar as its zero, a struct
   * as its (empty) message.
   */
  always?: boolean;
  /** An embedded struct: its message is made of (and read back into) the fields of the object itself. */
  embedded?: boolean;
  /**
   * Set on every field of a value type's message (a value of one of several JSON shapes, e.g.
   * JSONSchemaPropsOrBool): the JSON type this field carries. The value goes in the field of its own shape.
   */
  shape?: 'object' | 'array' | 'boolean' | 'string' | 'number' | 'json';
}

/** The JSON type of a value, as a value type's shapes name them. */
function jsonShape(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
}

export type MessageDescriptor = readonly FieldDescriptor[];

export const protobufMagic = new Uint8Array([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

const enum Wire {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
}

function wireOf(type: FieldType): Wire {
  switch (type) {
    case 'int32':
    case 'int64':
    case 'bool':
      return Wire.Varint;
    case 'double':
      return Wire.Fixed64;
    default:
      return Wire.Bytes;
  }
}

export class ProtobufError extends Error {}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export class ProtobufCodec {
  private readonly messages = new Map<string, MessageDescriptor>();
  /** `apiVersion/kind` -> message name, for the kinds that have a protobuf form. */
  private readonly kinds = new Map<string, string>();

  addMessages(messages: Readonly<Record<string, MessageDescriptor>>): void {
    for (const [name, descriptor] of Object.entries(messages)) this.messages.set(name, descriptor);
  }

  registerKind(apiVersion: string, kind: string, message: string): void {
    this.kinds.set(`${apiVersion}/${kind}`, message);
  }

  /** Whether objects of this kind can be sent as protobuf. */
  supports(apiVersion: string, kind: string): boolean {
    const message = this.kinds.get(`${apiVersion}/${kind}`);
    return message !== undefined && this.messages.has(message);
  }

  /** An object (with apiVersion and kind) as an enveloped protobuf body. */
  encodeObject(obj: Json): Uint8Array {
    return this.encodeObjectAs(obj.apiVersion, obj.kind, obj);
  }

  /** An object as an enveloped protobuf body of the given type (its own apiVersion and kind are not read). */
  encodeObjectAs(apiVersion: string, kind: string, obj: Json): Uint8Array {
    return encodeEnvelope(apiVersion, kind, this.encodeRaw(apiVersion, kind, obj));
  }

  /** An object's message, the raw of its enveloped body (encodeEnvelope(apiVersion, kind, raw) is the body). */
  encodeRaw(apiVersion: string, kind: string, obj: Json): Uint8Array {
    return this.encode(this.messageOf(apiVersion, kind), obj);
  }

  /**
   * A list (apiVersion, kind and metadata, no items) as an enveloped protobuf body whose items are `items`, each
   * an item's message as it is (encodeRaw's), written into one buffer of exactly its size. The bytes encodeObject
   * writes for the list with those items: the items field is a List message's last, each item length-delimited in it.
   * `alloc`: where the bytes go (e.g. a pooled buffer, endpoints/body-pool.ts); the body is its first bytes.
   */
  encodeList(list: Json, items: readonly Uint8Array[], alloc?: (size: number) => Uint8Array): Uint8Array {
    const message = this.messageOf(list.apiVersion, list.kind);
    const descriptor = this.descriptor(message);
    const field = descriptor[descriptor.length - 1];
    if (field?.name !== 'items' || !field.repeated) throw new ProtobufError(`${message} does not end with its repeated items`);
    const head = this.encode(message, { ...list, items: undefined });
    const tag = (field.number << 3) | Wire.Bytes;
    let length = head.length;
    for (const item of items) length += varintSize(tag) + varintSize(item.length) + item.length;
    return writeEnvelope(list.apiVersion, list.kind, length, (out, start) => {
      out.set(head, start);
      let at = start + head.length;
      for (const item of items) {
        at = putVarint(out, putVarint(out, at, tag), item.length);
        out.set(item, at);
        at += item.length;
      }
    }, alloc);
  }

  private messageOf(apiVersion: string, kind: string): string {
    const message = this.kinds.get(`${apiVersion}/${kind}`);
    if (!message) throw new ProtobufError(`${apiVersion}, Kind=${kind} has no protobuf form`);
    return message;
  }

  /** An enveloped protobuf body as a JSON object, with apiVersion and kind from the envelope. */
  decodeObject(bytes: Uint8Array): Json {
    const { apiVersion, kind, raw } = decodeEnvelope(bytes);
    const message = this.kinds.get(`${apiVersion}/${kind}`);
    if (!message) throw new ProtobufError(`${apiVersion}, Kind=${kind} has no protobuf form`);
    // Like a JSON body that leaves out what Go would write as zeros: readers of stored objects give them Go's
    // shape (runtime/storage/store.ts decodeObject), request bodies get it with their defaults.
    return { apiVersion, kind, ...this.decode(message, raw) };
  }

  /**
   * What decodeObject(encodeObject(obj)) gives, made from `obj` without writing or reading bytes: a write's object
   * goes on to its writer and the watch cache as the stored bytes read back (runtime/storage/codec.ts). Undefined
   * where a value's trip through the bytes is not one followed here (a RawExtension or JSON field, a value of several shapes, an
   * int64 past a number's exact range, a lone surrogate, a null in a list or map): decode the bytes then.
   */
  decodedForm(obj: Json): Json | undefined {
    const message = this.kinds.get(`${obj.apiVersion}/${obj.kind}`);
    if (!message || !this.messages.has(message)) return undefined;
    try {
      return { apiVersion: obj.apiVersion, kind: obj.kind, ...this.readBack(message, obj) };
    } catch (e) {
      if (e === unfollowed) return undefined;
      throw e;
    }
  }

  /**
   * The last time written, of each kind, as Timestamp's fields: an object's times are mostly one (its creation, its
   * managedFields'), and Date.parse is most of a time's writing.
   */
  private readonly timeWritten = { text: '', seconds: NaN, nanos: 0 };
  private readonly microTimeWritten = { text: '', seconds: NaN, nanos: 0 };

  /** The last time read back, of each kind: an object's times are mostly one (its creation, its managedFields'). */
  private readonly timeReadBack = { text: '', form: undefined as string | undefined };
  private readonly microTimeReadBack = { text: '', form: undefined as string | undefined };

  /** readMessage's object for writeMessage's bytes of `obj` (see decodedForm); throws `unfollowed`. */
  private readBack(message: string, obj: Json): Json {
    const descriptor = this.descriptor(message);
    if (descriptor[0]?.shape || !isPlainObject(obj)) throw unfollowed;
    const out: Json = {};
    for (const f of descriptor) {
      if (f.embedded) {
        Object.assign(out, this.readBack(f.type, obj));
        continue;
      }
      let v = obj[f.name];
      if (v === undefined || v === null) {
        if (!f.always) continue;
        v = zeroValue(f.type);
      }
      if (f.map) {
        if (!isPlainObject(v)) throw unfollowed;
        const keys = Object.keys(v);
        if (keys.length === 0) continue; // no entries on the wire: no member
        const map: Json = {};
        for (const key of sortGoStrings(keys)) {
          const value = this.readBackValue(f.type, itemOf(v[key]));
          map[wellFormed(key)] = value === undefined ? null : value;
        }
        out[f.name] = map;
      } else if (f.repeated) {
        if (!Array.isArray(v)) throw unfollowed;
        if (v.length === 0) continue;
        const items: Json[] = [];
        for (const item of v) items.push(this.readBackValue(f.type, itemOf(item)));
        out[f.name] = items;
      } else {
        const value = this.readBackValue(f.type, v);
        if (value === undefined || (f.omitZero && isScalarZero(value))) continue;
        out[f.name] = value;
      }
    }
    return out;
  }

  /** readValue's value for writeValue's bytes of `v`. */
  private readBackValue(type: FieldType, v: Json): Json {
    switch (type) {
      case 'string':
      case 'quantity':
        return wellFormed(String(v));
      case 'bytes':
        return Buffer.from(String(v), 'base64').toString('base64');
      case 'int32':
        return Number(v) | 0;
      case 'int64': {
        const n = Number(v);
        if (!Number.isSafeInteger(n)) throw unfollowed;
        return n === 0 ? 0 : n; // -0 is written as 0
      }
      case 'bool':
        return Boolean(v);
      case 'double':
        return Number(v);
      case 'time':
      case 'microTime': {
        const text = String(v);
        const memo = type === 'time' ? this.timeReadBack : this.microTimeReadBack;
        if (memo.text !== text) {
          memo.text = text;
          memo.form = readBackTime(text, type === 'microTime');
        }
        return memo.form;
      }
      case 'intOrString':
        return typeof v === 'number' ? v | 0 : wellFormed(String(v));
      case 'stringList': {
        if (!Array.isArray(v)) throw unfollowed;
        const out: string[] = [];
        for (const item of v) out.push(wellFormed(String(item)));
        return out;
      }
      case 'rawJSON': {
        const copy = jsonCopy(v); // what JSON.parse(JSON.stringify(v)) gives, for a plain value
        if (copy === undefined) throw unfollowed;
        return copy;
      }
      case 'rawExtension':
      case 'jsonText':
        throw unfollowed;
      default:
        return this.readBack(type, v);
    }
  }

  encode(message: string, obj: Json): Uint8Array {
    return FlatWriter.encode((w) => this.writeMessage(w, message, obj));
  }

  decode(message: string, bytes: Uint8Array): Json {
    return this.readMessage(Reader.create(bytes), message, bytes.length);
  }

  private descriptor(message: string): MessageDescriptor {
    const d = this.messages.get(message);
    if (!d) throw new ProtobufError(`no protobuf form for ${message}`);
    return d;
  }

  private writeMessage(w: ProtoWriter, message: string, obj: Json): void {
    const descriptor = this.descriptor(message);
    if (descriptor[0]?.shape) return this.writeShapes(w, descriptor, obj);
    for (const f of descriptor) {
      if (f.embedded) {
        w.uint32((f.number << 3) | Wire.Bytes).fork();
        this.writeMessage(w, f.type, obj);
        w.ldelim();
        continue;
      }
      let v = obj?.[f.name];
      if (v === undefined || v === null) {
        if (!f.always) continue;
        v = zeroValue(f.type);
      }
      if (f.map) {
        for (const key of sortGoStrings(Object.keys(v))) {
          w.uint32((f.number << 3) | Wire.Bytes).fork();
          w.uint32((1 << 3) | Wire.Bytes).string(key);
          this.writeValue(w, 2, f.type, v[key]);
          w.ldelim();
        }
      } else if (f.repeated) {
        for (const item of v) this.writeValue(w, f.number, f.type, item);
      } else {
        this.writeValue(w, f.number, f.type, v);
      }
    }
  }

  /**
   * A value type: the value in the field of its shape. A boolean shape beside it says `true` when another shape
   * carries the value, as Go's JSONSchemaPropsOrBool keeps `allows` set whenever a schema is given.
   */
  private writeShapes(w: ProtoWriter, descriptor: MessageDescriptor, v: Json): void {
    const shape = jsonShape(v);
    if (shape === 'null') return;
    const carrier = descriptor.find((f) => f.shape === shape) ?? descriptor.find((f) => f.shape === 'json');
    for (const f of descriptor) {
      if (f === carrier) {
        if (f.repeated) for (const item of v as Json[]) this.writeValue(w, f.number, f.type, item);
        else this.writeValue(w, f.number, f.type, v);
      } else if (f.shape === 'boolean' && carrier) this.writeValue(w, f.number, f.type, true);
    }
  }

  /** The value of a value type's message: the one shape present (a boolean only when nothing else is). */
  private readShapes(r: ProtoReader, descriptor: MessageDescriptor, end: number): Json {
    const byNumber = fieldsByNumber(descriptor);
    const values = new Map<FieldDescriptor, Json>();
    while (r.pos < end) {
      const tag = r.uint32();
      const f = byNumber.get(tag >>> 3);
      if (!f) {
        r.skipType(tag & 7);
        continue;
      }
      const value = this.readValue(r, f.type);
      if (f.repeated) values.set(f, [...(values.get(f) ?? []), value]);
      else values.set(f, value);
    }
    for (const f of descriptor) if (f.shape !== 'boolean' && values.has(f)) return values.get(f);
    const flag = descriptor.find((f) => f.shape === 'boolean');
    return flag ? (values.get(flag) ?? false) : undefined;
  }

  private writeValue(w: ProtoWriter, number: number, type: FieldType, v: Json): void {
    w.uint32((number << 3) | wireOf(type));
    switch (type) {
      case 'string':
        w.string(String(v));
        return;
      case 'bytes':
        w.bytes(Buffer.from(String(v), 'base64'));
        return;
      case 'int32':
        w.int32(Number(v));
        return;
      case 'int64':
        w.int64(Number(v));
        return;
      case 'bool':
        w.bool(Boolean(v));
        return;
      case 'double':
        w.double(Number(v));
        return;
      case 'time':
      case 'microTime': {
        const text = String(v);
        const memo = type === 'time' ? this.timeWritten : this.microTimeWritten;
        if (memo.text !== text) {
          memo.text = text;
          memo.seconds = Math.floor(Date.parse(text) / 1000);
          memo.nanos = type === 'microTime' ? microNanos(text) : 0;
        }
        // A zero Time is an empty message; any other has both of Timestamp's fields, as Go writes them.
        w.fork();
        if (Number.isFinite(memo.seconds)) w.uint32((1 << 3) | Wire.Varint).int64(memo.seconds).uint32((2 << 3) | Wire.Varint).int32(memo.nanos);
        w.ldelim();
        return;
      }
      case 'quantity':
        w.fork().uint32((1 << 3) | Wire.Bytes).string(String(v)).ldelim();
        return;
      case 'intOrString':
        // Go writes all three fields of an IntOrString: type, intVal, strVal.
        w.fork();
        w.uint32((1 << 3) | Wire.Varint).int64(typeof v === 'number' ? 0 : 1);
        w.uint32((2 << 3) | Wire.Varint).int32(typeof v === 'number' ? v : 0);
        w.uint32((3 << 3) | Wire.Bytes).string(typeof v === 'number' ? '' : String(v));
        w.ldelim();
        return;
      case 'rawJSON':
        // The text's UTF-8 as a string field's: the same bytes as a buffer of it (JSON.stringify's text is
        // well-formed), without making one per managedFields entry.
        w.fork().uint32((1 << 3) | Wire.Bytes).string(JSON.stringify(v)).ldelim();
        return;
      case 'rawExtension':
        w.fork().uint32((1 << 3) | Wire.Bytes).bytes(Buffer.from(rawTextOf(v))).ldelim();
        return;
      case 'stringList':
        w.fork();
        for (const item of v as unknown[]) w.uint32((1 << 3) | Wire.Bytes).string(String(item));
        w.ldelim();
        return;
      case 'jsonText':
        w.bytes(Buffer.from(JSON.stringify(v)));
        return;
      default:
        w.fork();
        this.writeMessage(w, type, v);
        w.ldelim();
    }
  }

  private readMessage(r: ProtoReader, message: string, end: number): Json {
    const descriptor = this.descriptor(message);
    if (descriptor[0]?.shape) return this.readShapes(r, descriptor, end);
    const fields = fieldsByNumber(descriptor);
    const obj: Json = {};
    while (r.pos < end) {
      const tag = r.uint32();
      const f = fields.get(tag >>> 3);
      if (!f) {
        r.skipType(tag & 7);
        continue;
      }
      if (f.embedded) {
        const len = r.uint32();
        Object.assign(obj, this.readMessage(r, f.type, r.pos + len));
      } else if (f.map) {
        const len = r.uint32();
        const stop = r.pos + len;
        let key = '';
        let value: Json = zeroValue(f.type);
        while (r.pos < stop) {
          const t = r.uint32();
          if (t >>> 3 === 1) key = r.string();
          else if (t >>> 3 === 2) value = this.readValue(r, f.type);
          else r.skipType(t & 7);
        }
        // A zero Time in a map is Go's `null`.
        (obj[f.name] ??= {})[key] = value === undefined ? null : value;
      } else if (f.repeated) {
        (obj[f.name] ??= []).push(this.readValue(r, f.type));
      } else {
        const value = this.readValue(r, f.type);
        if (value === undefined || (f.omitZero && isScalarZero(value))) continue;
        obj[f.name] = value;
      }
    }
    return obj;
  }

  private readValue(r: ProtoReader, type: FieldType): Json {
    switch (type) {
      case 'string':
        return r.string();
      case 'bytes':
        return Buffer.from(r.bytes()).toString('base64');
      case 'int32':
        return r.int32();
      case 'int64':
        return int64(r);
      case 'bool':
        return r.bool();
      case 'double':
        return r.double();
      default: {
        const len = r.uint32();
        const end = r.pos + len;
        if (type === 'time' || type === 'microTime') return readTime(r, end, type === 'microTime');
        if (type === 'quantity') return readSingle(r, end, 1, (rr) => rr.string()) ?? '0';
        if (type === 'intOrString') return readIntOrString(r, end);
        if (type === 'rawJSON') {
          const raw = readSingle(r, end, 1, (rr) => rr.bytes());
          return raw ? JSON.parse(Buffer.from(raw).toString('utf8')) : {};
        }
        if (type === 'rawExtension') {
          const raw = readSingle(r, end, 1, (rr) => rr.bytes());
          return raw ? (rawForm(Buffer.from(raw).toString('utf8')) as unknown as Json) : {};
        }
        if (type === 'stringList') return readStrings(r, end);
        if (type === 'jsonText') {
          const text = Buffer.from(r.buf.subarray(r.pos, end)).toString('utf8');
          r.pos = end;
          try {
            return text === '' ? null : JSON.parse(text);
          } catch {
            throw new ProtobufError('a JSON field does not hold valid JSON');
          }
        }
        return this.readMessage(r, type, end);
      }
    }
  }
}

/** readTime's text for the bytes writeValue writes for a time's `text`; undefined: absent. */
function readBackTime(text: string, micro: boolean): string | undefined {
  const seconds = Math.floor(Date.parse(text) / 1000);
  if (!Number.isFinite(seconds)) return undefined; // written as an empty message
  const nanos = micro ? microNanos(text) : 0;
  const instant = { seconds, nanos: nanos - (nanos % 1000) };
  return isZeroInstant(instant) ? undefined : formatGoTime(instant, micro);
}

/** Thrown where decodedForm does not follow a value's trip through the bytes. */
const unfollowed = new ProtobufError('not followed without the bytes');

function isPlainObject(v: unknown): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A list's or map's item: a null there is written as some zero, which decodedForm does not follow. */
function itemOf(v: Json): Json {
  if (v === undefined || v === null) throw unfollowed;
  return v;
}

/** Lone surrogates come back from the wire's UTF-8 as U+FFFD (with the u flag, a pair is one code point). */
const loneSurrogate = /[\uD800-\uDFFF]/u;
function wellFormed(s: string): string {
  if (loneSurrogate.test(s)) throw unfollowed;
  return s;
}

/** A message's fields by number, built once per descriptor (decoding is on every store read and watch event). */
const fieldIndexes = new WeakMap<MessageDescriptor, Map<number, FieldDescriptor>>();
function fieldsByNumber(descriptor: MessageDescriptor): Map<number, FieldDescriptor> {
  let index = fieldIndexes.get(descriptor);
  if (!index) fieldIndexes.set(descriptor, (index = new Map(descriptor.map((f) => [f.number, f]))));
  return index;
}

/**
 * An int64 as a number, rounded as `Number(text)` would: Long's toNumber is high * 2^32 + low, one rounding (its
 * decimal text costs a division loop per digit group, on every timestamp of every decoded object).
 */
export function int64(r: ProtoReader): number {
  // Revisions, counts and timestamps fit in seven varint bytes (below 2^49): read in place, where protobufjs makes
  // a LongBits object per value (~10 per etcd write and its watch event, one per timestamp of a decoded object).
  const buf = r.buf;
  const pos = r.pos;
  let value = 0;
  let scale = 1;
  for (let i = pos; i < pos + 7 && i < r.len; i++) {
    const b = buf[i];
    value += (b & 127) * scale;
    if (b < 128) {
      r.pos = i + 1;
      return value;
    }
    scale *= 128;
  }
  // Longer (negative values take ten bytes) or cut short: protobufjs' reader, which also reports a truncated varint.
  const v = r.int64() as unknown as number | { toNumber(): number }; // a number when no Long library is loaded
  return typeof v === 'number' ? v : v.toNumber();
}

function zeroValue(type: FieldType): Json {
  if (type === 'stringList') return [];
  if (type === 'quantity') return '0';
  if (type === 'intOrString') return 0;
  if (type === 'time' || type === 'microTime') return '';
  return type === 'string' || type === 'bytes' ? '' : type === 'int32' || type === 'int64' || type === 'double' ? 0 : type === 'bool' ? false : {};
}

function readStrings(r: ProtoReader, end: number): string[] {
  const out: string[] = [];
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 1) out.push(r.string());
    else r.skipType(t & 7);
  }
  return out;
}

function microNanos(text: string): number {
  const m = /\.(\d+)/.exec(text);
  return m ? Number(m[1].padEnd(9, '0').slice(0, 9)) : 0;
}

function readSingle<T>(r: ProtoReader, end: number, number: number, read: (r: ProtoReader) => T): T | undefined {
  let value: T | undefined;
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === number) value = read(r);
    else r.skipType(t & 7);
  }
  return value;
}

/**
 * A Timestamp as metav1 reads it: an empty message, or the zero instant, is the zero time (absent); a Time keeps
 * whole seconds, a MicroTime microseconds (Go's Unmarshal drops the rest); written as Go writes it in JSON.
 */
function readTime(r: ProtoReader, end: number, micro: boolean): string | undefined {
  if (r.pos === end) return undefined;
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const t = r.uint32();
    if (t >>> 3 === 1) seconds = int64(r);
    else if (t >>> 3 === 2) nanos = r.int32();
    else r.skipType(t & 7);
  }
  const instant = { seconds, nanos: micro ? nanos - (nanos % 1000) : 0 };
  return isZeroInstant(instant) ? undefined : formatGoTime(instant, micro);
}

function readIntOrString(r: ProtoReader, end: number): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  while (r.pos < end) {
    const t = r.uint32();
    const n = t >>> 3;
    if (n === 1) type = int64(r);
    else if (n === 2) intVal = r.int32();
    else if (n === 3) strVal = r.string();
    else r.skipType(t & 7);
  }
  return type === 1 ? strVal : intVal;
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion = 1, kind = 2} = 1, raw = 2}. */
export function encodeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  return writeEnvelope(apiVersion, kind, raw.length, (out, at) => out.set(raw, at));
}

/** contentEncoding = 3 and contentType = 4: empty, and written all the same, as Go writes its non-pointer strings. */
const envelopeTail = new Uint8Array([(3 << 3) | Wire.Bytes, 0, (4 << 3) | Wire.Bytes, 0]);

/**
 * An envelope with room for a raw of `rawLength` bytes, which `writeRaw` writes in place from `at`. Its head is
 * written byte by byte (a protobufjs Writer costs more than the rest for a small object).
 */
function writeEnvelope(apiVersion: string, kind: string, rawLength: number, writeRaw: (out: Uint8Array, at: number) => void, alloc: (size: number) => Uint8Array = (size) => new Uint8Array(size)): Uint8Array {
  const apiVersionLength = Buffer.byteLength(apiVersion);
  const kindLength = Buffer.byteLength(kind);
  const typeMetaLength = 1 + varintSize(apiVersionLength) + apiVersionLength + 1 + varintSize(kindLength) + kindLength;
  const at = protobufMagic.length + 1 + varintSize(typeMetaLength) + typeMetaLength + 1 + varintSize(rawLength);
  const size = at + rawLength + envelopeTail.length;
  const given = alloc(size);
  const out = given.length === size ? given : given.subarray(0, size);
  const text = Buffer.from(out.buffer, out.byteOffset, at); // to write the strings
  out.set(protobufMagic);
  let p = protobufMagic.length;
  out[p++] = (1 << 3) | Wire.Bytes;
  p = putVarint(out, p, typeMetaLength);
  out[p++] = (1 << 3) | Wire.Bytes;
  p = putVarint(out, p, apiVersionLength);
  p += text.write(apiVersion, p);
  out[p++] = (2 << 3) | Wire.Bytes;
  p = putVarint(out, p, kindLength);
  p += text.write(kind, p);
  out[p++] = (2 << 3) | Wire.Bytes;
  putVarint(out, p, rawLength);
  writeRaw(out, at);
  out.set(envelopeTail, at + rawLength);
  return out;
}

function varintSize(v: number): number {
  let n = 1;
  while (v > 0x7f) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Writes `v` (below 2^32) as a varint at `at`; returns where it ends. */
function putVarint(out: Uint8Array, at: number, v: number): number {
  while (v > 0x7f) {
    out[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[at++] = v;
  return at;
}

export function decodeEnvelope(bytes: Uint8Array): { apiVersion: string; kind: string; raw: Uint8Array } {
  if (bytes.length < 4 || !protobufMagic.every((b, i) => bytes[i] === b)) throw new ProtobufError('the body does not start with the protobuf magic number k8s\\x00');
  const r = Reader.create(bytes.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  while (r.pos < r.len) {
    const t = r.uint32();
    const n = t >>> 3;
    if (n === 1) {
      const end = r.uint32() + r.pos;
      while (r.pos < end) {
        const tt = r.uint32();
        if (tt >>> 3 === 1) apiVersion = r.string();
        else if (tt >>> 3 === 2) kind = r.string();
        else r.skipType(tt & 7);
      }
    } else if (n === 2) raw = r.bytes();
    else r.skipType(t & 7);
  }
  return { apiVersion, kind, raw };
}

/** One watch-stream frame: a 4-byte big-endian length, then a WatchEvent{type = 1, object = 2 RawExtension{raw = 1}}. */
export function encodeWatchFrame(type: string, enveloped: Uint8Array): Uint8Array {
  const w = Writer.create();
  w.uint32((1 << 3) | Wire.Bytes).string(type);
  w.uint32((2 << 3) | Wire.Bytes).fork().uint32((1 << 3) | Wire.Bytes).bytes(enveloped).ldelim();
  const event = w.finish();
  const frame = new Uint8Array(4 + event.length);
  new DataView(frame.buffer).setUint32(0, event.length);
  frame.set(event, 4);
  return frame;
}
